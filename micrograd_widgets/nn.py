"""Neural networks out of Values: micrograd's Module, Neuron, Layer and MLP.

Drop-in for `micrograd.nn` 0.1.0 (same random draws in the same order, same reprs), plus an
`activation` choice ('relu', 'tanh', 'sigmoid' or 'linear') for the lecture's tanh networks.

Every module tags what it makes with a group for the graph widget: in an MLP, layer i is
"layer{i}" and its neuron j is "layer{i}/neuron{j}"; in a Layer built on its own, neuron j is
"neuron{j}"; a Neuron built on its own is "neuron". Groups are fixed when a module is built
(inside a `name_scope("model")` they become "model/layer0/neuron3", ...), and a module's
parameters and the nodes computed from them share its group, wherever the module is called.
Parameters are labelled w0, w1, ..., b.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from numbers import Integral

from .engine import Value, _scope, _weighted_sum

ACTIVATIONS = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "linear": "Linear"}


class Module:
    """Something with parameters: reset their gradients before each backward pass."""

    def zero_grad(self) -> None:
        for p in self.parameters():
            p.grad = 0

    def parameters(self) -> list[Value]:
        return []

    def _set_group(self, group: str | None) -> None:  # pragma: no cover - overridden
        self._group = group


class Neuron(Module):
    """activation(w . x + b), with w drawn uniformly from [-1, 1] and b = 0 (as micrograd)."""

    def __init__(self, nin: int, nonlin: bool = True, activation: str = "relu") -> None:
        nin = _size(nin, "nin")
        if activation not in ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        self.w = [Value(random.uniform(-1, 1), label=f"w{i}") for i in range(nin)]
        self.b = Value(0, label="b")
        self._nonlinear = "relu" if activation == "linear" else activation  # what nonlin=True means
        self.activation = activation if nonlin else "linear"
        self._set_group(_join(_scope.get(), "neuron"))

    @property
    def nonlin(self) -> bool:
        """micrograd's switch: False makes the neuron linear, True gives back its activation."""
        return self.activation != "linear"

    @nonlin.setter
    def nonlin(self, on: bool) -> None:
        self.activation = self._nonlinear if on else "linear"

    def __call__(self, x: Iterable[Value | float]) -> Value:
        if type(x) is not list:  # (what a Layer passes on)
            x = _as_sequence(x)
        if len(x) != len(self.w):
            raise ValueError(f"{self!r} takes {len(self.w)} inputs, got {len(x)}")
        # sum((wi*xi for wi, xi in zip(self.w, x)), self.b): the same nodes in the same
        # order as micrograd (b + w0*x0, then + w1*x1, ...), made directly, in our group.
        act = _weighted_sum(self.b, self.w, x, self._group)
        if self.activation == "relu":
            out = act.relu()
        elif self.activation == "tanh":
            out = act.tanh()
        elif self.activation == "sigmoid":
            out = act.sigmoid()
        else:
            return act
        out._group = self._group
        return out

    def parameters(self) -> list[Value]:
        return self.w + [self.b]

    def _set_group(self, group: str | None) -> None:
        self._group = group
        for p in self.parameters():
            p._group = group

    def __repr__(self) -> str:
        return f"{ACTIVATIONS[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """nout neurons reading the same inputs; keyword arguments go to each Neuron."""

    def __init__(self, nin: int, nout: int, **kwargs: object) -> None:
        nout = _size(nout, "nout")
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]
        self._set_group(_scope.get())

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        x = _as_sequence(x)  # every neuron reads it
        token = _scope.set(self._group)
        try:
            out = [n(x) for n in self.neurons]
        finally:
            _scope.reset(token)
        return out[0] if len(out) == 1 else out

    def parameters(self) -> list[Value]:
        return [p for n in self.neurons for p in n.parameters()]

    def _set_group(self, group: str | None) -> None:
        self._group = group
        for j, n in enumerate(self.neurons):
            n._set_group(_join(group, f"neuron{j}"))

    def __repr__(self) -> str:
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """Layers of sizes nouts; all but the last use `activation`, the last is linear."""

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu") -> None:
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise TypeError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        sz = [_size(nin, "nin")] + [_size(n, "nouts[i]") for n in nouts]
        if activation not in ACTIVATIONS:  # checked here too, before any random draw
            raise ValueError(f"activation must be one of {sorted(ACTIVATIONS)}, got {activation!r}")
        self.layers = [
            Layer(sz[i], sz[i + 1], nonlin=i != len(nouts) - 1, activation=activation)
            for i in range(len(nouts))
        ]
        self._set_group(_scope.get())

    def __call__(self, x: Iterable[Value | float]) -> Value | list[Value]:
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self) -> list[Value]:
        return [p for layer in self.layers for p in layer.parameters()]

    def _set_group(self, group: str | None) -> None:
        self._group = group
        for i, layer in enumerate(self.layers):
            layer._set_group(_join(group, f"layer{i}"))

    def __repr__(self) -> str:
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _join(scope: str | None, name: str) -> str:
    return name if scope is None else f"{scope}/{name}"


def _as_sequence(x: Iterable[Value | float] | Value) -> Sequence[Value | float]:
    """Inputs as a list or tuple: micrograd zips any iterable (a generator, a numpy row). A
    lone Value is one input: what a Layer of one neuron returns (in micrograd, MLP(2, [1, 1])
    fails there with "'Value' object is not iterable")."""
    if isinstance(x, Value):
        return [x]
    return x if isinstance(x, (list, tuple)) else list(x)


def _size(n: object, what: str) -> int:
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 1:
        raise ValueError(f"{what} must be a positive int, got {n!r}")
    return int(n)
