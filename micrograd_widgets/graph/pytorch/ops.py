"""PyTorch autograd nodes read the micrograd way: op names, and each op's forward replayed.

A torch autograd node (`tensor.grad_fn`) is named after its backward (`MulBackward0`); the
picture names it as micrograd does (`*`). `op_name(node)` does that, keeping torch's own name for
ops micrograd has no counterpart of (`AddmmBackward0`, `MseLossBackward0`).

torch keeps the *inputs* an op's backward needs (`_saved_self`, `_saved_other`, ...) and, for
some, its output (`_saved_result`), but not every node's output. `replay(node, inputs, shape)`
recomputes a node's output from its inputs' values for the ops we know (the forward, replayed on
detached copies or on our own copies of the leaves), so every box can show its data.

Nothing here imports torch at import time: `torch` is passed in by read.py, which imports
it only when a tensor arrives.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

# torch's backward node name -> micrograd's op name (PowBackward0 reads its exponent, below)
OP_NAMES = {
    "MulBackward0": "*",
    "AddBackward0": "+",
    "SubBackward0": "-",
    "RsubBackward0": "-",
    "RsubBackward1": "-",
    "DivBackward0": "/",
    "NegBackward0": "neg",
    "TanhBackward0": "tanh",
    "ExpBackward0": "exp",
    "LogBackward0": "log",
    "ReluBackward0": "ReLU",  # micrograd's own spelling of the op (engine.py, micrograd 0.1.0)
    "SigmoidBackward0": "sigmoid",
    "SinBackward0": "sin",
    "PowBackward1": "**",
}

LEAF = "AccumulateGrad"  # the node of a leaf tensor that requires grad: `.variable` is the leaf

# For the ops whose constant operands torch saves: which saved attribute holds input k, so a
# constant (an input with no node, such as the batch x of a Linear) can still be replayed.
SAVED_INPUTS: dict[str, tuple[str | None, ...]] = {
    "MulBackward0": ("_saved_self", "_saved_other"),
    "DivBackward0": ("_saved_self", "_saved_other"),
    "PowBackward0": ("_saved_self",),
    "PowBackward1": ("_saved_self", "_saved_exponent"),
    "LogBackward0": ("_saved_self",),
    "SinBackward0": ("_saved_self",),
    "CosBackward0": ("_saved_self",),
    "AddmmBackward0": (None, "_saved_mat1", "_saved_mat2"),
    "MmBackward0": ("_saved_self", "_saved_mat2"),
    "MseLossBackward0": ("_saved_self", "_saved_target"),
}


def node_name(node: Any) -> str:
    """torch's name of an autograd node: `MulBackward0`, `AccumulateGrad` (one per class)."""
    kind = type(node)
    if kind.__name__ == "BackwardCFunction":  # a custom autograd.Function: its own name
        name = getattr(node, "name", None)
        return str(name()) if callable(name) else kind.__name__
    return _class_name(kind)


@functools.cache
def _class_name(kind: type) -> str:
    # each autograd op is its own Python class, named as node.name() is (AccumulateGrad's name()
    # is "torch::autograd::AccumulateGrad", its class AccumulateGrad)
    return kind.__name__


@functools.cache
def _saved_attributes(kind: type) -> tuple[str, ...]:
    return tuple(a for a in dir(kind) if a.startswith("_saved_")
                 and not a.endswith(("sizes", "strides", "numel")))


def op_name(node: Any) -> str:
    """The op as micrograd writes it ('*', '+', 'tanh', '**2'); torch's name if it has none."""
    name = node_name(node)
    if name == LEAF:
        return ""
    if name == "PowBackward0":
        exponent = saved(node, "_saved_exponent")
        if isinstance(exponent, (int, float)) and not isinstance(exponent, bool):
            return f"**{_exponent_text(exponent)}"
        return "**"
    return OP_NAMES.get(name, name)


def _exponent_text(k: float) -> str:
    return str(int(k)) if float(k).is_integer() else repr(float(k))


def saved(node: Any, attribute: str) -> Any:
    """A saved attribute of a node, or None if it has none or torch has freed it."""
    try:
        return getattr(node, attribute, None)
    except RuntimeError:  # "Trying to backward through the graph a second time ..." (freed)
        return None


def is_freed(node: Any) -> bool:
    """Whether torch freed this node's saved tensors (a backward() without retain_graph)."""
    for attribute in _saved_attributes(type(node)):
        try:
            getattr(node, attribute)
        except RuntimeError:
            return True
    return False


def saved_tensors(node: Any, torch: Any) -> list[Any]:
    """Every tensor the node saved (inputs and maybe its result), skipping freed ones."""
    out = []
    for attribute in _saved_attributes(type(node)):
        value = saved(node, attribute)
        if isinstance(value, torch.Tensor):
            out.append(value)
    return out


# ---------------------------------------------------------------------------- the replays


def _alpha(node: Any) -> Any:
    alpha = saved(node, "_saved_alpha")
    return 1 if alpha is None else alpha


def _reduction(node: Any) -> str:
    return {0: "none", 1: "mean", 2: "sum"}.get(saved(node, "_saved_reduction"), "mean")


def _dims(node: Any) -> tuple[Any, bool]:
    return saved(node, "_saved_dim"), bool(saved(node, "_saved_keepdim"))


Replay = Callable[[Any, list[Any], Any, Any], Any]

_REPLAYS: dict[str, Replay] = {
    "AddBackward0": lambda n, a, s, t: t.add(a[0], a[1], alpha=_alpha(n)),
    "SubBackward0": lambda n, a, s, t: t.sub(a[0], a[1], alpha=_alpha(n)),
    "RsubBackward0": lambda n, a, s, t: t.sub(a[1], a[0], alpha=_alpha(n)),
    "MulBackward0": lambda n, a, s, t: a[0] * a[1],
    "DivBackward0": lambda n, a, s, t: a[0] / a[1],
    "NegBackward0": lambda n, a, s, t: -a[0],
    "PowBackward0": lambda n, a, s, t: a[0] ** saved(n, "_saved_exponent"),
    "PowBackward1": lambda n, a, s, t: a[0] ** a[1],
    "TanhBackward0": lambda n, a, s, t: t.tanh(a[0]),
    "ExpBackward0": lambda n, a, s, t: t.exp(a[0]),
    "LogBackward0": lambda n, a, s, t: t.log(a[0]),
    "SigmoidBackward0": lambda n, a, s, t: t.sigmoid(a[0]),
    "ReluBackward0": lambda n, a, s, t: t.relu(a[0]),
    "SinBackward0": lambda n, a, s, t: t.sin(a[0]),
    "CosBackward0": lambda n, a, s, t: t.cos(a[0]),
    "AddmmBackward0": lambda n, a, s, t: t.addmm(
        a[0], a[1], a[2], beta=saved(n, "_saved_beta"), alpha=saved(n, "_saved_alpha")),
    "MmBackward0": lambda n, a, s, t: a[0] @ a[1],
    "TBackward0": lambda n, a, s, t: a[0].t(),
    "SumBackward0": lambda n, a, s, t: a[0].sum(),
    "MeanBackward0": lambda n, a, s, t: a[0].mean(),
    "SumBackward1": lambda n, a, s, t: a[0].sum(_dims(n)[0], keepdim=_dims(n)[1]),
    "MeanBackward1": lambda n, a, s, t: a[0].mean(_dims(n)[0], keepdim=_dims(n)[1]),
    "ViewBackward0": lambda n, a, s, t: a[0].reshape(s),
    "UnsafeViewBackward0": lambda n, a, s, t: a[0].reshape(s),
    "ReshapeAliasBackward0": lambda n, a, s, t: a[0].reshape(s),
    "SqueezeBackward0": lambda n, a, s, t: a[0].reshape(s),
    "SqueezeBackward1": lambda n, a, s, t: a[0].reshape(s),
    "UnsqueezeBackward0": lambda n, a, s, t: a[0].reshape(s),
    "ExpandBackward0": lambda n, a, s, t: a[0].expand(s),
    "CloneBackward0": lambda n, a, s, t: a[0].clone(),
    "MseLossBackward0": lambda n, a, s, t: t.nn.functional.mse_loss(
        a[0], a[1], reduction=_reduction(n)),
}


def can_replay(node: Any) -> bool:
    return node_name(node) in _REPLAYS


def replay(node: Any, inputs: list[Any], shape: Any, torch: Any) -> Any:
    """The node's output recomputed from `inputs` (one per next_functions entry; a missing one is
    taken from what the node saved), or None if the op is unknown or an input is missing.

    `shape`: the output's shape (views need it). Runs with grad on or off as the caller chose:
    on detached copies it gives data; on copies that require grad it rebuilds the graph.
    """
    name = node_name(node)
    function = _REPLAYS.get(name)
    if function is None:
        return None
    positions = SAVED_INPUTS.get(name, ())
    args = list(inputs)
    for k, value in enumerate(args):
        if value is None and k < len(positions) and positions[k] is not None:
            args[k] = saved(node, positions[k])  # type: ignore[arg-type]
            if isinstance(args[k], torch.Tensor):
                args[k] = args[k].detach()
    if any(a is None for a in args):
        return None
    try:
        return function(node, args, shape, torch)
    except (RuntimeError, TypeError, ValueError, IndexError):
        return None


# ---------------------------------------------------------------------------- numbers as text

def shape_text(shape: Any) -> str:
    """(64, 16) -> '64×16'; () -> 'scalar'."""
    dims = tuple(int(d) for d in shape)
    return "×".join(str(d) for d in dims) if dims else "scalar"


def summary(first: list[float], count: int, shape: Any) -> str:
    """A tensor's box text after 'data'/'grad': every number if there are at most 3, else its
    shape and its first number ('64×16 [0.1234 …]'). `first`: its first numbers, `count` of all."""
    if count <= 3:
        numbers = ", ".join(_fixed4(v) for v in first[:count])
        return numbers if count == 1 else f"[{numbers}]"
    return f"{shape_text(shape)} [{_fixed4(first[0])} …]"


def _fixed4(x: float) -> str:
    x = float(x) + 0.0
    if x != x:
        return "nan"
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-4):
        return f"{x:.4e}"
    return f"{x:.4f}"


def detail(what: str, first: list[float], count: int, stats: tuple[float, float, float],
           shape: Any, dtype: str) -> str:
    """The hover's lines for a tensor: shape, mean / min / max, its first numbers."""
    mean, low, high = stats
    numbers = ", ".join(_fixed4(v) for v in first)
    more = ", …" if count > len(first) else ""
    return (f"{what}: {shape_text(shape)} {dtype}, mean {_fixed4(mean)}, min {_fixed4(low)}, "
            f"max {_fixed4(high)}\n  [{numbers}{more}]")
