"""graph.scene: box sizes in the page's fixed monospace metrics, and the scene of a payload."""

from __future__ import annotations

import json
import math

import pytest

from micrograd_widgets.graph import payload, trace, view
from micrograd_widgets.graph.layout.scene import (
    METRICS,
    Metrics,
    box_size,
    fixed4,
    layout_input,
    layout_scene,
    op_size,
    record_cells,
)
from micrograd_widgets.graph.layout.wire import FIELDS, scene_from_json, scene_json
from tests.lecture_graphs import lecture_l as lecture_l_value


def lecture_l() -> dict:
    g = trace(lecture_l_value(backward=True))
    return payload(view(g), g)


def payload_of_expression(seed: int) -> dict:
    from tests.graph.layout_quality import random_expression

    g = trace(random_expression(seed, 28))
    return payload(view(g, "none"), g)


def payload_of_mlp(sizes: list[int], collapse: str = "none") -> dict:
    import random

    from micrograd_widgets.engine import Value
    from micrograd_widgets.nn import MLP

    random.seed(0)
    g = trace(MLP(3, sizes)([Value(1.0), Value(-2.0), Value(0.5)]))
    return payload(view(g, collapse), g)


def index(p: dict, label: str) -> int:
    return p["label"].index(label)


def test_metrics_are_the_pages() -> None:
    assert (METRICS.char_width, METRICS.line_height, METRICS.pad) == (7.2, 26, 6)


def test_record_cells_read_like_draw_dot() -> None:
    p = lecture_l()
    assert record_cells(p, index(p, "a")) == ["a", "data 2.0000", "grad 6.0000"]
    assert record_cells(p, index(p, "L")) == ["L", "data -8.0000", "grad 1.0000"]


def test_box_widths_by_hand() -> None:
    p = lecture_l()
    i = index(p, "a")
    a = box_size(p, i)
    # label "a": 1 char; "data 2.0000" is 11 chars but number cells are 14 wide (data -123.4567)
    assert a.cells == pytest.approx([1 * 7.2 + 12, 14 * 7.2 + 12, 14 * 7.2 + 12])
    assert a.width == pytest.approx(19.2 + 112.8 + 112.8) and a.height == 26
    p["data"][i] = -1234.5
    wide = box_size(p, i)
    assert wide.cells[1] == pytest.approx(len("data -1234.5000") * 7.2 + 12)
    p["label"][i] = ""
    assert box_size(p, i).cells[0] == pytest.approx(2 * 6 + 7.2)


def test_slopes_sit_under_the_grad() -> None:
    p = lecture_l()
    i = index(p, "a")
    p["slope"] = [None] * len(p["id"])
    p["slope"][i] = 6.0
    cells = record_cells(p, i, slopes=True)
    assert cells[-1] == "slope 6.0000"
    plain, checked = box_size(p, i), box_size(p, i, slopes=True)
    # the slope shares the grad's cell (15 chars wide for "slope -123.4567"): taller, and one
    # character wider at most
    assert checked.cells[2] == pytest.approx(15 * 7.2 + 12) and plain.height == 26
    assert checked.height == 2 * 26 - 8


def test_group_boxes_and_sums() -> None:
    p = {"id": ["g", "s"], "kind": ["group", "sum"], "label": ["layer1/neuron2", ""],
         "count": [12, 1], "terms": [0, 100], "data": [None, 1.0], "grad": [None, 0.0]}
    g = box_size(p, 0)
    assert g.cells == [] and g.height == 2 * 26 - 8
    assert g.width == pytest.approx(len("layer1/neuron2") * 7.2 + 12 + 12)
    assert record_cells(p, 1)[0] == "Σ 100 terms"


def test_op_sizes() -> None:
    assert (op_size("+").width, op_size("+").height) == (28, 24)
    assert op_size("tanh").width == pytest.approx(4 * 7.2 + 16)
    assert op_size("tanh", Metrics(char_width=10)).width == 56


def test_fixed4_is_javascripts_to_fixed() -> None:
    assert fixed4(2.0) == "2.0000" and fixed4(-0.0) == "-0.0000"
    assert fixed4(-0.00001) == "-0.0000" and fixed4(0.03125) == "0.0313"  # ties away from 0
    assert fixed4(math.nan) == "nan" and fixed4(-math.inf) == "-inf"


def test_layout_input_adds_op_nodes_like_data_ts() -> None:
    p = lecture_l()
    inp = layout_input(p)
    n = len(p["id"])
    with_op = [i for i in range(n) if p["op"][i]]
    assert len(inp.nodes) == n + len(with_op)
    assert [inp.op_index[i] for i in with_op] == list(range(n, n + len(with_op)))
    m = len(p["edges"]) // 2
    for e in range(m):  # payload edges go into the target's op node
        b = p["edges"][2 * e + 1]
        assert inp.edge_to[e] == inp.op_index[b]
    assert list(zip(inp.edge_from[m:], inp.edge_to[m:], strict=True)) == [
        (inp.op_index[i], i) for i in with_op]


def test_scene_places_every_box_and_routes_every_edge() -> None:
    p = lecture_l()
    for rankdir in ("LR", "TB"):
        s = layout_scene(p, rankdir)
        n = len(p["id"])
        assert s.rankdir == rankdir and len(s.boxes) == len(s.sizes) == len(s.ops) == n
        assert len(s.edge_points) == len(p["edges"]) // 2
        for i in range(n):
            assert (s.boxes[i].width, s.boxes[i].height) == (s.sizes[i].width, s.sizes[i].height)
            assert (s.ops[i] is None) == (p["op"][i] == "") == (s.op_edge_points[i] is None)
        axis = 0 if rankdir == "LR" else 1
        for e in range(len(s.edge_points)):
            b = p["edges"][2 * e + 1]
            target = s.ops[b]
            end = s.edge_points[e][-1]
            edge = (target.x - target.width / 2) if axis == 0 else (target.y - target.height / 2)
            assert end[axis] == pytest.approx(edge)


def test_the_wire_json_has_the_fields_wire_ts_reads() -> None:
    s = layout_scene(lecture_l())
    j = scene_json(s)
    assert set(j) == set(FIELDS)
    json.dumps(j, allow_nan=False)
    n = len(s.boxes)
    assert len(j["boxes"]) == 4 * n and len(j["cells"]) == n
    assert len(j["ops"]) == 4 * len(j["opBoxes"])
    assert all(round(v, 1) == v for v in j["boxes"] + j["ops"] + j["ranks"])


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize("make", [lecture_l, lambda: payload_of_mlp([4, 4, 1]),
                                  lambda: payload_of_mlp([16, 16, 1], collapse="auto"),
                                  lambda: payload_of_expression(1001)],
                         ids=["L", "mlp", "folded mlp", "expression"])
def test_the_wire_json_gives_back_every_point(make, rankdir: str) -> None:
    """What the page (js/graph/wire.ts) and the pictures rebuild is the layout, to 0.1 px: every
    box, op ellipse and edge point, long edges through their dummies included."""
    p = make()
    s = layout_scene(p, rankdir)
    back = scene_from_json(json.loads(json.dumps(scene_json(s))), p)
    assert back.rankdir == s.rankdir and len(back.boxes) == len(s.boxes)
    near = pytest.approx

    def flat(places):
        return [v for q in places if q is not None for v in (q.x, q.y, q.width, q.height)]

    assert flat(back.boxes) == near(flat(s.boxes), abs=0.051)
    assert flat(back.ops) == near(flat(s.ops), abs=0.051)
    assert [c for z in back.sizes for c in z.cells] == near([c for z in s.sizes for c in z.cells],
                                                             abs=0.051)
    for mine, theirs in ((back.edge_points, s.edge_points),
                         (back.op_edge_points, s.op_edge_points)):
        assert [len(e or []) for e in mine] == [len(e or []) for e in theirs]
        pts = [v for e in theirs for q in e or [] for v in q]
        assert [v for e in mine for q in e or [] for v in q] == near(pts, abs=0.11)
    if make.__name__ == "<lambda>" and "expression" in make.__code__.co_names:
        # long edges through dummies: the routes are exercised
        assert any(len(e) > 2 for e in s.edge_points + [e for e in s.op_edge_points if e])


def test_a_wire_json_that_does_not_fit_its_payload_is_refused() -> None:
    p = lecture_l()
    j = scene_json(layout_scene(p))
    with pytest.raises(ValueError, match="boxes"):
        scene_from_json({**j, "boxes": j["boxes"][:-4]}, p)
    with pytest.raises(ValueError, match="opBoxes"):
        scene_from_json({**j, "opBoxes": [99]}, p)
    with pytest.raises(ValueError, match="route"):
        scene_from_json({**j, "routes": [[0, 50, 1.0]]}, p)
    with pytest.raises(ValueError, match="rankdir"):
        scene_from_json({**j, "rankdir": "RL"}, p)


def test_bad_payloads_are_named() -> None:
    with pytest.raises(ValueError, match="payload"):
        layout_scene({"nodes": []})
    with pytest.raises(ValueError, match="rankdir"):
        layout_scene(lecture_l(), "RL")
    p = lecture_l()
    p["label"] = p["label"][:-1]
    with pytest.raises(ValueError, match="'label'"):
        layout_scene(p)
    p = lecture_l()
    p["edges"] = [0, 99]
    with pytest.raises(ValueError, match="outside"):
        layout_scene(p)
