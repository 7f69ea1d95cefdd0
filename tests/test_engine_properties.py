"""Property tests: random expression graphs against PyTorch, finite differences and micrograd."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from micrograd.engine import Value as MicrogradValue

from micrograd_widgets.engine import Value
from tests.torch_or_skip import torch

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# One step of a program: (op, index of first operand, index of second operand, a constant).
# Operands are picked from everything computed so far, so nodes get reused.
BINARY = ["+", "-", "*", "/", "c+", "c-", "c*", "c/", "+c", "-c", "*c", "/c"]
UNARY = ["neg", "relu", "tanh", "exp", "sigmoid", "log", "pow", "rpow"]
SMOOTH = ["+", "-", "*", "c*", "-c", "neg", "tanh", "sigmoid", "pow", "log"]
MICROGRAD_OPS = ["+", "-", "*", "/", "c+", "c-", "c*", "c/", "+c", "-c", "*c", "/c", "neg", "relu"]
POWERS = [2, 3, -1, -2, 0.5, 1.5, -0.5]

constants = st.floats(-3, 3, allow_nan=False).filter(lambda c: abs(c) > 0.1)


def programs(ops: list[str], max_steps: int = 12):
    step = st.tuples(st.sampled_from(ops), st.integers(0, 1000), st.integers(0, 1000), constants)
    leaves = st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=4)
    return st.tuples(leaves, st.lists(step, min_size=1, max_size=max_steps))


def run(program, steps, leaves):
    """Evaluate the program on leaves of any Value-like type (ours, torch, micrograd)."""
    nodes = list(leaves)
    for op, i, j, c in steps:
        x, y = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(apply(op, x, y, c))
    return nodes


def apply(op, x, y, c):
    if op in ("+", "-", "*"):
        return {"+": x + y, "-": x - y, "*": x * y}[op]
    if op == "/":
        return x / (y * y + 0.5)  # a denominator away from 0
    if op[0] == "c":  # constant on the left: reflected ops
        return {"+": c + x, "-": c - x, "*": c * x, "/": c / (x * x + 0.5)}[op[1]]
    if op[1] == "c":
        return {"+": x + c, "-": x - c, "*": x * c, "/": x / c}[op[0]]
    if op == "neg":
        return -x
    if op == "pow":
        p = POWERS[int(abs(c) * 100) % len(POWERS)]
        return (x * x + 0.25) ** p if isinstance(p, float) or p < 0 else x**p
    if op == "rpow":
        return abs(c) ** x
    if op == "log":
        return (x * x + 0.1).log()
    return getattr(x, op)()  # relu, tanh, exp, sigmoid


def data(v) -> float:
    return v.item() if isinstance(v, torch.Tensor) else float(v.data)


def finite_and_bounded(nodes, bound=1e6) -> bool:
    return all(math.isfinite(data(n)) and abs(data(n)) < bound for n in nodes)


def ours(program):
    leaves, steps = program
    vs = [Value(x) for x in leaves]
    try:
        nodes = run(program, steps, vs)
    except OverflowError:
        return None, None
    return vs, nodes


@SETTINGS
@given(programs(BINARY + UNARY))
def test_random_graphs_match_torch(program) -> None:
    vs, nodes = ours(program)
    assume(nodes is not None and finite_and_bounded(nodes))
    out = nodes[-1]
    out.backward()
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in program[0]]
    tnodes = run(program, program[1], ts)
    tnodes[-1].backward()
    scale = max(1.0, *(abs(data(n)) for n in nodes), *(abs(v.grad) for v in vs))
    for n, t in zip(nodes, tnodes, strict=True):
        assert math.isclose(n.data, t.item(), rel_tol=1e-9, abs_tol=1e-9 * scale)
    for v, t in zip(vs, ts, strict=True):
        tgrad = 0.0 if t.grad is None else t.grad.item()
        assert math.isclose(v.grad, tgrad, rel_tol=1e-8, abs_tol=1e-8 * scale), (v.grad, tgrad)


@SETTINGS
@given(programs(SMOOTH, max_steps=8))
def test_random_smooth_graphs_match_finite_differences(program) -> None:
    vs, nodes = ours(program)
    assume(nodes is not None and finite_and_bounded(nodes, bound=100))
    nodes[-1].backward()
    leaves, steps = program
    h = 1e-6
    for i in range(len(leaves)):
        shifted = []
        for sign in (1, -1):
            moved = [x + sign * h * (k == i) for k, x in enumerate(leaves)]
            shifted.append(run(program, steps, [Value(x) for x in moved])[-1].data)
        numeric = (shifted[0] - shifted[1]) / (2 * h)
        assert math.isclose(vs[i].grad, numeric, rel_tol=1e-4, abs_tol=1e-4), (vs[i].grad, numeric)


@SETTINGS
@given(programs(MICROGRAD_OPS))
def test_random_graphs_match_micrograd(program) -> None:
    vs, nodes = ours(program)
    assume(finite_and_bounded(nodes))
    ms = [MicrogradValue(x) for x in program[0]]
    mnodes = run(program, program[1], ms)
    nodes[-1].backward()
    mnodes[-1].backward()
    for n, m in zip(nodes, mnodes, strict=True):
        assert n.data == m.data and n._op == m._op and len(n._prev) == len(m._prev)
    scale = max(1.0, *(abs(v.grad) for v in vs))
    for v, m in zip(vs, ms, strict=True):  # micrograd's set order varies the rounding
        assert math.isclose(v.grad, m.grad, rel_tol=1e-12, abs_tol=1e-12 * scale)


@SETTINGS
@given(programs(BINARY + UNARY))
def test_backward_is_deterministic(program) -> None:
    grads = []
    for _ in range(2):
        vs, nodes = ours(program)
        assume(nodes is not None)
        nodes[-1].backward()
        grads.append([v.grad for v in vs])
    assert repr(grads[0]) == repr(grads[1])  # bit for bit (repr also tells nan apart)
