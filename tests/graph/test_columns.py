"""The graph payload's optional columns (issue 14): edgeGrad, notice, slope/check, source;
and the gradcheck toggle of GraphWidget and BackpropWidget."""

from __future__ import annotations

import math
import random

import micrograd.engine as mg
import pytest
from hypothesis import assume, given

from micrograd_widgets import animate_backward, draw
from micrograd_widgets.engine import Value
from micrograd_widgets.graph import payload, trace, view
from micrograd_widgets.nn import MLP
from tests.lecture_value import LectureValue, by_label, lecture_expression
from tests.test_engine_properties import BINARY, SETTINGS, UNARY, finite_and_bounded, ours, programs

OPTIONAL = {"source", "slope", "check", "edgeGrad", "notice"}


def pairs(graph: dict) -> list[tuple[int, int]]:
    flat = graph["edges"]
    return list(zip(flat[::2], flat[1::2], strict=True))


def outgoing_sums(graph: dict) -> dict[int, float]:
    """Per box: the sum of edgeGrad over the edges leaving it."""
    sums: dict[int, float] = {}
    for (a, _), g in zip(pairs(graph), graph["edgeGrad"], strict=True):
        if g is not None:
            sums[a] = sums.get(a, 0.0) + float(g)
    return sums


def reused() -> Value:
    """micrograd #64's graph, b = a + a; c = b + b, and a used once more by a product."""
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b + b
    c.label = "c"
    d = c * a
    d.label = "d"
    return d


@pytest.mark.parametrize("make", [
    reused,
    lambda: lecture_expression(),
    lambda: lecture_expression(mg.Value),
    lambda: lecture_expression(LectureValue),
], ids=["reused", "engine", "micrograd-0.1.0", "lecture"])
def test_edge_grads_of_each_value_sum_to_its_grad(make) -> None:
    root = make()
    root.backward()
    graph = draw(root).graph
    sums = outgoing_sums(graph)
    for k, grad in enumerate(graph["grad"]):
        if k in sums:  # every box but the root sends its grad's parts along its edges
            assert sums[k] == pytest.approx(grad, rel=1e-12, abs=1e-12)
    assert len(sums) == len(graph["id"]) - 1


def test_a_reused_value_lists_each_contribution() -> None:
    d = reused()
    d.backward()
    graph = draw(d).graph
    labels = graph["label"]
    a = labels.index("a")
    parts = {labels[p]: g for (c, p), g in zip(pairs(graph), graph["edgeGrad"], strict=True)
             if c == a}
    # d = 4a * a: through b (a + a) it gets 2 * b.grad = 2 * 2 * d.grad * a = 12, through d 4a
    assert parts == {"b": 12.0, "d": 12.0}
    assert graph["grad"][a] == 24.0


def test_edge_grads_leave_every_grad_as_it_was() -> None:
    L = lecture_expression(LectureValue)  # the generic path: each _backward run on its own
    L.backward()
    before = {k: v.grad for k, v in by_label(L).items()}
    draw(L)
    assert {k: v.grad for k, v in by_label(L).items()} == before


@SETTINGS
@given(programs(BINARY + UNARY))
def test_edge_grads_sum_to_grads_on_random_graphs(program) -> None:
    vs, nodes = ours(program)
    assume(nodes is not None and finite_and_bounded(nodes))
    out = nodes[-1]
    assume(len(trace(out)) > 1)
    out.backward()
    g = trace(out)
    sent = payload(view(g, collapse="none"), g)
    assume("edgeGrad" in sent)
    sums = outgoing_sums(sent)
    for k, grad in enumerate(sent["grad"]):
        if k in sums and all(math.isfinite(float(x)) for x in (grad, sums[k])):
            assert sums[k] == pytest.approx(float(grad), rel=1e-9, abs=1e-9)


def test_folded_boxes_send_no_edge_grad() -> None:
    random.seed(0)
    model = MLP(3, [4, 4, 1])
    loss = sum((model([1.0, -2.0, 0.5]) - y) ** 2 for y in (1.0, -1.0))
    loss.backward()
    w = draw(loss, collapse="groups")
    graph = w.graph
    for (a, _), g in zip(pairs(graph), graph["edgeGrad"], strict=True):
        assert (g is None) == (graph["kind"][a] != "value")


def test_every_grad_zero_gets_the_call_that_fills_them_in() -> None:
    L = lecture_expression()
    w = draw(L)
    notice = w.graph["notice"]
    assert notice.startswith("Every grad is 0: call L.backward()") and "refresh()" in notice
    assert w.values == {"version": w.graph["version"]}  # the page shows the graph's notice
    assert "edgeGrad" not in w.graph  # nothing to split yet
    L.backward()
    w.refresh()
    assert "notice" not in w.values
    assert draw(L).graph.keys().isdisjoint({"notice"})
    assert "notice" not in draw(Value(1.0)).graph  # a lone leaf has nothing to backward


def test_without_the_new_features_the_payload_is_as_before() -> None:
    L = lecture_expression()
    L.backward()
    graph = draw(L).graph
    assert OPTIONAL & graph.keys() == {"edgeGrad"}  # no source (made outside a cell), no check
    player = animate_backward(lecture_expression()).graph
    assert OPTIONAL & player.keys() == set()


def test_graph_toggle_measures_slopes_and_marks_the_failing_box() -> None:
    from tests.graph.test_gradcheck import BuggyAdd

    a = BuggyAdd(3.0, label="a")
    b = a + a
    b.label = "b"
    b.backward()
    w = draw(b)
    assert w.gradcheck is False and "check" not in w.graph
    w.gradcheck = True  # what the page's toggle does
    marks = dict(zip(w.graph["label"], w.graph["check"], strict=True))
    assert marks == {"a": "fail", "b": "ok"}
    slopes = dict(zip(w.graph["label"], w.graph["slope"], strict=True))
    assert slopes["a"] == pytest.approx(2.0)
    assert w.values == {"version": w.graph["version"]}  # no stale numbers over the new marks
    assert w.graph["version"] == 0  # the same layout, now with the marks
    assert w.notice == "" and w.checks is not None and not w.checks.ok


def test_graph_toggle_on_a_graph_it_cannot_check_says_why_and_turns_off() -> None:
    x = LectureValue(0.5, label="x")
    y = x.cosh()
    y.backward()
    w = draw(y)
    w.gradcheck = True
    assert w.gradcheck is False
    assert "cannot recompute the op 'cosh'" in w.notice
    w2 = draw([x * 2, x * 3])
    w2.gradcheck = True
    assert w2.gradcheck is False and "needs one root" in w2.notice


def test_draw_gradcheck_true_and_refresh_measures_again() -> None:
    x = Value(2.0, label="x")
    y = x * x
    y.label = "y"
    w = draw(y, gradcheck=True)  # grads still 0: every box disagrees with its slope
    assert w.gradcheck and set(w.graph["check"]) == {"fail"}
    y.backward()
    w.refresh()
    assert w.values["check"] == ["ok", "ok"]
    with pytest.raises(TypeError, match="gradcheck must be True or False"):
        draw(y, gradcheck="yes")


def test_player_toggle_adds_slopes_to_its_graph() -> None:
    L = lecture_expression()
    w = animate_backward(L)
    assert "check" not in w.graph
    frames = list(w.frames)
    w.gradcheck = True
    assert set(w.graph["check"]) == {"ok"}
    labels = dict(zip(w.graph["label"], w.graph["slope"], strict=True))
    assert labels["a"] == pytest.approx(6.0) and labels["b"] == pytest.approx(-4.0)
    assert w.frames == frames
    made = animate_backward(lecture_expression(), gradcheck=True)
    assert made.gradcheck and set(made.graph["check"]) == {"ok"}


def test_player_toggle_on_a_graph_it_cannot_check_turns_off() -> None:
    x = LectureValue(0.5, label="x")
    w = animate_backward(x.cosh())
    w.gradcheck = True
    assert w.gradcheck is False and "'cosh'" in w.notice
