"""Layout quality against Graphviz dot: the graphs, dot's layout, and the crossing count.

Both layouts are measured the same way: every edge a straight segment from its tail's centre to
its head's centre; two segments that cross (not meeting at a shared node) count once. The graphs
are what the graph widget lays out (graph.scene.layout_input: boxes and op ellipses, same sizes).

Used by tests/graph/test_layout.py and bench/bench_layout.py.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Sequence

import numpy as np

from micrograd_widgets import graph as g
from micrograd_widgets.engine import Value
from micrograd_widgets.graph.layout.scene import LayoutInput, layout_input
from micrograd_widgets.nn import MLP

Point = tuple[float, float]


# ---------------------------------------------------------------------------- graphs


def random_expression(seed: int, size: int) -> Value:
    """`size` random ops (+, *, tanh) over 8 inputs, the last 8 results summed (seeded)."""
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


def mlp_loss(nin: int, sizes: Sequence[int], examples: int, seed: int = 1337) -> Value:
    """The lecture's tanh MLP's squared-error loss over `examples` seeded samples."""
    random.seed(seed)
    rng = random.Random(seed)
    model = MLP(nin, list(sizes), activation="tanh")
    xs = [[round(rng.uniform(-2, 2), 1) for _ in range(nin)] for _ in range(examples)]
    ys = [rng.choice([-1.0, 1.0]) for _ in range(examples)]
    preds = [model(x) for x in xs]
    loss = sum(((p - y) ** 2 for p, y in zip(preds, ys, strict=True)), Value(0.0))
    loss.label = "loss"
    loss.backward()
    return loss


def lecture_mlp_loss() -> Value:
    """MLP(3, [4, 4, 1]) tanh, the lecture's four samples and targets."""
    random.seed(1337)
    model = MLP(3, [4, 4, 1], activation="tanh")
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    preds = [model(x) for x in xs]
    loss = sum(((p - y) ** 2 for p, y in zip(preds, ys, strict=True)), Value(0.0))
    loss.label = "loss"
    loss.backward()
    return loss


def unfolded(root: Value) -> LayoutInput:
    """The graph widget's layout input for every Value of `root`'s graph (collapse='none')."""
    graph = g.trace(root)
    return layout_input(g.payload(g.view(graph, "none"), graph))


# ---------------------------------------------------------------------------- crossings


def straight_crossings(centres: Sequence[Point], edge_from: Sequence[int],
                       edge_to: Sequence[int], lr: bool = True, eps: float = 0.5) -> int:
    """Crossings of the edges drawn as straight segments between node centres.

    Ranks are the distinct centre coordinates along the rank axis (x in LR); between two
    neighbouring ranks, two segments cross when their order across the axis swaps (strictly, so
    segments meeting at a node do not count), as js/graph/crossings.ts counted them."""
    c = np.asarray(centres, dtype=float).reshape(-1, 2)
    if not lr:
        c = c[:, ::-1]
    a = np.asarray(edge_from, dtype=int)
    b = np.asarray(edge_to, dtype=int)
    if len(a) < 2:
        return 0
    x0, y0, x1, y1 = c[a, 0], c[a, 1], c[b, 0], c[b, 1]
    swap = x0 > x1
    x0, x1 = np.where(swap, x1, x0), np.where(swap, x0, x1)
    y0, y1 = np.where(swap, y1, y0), np.where(swap, y0, y1)
    xs = np.sort(c[:, 0])
    ranks = [xs[0]]
    for x in xs[1:]:
        if x - ranks[-1] > eps:
            ranks.append(x)
    ranks_a = np.asarray(ranks)
    total = 0
    for r in range(len(ranks_a) - 1):
        left, right = ranks_a[r], ranks_a[r + 1]
        on = (x0 <= left + eps) & (x1 >= right - eps)
        if on.sum() < 2:
            continue
        span = np.where(x1[on] - x0[on] == 0, 1.0, x1[on] - x0[on])
        ya = y0[on] + (y1[on] - y0[on]) * (left - x0[on]) / span
        yb = y0[on] + (y1[on] - y0[on]) * (right - x0[on]) / span
        d0 = ya[:, None] - ya[None, :]
        d1 = yb[:, None] - yb[None, :]
        cross = ((d0 > eps) & (d1 < -eps)) | ((d0 < -eps) & (d1 > eps))
        total += int(np.triu(cross, 1).sum())
    return total


# ---------------------------------------------------------------------------- dot


def have_dot() -> bool:
    return shutil.which("dot") is not None


def dot_source(sizes: Sequence[tuple[float, float]], edge_from: Sequence[int],
               edge_to: Sequence[int]) -> str:
    """The same graph for dot: LR, fixed-size boxes of our sizes (px -> inches), our spacing."""
    lines = [
        "digraph G {",
        "  rankdir=LR; nodesep=0.19; ranksep=0.5;",
        '  node [shape=box, fixedsize=true, label=""];',
    ]
    for i, (w, h) in enumerate(sizes):
        lines.append(f"  v{i} [width={w / 72:.3f}, height={h / 72:.3f}];")
    for a, b in zip(edge_from, edge_to, strict=True):
        lines.append(f"  v{a} -> v{b};")
    lines.append("}")
    return "\n".join(lines)


def dot_centres(sizes: Sequence[tuple[float, float]], edge_from: Sequence[int],
                edge_to: Sequence[int]) -> list[Point]:
    """Node centres (in points, LR) of dot's layout of the graph."""
    plain = subprocess.run(
        ["dot", "-Tplain"], input=dot_source(sizes, edge_from, edge_to),
        capture_output=True, text=True, check=True,
    ).stdout
    centres: dict[int, Point] = {}
    for line in plain.splitlines():
        f = line.split()
        if f and f[0] == "node":
            centres[int(f[1][1:])] = (float(f[2]) * 72, float(f[3]) * 72)
    return [centres[i] for i in range(len(sizes))]


def dot_crossings(inp: LayoutInput) -> int:
    sizes = [(s.width, s.height) for s in inp.nodes]
    return straight_crossings(dot_centres(sizes, inp.edge_from, inp.edge_to),
                              inp.edge_from, inp.edge_to)


def polyline_crossings(centres: Sequence[Point], routes: Sequence[Sequence[Point]],
                       edge_from: Sequence[int], edge_to: Sequence[int], eps: float = 0.5) -> int:
    """Crossings of the edges drawn through their routes (LR), counted between ranks."""
    xs = sorted(x for x, _ in centres)
    ranks = [xs[0]]
    for x in xs[1:]:
        if x - ranks[-1] > eps:
            ranks.append(x)
    rk = np.asarray(ranks)
    gaps: list[list[tuple[float, float]]] = [[] for _ in ranks]
    for e, pts in enumerate(routes):
        line = [centres[edge_from[e]], *pts, centres[edge_to[e]]]
        lx = np.array([p[0] for p in line])
        ly = np.array([p[1] for p in line])
        a = int(np.argmin(np.abs(rk - lx[0])))
        b = int(np.argmin(np.abs(rk - lx[-1])))
        yv = np.interp(rk[a:b + 1], lx, ly)
        for r in range(a, b):
            gaps[r].append((yv[r - a], yv[r - a + 1]))
    total = 0
    for pieces in gaps:
        if len(pieces) < 2:
            continue
        p = np.asarray(pieces)
        d0 = p[:, 0][:, None] - p[:, 0][None, :]
        d1 = p[:, 1][:, None] - p[:, 1][None, :]
        total += int(np.triu(((d0 > eps) & (d1 < -eps)) | ((d0 < -eps) & (d1 > eps)), 1).sum())
    return total
