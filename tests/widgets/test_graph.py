"""draw() / GraphWidget: arguments, refresh, expand, to_graphviz escaping, save_html, state size."""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest

from micrograd_widgets import draw
from micrograd_widgets.engine import Value
from micrograd_widgets.graph import COLLAPSE_MODES, trace
from micrograd_widgets.nn import MLP


def mlp_output() -> Value:
    random.seed(0)
    return MLP(3, [4, 4, 1])([Value(1.0), Value(-2.0), Value(0.5)])


def test_draw_sends_every_value_of_a_small_graph() -> None:
    out = mlp_output()
    w = draw(out)
    g = trace(out)
    assert w.graph["id"] == g.ids
    assert w.graph["collapsed"] is False
    pairs = list(zip(w.graph["edges"][::2], w.graph["edges"][1::2], strict=False))
    assert [(f"n{a}", f"n{b}") for a, b in pairs] == g.edges
    assert w.graph["data"] == [n["data"] for n in g.nodes]


def test_draw_accepts_a_list_of_roots() -> None:
    a = Value(1.0, label="a")
    w = draw([a * 2, a + 3], rankdir="TB")
    assert w.graph["rankdir"] == "TB" and len(w.graph["id"]) == 5


VALUES = "a micrograd-like Value (with numeric .data and .grad) or a non-empty list of them"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"root_or_roots": 3.0}, f"root_or_roots must be {VALUES}, got float: 3.0"),
        ({"root_or_roots": []}, f"root_or_roots must be {VALUES}, got list: []"),
        ({"root_or_roots": [Value(1.0), "x"]}, f"root_or_roots must be {VALUES}, got list"),
        ({"root_or_roots": "abc"}, f"root_or_roots must be {VALUES}, got str: 'abc'"),
        ({"root_or_roots": Value(1.0), "rankdir": "RL"},
         "rankdir must be 'auto' (left to right, or top to bottom where only that fits the "
         "cell), 'LR' (left to right) or 'TB' (top to bottom), got 'RL'"),
        ({"root_or_roots": Value(1.0), "rankdir": "lr"}, "rankdir must be 'auto' "),
        ({"root_or_roots": Value(1.0), "collapse": "yes"},
         f"collapse must be one of {COLLAPSE_MODES}, got 'yes'"),
    ],
)
def test_draw_errors_name_the_argument_and_what_is_allowed(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        draw(**kwargs)


def test_refresh_rereads_data_and_grad_without_new_layout() -> None:
    out = mlp_output()
    w = draw(out)
    graph_before = w.graph
    out.backward()
    w.refresh()
    assert w.graph is graph_before  # structure untouched: the browser keeps its layout
    g = trace(out)
    assert w.values["grad"] == [float(v.grad) for v in g.values]
    assert w.values["grad"][-1] == 1.0 and w.values["version"] == w.graph["version"]


def test_a_new_graph_carries_its_numbers_once() -> None:
    """The saved notebook keeps each number once: `values` holds only the graph's version until
    refresh() (the page draws the graph's own numbers), and the picture shows them."""
    out = mlp_output()
    out.backward()
    w = draw(out)
    assert w.values == {"version": w.graph["version"]}
    assert w.graph["grad"][-1] == 1.0
    assert "grad 1.0000" in w.to_svg()


def test_expand_message_opens_a_group_and_bad_requests_are_ignored() -> None:
    a = Value(0.0)
    random.seed(1)
    model = MLP(2, [8, 8, 1])
    out = sum((model([Value(k / 7), a]) for k in range(8)), Value(0.0))
    w = draw(out)
    assert w.graph["collapsed"]
    folded = [k for k, kind in zip(w.graph["id"], w.graph["kind"], strict=False) if kind == "group"]
    assert folded
    version = w.graph["version"]
    w._on_message(w, {"type": "expand", "group": folded[0]}, [])
    assert w.graph["version"] == version + 1 and folded[0] not in w.graph["id"]
    w._on_message(w, {"type": "expand", "group": "<nope>"}, [])  # ignored, no exception
    w._on_message(w, "garbage", [])
    with pytest.raises(ValueError, match="group"):
        w.expand("<nope>")
    w.collapse_all()
    assert folded[0] in w.graph["id"]


def test_a_refused_expand_says_why_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    from micrograd_widgets import graph as g

    x = Value(0.5)
    for _ in range(1000):
        x = (x * 0.9 + 0.1).relu()
    w = draw(x)
    run = next(k for k, kind in zip(w.graph["id"], w.graph["kind"], strict=True) if kind == "group")
    monkeypatch.setattr(g, "HARD_LIMIT", 100)
    notices: list[str] = []
    w.observe(lambda change: notices.append(change["new"]), "notice")
    version = w.graph["version"]
    w._on_message(w, {"type": "expand", "group": run}, [])
    w._on_message(w, {"type": "expand", "group": run}, [])
    refusal = f"Expanding {run} would show"
    said = [n for n in notices if n]
    assert len(said) == 2 and said[0] == said[1] and said[0].startswith(refusal)
    assert w.graph["version"] == version  # nothing changed on the page but the notice


def test_collapse_groups_keeps_folding_when_a_small_graph_is_expanded() -> None:
    random.seed(1337)
    model = MLP(3, [4, 4, 1], activation="tanh")
    w = draw(model([2.0, 3.0, -1.0]), collapse="groups")
    assert w.graph["collapsed"]
    w.expand("layer0/neuron0")
    kinds = dict(zip(w.graph["id"], w.graph["kind"], strict=True))
    assert "layer0/neuron0" not in kinds and kinds["layer0/neuron1"] == "group"
    w.collapse_all()
    assert dict(zip(w.graph["id"], w.graph["kind"], strict=True))["layer0/neuron0"] == "group"


def test_collapse_folds_an_opened_box_again_with_what_was_opened_inside() -> None:
    from tests.graph.test_tracing import moons_loss

    w = draw(moons_loss())
    start = w.graph["id"]
    assert "layer1" in w.opened and "layer1/neuron3" in start
    w.expand("layer1/neuron3")
    assert w.graph["focus"] == "layer1/neuron3" and "layer1/neuron3" not in w.graph["id"]
    opened = w.graph["opened"]
    assert opened.index("layer1") == w.graph["openedParent"][opened.index("layer1/neuron3")]
    sums = [k for k, kind in zip(w.graph["id"], w.graph["kind"], strict=True) if kind == "sum"]
    inner = next(k for k in sums if int(k[5:]) in _values_in(w, "layer1/neuron3"))
    w.expand(inner)
    assert inner in w.opened
    # folding the neuron folds its Σ too: the very first picture again
    version = w.graph["version"]
    w._on_message(w, {"type": "collapse", "group": "layer1/neuron3"}, [])
    assert w.graph["id"] == start and w.graph["version"] == version + 1
    assert w.graph["focus"] == "layer1/neuron3" and inner not in w.expanded
    # a whole layer folds into one box
    w.collapse("layer1")
    assert "layer1" in w.graph["id"] and not any(k.startswith("layer1/") for k in w.graph["id"])
    kind = dict(zip(w.graph["id"], w.graph["kind"], strict=True))
    assert kind["layer1"] == "group" and "layer1" not in w.opened
    w.expand("layer1")
    assert "layer1/neuron3" in w.graph["id"]


def _values_in(w, group: str) -> set[int]:
    return {i for i, g in enumerate(w.trace.groups) if g == group}


def test_collapse_rejects_boxes_that_are_not_opened_and_ignores_stale_messages() -> None:
    from tests.graph.test_tracing import moons_loss

    w = draw(moons_loss())
    with pytest.raises(ValueError, match=r"group must be one of the opened boxes \('layer2'"):
        w.collapse("layer1/neuron3")  # folded already
    version = w.graph["version"]
    w._on_message(w, {"type": "collapse", "group": "layer9"}, [])
    w._on_message(w, {"type": "collapse", "group": 3}, [])
    w._on_message(w, {"type": "expand", "group": w.graph["id"][-1]}, [])  # a Value, not a box
    assert w.graph["version"] == version
    small = draw(mlp_output())
    assert small.opened == [] and "opened" not in small.graph
    with pytest.raises(ValueError, match=r"opened boxes \(there are none\)"):
        small.collapse("layer0")


# ---------------------------------------------------------------------------- graphviz


def split_record(label: str) -> list[str]:
    """Independent reading of a DOT record label '{ a | b | c }': unescape, split on bare '|'."""
    assert label.startswith("{") and label.endswith("}")
    body = label[1:-1]
    fields, cur, k = [], "", 0
    while k < len(body):
        ch = body[k]
        if ch == "\\" and k + 1 < len(body):
            nxt = body[k + 1]
            cur += "\n" if nxt == "n" else nxt
            k += 2
            continue
        assert ch not in '{}<>"', f"unescaped {ch!r} in {label!r}"
        if ch == "|":
            fields.append(cur.strip())
            cur = ""
        else:
            cur += ch
        k += 1
    fields.append(cur.strip())
    return fields


def dot_labels(source: str) -> dict[str, str]:
    """node name -> label string, read from DOT source (handles escaped quotes)."""
    out = {}
    for m in re.finditer(r'^\s*(\w+) \[label="((?:[^"\\]|\\.)*)"', source, re.M):
        out[m.group(1)] = m.group(2)
    return out


def test_to_graphviz_matches_draw_dot_and_needs_no_dot_binary(monkeypatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert shutil.which("dot") is None
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    c.backward()
    dot = draw(c).to_graphviz()
    assert dot.graph_attr["rankdir"] == "LR"
    labels = dot_labels(dot.source)
    assert split_record(labels["n2"]) == ["c", "data -6.0000", "grad 1.0000"]
    assert split_record(labels["n0"]) == ["a", "data 2.0000", "grad -3.0000"]
    assert labels["n2_op"] == "*"
    for edge in ("n2_op -> n2", "n0 -> n2_op", "n1 -> n2_op"):
        assert edge in dot.source


@pytest.mark.parametrize(
    "label",
    ["a|b", "{x}", "<y>", 'say "hi"', "back\\slash", "\\n not a newline", "tab\ttab",
     "<img src=x>"],
)
def test_to_graphviz_escapes_record_labels(label: str) -> None:
    v = Value(1.5, label=label)
    labels = dot_labels(draw(v).to_graphviz().source)
    assert split_record(labels["n0"]) == [label.strip(), "data 1.5000", "grad 0.0000"]


# ---------------------------------------------------------------------------- save_html / size


def test_save_html_is_self_contained(tmp_path: Path) -> None:
    out = mlp_output()
    out.label = "</script><script>alert(1)</script>"
    path = draw(out).save_html(tmp_path / "graph.html")
    html = path.read_text(encoding="utf-8")
    assert html.count("<script") == 3  # state, bundle, loader: the label did not add one
    assert "</script><script>alert(1)" not in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)
    views = json.loads(re.search(r'id="mgw-states">(.*?)</script>', html, re.S).group(1))
    state = views[0]["state"]
    assert state["graph"]["id"] == trace(out).ids and state["_standalone"] is True
    with pytest.raises(ValueError, match="path"):
        draw(out).save_html(tmp_path / "graph.txt")


def saved_state_bytes(widget) -> int:
    """What the notebook stores for one widget instance: its full state as JSON (incl. _esm)."""
    state = widget.get_state()
    return len(json.dumps(state, separators=(",", ":")).encode("utf-8"))


def test_saved_state_per_widget_stays_small() -> None:
    small = draw(mlp_output())
    assert len(small.get_state()["_esm"].encode()) < 100_000
    assert saved_state_bytes(small) <= 200_000
    from tests.graph.test_tracing import moons_loss  # the ~60k-node lecture loss, collapsed

    big = draw(moons_loss())
    assert big.graph["collapsed"]
    assert saved_state_bytes(big) <= 200_000
