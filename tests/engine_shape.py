"""Helpers for comparing graph shapes with micrograd 0.1.0 (whose children are a set)."""

from __future__ import annotations


def shape(v, memo=None) -> str:
    """A canonical picture of the graph under v: op, data, children (micrograd's are a set)."""
    memo = {} if memo is None else memo
    if id(v) not in memo:
        children = sorted(shape(c, memo) for c in v._prev)
        memo[id(v)] = f"{v._op}[{float(v.data)!r}]({', '.join(children)})"
    return memo[id(v)]


def count_nodes(v) -> int:
    seen, stack = set(), [v]
    while stack:
        n = stack.pop()
        if id(n) not in seen:
            seen.add(id(n))
            stack.extend(n._prev)
    return len(seen)
