"""Write the graph payloads the JS tests draw, with the scenes Python laid out for them.

    python scripts/layout_fixtures.py          # -> js/graph/fixtures/*.json

The lecture's graphs: the tanh neuron (10 Values), the 7-Value L, MLP(3, [4, 4, 1])'s loss on
the lecture's four samples folded as draw() folds it and with one neuron opened, and a random
expression (seeded); the small hand-made payloads of js/graph/*.test.ts and js/widgets/*.test.ts
(laid out by the same graph.scenes the widgets use); and the player's recording of L
(animate_backward, js/player/lecture.fixture.ts). The page has no layout of its own, so these are
the inputs of its tests: committed; rerun this when payload() or the layout changes.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.lecture_graphs

from micrograd_widgets import graph as g
from micrograd_widgets.engine import Value
from micrograd_widgets.graph.layout.scenes import scenes, with_scenes
from micrograd_widgets.nn import MLP
from tests import lecture_graphs
from tests.lecture_graphs import neuron

OUT = Path(__file__).resolve().parents[1] / "js" / "graph" / "fixtures"


def lecture_l() -> Value:
    return lecture_graphs.lecture_l(backward=True)


def mlp_loss() -> Value:
    random.seed(1337)
    model = MLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    preds = [model(x) for x in xs]
    loss = sum(((p - y) ** 2 for p, y in zip(preds, ys, strict=True)), Value(0.0))
    loss.label = "loss"
    loss.backward()
    return loss


def random_expression(seed: int = 7, size: int = 40) -> Value:
    rng = random.Random(seed)
    pool = [Value(round(rng.uniform(-2, 2), 2), label=f"x{k}") for k in range(8)]
    for _ in range(size):
        a, b = rng.sample(pool, 2)
        op = rng.choice(["+", "*", "tanh"])
        out = a.tanh() if op == "tanh" else (a + b if op == "+" else a * b)
        pool.append(out)
    root = sum(pool[-8:], Value(0.0))
    root.backward()
    return root


def write(
    name: str, root: Value, collapse: g.Collapse = "auto", expand: tuple[str, ...] = ()
) -> None:
    graph = g.trace(root)
    v = g.view(graph, collapse)
    if expand:
        v = g.view(graph, collapse, v.expanded | set(expand))
    data = g.payload(v, graph)
    dump(name, data)
    print(f"{name}: {len(data['id'])} boxes, {len(data['edges']) // 2} edges, {len(graph)} Values")


def routes(name: str) -> None:
    """`name`'s left-to-right layout as Python has it, every edge's points (wire.ts rebuilds them
    from the compact scene: data.test.ts compares)."""
    from micrograd_widgets.graph.layout.scene import layout_scene

    payload = json.loads((OUT / f"{name}.json").read_text())
    scene = layout_scene(payload, "LR")

    def pts(points: Any) -> Any:
        return None if points is None else [[round(x, 1), round(y, 1)] for x, y in points]

    dump(f"{name}_points", {"edgePoints": [pts(e) for e in scene.edge_points],
                            "opEdgePoints": [pts(e) for e in scene.op_edge_points]})


def dump(name: str, data: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(data, separators=(",", ":")) + "\n")


def both(payload: dict[str, Any]) -> dict[str, Any]:
    """A hand-made payload with a left-to-right and a top-to-bottom scene, whatever its size."""
    return {**payload, "rankdir": "auto", "scenes": scenes(payload, "LR") + scenes(payload, "TB")}


def chain(steps: int) -> dict[str, Any]:
    """x -> (+0.5) -> (*1.01) -> tanh -> ... as payload() sends it (data.test.ts's chains)."""
    ids, ops, edges = ["n0"], [""], []
    last = 0
    for s in range(steps):
        if s % 3 == 2:
            ids.append(f"n{len(ids)}")
            ops.append("tanh")
            edges += [last, len(ids) - 1]
        else:
            ids.append(f"n{len(ids)}")
            ops.append("")  # the constant
            c = len(ids) - 1
            ids.append(f"n{len(ids)}")
            ops.append("+" if s % 3 == 0 else "*")
            edges += [last, len(ids) - 1, c, len(ids) - 1]
        last = len(ids) - 1
    return {"id": ids, "op": ops, "data": [1] * len(ids), "grad": [0] * len(ids), "edges": edges}


HOSTILE = "<img src=x onerror=alert(1)>"
HAND_MADE: dict[str, dict[str, Any]] = {
    # a = 2, b = -3, c = a * b (the lecture's first graph)
    "abc": {
        "version": 1, "total": 3, "collapsed": False, "id": ["n0", "n1", "n2"],
        "kind": ["value"] * 3, "label": ["a", "b", "c"], "op": ["", "", "*"],
        "count": [1, 1, 1], "terms": [0, 0, 0], "data": [2, -3, -6], "grad": [-3, 2, "NaN"],
        "edges": [0, 2, 1, 2],
    },
    # view.test.ts: three Values and a folded group, one label hostile markup
    "view_make": {
        "id": ["n0", "n1", "n2", "layer0"], "kind": ["value", "value", "value", "group"],
        "label": [HOSTILE, "b", "c", "layer0"], "op": ["", "", "*", ""], "count": [1, 1, 1, 40],
        "data": [2, -3, -6, None], "grad": [0, 0, 0, None], "edges": [0, 2, 1, 2, 3, 1],
    },
    # view.test.ts: a folded picture after the user opened layer0/neuron1
    "view_opened": {
        "id": ["layer0/neuron0", "n5", "n6", "n9"], "kind": ["group", "value", "value", "value"],
        "label": ["layer0/neuron0", "w0", "", "out"], "op": ["", "", "ReLU", "+"],
        "count": [60, 1, 1, 1], "data": [None, 0.5, 0.5, 1], "grad": [None, 0, 0, 0],
        "edges": [0, 3, 1, 2, 2, 3], "collapsed": True, "total": 63,
        "opened": ["layer0", "layer0/neuron1"], "openedParent": [-1, 0], "scope": [0, 1, 1, 0],
        "focus": "layer0/neuron1",
    },
    # view.test.ts: a tanh chain of 80 Values
    "view_chain80": {
        "id": [f"n{i}" for i in range(80)], "op": ["" if i == 0 else "tanh" for i in range(80)],
        "edges": [k for i in range(79) for k in (i, i + 1)],
    },
    # graph.test.ts: two folded runs of an unrolled loop feeding its output
    "widget_loop": {
        "version": 0, "total": 1001, "collapsed": True,
        "id": ["values n0–n499", "values n500–n999", "n1000"], "kind": ["group", "group", "value"],
        "label": ["values n0–n499", "values n500–n999", "out"], "op": ["", "", "ReLU"],
        "count": [500, 500, 1], "terms": [0, 0, 0], "data": [None, None, 0.5],
        "grad": [None, None, 0], "edges": [0, 1, 1, 2],
    },
    # graph.test.ts: b = a + a with the classic bug (a.grad 1, its slope 2)
    "widget_buggy": {
        "version": 3, "id": ["n0", "n1"], "label": ["a", "b"], "op": ["", "+"], "data": [3, 6],
        "grad": [1, 1], "edges": [0, 1, 0, 1], "source": ["a = Value(3.0)", "b = a + a"],
        "edgeGrad": [1, 1],
    },
}


def lecture_player() -> dict[str, Any]:
    """animate_backward(L)'s recording: js/player/lecture.fixture.ts (tests/widgets checks it)."""
    from micrograd_widgets.widgets.backprop import animate_backward

    w = animate_backward(lecture_l())
    return json.loads(json.dumps({"graph": w.graph, "frames": w.frames, "forward": w.forward}))


if __name__ == "__main__":
    write("neuron", neuron())
    write("lecture_l", lecture_l())
    write("mlp_loss_folded", mlp_loss(), "groups")
    write("mlp_loss_opened", mlp_loss(), "groups", ("layer1/neuron2",))
    write("random_expression", random_expression())
    routes("random_expression")
    for name, payload in HAND_MADE.items():
        dump(name, with_scenes(payload))
    dump("abc_both", both(HAND_MADE["abc"]))
    dump("widget_buggy_checked", with_scenes({**HAND_MADE["widget_buggy"], "slope": [2, 1],
                                              "check": ["fail", "ok"]}))
    for steps in (6, 12, 60):
        dump(f"chain_{steps}", both(chain(steps)))
    player = lecture_player()
    dump("lecture_player", player)
    # backprop.test.ts: what the player re-sends with the check on (b's verdict made to fail)
    dump("lecture_player_checked", with_scenes({
        **player["graph"], "slope": [6, -4, -2, -2, -2, 4, 1],
        "check": ["ok", "fail", "ok", "ok", "ok", "ok", "ok"],
    }))
    print("hand-made payloads, chains and the player's recording written to", OUT)
