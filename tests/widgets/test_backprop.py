"""animate_backward / BackpropWidget: the Python side (traits, errors, save_html).

The browser side is tested in tests/browser/test_backprop_browser.py and js/player/player.test.ts.
"""

from __future__ import annotations

import json
import re

import micrograd.engine as mg
import pytest

from micrograd_widgets.engine import Value
from micrograd_widgets.graph import trace
from micrograd_widgets.graph.backprop import GraphTooBigError, record_backward
from micrograd_widgets.nn import MLP
from micrograd_widgets.widgets._base import STATIC, _script_json
from tests.lecture_value import by_label, lecture_expression

widgets = pytest.importorskip("micrograd_widgets.widgets.backprop")
animate_backward, BackpropWidget = widgets.animate_backward, widgets.BackpropWidget


def test_widget_carries_the_recorded_frames_and_the_whole_graph():
    L = lecture_expression()
    w = animate_backward(L)
    a, b, c, f = (by_label(L)[n] for n in "abcf")
    assert isinstance(w, BackpropWidget)
    assert w.frames == record_backward(L).frames  # same graph, same recording
    assert (a.grad, b.grad, c.grad, f.grad) == (6.0, -4.0, -2.0, 4.0)  # by hand (lecture)
    ids = [n["id"] for n in trace(L).nodes]
    assert w.graph["id"] == ids
    assert w.graph["collapsed"] is False
    labels = dict(zip(w.graph["id"], w.graph["label"], strict=True))
    assert [labels[f["node"]] for f in w.frames] == ["L", "L", "f", "d", "c", "e", "b", "a"]
    assert [labels[f["node"]] for f in w.forward] == ["a", "b", "e", "c", "d", "f", "L"]
    assert w.show_forward is False and w.speed == 2.0


def test_frames_are_plain_json():
    L = lecture_expression()
    w = animate_backward(L, forward=True, speed=5)
    json.dumps({"frames": w.frames, "forward": w.forward, "graph": w.graph}, allow_nan=False)
    assert w.show_forward is True and w.speed == 5.0


def test_works_on_micrograd_010_values():
    x = mg.Value(3.0)
    y = (x * x + x).relu()
    w = animate_backward(y)
    assert x.grad == 7.0  # d(x² + x)/dx = 2x + 1 at 3
    assert len(w.frames) == len(w.graph["id"]) + 1


def test_an_mlp_output_plays_with_every_node_drawn():
    model = MLP(3, [4, 4, 1])
    out = model([Value(1.0), Value(-2.0), Value(0.5)])
    w = animate_backward(out)
    assert len(w.graph["id"]) == len(trace(out).nodes)
    assert len(w.frames) == len(w.graph["id"]) + 1
    per_frame = len(json.dumps(w.frames)) / len(w.frames)
    assert per_frame < 300


def test_too_big_graph_is_refused_with_a_suggestion():
    model = MLP(2, [16, 16, 1])
    xs = [[Value(0.1 * i), Value(-0.2 * i)] for i in range(20)]
    loss = sum((model(x) for x in xs), Value(0.0))
    with pytest.raises(GraphTooBigError, match="smaller root"):
        animate_backward(loss, max_nodes=1000)
    # one example's output is small enough
    animate_backward(model(xs[0]))


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"rankdir": "RL"}, ValueError, "rankdir must be 'auto' .*'LR' .*'TB' .*got 'RL'"),
        ({"max_nodes": 0}, ValueError, "max_nodes must be an int from 1 to"),
        ({"max_nodes": 10**6}, ValueError, "max_nodes must be an int from 1 to"),
        ({"forward": "yes"}, TypeError, "forward must be True or False"),
        ({"speed": "fast"}, TypeError, "speed must be a number"),
        ({"speed": 0}, ValueError, "speed must be between 0 and 120"),
        ({"speed": float("nan")}, ValueError, "speed must be between 0 and 120"),
        ({"speed": 1000}, ValueError, "speed must be between 0 and 120"),
    ],
)
def test_bad_arguments_are_named_and_leave_the_grads_alone(kwargs, error, pattern):
    L = lecture_expression()
    L.grad = 5.0  # what the user had: a refused call must not have rewritten it
    with pytest.raises(error, match=pattern):
        animate_backward(L, **kwargs)
    assert L.grad == 5.0


def test_not_a_value_is_named():
    with pytest.raises(TypeError, match="root must be a micrograd-like Value"):
        animate_backward([1, 2])


def test_save_html_inlines_bundle_and_frames(tmp_path):
    L = lecture_expression()
    w = animate_backward(L)
    path = w.save_html(tmp_path / "player.html")
    text = path.read_text(encoding="utf-8")
    state = re.search(r'<script type="application/json" id="mgw-states">(.*?)</script>', text, re.S)
    saved = json.loads(state.group(1))[0]["state"]
    assert saved["frames"] == json.loads(json.dumps(w.frames))
    assert "a.grad += b.data × e.grad = -3.0000 × -2.0000 = 6.0000" in saved["frames"][5]["text"]
    bundle = (STATIC / "backprop.js").read_text(encoding="utf-8")
    assert _script_json(bundle) in text  # the player's code is inlined, not fetched
    assert not re.search(r"<script[^>]+src=", text)  # nothing loaded from outside
    assert "http://" not in text.split('id="mgw-bundles"')[0]
    with pytest.raises(ValueError, match="must end in .html"):
        w.save_html(tmp_path / "player.txt")


def test_labels_stay_text_in_the_saved_page(tmp_path):
    x = Value(1.0, label="</script><script>alert(1)</script>")
    y = x * 2
    w = animate_backward(y)
    text = w.save_html(tmp_path / "p.html").read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in text


def test_the_js_tests_data_is_what_the_widget_really_sends():
    """js/player/lecture.fixture.ts feeds the player's vitest tests: it matches a real recording.

    The scenes are compared by what they are (directions, sizes of the boxes), not their places:
    the layout may improve without the player's tests changing meaning."""
    fixture = STATIC.parent.parent / "js" / "graph" / "fixtures" / "lecture_player.json"
    saved = json.loads(fixture.read_text(encoding="utf-8"))
    w = animate_backward(lecture_expression())
    sent = json.loads(json.dumps({"graph": w.graph, "frames": w.frames, "forward": w.forward}))
    kept, now = saved["graph"].pop("scenes"), sent["graph"].pop("scenes")
    assert saved == sent
    def what(s: dict) -> tuple:  # direction, slope cells, each box's size and cells
        return s["rankdir"], s["slopes"], s["boxes"][2::4], s["boxes"][3::4], s["cells"]

    assert [what(s) for s in kept] == [what(s) for s in now]
