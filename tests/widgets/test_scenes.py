"""The widgets send the page Python's scenes (issue 19): which ones, for which rankdir, and the JS
bundles no longer carry a layout of their own."""

from __future__ import annotations

import json
import random

import pytest

from micrograd_widgets import animate_backward, draw
from micrograd_widgets.engine import Value
from micrograd_widgets.graph.layout.wire import scene_from_json
from micrograd_widgets.nn import MLP
from micrograd_widgets.widgets._base import STATIC, standalone_html
from tests.lecture_graphs import lecture_l, neuron

WHOLE = 0.45  # the smallest zoom a graph starts whole at (js/graph/framing.ts WHOLE_ZOOM)
PAD = 8  # px the page keeps free around the picture


def whole_in(scene: dict, width: float, height: float) -> bool:
    """Whether the scene shows whole at >= WHOLE in a width x height viewport."""
    return (scene["width"] * WHOLE + 2 * PAD <= width
            and scene["height"] * WHOLE + 2 * PAD <= height)


def directions(payload: dict, slopes: bool = False) -> list[str]:
    return [s["rankdir"] for s in payload["scenes"] if s["slopes"] == slopes]


def check_fits(payload: dict) -> None:
    """Every scene places every box, op node and edge of the payload it came with."""
    n, m = len(payload["id"]), len(payload["edges"]) // 2
    for j in payload["scenes"]:
        s = scene_from_json(j, payload)  # as js/graph/wire.ts reads it
        assert len(s.boxes) == len(s.sizes) == len(s.ops) == n
        assert len(s.edge_points) == m and len(s.op_edge_points) == n
        for box in s.boxes:
            assert 0 <= box.x - box.width / 2 and box.x + box.width / 2 <= s.width
            assert 0 <= box.y - box.height / 2 and box.y + box.height / 2 <= s.height


@pytest.mark.parametrize("make", [neuron, lecture_l], ids=["neuron", "L"])
def test_a_small_graph_gets_both_directions_and_one_is_whole_in_a_592_px_cell(make) -> None:
    w = draw(make())
    assert w.graph["rankdir"] == "auto"
    assert directions(w.graph) == ["LR", "TB"]  # left to right preferred
    check_fits(w.graph)
    lr, tb = w.graph["scenes"]
    assert not whole_in(lr, 592, 560)  # why TB is there: LR needs a zoom below 0.45
    assert whole_in(tb, 592, 520)  # the player's viewport is the shortest, 520 px
    json.dumps(w.graph, allow_nan=False)


def test_the_player_sends_both_directions_too_and_the_slope_scenes_with_the_check() -> None:
    player = animate_backward(lecture_l())
    assert directions(player.graph) == ["LR", "TB"]
    check_fits(player.graph)
    checked = animate_backward(lecture_l(), gradcheck=True)
    assert directions(checked.graph, slopes=False) == ["LR", "TB"]
    assert directions(checked.graph, slopes=True) == ["LR", "TB"]
    plain = {s["rankdir"]: s for s in checked.graph["scenes"] if not s["slopes"]}
    tall = {s["rankdir"]: s for s in checked.graph["scenes"] if s["slopes"]}
    a = checked.graph["label"].index("a")
    height = 4 * a + 3  # boxes: x, y, width, height per box
    assert tall["LR"]["boxes"][height] > plain["LR"]["boxes"][height]


def test_a_rankdir_the_user_gave_is_the_only_scene() -> None:
    for rankdir in ("LR", "TB"):
        assert directions(draw(neuron(), rankdir=rankdir).graph) == [rankdir]
        assert directions(animate_backward(lecture_l(), rankdir=rankdir).graph) == [rankdir]
    graph = draw(neuron(), rankdir="TB").graph
    tb = scene_from_json(graph["scenes"][0], graph)
    o = tb.boxes[-1]
    assert all(b.y < o.y for b in tb.boxes[:-1])  # the root at the bottom


@pytest.mark.parametrize("bad", ["RL", "lr", "", None, 1])
def test_a_bad_rankdir_is_refused_naming_the_argument_and_the_choices(bad) -> None:
    for call in (lambda: draw(neuron(), rankdir=bad),
                 lambda: animate_backward(lecture_l(), rankdir=bad)):
        with pytest.raises(ValueError, match=r"rankdir must be 'auto' .*'LR' .*'TB' .*got"):
            call()


def test_a_graph_whole_left_to_right_even_at_592_px_gets_no_second_scene() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    graph = draw(a * b).graph
    assert directions(graph) == ["LR"]
    assert whole_in(graph["scenes"][0], 592, 560)


def test_a_big_graph_starts_left_to_right_as_before() -> None:
    random.seed(0)
    model = MLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, [1.0, -1.0, -1.0, 1.0], strict=True)),
               Value(0.0))
    w = draw(loss, collapse="none")
    assert directions(w.graph) == ["LR"]
    check_fits(w.graph)


def test_expanding_and_folding_send_new_scenes_for_the_new_boxes() -> None:
    random.seed(1)
    model = MLP(2, [16, 16, 1])
    loss = sum((model([Value(0.1 * k), Value(-0.2 * k)]) for k in range(30)), Value(0.0))
    w = draw(loss)
    assert w.graph["collapsed"]
    assert directions(w.graph) == ["LR"]  # a folded picture is a map: it starts as before
    check_fits(w.graph)
    folded = next(k for k, kind in zip(w.graph["id"], w.graph["kind"], strict=True)
                  if kind == "group")
    w.expand(folded)
    check_fits(w.graph)
    assert folded in w.opened
    w.collapse(folded)
    check_fits(w.graph)


def test_the_gradcheck_display_has_its_own_scenes_in_the_graph_widget() -> None:
    w = draw(neuron(), gradcheck=True)
    assert directions(w.graph, slopes=True) == ["LR", "TB"]
    assert directions(w.graph, slopes=False) == ["LR", "TB"]
    w2 = draw(neuron())
    assert all(not s["slopes"] for s in w2.graph["scenes"])
    w2.gradcheck = True  # the page's toggle: Python measures and re-sends with the slope scenes
    assert directions(w2.graph, slopes=True) == ["LR", "TB"]


def test_the_neuron_panel_sends_scenes() -> None:
    from micrograd_widgets import TrainerWidget

    w = TrainerWidget(hidden=(5, 6), seed=2)
    data = w.neuron_graph_data(1, 2, (0.3, -0.4))
    assert data["scenes"] and data["scenes"][0]["rankdir"] == "LR"
    check_fits(data)


def test_the_saved_page_carries_every_scene_it_needs() -> None:
    w = draw(neuron(), gradcheck=True)
    page = standalone_html(w, "t")
    for s in w.graph["scenes"]:
        assert json.dumps(s["boxes"], separators=(",", ":")) in page
    assert page.count('"slopes":true') == 2 and page.count('"slopes":false') == 2


def test_the_built_bundles_carry_no_layout() -> None:
    """The layered layout (js/graph/layered.ts, with its crossing search) left the page: its
    options' names, which minifying keeps, appear in no bundle."""
    bundles = sorted(STATIC.glob("*.js"))
    assert bundles, "build the JS first (npm run build)"
    for path in bundles:
        text = path.read_text(encoding="utf-8")
        for marker in ("ranksep", "nodesep"):
            assert marker not in text, f"{path.name} still carries the layout ({marker})"
