"""gradcheck: the lecture's "nudge it by h and see" as a tool.

backward() gives every node's grad d(root)/d(node) by the chain rule; the lecture checks such a
number by hand: add a small h to one input, recompute, and compare the slope
(root(x + h) - root(x - h)) / 2h with the grad. gradcheck does that for every node at once:

    gradcheck(root)             # replays the recorded ops: per leaf, and per node of small graphs
    gradcheck(build, 2.0, -3.0) # calls build(x, y) again with each input nudged (any ops at all)

`gradcheck(root)` never changes the graph: replaying works on a copy of the numbers, and the
fresh backward() it runs for the grads puts every Value's old grad back afterwards.

At a kink (ReLU at 0) the slopes from the left and from the right differ; there any grad between
them is a correct one (a subgradient), as PyTorch's ReLU gives 0 at 0.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .walk import is_value_like

DEFAULT_H = 1e-6
RTOL = 1e-4
ATOL = 1e-5
MAX_NODES = 2000  # replaying costs about nodes x checked nodes; above this, build a smaller root
NODES_ABOVE_LEAVES = 400  # graphs up to this size get every node checked, not just the leaves


@dataclass(frozen=True)
class Check:
    """One checked node: its grad from backward(), the numerical slope, and whether they agree.

    `ok` is None where there is no grad to compare (an input of `build` that became no Value).
    """

    id: str
    label: str
    grad: float
    slope: float
    ok: bool | None
    leaf: bool = True

    @property
    def name(self) -> str:
        return self.label or self.id


@dataclass(frozen=True)
class GradCheck:
    """What gradcheck found, one `Check` per node (leaves, and inner nodes of small graphs).

    `ok` is True when every check agrees; `failures` lists those that do not; `result["a"]`
    finds a check by label or id. Printing it gives a small table.
    """

    checks: tuple[Check, ...]
    h: float
    root: float  # the root's value at the unnudged inputs

    @property
    def ok(self) -> bool:
        return all(c.ok is True for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if c.ok is not True]

    def __iter__(self) -> Any:
        return iter(self.checks)

    def __len__(self) -> int:
        return len(self.checks)

    def __getitem__(self, key: str) -> Check:
        for c in self.checks:
            if key in (c.label, c.id):
                return c
        names = ", ".join(repr(c.name) for c in self.checks[:8])
        raise KeyError(f"no check for {key!r}; checked: {names}")

    def by_id(self) -> dict[str, Check]:
        return {c.id: c for c in self.checks}

    def __str__(self) -> str:
        bad = len(self.failures)
        verdict = "all agree" if not bad else f"{bad} disagree{'s' * (bad == 1)}"
        lines = [f"gradcheck (h={self.h:g}): {len(self.checks)} checked, {verdict}"]
        width = max([5, *(len(c.name) for c in self.checks)])
        lines.append(f"  {'node':<{width}}  {'grad':>12}  {'slope':>12}")
        for c in self.checks:
            mark = {True: "ok", False: "FAIL", None: "no grad"}[c.ok]
            lines.append(f"  {c.name:<{width}}  {c.grad:>12.6g}  {c.slope:>12.6g}  {mark}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


class CannotReplay(ValueError):
    """The graph holds an op gradcheck(root) cannot recompute (use gradcheck(build, *inputs))."""


def gradcheck(
    root_or_build: Any,
    *inputs: float,
    h: float = DEFAULT_H,
    backward: bool = True,
    rtol: float = RTOL,
    atol: float = ATOL,
    max_nodes: int = MAX_NODES,
) -> GradCheck:
    """Compare backward()'s grads with numerical slopes (central differences, step h).

    `gradcheck(root)`: the grads of a fresh root.backward() (the old grads are put back
    afterwards; `backward=False` checks the grads the Values hold now instead) against slopes
    found by replaying the recorded ops with one node nudged: every leaf, and every node of
    graphs up to a few hundred Values. The graph's data and grads are left exactly as they were.

    `gradcheck(build, *inputs)`: `build(*inputs)` gets plain numbers and returns the root; each
    input is checked where it became a Value's data (`Value(x)`), by calling build again with
    that input nudged. Use it for ops gradcheck(root) cannot replay (ones written by hand).
    """
    h = _positive(h, "h")
    rtol, atol = _positive(rtol, "rtol"), _positive(atol, "atol")
    if type(root_or_build).__module__.startswith("torch"):
        raise TypeError(
            "gradcheck checks micrograd Values; for a PyTorch tensor use "
            "torch.autograd.gradcheck (the graph already shows the grads torch computes)"
        )
    if inputs or (callable(root_or_build) and not is_value_like(root_or_build)):
        return _check_build(root_or_build, inputs, h, rtol, atol)
    if not is_value_like(root_or_build):
        raise TypeError(
            "gradcheck needs a micrograd-like Value (numeric .data and .grad) or a function "
            f"that builds one from numbers, got {type(root_or_build).__name__}: "
            f"{root_or_build!r:.80}"
        )
    if not isinstance(backward, bool):
        raise TypeError(f"backward must be True or False, got {backward!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    return check_graph(root_or_build, h, backward, rtol, atol, max_nodes)


# ---------------------------------------------------------------------------- comparing


def slope_and_verdict(
    grad: float, below: float, at: float, above: float, h: float, rtol: float, atol: float
) -> tuple[float, bool]:
    """The central slope from root values at x - h, x, x + h, and whether `grad` agrees with it.

    At a kink (one-sided slopes far apart) any grad between the two one-sided slopes agrees.
    """
    slope = (above - below) / (2 * h)
    tol = atol * max(1.0, abs(at))
    if not (math.isfinite(slope) and math.isfinite(grad)):
        same_infinity = math.isinf(slope) and slope == grad
        return slope, same_infinity
    if math.isclose(grad, slope, rel_tol=rtol, abs_tol=tol):
        return slope, True
    left, right = (at - below) / h, (above - at) / h
    if abs(left - right) > 1e-3 * max(1.0, abs(left), abs(right)):  # a kink
        low, high = min(left, right), max(left, right)
        return slope, low - tol - rtol * abs(low) <= grad <= high + tol + rtol * abs(high)
    return slope, False


def _positive(x: Any, name: str) -> float:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not 0 < x < math.inf:
        raise ValueError(f"{name} must be a positive number, got {x!r}")
    return float(x)


# ---------------------------------------------------------------------------- gradcheck(root)


def check_graph(
    root: Any, h: float, backward: bool, rtol: float, atol: float, max_nodes: int,
    partial: bool = False,
) -> GradCheck:
    """gradcheck(root); `partial`: check what can be replayed rather than refuse the graph
    when a leaf sits below an op that cannot be (%%micrograd --gradcheck nudges those)."""
    from .tracing import trace

    graph = trace(root)
    n = len(graph)
    if n > max_nodes:
        raise CannotReplay(
            f"gradcheck: this graph has {n:,} Values, more than max_nodes={max_nodes:,} "
            "(checking replays it once per node). Check a smaller root (one neuron's output, "
            "one example's loss) or raise max_nodes."
        )
    steps = replay_steps(graph)
    base = [float(v.data) for v in graph.values]
    grads = fresh_grads(root, graph.values) if backward else [float(v.grad) for v in graph.values]
    rooti = graph.roots[0]
    up_ok = _replayable_above(graph, steps)
    checked = [
        i for i in range(n)
        if up_ok[i] and (not graph.children[i] or n <= NODES_ABOVE_LEAVES or i == rooti)
    ]
    unchecked = any(not up_ok[i] and not graph.children[i] for i in range(n))
    if not checked or (unchecked and not partial):
        ops = sorted({graph.ops[i] or "(no op)" for i in range(n) if steps[i] is _UNKNOWN})
        raise CannotReplay(
            f"gradcheck(root) cannot recompute the op{'s' * (len(ops) > 1)} "
            f"{', '.join(map(repr, ops))} (written by hand?); write a function of plain "
            "numbers that builds the root and call gradcheck(build, *inputs), or run the cell "
            "with %%micrograd --gradcheck"
        )
    at = base[rooti]
    out = []
    for i in checked:
        below = _replay(steps, graph.children, base, i, base[i] - h, rooti)
        above = _replay(steps, graph.children, base, i, base[i] + h, rooti)
        slope, ok = slope_and_verdict(grads[i], below, at, above, h, rtol, atol)
        out.append(Check(f"n{i}", graph.labels[i], grads[i], slope, ok, not graph.children[i]))
    return GradCheck(tuple(out), h, at)


def fresh_grads(root: Any, values: Sequence[Any]) -> list[float]:
    """Every Value's grad after a fresh root.backward(), read, then the old grads put back."""
    saved = [v.grad for v in values]
    try:
        for v in values:
            v.grad = 0
        if callable(getattr(root, "backward", None)):
            root.backward()
        else:  # a Value with only per-node _backward functions: run them as backward() would
            from .backprop import topological_order

            root.grad = 1
            for v in reversed(topological_order(root)):
                v._backward()
        return [float(v.grad) for v in values]
    finally:
        for v, g in zip(values, saved, strict=True):
            v.grad = g


# ---- replaying the recorded ops on plain numbers


def _UNKNOWN(*_: float) -> float:  # noqa: N802 (a marker, not called)
    raise AssertionError("not replayable")


def _safe(f: Callable[..., float]) -> Callable[..., float]:
    def run(*xs: float) -> float:
        try:
            y = f(*xs)
        except (OverflowError, ZeroDivisionError, ValueError):
            return math.nan
        return math.nan if isinstance(y, complex) else float(y)

    return run


def _number_in(text: str) -> float | None:
    try:
        x = float(text)
    except ValueError:
        return None
    return int(x) if x.is_integer() and "." not in text and "e" not in text.lower() else x


_UNARY: dict[str, Callable[[float], float]] = {
    "tanh": math.tanh,
    "exp": math.exp,
    "sin": math.sin,
    "log": math.log,
    "ReLU": lambda x: 0.0 if x < 0 else x,
    "relu": lambda x: 0.0 if x < 0 else x,
    "sigmoid": lambda x: 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x)),
}


def _step(op: str, arity: int) -> Callable[..., float]:
    """How to recompute a node from its children's numbers, or _UNKNOWN (may raise: see _safe)."""
    if op in ("+", "*") and arity in (1, 2):
        both = (lambda x, y: x + y) if op == "+" else (lambda x, y: x * y)
        # micrograd keeps children in a set: a + a and a * a have one child
        return both if arity == 2 else (lambda x: both(x, x))
    if arity != 1:
        return _UNKNOWN
    if op in _UNARY:
        return _UNARY[op]
    if op.startswith("**") and (k := _number_in(op[2:])) is not None:
        return lambda x: x**k
    if op.endswith("**") and (b := _number_in(op[:-2])) is not None:
        return lambda x: b**x
    return _UNKNOWN


def replay_steps(graph: Any) -> list[Callable[..., float] | None]:
    """Per node: None for a leaf, a function of its children's numbers, or _UNKNOWN.

    A known op name whose recomputation does not give the node's recorded data (an op written
    by hand under a familiar name, computing something else) counts as unknown too.
    """
    data = [float(v.data) for v in graph.values]
    steps: list[Callable[..., float] | None] = []
    for i, (op, kids) in enumerate(zip(graph.ops, graph.children, strict=True)):
        step = None if not kids else _step(op, len(kids))
        if step is not None and step is not _UNKNOWN:
            again = _safe(step)(*[data[k] for k in kids])
            if not (again == data[i] or math.isclose(again, data[i], rel_tol=1e-9, abs_tol=1e-12)
                    or (math.isnan(again) and math.isnan(data[i]))):
                step = _UNKNOWN
        steps.append(step)
    return steps


def _replayable_above(graph: Any, steps: list[Any]) -> list[bool]:
    """ok[i]: every node between node i and the root can be recomputed."""
    ok = [False] * len(steps)
    for r in graph.roots[:1]:
        ok[r] = True
    for i in range(len(steps) - 1, -1, -1):
        users = graph.parents[i]
        if users:
            ok[i] = all(ok[p] and steps[p] is not _UNKNOWN for p in users)
    return ok


def _replay(
    steps: list[Any], children: list[tuple[int, ...]], base: list[float], i: int, x: float,
    root: int,
) -> float:
    """The root's value with node i's value set to x (only the nodes above i recomputed).

    The plain ops first (fast); if one fails (overflow, log of a negative number, a complex
    power), again with each op made total (NaN where it fails).
    """
    try:
        y = _run(steps, children, base, i, x, root)
        if not isinstance(y, complex):
            return float(y)
    except (ArithmeticError, ValueError, TypeError):
        pass
    safe = [f if f is None or f is _UNKNOWN else _safe(f) for f in steps]
    return _run(safe, children, base, i, x, root)


def _run(
    steps: list[Any], children: list[tuple[int, ...]], base: list[float], i: int, x: float,
    root: int,
) -> Any:
    vals = list(base)
    vals[i] = x
    dirty = [False] * len(vals)
    dirty[i] = True
    for j in range(i + 1, root + 1):
        kids = children[j]
        if len(kids) == 2:
            a, b = kids
            if dirty[a] or dirty[b]:
                vals[j] = steps[j](vals[a], vals[b])
                dirty[j] = True
        elif kids and dirty[kids[0]]:
            vals[j] = steps[j](vals[kids[0]])
            dirty[j] = True
    return vals[root]


# ---------------------------------------------------------------------------- gradcheck(build, ...)


def _check_build(
    build: Any, inputs: tuple[Any, ...], h: float, rtol: float, atol: float
) -> GradCheck:
    if not callable(build):
        raise TypeError(f"gradcheck(build, *inputs): build must be a function, got {build!r}")
    if not inputs:
        raise ValueError("gradcheck(build, *inputs) needs at least one input number")
    xs = []
    for k, x in enumerate(inputs):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
            raise TypeError(f"gradcheck: inputs[{k}] must be a finite number, got {x!r}")
        xs.append(float(repr(float(x))))  # a float object of its own, to find its Value by
    names = _parameter_names(build, len(xs))

    def run(values: list[float]) -> Any:
        out = build(*values)
        if not is_value_like(out):
            raise TypeError(
                f"gradcheck: build must return a Value, it returned {type(out).__name__}"
            )
        return out

    root = run(xs)
    from .tracing import trace

    graph = trace(root)
    grads = fresh_grads(root, graph.values)
    at = float(root.data)
    out = []
    for k, x in enumerate(xs):
        holders = [i for i, v in enumerate(graph.values) if v.data is x and not graph.children[i]]
        grad = math.fsum(grads[i] for i in holders) if holders else math.nan
        label = next((graph.labels[i] for i in holders if graph.labels[i]), "")
        below = float(run([*xs[:k], x - h, *xs[k + 1:]]).data)
        above = float(run([*xs[:k], x + h, *xs[k + 1:]]).data)
        slope, ok = slope_and_verdict(grad, below, at, above, h, rtol, atol)
        out.append(Check(names[k], label or names[k], grad, slope, ok if holders else None))
    return GradCheck(tuple(out), h, at)


def _parameter_names(build: Callable[..., Any], count: int) -> list[str]:
    """build's positional parameter names for the inputs (inputs[k] where there is none)."""
    try:
        params = list(inspect.signature(build).parameters.values())
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return [names[k] if k < len(names) else f"inputs[{k}]" for k in range(count)]
