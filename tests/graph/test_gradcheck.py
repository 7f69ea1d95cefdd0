"""gradcheck: numerical slopes against backward(), PyTorch and finite differences done here."""

from __future__ import annotations

import math
import re

import micrograd.engine as mg
import pytest
from hypothesis import assume, given

from micrograd_widgets import gradcheck
from micrograd_widgets.engine import Value
from micrograd_widgets.graph.gradcheck import CannotReplay, GradCheck
from tests.lecture_value import LECTURE_GRADS, LectureValue, by_label, lecture_expression, nodes_of
from tests.test_engine_properties import (
    BINARY,
    SETTINGS,
    SMOOTH,
    UNARY,
    finite_and_bounded,
    ours,
    programs,
    run,
)
from tests.torch_or_skip import torch


def neuron() -> Value:
    """The lecture's tanh neuron: o = tanh(x1*w1 + x2*w2 + b)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def state(root) -> list[tuple]:
    """Every Value's data and grad, with their types: what 'unchanged' means, exactly."""
    return [(type(v.data), v.data, type(v.grad), v.grad) for v in nodes_of(root)]


class BuggyAdd(Value):
    """The classic bug (micrograd #64): a backward that writes `=` where it must add `+=`."""

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad = 1.0 * out.grad
            other.grad = 1.0 * out.grad

        out._backward = _backward
        return out


def test_the_lecture_neuron_checks_out_with_the_lecture_numbers() -> None:
    result = gradcheck(neuron())
    assert isinstance(result, GradCheck) and result.ok and result.failures == []
    # the lecture's numbers, by hand: do/dn = 1 - 0.7071**2 = 0.5, then through the sum
    expected = {"x1": -1.5, "w1": 1.0, "x2": 0.5, "w2": 0.0, "b": 0.5, "n": 0.5, "o": 1.0}
    for name, grad in expected.items():
        check = result[name]
        assert check.grad == pytest.approx(grad, abs=1e-12)
        assert check.slope == pytest.approx(grad, abs=1e-6)
        assert check.ok is True
    assert result["x1"].leaf and not result["n"].leaf
    text = str(result)
    assert "10 checked, all agree" in text and re.search(r"x1\s+-1\.5\s+-1\.5\s+ok", text)


def test_the_equals_instead_of_plus_equals_bug_fails_exactly_at_a() -> None:
    a = BuggyAdd(3.0, label="a")
    b = a + a
    b.label = "b"
    result = gradcheck(b)
    assert not result.ok
    assert [c.label for c in result.failures] == ["a"]
    assert result["a"].grad == 1.0 and result["a"].slope == pytest.approx(2.0)  # d(2a)/da = 2
    assert "1 disagrees" in str(result) and "FAIL" in str(result)
    # micrograd #64's case one level up: c = b + b with b = a + a
    a = BuggyAdd(3.0, label="a")
    b = a + a
    b.label = "b"
    c = BuggyAdd.__add__(b, b)
    c.label = "c"
    assert {f.label for f in gradcheck(c).failures} == {"a", "b"}


def test_nothing_in_the_graph_changes_not_even_stale_grads() -> None:
    o = neuron()
    o.backward()
    o.backward()  # accumulated twice: stale grads, which gradcheck must not "fix"
    before = state(o)
    result = gradcheck(o)
    assert result.ok  # the check runs a fresh backward() of its own
    assert state(o) == before
    untouched = neuron()  # grads never filled in: the ints 0 stay ints 0
    before = state(untouched)
    gradcheck(untouched)
    assert state(untouched) == before


def test_backward_false_checks_the_grads_the_values_hold() -> None:
    o = neuron()
    assert {c.label for c in gradcheck(o, backward=False).failures} >= {"x1", "w1", "o"}
    o.backward()
    assert gradcheck(o, backward=False).ok
    o.backward()  # doubled
    assert not gradcheck(o, backward=False).ok


@pytest.mark.parametrize("cls", [mg.Value, LectureValue], ids=["micrograd-0.1.0", "lecture"])
def test_other_value_classes_by_duck_typing(cls) -> None:
    L = lecture_expression(cls)
    before = state(L)
    result = gradcheck(L)
    assert result.ok
    for name, grad in LECTURE_GRADS.items():
        assert result[name].grad == grad and result[name].slope == pytest.approx(grad, abs=1e-6)
    assert state(L) == before


def test_a_relu_kink_accepts_any_grad_between_the_one_sided_slopes() -> None:
    x = Value(0.0, label="x")
    y = x.relu() + x * 0.5
    result = gradcheck(y)  # slopes 0.5 from the left, 1.5 from the right; backward says 0.5
    assert result.ok and result["x"].grad == 0.5


def test_an_op_it_cannot_replay_names_the_op_and_the_other_form() -> None:
    x = LectureValue(0.5, label="x")
    y = x.cosh()  # an op no part of the package knows
    with pytest.raises(CannotReplay, match=r"cannot recompute the op 'cosh'.*gradcheck\(build"):
        gradcheck(y)
    z = x.cosh() * 3 + x  # one of x's paths is not replayable: no half-checked answer
    with pytest.raises(CannotReplay, match="'cosh'"):
        gradcheck(z)


def test_build_form_checks_each_input_where_it_became_a_value() -> None:
    def build(a, b, c):
        x = LectureValue(a, label="a")
        y = LectureValue(b, label="b")
        return (x * y).cosh() + LectureValue(c, label="c") * x

    result = gradcheck(build, 2.0, -3.0, 0.5)
    assert result.ok
    assert [c.id for c in result] == ["a", "b", "c"]  # build's parameter names
    assert result["a"].grad == pytest.approx(math.sinh(-6.0) * -3.0 + 0.5)
    assert result["b"].slope == pytest.approx(math.sinh(-6.0) * 2.0, rel=1e-6)


def test_build_form_finds_the_classic_bug_too() -> None:
    result = gradcheck(lambda x: (lambda a: a + a)(BuggyAdd(x, label="a")), 3.0)
    assert [c.label for c in result.failures] == ["a"]


def test_build_form_input_that_became_no_value_has_no_verdict() -> None:
    result = gradcheck(lambda x, k: Value(x) * (k * 2), 1.5, 4.0)
    assert result["x"].ok is True
    assert result["k"].ok is None and math.isnan(result["k"].grad)
    assert result["k"].slope == pytest.approx(3.0)
    assert not result.ok and "no grad" in str(result)


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: gradcheck(3.0), TypeError, "needs a micrograd-like Value"),
    (lambda: gradcheck(Value(1.0), h=0), ValueError, "h must be a positive number, got 0"),
    (lambda: gradcheck(Value(1.0), h=float("nan")), ValueError, "h must be a positive"),
    (lambda: gradcheck(Value(1.0), backward="yes"), TypeError, "backward must be True or False"),
    (lambda: gradcheck(Value(1.0), max_nodes=0), ValueError, "max_nodes must be a positive int"),
    (lambda: gradcheck(lambda x: 3.0, 1.0), TypeError, "build must return a Value"),
    (lambda: gradcheck(lambda x: Value(x), "1"), TypeError, r"inputs\[0\] must be a finite"),
])
def test_bad_arguments_are_named(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_a_graph_too_big_to_replay_says_how_to_go_on() -> None:
    x = Value(1.0)
    y = x
    for _ in range(50):
        y = y * 1.0 + x
    with pytest.raises(CannotReplay, match=r"more than max_nodes=20.*smaller root"):
        gradcheck(y, max_nodes=20)


# ---- property tests on the hypothesis graphs (tests/test_engine_properties.py's programs)


@SETTINGS
@given(programs(SMOOTH, max_steps=8))
def test_random_smooth_graphs_slopes_match_torch_and_finite_differences(program) -> None:
    vs, nodes = ours(program)
    assume(nodes is not None and finite_and_bounded(nodes, bound=100))
    out = nodes[-1]
    assume(len(nodes_of(out)) > 1)
    before = state(out)
    result = gradcheck(out)
    assert state(out) == before
    ts = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in program[0]]
    run(program, program[1], ts)[-1].backward()
    below = {id(v) for v in nodes_of(out)}
    checks = {c.id: c for c in result}
    from micrograd_widgets.graph import trace

    ids = {id(v): f"n{i}" for i, v in enumerate(trace(out).values)}
    h = 1e-6
    for k, (v, t) in enumerate(zip(vs, ts, strict=True)):
        if id(v) not in below:
            continue
        check = checks[ids[id(v)]]
        tgrad = 0.0 if t.grad is None else t.grad.item()
        assert check.grad == pytest.approx(tgrad, rel=1e-8, abs=1e-8)
        assert check.slope == pytest.approx(tgrad, rel=1e-4, abs=1e-4)
        # the finite difference done here, by re-running the program with leaf k moved
        moved = [run(program, program[1], [Value(x + s * h * (j == k))
                                           for j, x in enumerate(program[0])])[-1].data
                 for s in (1, -1)]
        assert check.slope == pytest.approx((moved[0] - moved[1]) / (2 * h), rel=1e-6, abs=1e-6)
    assert result.ok, str(result)


@SETTINGS
@given(programs(BINARY + UNARY))
def test_random_graphs_grads_are_backwards_and_the_graph_is_untouched(program) -> None:
    vs, nodes = ours(program)
    assume(nodes is not None and finite_and_bounded(nodes))
    out = nodes[-1]
    assume(len(nodes_of(out)) > 1)
    before = state(out)
    result = gradcheck(out)
    assert state(out) == before
    out.backward()
    grads = {id(v): v.grad for v in nodes_of(out)}
    from micrograd_widgets.graph import trace

    values = trace(out).values
    for c in result:
        assert repr(c.grad) == repr(float(grads[id(values[int(c.id[1:])])]))


def test_names_find_checks_and_a_missing_name_lists_the_checked() -> None:
    result = gradcheck(lecture_expression())
    assert result["n0"] is result.checks[0]
    with pytest.raises(KeyError, match="no check for 'zz'; checked: 'a'"):
        result["zz"]
    assert set(by_label(lecture_expression())) == {c.label for c in result}


def test_an_op_under_a_familiar_name_computing_something_else_is_not_replayed() -> None:
    x = LectureValue(0.5, label="x")
    y = LectureValue(1 / (1 + math.exp(-x.data)), (x,), "tanh")  # a sigmoid calling itself tanh
    y._backward = lambda: None
    with pytest.raises(CannotReplay, match="'tanh'"):
        gradcheck(y)


def test_gradcheck_is_a_lazy_public_name() -> None:
    import subprocess
    import sys

    code = ("import sys, micrograd_widgets as m\n"
            "assert 'micrograd_widgets.graph.gradcheck' not in sys.modules\n"
            "assert 'gradcheck' in dir(m) and 'gradcheck' in m.__all__\n"
            "from micrograd_widgets import gradcheck\n"
            "assert callable(gradcheck)\n"
            "assert gradcheck.__module__ == 'micrograd_widgets.graph.gradcheck'\n"
            "assert 'anywidget' not in sys.modules  # checking needs no widget code\n")
    from pathlib import Path

    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


def test_sin_is_replayed_like_the_other_unary_ops() -> None:
    x = Value(0.5, label="x")
    y = (x.sin() * x).tanh()
    result = gradcheck(y)
    assert result.ok and result["x"].slope == pytest.approx(result["x"].grad, rel=1e-6)
    assert result["x"].grad != 0  # a real check: sin(x) * x has slope cos(x) * x + sin(x) at x
