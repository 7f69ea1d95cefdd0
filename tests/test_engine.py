"""The engine's values and gradients against PyTorch (float64) and finite differences."""

from __future__ import annotations

import math
import operator

import pytest

from micrograd_widgets.engine import Value
from tests.torch_or_skip import torch

# Operands chosen away from kinks and domain edges; each op is tried on several.
XS = [-2.5, -0.7, 0.3, 1.0, 3.2]
POSITIVE = [0.2, 1.0, 2.5]


def torch_leaf(x: float) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64, requires_grad=True)


def close(a: float, b: float, rel: float = 1e-12, abs_: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)


UNARY = {
    "neg": lambda v: -v,
    "relu": lambda v: v.relu(),
    "tanh": lambda v: v.tanh(),
    "exp": lambda v: v.exp(),
    "sigmoid": lambda v: v.sigmoid(),
    "sin": lambda v: v.sin(),
    "square": lambda v: v**2,
    "cube": lambda v: v**3,
    "inverse": lambda v: v**-1,
    "pow -2": lambda v: v**-2,
    "pow 0": lambda v: v**0,
    "pow 1": lambda v: v**1,
}
POSITIVE_ONLY = {
    "log": lambda v: v.log(),
    "sqrt": lambda v: v**0.5,
    "pow -1.5": lambda v: v**-1.5,
    "pow 2.7": lambda v: v**2.7,
    "2 ** v": lambda v: 2**v,  # reflected pow
    "0.5 ** v": lambda v: 0.5**v,
}


@pytest.mark.parametrize("name", [*UNARY])
@pytest.mark.parametrize("x", XS)
def test_unary_ops_match_torch(name: str, x: float) -> None:
    check_unary(UNARY[name], x)


@pytest.mark.parametrize("name", [*POSITIVE_ONLY])
@pytest.mark.parametrize("x", POSITIVE)
def test_positive_domain_ops_match_torch(name: str, x: float) -> None:
    check_unary(POSITIVE_ONLY[name], x)


def check_unary(f, x: float) -> None:
    v = Value(x)
    out = f(v)
    out.backward()
    t = torch_leaf(x)
    tout = f(t)
    tout.backward()
    assert close(out.data, tout.item()), (out.data, tout.item())
    assert close(v.grad, t.grad.item()), (v.grad, t.grad.item())


BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


@pytest.mark.parametrize("op", [*BINARY])
@pytest.mark.parametrize(("x", "y"), [(-2.5, 0.7), (0.3, -1.9), (3.2, 3.2), (1.0, 4.0)])
def test_binary_ops_match_torch(op: str, x: float, y: float) -> None:
    f = BINARY[op]
    a, b = Value(x), Value(y)
    out = f(a, b)
    out.backward()
    ta, tb = torch_leaf(x), torch_leaf(y)
    tout = f(ta, tb)
    tout.backward()
    assert close(out.data, tout.item())
    assert close(a.grad, ta.grad.item())
    assert close(b.grad, tb.grad.item())


@pytest.mark.parametrize("op", [*BINARY])
@pytest.mark.parametrize("number", [-3, 0.5, 2.0])
def test_ops_with_plain_numbers_both_sides(op: str, number: float) -> None:
    f = BINARY[op]
    for x in (-1.3, 0.8):
        for left in (True, False):  # Value op number, and number op Value (reflected)
            v, t = Value(x), torch_leaf(x)
            out = f(v, number) if left else f(number, v)
            tout = f(t, number) if left else f(number, t)
            out.backward()
            tout.backward()
            assert close(out.data, tout.item())
            assert close(v.grad, t.grad.item())


def test_reused_node_accumulates_gradient() -> None:
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0  # d(a*a)/da = 2a
    b = Value(-2.0)
    (b + b).backward()
    assert b.grad == 2
    c = Value(1.5)
    d = c * c + c * 3.0 - c / 2.0  # c used by three ops
    d.backward()
    tc = torch_leaf(1.5)
    (tc * tc + tc * 3.0 - tc / 2.0).backward()
    assert close(c.grad, tc.grad.item())


def test_readme_example() -> None:
    """micrograd's README example (the lecture's opening): g = 24.7041, 138.8338, 645.5773."""

    def expression(a, b):
        c = a + b
        d = a * b + b**3
        c += c + 1
        c += 1 + c + (-a)
        d += d * 2 + (b + a).relu()
        d += 3 * d + (b - a).relu()
        e = c - d
        f = e**2
        g = f / 2.0
        g += 10.0 / f
        return g

    a, b = Value(-4.0), Value(2.0)
    g = expression(a, b)
    g.backward()
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"
    ta, tb = torch_leaf(-4.0), torch_leaf(2.0)
    tg = expression(ta, tb)
    tg.backward()
    assert close(g.data, tg.item()) and close(a.grad, ta.grad.item())
    assert close(b.grad, tb.grad.item())


def test_relu_at_and_around_zero_matches_micrograd() -> None:
    # micrograd: relu(x) = 0 for x < 0 (an int 0), x otherwise; its slope is (out > 0)
    for x, out, slope in [(-1.5, 0, 0), (0.0, 0.0, 0), (2.0, 2.0, 1)]:
        v = Value(x)
        r = v.relu()
        r.backward()
        assert r.data == out and type(r.data) is type(out)
        assert v.grad == slope


def test_sigmoid_is_stable_for_large_inputs() -> None:
    for x in (-800.0, -40.0, 40.0, 800.0):
        v = Value(x)
        s = v.sigmoid()
        s.backward()
        t = torch_leaf(x)
        ts = t.sigmoid()
        ts.backward()
        assert close(s.data, ts.item(), abs_=1e-300) and close(v.grad, t.grad.item(), abs_=1e-300)


def test_tanh_saturates_instead_of_overflowing() -> None:
    v = Value(1000.0)
    t = v.tanh()
    t.backward()
    assert t.data == 1.0 and v.grad == 0.0


def test_sqrt_at_zero_has_infinite_slope_like_torch() -> None:
    v = Value(0.0)
    (v**0.5).backward()
    t = torch_leaf(0.0)
    (t**0.5).backward()
    assert v.grad == t.grad.item() == math.inf


def test_power_zero_at_zero_is_flat_like_torch() -> None:
    v = Value(0.0)
    (v**0).backward()
    t = torch_leaf(0.0)
    (t**0).backward()
    assert v.grad == t.grad.item() == 0


def check_finite_differences(f, point: list[float]) -> list[Value]:
    """backward()'s gradient of f at point against central differences; the input Values."""
    vs = [Value(p) for p in point]
    out = f(*vs)
    out.backward()
    h = 1e-6
    for i in range(len(point)):
        up = [p + h * (j == i) for j, p in enumerate(point)]
        down = [p - h * (j == i) for j, p in enumerate(point)]
        numeric = (f(*map(Value, up)).data - f(*map(Value, down)).data) / (2 * h)
        assert math.isclose(vs[i].grad, numeric, rel_tol=1e-6, abs_tol=1e-8)
    return vs


def test_finite_differences_on_a_smooth_expression() -> None:
    def f(x, y, z):
        return ((x * y).tanh() + (z**2 + 1).log() * x - y / (z**2 + 0.5)).sigmoid() + (x - z).exp()

    check_finite_differences(f, [0.3, -1.2, 0.8])


def test_sin_matches_finite_differences_and_torch_in_a_composite() -> None:
    def f(x, y):  # sin of a product, a squared sine, and sin(sin(x)): cos is used three ways
        return (x * y).sin() + x.sin() ** 2 - (x.sin()).sin() * y

    point = [0.7, -2.3]
    vs = check_finite_differences(f, point)
    ts = [torch_leaf(p) for p in point]
    tout = f(*ts)  # the same expression on tensors
    tout.backward()
    assert close(f(*map(Value, point)).data, tout.item())
    assert all(close(v.grad, t.grad.item()) for v, t in zip(vs, ts, strict=True))


@pytest.mark.parametrize("x", [math.inf, -math.inf, math.nan])
def test_sin_of_a_non_finite_number_is_a_value_error(x: float) -> None:
    with pytest.raises(ValueError, match="sin needs a finite number"):
        Value(x).sin()


def test_backward_seeds_root_and_accumulates_like_micrograd() -> None:
    a, b = Value(2.0), Value(5.0)
    c = a * b
    c.backward()
    assert (c.grad, a.grad, b.grad) == (1, 5.0, 2.0)
    c.backward()  # a second pass re-seeds the root and adds into the others
    assert (c.grad, a.grad, b.grad) == (1, 10.0, 4.0)
    s = a + b
    a.grad = b.grad = 0
    s.backward()
    assert repr(a) == "Value(data=2.0, grad=1)"  # int seed, as micrograd prints it


def test_backward_by_hand_node_by_node() -> None:
    """The lecture calls o._backward() on each node itself, from the output down."""
    x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.8813735870195432)
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = n.tanh()
    o.grad = 1.0
    for node in (o, n, s, x2w2, x1w1, b, x1, x2, w1, w2):
        node._backward()
    tx1, tx2, tw1, tw2, tb = map(torch_leaf, (2.0, 0.0, -3.0, 1.0, 6.8813735870195432))
    to = (tx1 * tw1 + tx2 * tw2 + tb).tanh()
    to.backward()
    for v, t in [(x1, tx1), (x2, tx2), (w1, tw1), (w2, tw2), (b, tb)]:
        assert close(v.grad, t.grad.item())
    assert n.grad == pytest.approx(0.5, abs=1e-12)  # 1 - tanh(n)^2 with tanh(n) = 1/sqrt(2)


def test_deep_chain_has_no_recursion_limit() -> None:
    x, c = Value(1.0), Value(1.0000001)
    y = x
    for _ in range(200_000):
        y = y * c
    y = y.tanh() + x  # something after the chain, and x used twice
    y.backward()
    expected = (1 - math.tanh(c.data**200_000) ** 2) * c.data**200_000 + 1
    assert math.isclose(x.grad, expected, rel_tol=1e-9)


def test_gradients_are_deterministic() -> None:
    def run() -> list[float]:
        leaves = [Value(0.1 * i - 1.0) for i in range(30)]
        total = Value(0.0)
        for i, v in enumerate(leaves):
            total = total + (v * leaves[(i * 7) % 30]).tanh() * leaves[(i * 3) % 30]
        total.backward()
        return [v.grad for v in leaves]

    first = run()
    assert all(run() == first for _ in range(5))  # bit for bit


def test_labels_and_op_strings() -> None:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    e = a * b
    e.label = "e"
    assert (a.label, e.label, e._op, (a + b)._op) == ("a", "e", "*", "+")
    assert a._op == "" and Value(1.0).label == ""
    assert (a**2)._op == "**2" and (a**0.5)._op == "**0.5" and (a / b)._prev[1]._op == "**-1"
    assert a.relu()._op == "ReLU"
    assert [a.tanh()._op, a.exp()._op, a.log()._op, a.sigmoid()._op] == [
        "tanh",
        "exp",
        "log",
        "sigmoid",
    ]
    assert a.sin()._op == "sin"
    assert repr(Value(3)) == "Value(data=3, grad=0)"


def test_prev_lists_distinct_children_in_operand_order() -> None:
    a, b = Value(1.0), Value(2.0)
    assert (a * b)._prev == (a, b)
    assert (b * a)._prev == (b, a)
    assert (a * a)._prev == (a,)
    assert a.tanh()._prev == (a,)
    assert a._prev == ()
    assert set((a + 1)._prev) - {a} != set()  # the constant 1 became a Value node


def test_hand_built_node_keeps_its_children_but_passes_no_gradient() -> None:
    a, b = Value(1.0), Value(2.0)
    c = Value(3.0, (a, b), "+", label="c")
    assert c._prev == (a, b) and c._op == "+" and c.label == "c"
    c.backward()
    assert a.grad == 0 and b.grad == 0  # micrograd: a hand-built node's _backward does nothing


def test_numpy_scalars_are_accepted_as_plain_numbers() -> None:
    np = pytest.importorskip("numpy")
    v = Value(np.float64(0.25))
    assert type(v.data) is float and v.data == 0.25
    assert type(Value(np.int64(3)).data) is int
    out = np.float64(2.0) * v + np.int64(1)
    assert isinstance(out, Value) and out.data == 1.5


def test_numpy_bools_and_0d_arrays_are_numbers_as_in_micrograd() -> None:
    np = pytest.importorskip("numpy")
    v = Value(2.0)
    assert (v * (np.float64(1.0) > 0)).data == 2.0
    assert (v + np.array(1.5)).data == 3.5
    with pytest.raises(TypeError, match="must be an int or float, got ndarray"):
        v + np.array([1.0, 2.0])


def test_bools_count_as_0_and_1() -> None:
    assert Value(True).data == 1 and type(Value(True).data) is int
    v = Value(2.5)
    assert (v * (v.data > 0)).data == 2.5


def test_no_comparison_or_hash_surprises() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a  # identity, as in micrograd
    assert len({a, b}) == 2
