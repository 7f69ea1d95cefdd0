"""Shared test fixtures from the lecture: its notebook's Value variant and its first example.

`LectureValue` is the lecture notebook's Value: children in `prev` (a set), op in `op`, a
`label`, and `_backward` closures set per node. It is here so that every test that needs "a
micrograd-like Value that is neither this engine's nor micrograd 0.1.0's" uses the same one.
"""

from __future__ import annotations

import math
from typing import Any


class LectureValue:
    """The lecture's Value: `prev` / `op` / `label`, a closure per node, recursive backward()."""

    def __init__(self, data: float, prev: tuple = (), op: str = "", label: str = "") -> None:
        self.data = data
        self.grad = 0.0
        self.prev = set(prev)
        self.op = op
        self.label = label
        self._backward = lambda: None

    def __repr__(self) -> str:
        return f"LectureValue(data={self.data!r}, label={self.label!r})"

    def __add__(self, other: Any) -> LectureValue:
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data + other.data, (self, other), "+")

        def _backward() -> None:
            self.grad += 1.0 * out.grad
            other.grad += 1.0 * out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Any) -> LectureValue:
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data * other.data, (self, other), "*")

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, k: float) -> LectureValue:
        out = LectureValue(self.data**k, (self,), f"**{k}")

        def _backward() -> None:
            self.grad += k * (self.data ** (k - 1)) * out.grad

        out._backward = _backward
        return out

    def tanh(self) -> LectureValue:
        out = LectureValue(math.tanh(self.data), (self,), "tanh")

        def _backward() -> None:
            self.grad += (1 - out.data**2) * out.grad

        out._backward = _backward
        return out

    def exp(self) -> LectureValue:
        out = LectureValue(math.exp(self.data), (self,), "exp")

        def _backward() -> None:
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def cosh(self) -> LectureValue:  # an op no part of micrograd_widgets has heard of
        out = LectureValue(math.cosh(self.data), (self,), "cosh")

        def _backward() -> None:
            self.grad += math.sinh(self.data) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> LectureValue:
        return self * -1

    def __sub__(self, other: Any) -> LectureValue:
        return self + (-other)

    def __truediv__(self, other: Any) -> LectureValue:
        return self * other**-1

    def __radd__(self, other: Any) -> LectureValue:
        return self + other

    def __rmul__(self, other: Any) -> LectureValue:
        return self * other

    def backward(self) -> None:
        topo: list[LectureValue] = []
        visited: set[LectureValue] = set()

        def build_topo(v: LectureValue) -> None:
            if v not in visited:
                visited.add(v)
                for child in v.prev:
                    build_topo(child)
                topo.append(v)

        build_topo(self)
        self.grad = 1.0
        for node in reversed(topo):
            node._backward()


def lecture_expression(cls: Any = None) -> Any:
    """The lecture's first example, L = (a*b + c) * f with a=2, b=-3, c=10, f=-2, all labelled.

    By hand: e = -6, d = 4, L = -8; dL/dd = -2, dL/df = 4, dL/de = dL/dc = -2, dL/da = 6,
    dL/db = -4. `cls` is any Value class (default: this engine's); labels are set after
    construction because micrograd 0.1.0's Value takes no label=.
    """
    if cls is None:
        from micrograd_widgets.engine import Value as cls
    a, b, c, f = cls(2.0), cls(-3.0), cls(10.0), cls(-2.0)
    e = a * b
    d = e + c
    L = d * f
    for value, name in [(a, "a"), (b, "b"), (c, "c"), (f, "f"), (e, "e"), (d, "d"), (L, "L")]:
        value.label = name
    return L


LECTURE_GRADS = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0, "L": 1.0}


def nodes_of(root: Any) -> list[Any]:
    """Every Value reachable from `root`, each once (the test's own walk, not the package's)."""
    seen: set[int] = set()
    out: list[Any] = []
    stack = [root]
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        out.append(v)
        stack.extend(getattr(v, "_prev", None) or getattr(v, "prev", ()))
    return out


def by_label(root: Any) -> dict[str, Any]:
    """label -> Value for every labelled Value under `root`."""
    return {v.label: v for v in nodes_of(root) if getattr(v, "label", "")}
