"""trace(): any micrograd-like Value graph -> plain data the widgets can send to the browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def children_of(value: Any) -> tuple[Any, ...]:
    """Children by duck typing: `_prev` (micrograd 0.1.0, this engine) or `prev` (the lecture)."""
    prev = getattr(value, "_prev", None)
    if prev is None:
        prev = getattr(value, "prev", ())
    return tuple(prev)


def op_of(value: Any) -> str:
    return str(getattr(value, "_op", None) or getattr(value, "op", "") or "")


@dataclass
class Graph:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)


def trace(*roots: Any) -> Graph:
    """Every Value reachable from `roots` once, children before parents, ids in that order."""
    order: list[Any] = []
    seen: set[int] = set()
    for root in roots:
        stack = [(root, False)]
        while stack:
            value, expanded = stack.pop()
            if expanded:
                order.append(value)
                continue
            if id(value) in seen:
                continue
            seen.add(id(value))
            stack.append((value, True))
            stack.extend((child, False) for child in reversed(children_of(value)))
    ids = {id(v): f"n{i}" for i, v in enumerate(order)}
    graph = Graph()
    for value in order:
        graph.nodes.append({
            "id": ids[id(value)],
            "label": str(getattr(value, "label", "") or ""),
            "data": float(value.data),
            "grad": float(value.grad),
            "op": op_of(value),
        })
        graph.edges.extend((ids[id(child)], ids[id(value)]) for child in children_of(value))
    return graph
