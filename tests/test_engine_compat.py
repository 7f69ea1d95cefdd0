"""Drop-in for micrograd 0.1.0: same graph shapes and reprs; clear errors; name scopes."""

from __future__ import annotations

import math
import re
import threading

import pytest
from micrograd.engine import Value as MicrogradValue

from micrograd_widgets import engine
from micrograd_widgets.engine import Value, name_scope
from tests.engine_shape import count_nodes, shape
from tests.torch_or_skip import torch

EXPRESSIONS = {
    "neg": lambda a, b: -a,
    "sub": lambda a, b: a - b,
    "sub number": lambda a, b: a - 2.0,
    "rsub": lambda a, b: 2.0 - a,
    "div": lambda a, b: a / b,
    "div number": lambda a, b: a / 4,
    "rdiv": lambda a, b: 3 / a,
    "radd": lambda a, b: 1 + a,
    "rmul": lambda a, b: 2 * a,
    "pow": lambda a, b: a**3,
    "square self": lambda a, b: a * a,
    "relu": lambda a, b: (a - b).relu() + (b - a).relu(),
    "sum": lambda a, b: sum([a, b, a * b]),
    "readme": lambda a, b: ((a * b + b**3) * 2 + (b + a).relu()) / 2.0 + 10.0 / (a - b),
}


@pytest.mark.parametrize("name", [*EXPRESSIONS])
def test_same_graph_shape_as_micrograd(name: str) -> None:
    f = EXPRESSIONS[name]
    ours = f(Value(-4.0), Value(2.0))
    theirs = f(MicrogradValue(-4.0), MicrogradValue(2.0))
    assert shape(ours) == shape(theirs)
    assert count_nodes(ours) == count_nodes(theirs)
    assert repr(ours) == repr(theirs)
    ours.backward()
    theirs.backward()
    assert repr(ours) == repr(theirs)


def test_reprs_match_micrograd() -> None:
    for x in (3, -2.5, 0.1 + 0.2):
        assert repr(Value(x)) == repr(MicrogradValue(x))
    ours, theirs = Value(2) * 3 + 1, MicrogradValue(2) * 3 + 1
    ours.backward()
    theirs.backward()
    assert repr(ours) == repr(theirs) == "Value(data=7, grad=1)"


# ---- code that extends micrograd the lecture's way: a hand-written _backward ----


def sine(value_class: type, x):
    """A new op written as the lecture writes them, for any micrograd-like Value class."""
    out = value_class(math.sin(x.data), (x,), "sin")

    def _backward():
        x.grad += math.cos(x.data) * out.grad

    out._backward = _backward
    return out


@pytest.fixture
def hand_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """A subclass with its own _backward switches backward() to its general path; undo it after."""
    monkeypatch.setattr(engine, "_subclass_backward", engine._subclass_backward)


def test_a_hand_written_backward_closure_runs_like_micrograd() -> None:
    grads = []
    for cls in (Value, MicrogradValue):
        a, b = cls(0.7), cls(-1.3)
        out = sine(cls, a * b) * a + b
        out.backward()
        grads.append((out.data, a.grad, b.grad))
    assert grads[0] == pytest.approx(grads[1], rel=1e-15)
    t = torch.tensor([0.7, -1.3], dtype=torch.float64, requires_grad=True)
    (torch.sin(t[0] * t[1]) * t[0] + t[1]).backward()
    assert grads[0][1:] == pytest.approx(t.grad.tolist(), rel=1e-12)


def test_a_subclass_defining_backward_is_called(hand_written) -> None:
    calls = []

    class Traced(Value):
        def _backward(self) -> None:
            calls.append(self.data)
            super()._chain_rule()

    a = Traced(2.0)
    out = Traced(a.data * 3, (a,), "*3")
    out._da = 3
    out.backward()
    assert a.grad == 3 and calls == [6.0, 2.0]


def test_both_ways_through_backward_give_the_same_grads(hand_written) -> None:
    def grads():
        a, b = Value(-1.5), Value(0.8)
        out = ((a * b).tanh() + a**2 / b - (b * 2).exp() + a.sigmoid()).relu() * a
        out.backward()
        return a.grad, b.grad

    fast = grads()
    engine._subclass_backward = True  # as once a subclass defines its own _backward
    assert grads() == fast


def test_backward_must_be_a_function() -> None:
    with pytest.raises(TypeError, match="_backward must be a function"):
        Value(1.0)._backward = 3


def test_values_can_be_weakly_referenced_like_micrograds() -> None:
    import weakref

    v = Value(1.0)
    assert weakref.ref(v)() is v


# ---- bad input ----


@pytest.mark.parametrize("bad", ["abc", None, [1.0], 1 + 2j, {"data": 1}])
def test_value_of_a_non_number_is_a_type_error(bad: object) -> None:
    with pytest.raises(
        TypeError,
        match=r"Value\(data\) must be an int or float, got " + re.escape(type(bad).__name__),
    ):
        Value(bad)


def test_op_with_a_non_number_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be an int or float, got str"):
        Value(1.0) + "abc"
    with pytest.raises(TypeError, match="must be an int or float, got str"):
        "abc" * Value(1.0)


def test_value_exponent_is_a_type_error_naming_the_rule() -> None:
    with pytest.raises(TypeError, match="only int/float exponents are supported"):
        Value(1) ** Value(2)


def test_non_number_exponent_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="exponent must be an int or float, got str"):
        Value(2.0) ** "2"


def test_log_of_non_positive_is_a_value_error_with_the_value() -> None:
    with pytest.raises(ValueError, match=r"log needs a positive number, got -3\.5"):
        Value(-3.5).log()
    with pytest.raises(ValueError, match="got 0"):
        Value(0).log()


def test_fractional_power_of_a_negative_number_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"-8\.0 \*\* 0\.5 is not a real number"):
        Value(-8.0) ** 0.5
    with pytest.raises(ValueError, match="base >= 0"):
        (-2) ** Value(0.5)


def test_exp_overflow_names_the_input() -> None:
    with pytest.raises(OverflowError, match=r"exp\(1000\.0\)"):
        Value(1000.0).exp()


def test_power_overflow_names_the_operands() -> None:
    with pytest.raises(OverflowError, match=r"1e\+200 \*\* 2 is too large"):
        Value(1e200) ** 2


def test_division_by_zero_fails_at_the_forward_pass_like_micrograd() -> None:
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError):
        MicrogradValue(1.0) / MicrogradValue(0.0)


def test_too_many_children_for_a_hand_built_node() -> None:
    a = Value(1.0)
    with pytest.raises(ValueError, match="at most 2 Values"):
        Value(3.0, (a, a, a), "+")
    with pytest.raises(ValueError, match="at most 2 Values"):
        Value(3.0, (a, 2.0), "+")


# ---- name scopes: the groups the graph widget folds ----


def test_values_outside_any_scope_have_no_group() -> None:
    a = Value(1.0)
    assert a._group is None and (a * 2)._group is None
    assert engine.current_scope() is None


def test_name_scopes_nest_and_restore() -> None:
    with name_scope("outer") as outer:
        a = Value(1.0)
        with name_scope("inner") as inner:
            b = a * 2  # both the constant 2 and the product
            assert engine.current_scope() == "outer/inner"
        c = a + b
    d = c.tanh()
    assert (outer, inner) == ("outer", "outer/inner")
    assert a._group == "outer" and c._group == "outer"
    assert b._group == "outer/inner" and all(
        p._group == "outer/inner" for p in b._prev if p is not a
    )
    assert d._group is None and engine.current_scope() is None


def test_name_scope_restores_after_an_exception() -> None:
    with pytest.raises(ValueError), name_scope("broken"):
        Value(-1.0).log()
    assert engine.current_scope() is None


def test_name_scope_needs_a_name() -> None:
    with pytest.raises(TypeError, match="non-empty str"):
        name_scope("")
    with pytest.raises(TypeError, match="non-empty str"):
        name_scope(3)  # type: ignore[arg-type]


def test_every_op_records_the_scope() -> None:
    with name_scope("s"):
        a = Value(0.5)
        nodes = [a + 1, a - 1, a * 2, a / 2, 2 / a, -a, a**2, 2**a, a.relu(), a.tanh(), a.exp()]
        nodes += [a.log(), a.sin(), a.sigmoid()]
    assert all(n._group == "s" for n in nodes)
    assert math.isclose(nodes[-1].data, 1 / (1 + math.exp(-0.5)))


def test_scopes_are_per_thread() -> None:
    """A model training in a background thread must not tag the notebook thread's Values."""
    inside, done = threading.Event(), threading.Event()

    def worker() -> None:
        with name_scope("trainer"):
            inside.set()
            done.wait(5)

    t = threading.Thread(target=worker)
    t.start()
    inside.wait(5)
    v = Value(1.0) * 2
    done.set()
    t.join()
    assert v._group is None and engine.current_scope() is None
