"""graph.layout.layered(): a layered layout that is sound (no overlaps, edges forward along the
ranks, the same every time, TB = LR with the axes swapped) and good (crossings against dot)."""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

import pytest

from micrograd_widgets.engine import Value
from micrograd_widgets.graph.layout.layered import isotonic, layered
from micrograd_widgets.graph.layout.scene import LayoutInput, layout_input
from micrograd_widgets.nn import MLP
from tests.graph import layout_quality as q

FIXTURES = Path(__file__).resolve().parents[2] / "js" / "graph" / "fixtures"


def fixture(name: str) -> LayoutInput:
    return layout_input(json.loads((FIXTURES / f"{name}.json").read_text()))


def lay(inp: LayoutInput, rankdir: str = "LR"):
    return layered([(s.width, s.height) for s in inp.nodes], inp.edge_from, inp.edge_to, rankdir)


def ours(inp: LayoutInput) -> int:
    r = lay(inp)
    return q.straight_crossings(r.centers, inp.edge_from, inp.edge_to)


def random_dag(seed: int, n: int = 40) -> tuple[list[tuple[float, float]], list[int], list[int]]:
    rng = random.Random(seed)
    sizes = [(rng.choice([28.0, 60.0, 150.0]), rng.choice([24.0, 26.0, 44.0])) for _ in range(n)]
    edges = {(rng.randrange(b), b) for b in range(1, n) for _ in range(rng.randint(1, 2))}
    frm, to = zip(*sorted(edges), strict=True)
    return sizes, list(frm), list(to)


def graphs() -> dict[str, LayoutInput]:
    out = {name: fixture(name) for name in ("neuron", "lecture_l", "mlp_loss_opened")}
    out["mlp"] = q.unfolded(q.mlp_loss(2, (3, 1), 2, seed=3))
    out["expression"] = q.unfolded(q.random_expression(5, 27))
    return out


# ---------------------------------------------------------------------------- soundness


@pytest.mark.parametrize("name", ["neuron", "lecture_l", "mlp_loss_opened", "mlp", "expression"])
@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_no_boxes_overlap_and_all_inside(name: str, rankdir: str) -> None:
    inp = graphs()[name]
    r = lay(inp, rankdir)
    boxes = [(x, y, s.width, s.height) for (x, y), s in zip(r.centers, inp.nodes, strict=True)]
    for i, (x, y, w, h) in enumerate(boxes):
        assert x - w / 2 >= 0 and y - h / 2 >= 0, (i, x, y)
        assert x + w / 2 <= r.width + 1e-9 and y + h / 2 <= r.height + 1e-9, (i, x, y)
        for j in range(i):
            x2, y2, w2, h2 = boxes[j]
            apart = abs(x - x2) * 2 >= w + w2 - 1e-9 or abs(y - y2) * 2 >= h + h2 - 1e-9
            assert apart, f"boxes {i} and {j} overlap"


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_every_edge_goes_forward_along_the_rank_axis(rankdir: str) -> None:
    for inp in graphs().values():
        r = lay(inp, rankdir)
        axis = 0 if rankdir == "LR" else 1
        for e, (a, b) in enumerate(zip(inp.edge_from, inp.edge_to, strict=True)):
            assert r.centers[a][axis] < r.centers[b][axis], e
            pts = r.edges[e]
            # from the source's exit side to the target's entry side, never backwards
            along = [p[axis] for p in pts]
            assert along == sorted(along), e
            half = (inp.nodes[a].width if axis == 0 else inp.nodes[a].height) / 2
            assert pts[0][axis] == pytest.approx(r.centers[a][axis] + half)
            half = (inp.nodes[b].width if axis == 0 else inp.nodes[b].height) / 2
            assert pts[-1][axis] == pytest.approx(r.centers[b][axis] - half)


def test_the_same_graph_gives_the_same_layout_every_time() -> None:
    for inp in graphs().values():
        assert lay(inp) == lay(inp)
    sizes, frm, to = random_dag(1)
    assert layered(sizes, frm, to) == layered(list(sizes), list(frm), list(to))


def test_tb_is_lr_with_the_axes_swapped() -> None:
    """TB lays out with widths and heights swapped, then swaps x and y back."""
    for inp in graphs().values():
        sizes = [(s.width, s.height) for s in inp.nodes]
        tb = layered(sizes, inp.edge_from, inp.edge_to, "TB")
        lr = layered([(h, w) for w, h in sizes], inp.edge_from, inp.edge_to, "LR")
        assert (tb.width, tb.height) == (lr.height, lr.width)
        assert tb.centers == [(y, x) for x, y in lr.centers]
        assert tb.edges == [[(y, x) for x, y in pts] for pts in lr.edges]


def test_ranks_keep_their_order_and_spacing() -> None:
    """Each rank is as wide as its widest box, ranksep apart; neighbours nodesep apart."""
    sizes, frm, to = random_dag(2)
    r = layered(sizes, frm, to, nodesep=20, ranksep=50, margin=10)
    xs = sorted({round(x, 6) for x, _ in r.centers})
    left = [min(x - w / 2 for (x, _), (w, _h) in zip(r.centers, sizes, strict=True)
                if round(x, 6) == rx) for rx in xs]
    right = [max(x + w / 2 for (x, _), (w, _h) in zip(r.centers, sizes, strict=True)
                 if round(x, 6) == rx) for rx in xs]
    assert left[0] == pytest.approx(10)
    for k in range(1, len(xs)):
        assert left[k] - right[k - 1] >= 50 - 1e-6
    for rx in xs:
        col = sorted((y, h) for (x, y), (_w, h) in zip(r.centers, sizes, strict=True)
                     if round(x, 6) == rx)
        for (y0, h0), (y1, h1) in zip(col, col[1:], strict=False):
            assert y1 - y0 >= (h0 + h1) / 2 + 20 - 1e-6


def test_small_cases() -> None:
    assert layered([], [], []).centers == []
    one = layered([(40, 20)], [], [])
    assert one.centers == [(30, 20)] and (one.width, one.height) == (60, 40)
    two = layered([(40, 20), (40, 20)], [0], [1])
    assert two.centers[0][1] == two.centers[1][1]  # a chain is straight
    assert two.edges == [[(50, 20), (86, 20)]]


def test_cycles_and_self_loops_still_lay_out() -> None:
    r = layered([(30, 20)] * 3, [0, 1, 2, 1], [1, 2, 0, 1])
    assert len(r.centers) == 3 and len(r.edges) == 4


def test_bad_input_is_named() -> None:
    with pytest.raises(ValueError, match="rankdir"):
        layered([(1, 1)], [], [], "RL")
    with pytest.raises(ValueError, match="edge_from and edge_to"):
        layered([(1, 1)], [0], [])
    with pytest.raises(ValueError, match="outside"):
        layered([(1, 1)], [0], [3])


def test_isotonic_keeps_order_and_gaps() -> None:
    assert isotonic([5, 0, 10], [0, 4, 4]) == pytest.approx([0.5, 4.5, 10])
    out = isotonic([3, 3, 3], [0, 2, 2], [1, 1, 1])
    assert out == pytest.approx([1, 3, 5])


# ---------------------------------------------------------------------------- speed guard


def test_a_big_graph_lays_out_with_bounded_effort() -> None:
    """3,000-odd nodes: the refining is scaled down, so this stays a few seconds at most even
    on a loaded machine (bench/bench_layout.py prints the real figures)."""
    rng = random.Random(4)
    n = 3000
    sizes = [(rng.choice([28.0, 150.0]), 26.0) for _ in range(n)]
    frm = [rng.randrange(max(0, b - 40), b) for b in range(1, n)]
    r = layered(sizes, frm, list(range(1, n)))
    assert len(r.centers) == n


# ---------------------------------------------------------------------------- quality vs dot

needs_dot = pytest.mark.skipif(not q.have_dot(), reason="Graphviz `dot` is not installed "
                               "(`make test-deps` installs Debian's graphviz)")

# today's layout (js/graph/layered.ts, which the first port reproduced exactly), straight-segment
# crossings on its fixtures: the new layout must be no worse
TODAY = {"neuron": 0, "lecture_l": 0, "mlp_loss_folded": 36, "mlp_loss_opened": 307,
         "random_expression": 17}


def test_crossings_are_counted_like_crossings_ts() -> None:
    c = [(0, 0), (0, 10), (100, 0), (100, 10)]
    assert q.straight_crossings(c, [0, 1], [3, 2]) == 1
    assert q.straight_crossings(c, [0, 1], [2, 3]) == 0
    assert q.straight_crossings(c, [0, 0], [2, 3]) == 0  # meeting at a node is no crossing
    # a long edge passing a rank is cut there: it crosses the short one under it
    c = [(0, 0), (50, 10), (100, 20), (0, 20), (50, 0)]
    assert q.straight_crossings(c, [0, 3], [2, 4]) == 1


@pytest.mark.parametrize("name", sorted(TODAY))
def test_no_worse_than_today_on_todays_fixtures(name: str) -> None:
    assert ours(fixture(name)) <= TODAY[name]


def mlp_forward(sizes: list[int]) -> LayoutInput:
    """An unfolded MLP forward pass of 3 inputs (bench/bench_layout.py's big graphs)."""
    random.seed(0)
    out = MLP(3, sizes)([Value(1.0), Value(-2.0), Value(0.5)])
    return q.unfolded(out)  # type: ignore[arg-type]


def test_no_worse_than_today_on_a_thousand_values() -> None:
    """~1,000 Values (1,700 boxes and op nodes) take the fast path: today's layout made 8,101
    crossings of this graph (js/graph/layered.ts, measured by bench/bench_layout.py)."""
    inp = mlp_forward([16, 16, 1])
    assert len(inp.sizes) > 1000
    assert ours(inp) <= 8101


@needs_dot
def test_the_lecture_mlp_loss_within_1_1_of_dot() -> None:
    inp = q.unfolded(q.lecture_mlp_loss())  # MLP(3, [4, 4, 1]) tanh, 4 samples, unfolded
    assert ours(inp) <= 1.1 * q.dot_crossings(inp)


EXPRESSIONS = 8


def family() -> list[LayoutInput]:
    """Graphs the tuning never saw: seeded random expressions of 25-30 ops, then MLP losses
    of several sizes (one or two hidden layers, 2-4 samples)."""
    out = []
    for seed in range(1000, 1000 + EXPRESSIONS):
        out.append(q.unfolded(q.random_expression(seed, random.Random(seed).randint(25, 30))))
    mlps = [(2, (3, 1), 3), (3, (4, 1), 2), (2, (4, 4, 1), 2), (3, (3, 3, 1), 3),
            (2, (3, 1), 4), (3, (2, 2, 1), 4)]
    for nin, sizes, examples in mlps:
        out.append(q.unfolded(q.mlp_loss(nin, sizes, examples, seed=sum(sizes) + examples)))
    return out


@needs_dot
def test_a_seeded_family_within_1_1_of_dot() -> None:
    """On average per graph, in all, and on the random expressions alone: at most 1.1x dot;
    no graph worse than 2x (+3)."""
    ours_all, dots, ratios = [], [], []
    for inp in family():
        d = q.dot_crossings(inp)
        o = ours(inp)
        ours_all.append(o)
        dots.append(d)
        ratios.append((o + 1) / (d + 1))  # +1: graphs dot draws with 0-2 crossings stay sane
    report = list(zip(ours_all, dots, strict=True))
    assert statistics.mean(ratios) <= 1.1, report
    assert sum(ours_all) <= 1.1 * sum(dots), report
    assert statistics.mean(ratios[:EXPRESSIONS]) <= 1.1, report
    assert sum(ours_all[:EXPRESSIONS]) <= 1.1 * sum(dots[:EXPRESSIONS]), report
    assert all(o <= 2 * d + 3 for o, d in report), report


def test_the_straightening_counts_crossings_as_the_quality_tests_do() -> None:
    """graph/layout/straighten.py's incremental count agrees with layout_quality's, on random
    layouts of random graphs (ranks at uneven x, boxes at random heights)."""
    import numpy as np

    from micrograd_widgets.graph.layout.straighten import Straight

    for seed in range(20):
        rng = random.Random(seed)
        n = 30
        rank_x = sorted(rng.sample(range(0, 2000, 7), 8))
        x = [float(rank_x[rng.randrange(8)]) for _ in range(n)]
        y = [rng.uniform(0, 500) for _ in range(n)]
        frm, to = [], []
        for _ in range(45):
            a, b = rng.sample(range(n), 2)
            if x[a] != x[b]:
                frm.append(a)
                to.append(b)
        got = int(Straight(x, frm, to).crosses(np.asarray(y)).sum())
        want = q.straight_crossings(list(zip(x, y, strict=True)), frm, to)
        assert got == want, (seed, got, want)
