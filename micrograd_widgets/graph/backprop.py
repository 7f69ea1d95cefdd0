"""Record a backward pass node by node, as plain data a player can step through.

`record_backward(root)` runs the graph's *own* backward functions (micrograd 0.1.0's
`_backward` closures, this engine's `_backward()` method, the lecture's variant) one node at a
time, in the order `backward()` visits them, and writes down what each one did:

    frame = {
        "node":  "n7",              # the node whose _backward() ran (ids from graph.tracing)
        "kind":  "seed" | "op" | "leaf",
        "writes": [["n3", 0.0, 6.0], ...],   # (child id, grad before, grad after)
        "text":  "a.grad += b.data × L.grad = -3.0000 × -2.0000 = 6.0000",
    }

Frames hold only what changed in that step (a handful of numbers and one line of text per
child), never a copy of the graph, so a frame stays well under a kilobyte whatever the graph size.
The first frame is the seed (`root.grad = 1`); then one frame per node. Graphs bigger than
`max_nodes` are refused before anything is touched: stepping through 60,000 nodes one at a time
teaches nothing, and the message says to animate a smaller root instead.

Afterwards every grad in the graph equals what a fresh `root.backward()` gives (recording zeroes
all grads first, so recording twice does not double them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .tracing import number, trace
from .walk import op_of, walk
from .walk import operands as _operands

DEFAULT_MAX_NODES = 2000


class GraphTooBigError(ValueError):
    """The graph has more nodes than a node-by-node animation can usefully show."""


@dataclass
class Recording:
    """What a player needs: the backward frames and, for the lecture's order, the forward ones."""

    frames: list[dict[str, Any]] = field(default_factory=list)
    forward: list[dict[str, Any]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # node ids in topological order


def record_backward(root: Any, *, max_nodes: int | None = DEFAULT_MAX_NODES) -> Recording:
    """Zero all grads, seed root.grad = 1, run each node's real _backward() and record it."""
    if max_nodes is not None and (not isinstance(max_nodes, int) or max_nodes < 1):
        raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")
    _check_value(root, "root")
    size = _count_nodes(root, max_nodes)
    if max_nodes is not None and size > max_nodes:
        raise GraphTooBigError(
            f"this graph has more than {max_nodes:,} nodes, too many to play node by node. "
            "Animate a smaller root instead (a single neuron's output, or the loss of one "
            "example), use draw(root) to see the whole graph collapsed, or raise max_nodes."
        )
    topo = topological_order(root)
    ids = _node_ids(root, len(topo))
    names = {id(v): _name(v, ids[id(v)]) for v in topo}

    for v in topo:
        v.grad = 0
    recording = Recording(ids=[ids[id(v)] for v in topo])
    recording.forward = [_forward_frame(v, ids, names) for v in topo]

    root_id, r = ids[id(root)], names[id(root)]
    root.grad = 1
    recording.frames.append({
        "node": root_id,
        "kind": "seed",
        "writes": [[root_id, 0.0, 1.0]],
        "text": f"{r}.grad = 1 (base case: d{r}/d{r} = 1)",
    })
    for v in reversed(topo):
        recording.frames.append(_run_node(v, ids, names))
    return recording


def topological_order(root: Any) -> list[Any]:
    """Children before parents, exactly the order micrograd's recursive build_topo produces.

    Iterative (no recursion limit), visiting children in the order iterating `_prev` / `prev`
    gives (for micrograd's set, the same order its own backward() sees, run by run).
    """
    return walk([root], _operands).values


# ---- one node's step -------------------------------------------------------------------------


def _run_node(v: Any, ids: dict[int, str], names: dict[int, str]) -> dict[str, Any]:
    """Call v._backward() and record which child grads it moved, with the lecture's sentence."""
    children = list(dict.fromkeys(_operands(v)))  # distinct, in operand order
    node_id = ids[id(v)]
    if not children:
        v._backward()  # a leaf's _backward does nothing; run it anyway, it is the real pass
        return {
            "node": node_id,
            "kind": "leaf",
            "writes": [],
            "text": f"{names[id(v)]} is a leaf: nothing to propagate "
            f"({names[id(v)]}.grad = {_fmt(v.grad)} is final)",
        }
    g = v.grad
    before = [c.grad for c in children]
    v._backward()
    pairs = list(zip(children, before, strict=True))
    writes = [[ids[id(c)], number(b), number(c.grad)] for c, b in pairs]
    lines = [_explain(v, c, g, b, c.grad, names) for c, b in pairs]
    if op_of(v) == "+" and all("went from" not in ln and "unchanged at" not in ln for ln in lines):
        if len(children) == 1:  # a + a: the same gradient arrives along both edges
            lines.insert(0, f"+ routes {names[id(v)]}.grad = {_fmt(g)} to each input, "
                         f"and {names[id(children[0])]} is both:")
        else:
            lines.insert(0, f"+ routes {names[id(v)]}.grad = {_fmt(g)} to its inputs unchanged:")
    return {"node": node_id, "kind": "op", "writes": writes, "text": "\n".join(lines)}


def _explain(out: Any, child: Any, g: float, before: float, after: float,
             names: dict[int, str]) -> str:
    """One line of chain rule for one child, or a plain 'went from x to y' if the op is unknown.

    The formula's numbers are recomputed here from data and grads; if they do not match what
    the real _backward() wrote (an op we do not know under a familiar name), we say only what
    happened rather than explain it wrongly.
    """
    formula = _formula(out, child, g, names)
    c = names[id(child)]
    if formula is not None:
        text, expected = formula
        if _close(after - before, expected, before, after):
            line = f"{c}.grad += {text} = {_fmt(expected)}"
            if before != 0:
                line += f"  (accumulates: {_fmt(before)} + {_fmt(expected)} = {_fmt(after)})"
            return line
    if before == after:
        return f"{c}.grad unchanged at {_fmt(after)}"
    return f"{c}.grad went from {_fmt(before)} to {_fmt(after)}"


def _formula(out: Any, child: Any, g: float, names: dict[int, str]) -> tuple[str, float] | None:
    """(symbolic = numeric text, expected increment) for a known op, else None."""
    op = op_of(out)
    operands = _operands(out)
    o, c = names[id(out)], names[id(child)]
    x, y = child.data, out.data
    twice = len(operands) == 1 and op in ("+", "*") or operands.count(child) == 2
    if op == "+" and len(operands) <= 2:
        if twice:  # a + a: the gradient arrives along both edges
            return f"2 × {o}.grad = 2 × {_fmt(g)}", 2 * g
        return f"1 × {o}.grad = 1 × {_fmt(g)}", 1 * g
    if op == "*" and len(operands) <= 2:
        if twice:  # a * a: d(a²)/da = 2a
            return f"2 × {c}.data × {o}.grad = 2 × {_fmt(x)} × {_fmt(g)}", 2 * x * g
        other = operands[1] if operands[0] is child else operands[0]
        on = names[id(other)]
        return f"{on}.data × {o}.grad = {_fmt(other.data)} × {_fmt(g)}", other.data * g
    if len(operands) != 1:
        return None
    if op.startswith("**"):
        k = _parse_number(op[2:])
        if k is None:
            return None
        try:
            local = k * x ** (k - 1)
        except (ZeroDivisionError, OverflowError):
            return None
        ks, km1 = _fmt_exponent(k), _fmt_exponent(k - 1)
        return (f"{ks}·{c}.data^{km1} × {o}.grad = {ks} × {_fmt(x)}^{km1} × {_fmt(g)}",
                local * g)
    if op.endswith("**"):  # base ** x (this engine's __rpow__): d/dx = base^x · ln(base)
        base = _parse_number(op[:-2])
        if base is None or base <= 0:
            return None
        return (f"{o}.data·ln({_fmt_exponent(base)}) × {o}.grad = "
                f"{_fmt(y)} × {_fmt(math.log(base))} × {_fmt(g)}", y * math.log(base) * g)
    if op == "tanh":
        return f"(1 - {o}.data²) × {o}.grad = (1 - {_fmt(y)}²) × {_fmt(g)}", (1 - y**2) * g
    if op == "exp":
        return f"{o}.data × {o}.grad = {_fmt(y)} × {_fmt(g)}", y * g
    if op == "ReLU":
        step = 1 if y > 0 else 0
        return f"({o}.data > 0) × {o}.grad = {step} × {_fmt(g)}", step * g
    if op == "log":
        if x == 0:
            return None
        return f"(1 / {c}.data) × {o}.grad = (1 / {_fmt(x)}) × {_fmt(g)}", (1 / x) * g
    if op == "sigmoid":
        return (f"{o}.data·(1 - {o}.data) × {o}.grad = {_fmt(y)} × (1 - {_fmt(y)}) × {_fmt(g)}",
                y * (1 - y) * g)
    if op == "sin":
        return f"cos({c}.data) × {o}.grad = cos({_fmt(x)}) × {_fmt(g)}", math.cos(x) * g
    return None


# ---- forward frames --------------------------------------------------------------------------


_FUNCTIONS = ("tanh", "exp", "log", "sigmoid", "sin", "ReLU")


def _forward_frame(v: Any, ids: dict[int, str], names: dict[int, str]) -> dict[str, Any]:
    """The value appearing at v, in the lecture's words: 'c = a × b = 2.0000 × -3.0000 = ...'."""
    operands = _operands(v)
    op = op_of(v)
    n = names[id(v)]
    value = _fmt(v.data)
    if not operands:
        text = f"{n} = {value}"
    else:
        if op in ("+", "*") and len(operands) == 1:
            operands = operands * 2  # micrograd keeps a set: a + a has one child
        symbolic, numeric = _forward_parts(op, operands, names)
        numeric = f" = {numeric}" if numeric else ""
        text = f"{n} = {symbolic}{numeric} = {value}"
    return {"node": ids[id(v)], "value": number(v.data), "text": text}


def _forward_parts(op: str, operands: tuple[Any, ...], names: dict[int, str]) -> tuple[str, str]:
    names_ = [names[id(c)] for c in operands]
    values = [_fmt(c.data) for c in operands]
    if op in ("+", "*"):
        sym = " + " if op == "+" else " × "
        return sym.join(names_), sym.join(values)
    if len(operands) == 1 and op.startswith("**"):
        return f"{names_[0]}{op}", f"{values[0]}{op}"
    if len(operands) == 1 and op.endswith("**"):
        return f"{op}{names_[0]}", f"{op}{values[0]}"
    if len(operands) == 1 and op in _FUNCTIONS:
        return f"{op}({names_[0]})", f"{op}({values[0]})"
    label = op or "op"
    return f"{label}({', '.join(names_)})", ""


# ---- helpers ---------------------------------------------------------------------------------


def _check_value(v: Any, what: str) -> None:
    missing = [a for a in ("data", "grad", "_backward") if not hasattr(v, a)]
    if missing:
        raise TypeError(
            f"{what} must be a micrograd-like Value (with data, grad, _backward and _prev or "
            f"prev), got {type(v).__name__} without {', '.join(missing)}"
        )


def _count_nodes(root: Any, limit: int | None) -> int:
    """Reachable nodes, stopping as soon as the count passes `limit` (big graphs fail fast)."""
    return walk([root], _operands, limit).seen


def _node_ids(root: Any, size: int) -> dict[int, str]:
    """The ids trace() gives these nodes, so frames point at the boxes the graph view draws."""
    graph = trace(root)
    if len(graph.values) != size:
        raise RuntimeError(f"trace found {len(graph.values)} nodes but backward visits {size}")
    return {id(v): node_id for v, node_id in zip(graph.values, graph.ids, strict=True)}


def _name(v: Any, node_id: str) -> str:
    label = getattr(v, "label", "")
    return str(label) if label not in (None, "") else node_id


def _close(observed: float, expected: float, before: float, after: float) -> bool:
    if math.isnan(expected) or math.isnan(observed):
        return math.isnan(expected) and math.isnan(observed) and math.isnan(after)
    if math.isinf(expected) or math.isinf(observed):
        return math.isinf(after)
    scale = max(1.0, abs(before), abs(after), abs(expected))
    return abs(observed - expected) <= 1e-9 * scale


def _fmt(x: float) -> str:
    """Four decimals, as the lecture prints them; scientific for very large or tiny numbers."""
    x = float(x) + 0.0  # -0.0 reads as 0.0000: a sign on nothing only distracts
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-4):
        return f"{x:.4e}"
    return f"{x:.4f}"


def _fmt_exponent(k: float) -> str:
    return str(int(k)) if float(k).is_integer() else repr(float(k))


def _parse_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None
