"""Reading any micrograd-like Value by duck typing, and the one graph walk everything uses.

A Value-like object has numeric `data` and `grad`, children in `_prev` (micrograd 0.1.0, this
engine) or `prev` (the lecture's notebook variant), its op in `_op` or `op`, maybe a `label`.

`walk(roots)` visits every Value reachable from the roots once, children before parents, the
order micrograd's recursive build_topo gives, but iteratively (no recursion limit). trace(),
the backprop recorder, gradcheck and the magic all walk graphs through it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..engine import Value

# ---------------------------------------------------------------------------- duck typing


def children_of(value: Any) -> tuple[Any, ...]:
    """Distinct children by duck typing: `_prev` (micrograd 0.1.0, this engine) or `prev` (lecture).

    micrograd 0.1.0 keeps a set, whose order changes from run to run; we sort sets by
    (op, label, data), and children alike in those by what is below them, so ids stay the same
    from run to run for everything but look-alikes three levels deep.
    """
    if type(value) is Value:  # this engine's own (most graphs): its operands, read directly
        a = value._a
        if a is None:
            return ()
        b = value._b
        return (a,) if b is None or b is a else (a, b)
    prev = _raw_children(value)
    if isinstance(prev, (set, frozenset)):
        ordered = sorted(prev, key=_sort_key)
        keys = [_sort_key(v) for v in ordered]
        if len(set(keys)) < len(keys):  # look-alikes: tell them apart by their own children
            ordered.sort(key=lambda v: _deep_key(v, 3))
        return tuple(ordered)
    return tuple(dict.fromkeys(prev)) if len(prev) > 1 else tuple(prev)


def operands(value: Any) -> tuple[Any, ...]:
    """value's children as its own backward() iterates them: `_prev` or `prev`, unsorted.

    Not children_of, which sorts micrograd's sets to make drawing ids stable: replaying a
    backward pass must visit in the order backward() uses, or float sums could round differently.
    """
    return tuple(_raw_children(value))


def _raw_children(value: Any) -> Any:
    prev = getattr(value, "_prev", None)
    return getattr(value, "prev", ()) if prev is None else prev


def _sort_key(value: Any) -> tuple[str, str, float]:
    data = getattr(value, "data", 0.0)
    return (op_of(value), label_of(value), float(data) if _is_number(data) else 0.0)


def _deep_key(value: Any, depth: int) -> tuple:
    """_sort_key, then the sorted keys of the children, `depth` levels down."""
    if depth == 0:
        return _sort_key(value)
    return (_sort_key(value), sorted(_deep_key(c, depth - 1) for c in _raw_children(value)))


def op_of(value: Any) -> str:
    """The op that produced `value` (`_op` or `op`), '' for a leaf."""
    op = getattr(value, "_op", None)
    if op is None:
        op = getattr(value, "op", "")
    return str(op or "")


def label_of(value: Any) -> str:
    label = getattr(value, "label", "")
    return str(label) if label is not None else ""


def group_of(value: Any) -> str | None:
    group = getattr(value, "_group", None)
    return str(group) if group else None


def is_value_like(obj: Any) -> bool:
    """Has what trace() needs: numeric `data` and `grad` (a PyTorch tensor is not one: trace()
    reads those through graph/pytorch, and reading a non-leaf's .grad makes torch warn)."""
    if type(obj).__module__.startswith("torch"):
        return False
    return _is_number(getattr(obj, "data", None)) and _is_number(getattr(obj, "grad", None))


def _is_number(x: Any) -> bool:
    if isinstance(x, bool):
        return True
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------- the walk


@dataclass(eq=False)
class Walk:
    """What walk() found: `values` children before parents; `children[i]` are the indices of
    values[i]'s children (in the order `children` gave them); `roots[k]` is root k's index.

    With a `limit`, the walk stops once it has met more than `limit` Values (`seen`); then
    `values` is incomplete and only `seen > limit` is meaningful.
    """

    values: list[Any]
    children: list[tuple[int, ...]]
    roots: list[int]
    seen: int


def walk(
    roots: Iterable[Any],
    children: Callable[[Any], tuple[Any, ...]] = children_of,
    limit: int | None = None,
) -> Walk:
    """Every Value reachable from `roots` once, children before parents (depth first, iterative).

    A Value that is its own ancestor is a ValueError (micrograd graphs are acyclic).
    """
    index: dict[int, int] = {}  # id(value) -> index, -1 while the value is on the stack
    values: list[Any] = []
    kids_of: list[tuple[int, ...]] = []
    root_ids: list[int] = []
    for root in roots:
        if id(root) not in index:
            index[id(root)] = -1
            # each entry: a Value, its children, and how many of them were looked at
            stack: list[list[Any]] = [[root, children(root), 0]]
            while stack:
                top = stack[-1]
                kids, pos = top[1], top[2]
                if pos < len(kids):
                    top[2] = pos + 1
                    child = kids[pos]
                    seen = index.get(id(child))
                    if seen is None:
                        index[id(child)] = -1
                        if limit is not None and len(index) > limit:
                            return Walk(values, kids_of, root_ids, len(index))
                        stack.append([child, children(child), 0])
                    elif seen < 0:
                        raise ValueError("the graph has a cycle: a Value is its own ancestor")
                    continue
                stack.pop()
                index[id(top[0])] = len(values)
                values.append(top[0])
                kids_of.append(tuple([index[id(k)] for k in kids]))
        root_ids.append(index[id(root)])
    return Walk(values, kids_of, root_ids, len(index))


def reachable(roots: Iterable[Any]) -> dict[int, Any]:
    """id -> Value for everything reachable from `roots`: walk() without the order (3x faster),
    for when only which Values exist matters."""
    seen: dict[int, Any] = {}
    stack = list(roots)
    while stack:
        v = stack.pop()
        if id(v) not in seen:
            seen[id(v)] = v
            stack.extend(children_of(v))
    return seen
