"""trace() and view(): every Value once, deterministic ids, any micrograd-like Value, folding."""

from __future__ import annotations

import random

import pytest

from micrograd_widgets.engine import Value
from micrograd_widgets.graph import HARD_LIMIT, THRESHOLD, payload, trace, view
from micrograd_widgets.nn import MLP
from tests.lecture_value import LectureValue, lecture_expression


def reachable(root: object) -> tuple[set[int], set[tuple[int, int]]]:
    """Independent recursive walk (like the lecture's trace) over object ids."""
    nodes: set[int] = set()
    edges: set[tuple[int, int]] = set()
    objects: dict[int, object] = {}

    def build(v: object) -> None:
        if id(v) in nodes:
            return
        nodes.add(id(v))
        objects[id(v)] = v
        kids = getattr(v, "_prev", None)
        if kids is None:
            kids = v.prev  # type: ignore[attr-defined]
        for child in kids:
            edges.add((id(child), id(v)))
            build(child)

    build(root)
    return nodes, edges


def test_trace_lecture_expression_matches_an_independent_walk() -> None:
    L = lecture_expression()
    g = trace(L)
    nodes, edges = reachable(L)
    assert {id(v) for v in g.values} == nodes
    by_id = {n: id(v) for n, v in zip(g.ids, g.values, strict=False)}
    assert {(by_id[c], by_id[p]) for c, p in g.edges} == edges
    assert len(g.edges) == len(edges)  # every edge once
    labels = {n["label"]: n for n in g.nodes}
    assert labels["L"]["data"] == -8.0 and labels["L"]["op"] == "*"
    assert labels["a"]["op"] == "" and labels["d"]["op"] == "+"
    assert g.nodes[-1]["label"] == "L"  # children before parents: the root is last


def test_children_come_before_parents_and_ids_are_deterministic() -> None:
    def build() -> Value:
        random.seed(3)
        return MLP(3, [4, 4, 1])([Value(1.0), Value(-2.0), Value(0.5)])

    g1, g2 = trace(build()), trace(build())
    assert g1.edges == g2.edges
    assert [n["label"] for n in g1.nodes] == [n["label"] for n in g2.nodes]
    position = {n: k for k, n in enumerate(g1.ids)}
    assert all(position[c] < position[p] for c, p in g1.edges)


def test_square_has_one_edge_and_roots_share_nodes() -> None:
    a = Value(3.0, label="a")
    sq = a * a
    other = a + 1
    g = trace(sq, other)
    assert len(g.nodes) == 4  # a, sq, the constant 1, other
    assert g.edges.count(("n0", "n1")) == 1
    assert sorted(g.roots) == sorted([g.index_of(sq), g.index_of(other)])


def test_deep_chain_is_iterative() -> None:
    x = Value(0.0)
    for _ in range(30_000):
        x = x + 1
    g = trace(x)
    assert len(g) == 60_001
    assert g.values[-1] is x


def test_micrograd_0_1_0_values() -> None:
    from micrograd.engine import Value as MValue

    a, b = MValue(2.0), MValue(-3.0)
    out = (a * b + a).relu()
    out.backward()
    g = trace(out)
    nodes, edges = reachable(out)
    assert {id(v) for v in g.values} == nodes and len(g.edges) == len(edges)
    assert [n["op"] for n in g.nodes].count("*") == 1
    assert all(n["label"] == "" and n["group"] is None for n in g.nodes)
    assert g.nodes[-1]["op"] == "ReLU"


def test_ids_do_not_depend_on_set_order_for_look_alike_children() -> None:
    """micrograd keeps children in a set; (1 + 2) and (0.5 + 2.5) look alike one level down."""
    from micrograd.engine import Value as MValue

    kept, orders = [], set()
    for _ in range(30):  # fresh objects each time: their set order varies with their addresses
        out = (MValue(1.0) + MValue(2.0)) * (MValue(0.5) + MValue(2.5))
        kept.append(out)
        orders.add(tuple(n["data"] for n in trace(out).nodes))
    assert len(orders) == 1


def test_lecture_variant_values() -> None:
    a, b = LectureValue(1.0, label="a"), LectureValue(2.0, label="b")
    c = a + b
    c.label = "c"
    g = trace(c)
    assert [n["label"] for n in g.nodes] == ["a", "b", "c"]
    assert g.nodes[2]["op"] == "+" and g.edges == [("n0", "n2"), ("n1", "n2")]


@pytest.mark.parametrize("bad", [3.0, "x", None, object()])
def test_trace_rejects_non_values(bad: object) -> None:
    with pytest.raises(ValueError, match="roots"):
        trace(bad)
    with pytest.raises(ValueError):
        trace()


def test_nodes_carry_groups_from_nn() -> None:
    random.seed(0)
    out = MLP(2, [3, 1])([Value(1.0), Value(2.0)])
    groups = {n["group"] for n in trace(out).nodes}
    assert {"layer0/neuron0", "layer0/neuron2", "layer1/neuron0", None} <= groups


# ---------------------------------------------------------------------------- view


def moons_loss(n: int = 100) -> Value:
    """The lecture's moons loss: n points through MLP(2, [16, 16, 1]), hinge + 1e-4 L2."""
    rng = random.Random(1)
    X = [(rng.uniform(-1, 2), rng.uniform(-0.5, 1)) for _ in range(n)]
    y = [1 if k % 2 else -1 for k in range(n)]
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    scores = [model([Value(a), Value(b)]) for a, b in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=False)]
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + 1e-4 * sum(p * p for p in model.parameters())


@pytest.fixture(scope="module")
def moons() -> tuple[Value, object]:
    loss = moons_loss()
    return loss, trace(loss)


def test_small_graphs_are_drawn_whole() -> None:
    g = trace(lecture_expression())
    v = view(g)
    assert not v.collapsed and v.keys == g.ids and v.kinds == ["value"] * len(g)
    assert [(v.keys[a], v.keys[b]) for a, b in v.edges] == g.edges


def test_moons_graph_folds_into_a_small_picture(moons) -> None:
    loss, g = moons
    assert len(g) > 60_000
    v = view(g)
    assert v.collapsed and 10 <= len(v) <= 400
    # every Value is drawn in exactly one box and the counts add up
    assert sum(v.counts) == len(g)
    assert len(v.owner) == len(g)
    # the picture: inputs, neuron groups, the Σ of 100 hinge terms and the Σ of 337 squares
    kinds = dict(zip(v.keys, v.kinds, strict=False))
    assert kinds.get("layer1/neuron3") == "group"
    sums = sorted(t for t, k in zip(v.terms, v.kinds, strict=False) if k == "sum")
    assert sums == [101, 338]  # sum() starts from 0: one extra term each
    leaves = [c for c, k in zip(v.counts, v.kinds, strict=False) if k == "leaves"]
    assert leaves == [200]  # the 100 x 2 input Values
    # the loss itself stays visible with its own data
    root = v.keys.index(f"n{len(g) - 1}")
    assert v.reps[root] == len(g) - 1
    # edges only join different boxes, and every Value edge is represented
    boxes = {(v.owner[c], v.owner[p]) for p, kids in enumerate(g.children) for c in kids}
    assert set(v.edges) == {e for e in boxes if e[0] != e[1]}


def test_expanding_a_neuron_shows_its_values(moons) -> None:
    _, g = moons
    v = view(g)
    bigger = view(g, expanded=v.expanded | {"layer1/neuron3"})
    assert "layer1/neuron3" not in bigger.keys
    members = [i for i, grp in enumerate(g.groups) if grp == "layer1/neuron3"]
    shown = {bigger.keys[bigger.owner[i]] for i in members}
    # 17 parameters + 100 ReLUs as themselves, 100 Σ boxes of 16 products each
    assert sum(1 for k in shown if k.startswith("sum:")) == 100
    params = [i for i in members if g.labels[i] in {f"w{k}" for k in range(16)} | {"b"}]
    assert len(params) == 17 and all(bigger.keys[bigger.owner[i]] == f"n{i}" for i in params)
    assert len(bigger) < HARD_LIMIT


def test_expanding_a_sum_unfolds_its_chain(moons) -> None:
    _, g = moons
    v = view(g)
    key = next(k for k, kind in zip(v.keys, v.kinds, strict=False) if kind == "sum")
    opened = view(g, expanded=v.expanded | {key})
    assert key not in opened.keys and len(opened) > len(v)


def test_collapse_none_refuses_huge_graphs_and_bad_modes(moons) -> None:
    _, g = moons
    with pytest.raises(ValueError, match="collapse='none'"):
        view(g, collapse="none")
    with pytest.raises(ValueError, match="collapse must be one of"):
        view(g, collapse="all")  # type: ignore[arg-type]


def test_micrograd_graph_without_groups_still_folds() -> None:
    from micrograd.engine import Value as MValue
    from micrograd.nn import MLP as MMLP

    random.seed(0)
    model = MMLP(2, [8, 1])
    scores = [model([MValue(k / 10), MValue(-k / 10)]) for k in range(40)]
    loss = sum((1 + -s).relu() for s in scores) * (1 / 40)
    g = trace(loss)
    assert len(g) > 400
    v = view(g)
    assert v.collapsed and len(v) <= 400 and sum(v.counts) == len(g)


def unrolled_loop(steps: int, value_class: type = Value):
    """x = (x*w + b).relu(), unrolled: no groups and no `+` chain to fold it by."""
    x, w, b = value_class(0.5), value_class(0.9), value_class(0.1)
    for _ in range(steps):
        x = (x * w + b).relu()
    return x


@pytest.mark.parametrize("engine", ["ours", "micrograd"])
def test_a_big_graph_with_nothing_to_fold_by_is_folded_by_position(engine: str) -> None:
    from micrograd.engine import Value as MValue

    g = trace(unrolled_loop(3000, Value if engine == "ours" else MValue))
    v = view(g)
    assert v.collapsed and len(v) <= 150 and sum(v.counts) == len(g) == 9003
    groups = [k for k, kind in zip(v.keys, v.kinds, strict=True) if kind == "group"]
    assert groups and all(label.startswith("values n") for label in v.labels if label)
    opened = view(g, expanded=v.expanded | {groups[0]})
    assert len(v) < len(opened) <= HARD_LIMIT and sum(opened.counts) == len(g)
    assert g.groups == [None] * len(g)  # trace() itself still reports the Values' own groups


def test_folding_by_position_nests_for_huge_graphs() -> None:
    g = trace(unrolled_loop(40_000))
    v = view(g)
    assert len(v) <= 150 and sum(v.counts) == len(g)
    outer = v.keys[0]
    inner = view(g, expanded=v.expanded | {outer})
    assert len(v) < len(inner) <= 150  # the next level of runs, not 20,000 Values at once
    assert all(k.startswith(outer + "/") for k in inner.keys if k not in v.keys)


def test_payload_is_compact_columns_and_non_finite_numbers_are_strings() -> None:
    a = Value(float("nan"), label="a")
    b = Value(float("inf"), label="b")
    c = a + b
    c.grad = float("-inf")
    g = trace(c)
    p = payload(view(g), g, "TB", version=3)
    assert p["id"] == ["n0", "n1", "n2"] and p["edges"] == [0, 2, 1, 2]
    assert p["data"][:2] == ["NaN", "Infinity"] and p["grad"][2] == "-Infinity"
    assert p["rankdir"] == "TB" and p["version"] == 3
    import json

    json.dumps(p, allow_nan=False)  # valid JSON for the browser


def lecture_mlp_loss() -> Value:
    """The lecture's four examples through MLP(3, [4, 4, 1]) (tanh): a few hundred Values."""
    random.seed(1337)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = MLP(3, [4, 4, 1], activation="tanh")
    return sum((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True))


def test_collapse_groups_folds_a_small_network_neuron_by_neuron() -> None:
    g = trace(lecture_mlp_loss())
    assert len(g) < THRESHOLD  # "auto" would draw it whole
    assert not view(g).collapsed
    v = view(g, collapse="groups")
    assert v.collapsed
    neurons = {f"layer{i}/neuron{j}" for i, width in enumerate((4, 4, 1)) for j in range(width)}
    groups = {k for k, kind in zip(v.keys, v.kinds, strict=True) if kind == "group"}
    assert groups == neurons
    assert sum(v.counts) == len(g)


def test_start_picture_opens_whole_levels_only(moons) -> None:
    """Never some neurons of a layer open and their siblings closed."""
    _, g = moons
    for threshold in (20, 60, 150, 400):
        v = view(g, threshold=threshold)
        for group in v.expanded:
            parent, _, _ = group.rpartition("/")
            siblings = {x for x in set(g.groups) - {None} if x.rpartition("/")[0] == parent}
            assert siblings <= v.expanded, (threshold, group)


# ---- opened boxes: what the user can fold again, and which boxes sit in each


def _innermost_opened(v, g, box: int) -> str | None:
    """Independent answer: the innermost opened box around `box`, from groups and keys alone."""
    key = v.keys[box]
    if v.kinds[box] == "group":
        around = [p for p in _prefixes(key)[:-1] if p in v.expanded]
    else:
        rep = v.reps[box] if v.reps[box] >= 0 else v.owner.index(box)
        around = [p for p in _prefixes(g.groups[rep] or "") if p in v.expanded]
    return around[-1] if around else None


def _prefixes(group: str) -> list[str]:
    parts = group.split("/") if group else []
    return ["/".join(parts[: k + 1]) for k in range(len(parts))]


def test_opened_boxes_and_what_sits_in_them(moons) -> None:
    _, g = moons
    v = view(g, expanded=view(g).expanded | {"layer1/neuron3"})
    assert set(v.opened) == set(v.expanded)
    parent = {k: (v.opened[p] if p >= 0 else None) for k, p in zip(v.opened, v.opened_parent,
                                                                   strict=True)}
    assert parent["layer1/neuron3"] == "layer1" and parent["layer1"] is None
    for box in range(len(v)):
        scope = v.opened[v.scope[box]] if v.scope[box] >= 0 else None
        assert scope == _innermost_opened(v, g, box), v.keys[box]
    inside = v.inside("layer1/neuron3")
    members = {v.owner[i] for i, grp in enumerate(g.groups) if grp == "layer1/neuron3"}
    assert set(inside) == members  # exactly the boxes its Values are drawn in
    assert set(v.inside("layer1")) >= members and v.inside("nope") == []
    # an opened Σ chain: its `+` Values sit in the Σ, inside the neuron
    key = next(k for k, kind in zip(v.keys, v.kinds, strict=True) if kind == "sum")
    w = view(g, expanded=v.expanded | {key})
    top = int(key[len("sum:n"):])
    chain = [w.owner[i] for i in range(len(g)) if g.ops[i] == "+" and g.groups[i] == g.groups[top]
             and w.keys[w.owner[i]] == f"n{i}" and i in _chain_of(g, top)]
    assert set(w.inside(key)) == set(chain) and len(chain) >= 4
    assert w.opened_parent[w.opened.index(key)] == w.opened.index(g.groups[top])


def _chain_of(g, top: int) -> set[int]:
    """The `+` Values whose only user path leads to `top` through `+` nodes of the same group."""
    out, stack = {top}, [top]
    while stack:
        p = stack.pop()
        for c in g.children[p]:
            if g.ops[c] == "+" and g.groups[c] == g.groups[top] and g.parents[c] == [p]:
                out.add(c)
                stack.append(c)
    return out


def test_payload_sends_opened_boxes_only_when_there_are_some(moons) -> None:
    _, g = moons
    v = view(g)
    p = payload(v, g, focus="layer1")
    assert p["opened"] == v.opened and p["openedParent"] == v.opened_parent
    assert p["scope"] == v.scope and len(p["scope"]) == len(p["id"]) and p["focus"] == "layer1"
    small = trace(lecture_expression())
    plain = payload(view(small), small)
    assert "opened" not in plain and "scope" not in plain and "focus" not in plain
