"""A layered (Sugiyama-style) layout, the kind Graphviz dot draws (js/graph/layered.ts, improved).

1. ranks: network simplex, the least total edge length, as dot (ranking.py); small graphs
   also try today's ranks (longest path, pulled up to the first user, balanced), big ones (past
   SIMPLEX_RANKS nodes) take only those;
2. long edges get invisible dummy nodes, one per rank they cross;
3. order within a rank (ordering.py): median sweeps with transposing and sifting from two
   starting orders and a few seeded restarts, dot's 24 sweeps a start in small graphs; big graphs
   sweeps only;
4. positions across ranks (coords.py): neighbours' mean, made non-overlapping by isotonic
   regression; in small graphs also dot's (network simplex), then boxes move across the ranks
   while the edges drawn straight between centres (what is measured, and what a reader follows)
   cross less (straighten.py), and long edges' dummies go onto their straight lines;
5. edges: points from the box's exit side through the dummies to the next box's entry side.

With two rankings, the layout whose straight edges cross least is kept. Works in "LR space"
(ranks along x); TB swaps the axes at the end. Deterministic: the same graph always gets the same
layout (the searches are seeded and bounded by counted work, not a clock).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .coords import cross_positions, isotonic
from .list_order import ListOrderer
from .ordering import MAX_ITER, Orderer, minimise, sweep_only
from .ranking import kahn_order, longest_path_ranks, rank_nodes
from .straighten import straightest

__all__ = ["LayoutResult", "isotonic", "layered", "longest_routed"]

Point = tuple[float, float]

RANKDIRS = ("LR", "TB")


@dataclass
class LayoutResult:
    """Where layered() put everything, in px: the drawing's size, node centres, edge routes."""

    width: float
    height: float
    centers: list[Point]  # per node
    edges: list[list[Point]]  # per edge, from the source's border to the target's border
    # per rank: where it starts and ends along the rank axis (x in LR, y in TB); an edge's route
    # crosses each rank between its dummies at (start, across) and (end, across)
    ranks: list[tuple[float, float]] = field(default_factory=list)


NS_WORK = 15_000  # network simplex exchanges (and 10x that in nodes renumbered)
REFINED_NODES = 3000  # past this many nodes (dummies included) fewer sweeps still
LONG_SEARCH = 600  # up to this many nodes (dummies included) dot's 24 sweeps per start
SHORT_ITER = 4  # past it
MAX_RESTARTS = 2  # small graphs: more starts from shuffled orders, about RESTART_NODES in all
RESTART_NODES = 1500  # past this many nodes (dummies included) fewer ordering sweeps
FAST_NODES = 1500  # past this many nodes (dummies included) the order comes from sweeps only
FAST_SWEEPS = 6
# Edges weigh too: a neuron opened in the folded moons loss is 257 boxes but 7,654 edges, where
# network simplex and dot's sweeps took 2 s; past these, today's ranks and the sweeps only.
SIMPLEX_EDGES = 3000
FAST_EDGES = 3000  # unit edges (long edges cut at each rank)
LINE_PULL_NODES = 1500  # up to this many nodes, long edges' dummies are pulled onto their line
COORD_SWEEPS = 6  # pairs of sweeps (down, up) placing nodes across the ranks
COORD_FULL = 1500  # past this many nodes (dummies included), 2 pairs
# Dummies an edge may add: past this budget the longest edges get none and are drawn straight.
DUMMIES_PER_NODE = 4
MIN_DUMMIES = 2000
# Small graphs: dot's positions (network simplex) as well as ours, then boxes moved across the
# ranks while the edges drawn straight cross less; the straightest wins.
STRAIGHT_NODES = 400  # boxes and op nodes
# ... and up to this many edges: it weighs every pair of edges (a folded moons loss has 656
# edges between its 41 boxes, a neuron opened in it 7,654: 90 s of pairs, for no reader's gain)
STRAIGHT_EDGES = 600
# ... and edges per box: folded boxes joined by bundles of edges (a folded MLP: 36 boxes, 320
# edges) cross as their bundles do; moving one box finds nothing dot did not (tested on the
# fixtures) and recounts hundreds of pairs a move
STRAIGHT_DENSITY = 2.0
# The full ordering search runs on plain lists (list_order.py) unless nodes have many edges
# each (a folded MLP's boxes: bundles of edges), where numpy counts their pairs faster; both
# give the same order.
LIST_DENSITY = 2.0  # unit edges per node (dummies included)
TWO_RANKINGS = 150  # up to this many nodes both rankings are laid out, the straightest kept
SIMPLEX_RANKS = 1000  # past this many nodes, today's ranks (network simplex costs too much)


def layered(
    sizes: Sequence[tuple[float, float]],
    edge_from: Sequence[int],
    edge_to: Sequence[int],
    rankdir: str = "LR",
    nodesep: float = 14,
    ranksep: float = 36,
    margin: float = 10,
) -> LayoutResult:
    """Lays out nodes of `sizes` (width, height) joined by edges edge_from[e] -> edge_to[e]."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR' or 'TB', not {rankdir!r}")
    n = len(sizes)
    m = len(edge_from)
    if len(edge_to) != m:
        raise ValueError(
            f"edge_from and edge_to must have the same length ({m} and {len(edge_to)})"
        )
    for e in range(m):
        if not (0 <= edge_from[e] < n and 0 <= edge_to[e] < n):
            raise ValueError(
                f"edge {e} ({edge_from[e]} -> {edge_to[e]}) points outside the {n} nodes"
            )
    lr = rankdir == "LR"
    long_ = [float(w if lr else h) for w, h in sizes]
    cross = [float(h if lr else w) for w, h in sizes]
    edge_from = [int(a) for a in edge_from]
    edge_to = [int(b) for b in edge_to]

    # ---- 1. ranks (edges against the topological order, only in a cycle, count reversed)
    outs: list[list[int]] = [[] for _ in range(n)]
    for e in range(m):
        outs[edge_from[e]].append(e)
    topo = _topological_order(n, edge_to, outs)
    at_topo = [0] * n
    for k, v in enumerate(topo):
        at_topo[v] = k
    fwd = [e for e in range(m) if at_topo[edge_from[e]] < at_topo[edge_to[e]]]
    back = [e for e in range(m) if at_topo[edge_from[e]] > at_topo[edge_to[e]]]
    r_from = [edge_from[e] for e in fwd] + [edge_to[e] for e in back]
    r_to = [edge_to[e] for e in fwd] + [edge_from[e] for e in back]
    # network simplex (least total edge length, as dot) up to SIMPLEX_RANKS nodes, else (and
    # for small graphs also) today's: longest path, pulled up to the first user, balanced
    in_r: list[list[int]] = [[] for _ in range(n)]
    out_r: list[list[int]] = [[] for _ in range(n)]
    for e in range(len(r_from)):
        out_r[r_from[e]].append(e)
        in_r[r_to[e]].append(e)
    rankings = []
    simplex = n <= SIMPLEX_RANKS and m <= SIMPLEX_EDGES
    if simplex:
        rankings.append(rank_nodes(n, r_from, r_to, ns_budget(n)))
    if not simplex or n <= TWO_RANKINGS:
        rank = longest_path_ranks(n, r_from, r_to, topo)
        _balance_ranks(topo, rank, in_r, out_r, r_from, r_to)
        rankings.append(rank)
    best: tuple[LayoutResult, int] | None = None
    for k, rank in enumerate(rankings):
        # the second (today's ranks) also orders as today's search did: a different local
        # optimum to choose from
        got = _place(rank, edge_from, edge_to, long_, cross, topo, outs, lr, nodesep, ranksep,
                     margin, dot_schedule=k == 0)
        if best is None or got[1] < best[1]:
            best = got
    assert best is not None
    return best[0]


def _place(
    rank: list[int], edge_from: list[int], edge_to: list[int], long_: list[float],
    cross: list[float], topo: list[int], outs: list[list[int]], lr: bool, nodesep: float,
    ranksep: float, margin: float, dot_schedule: bool = True,
) -> tuple[LayoutResult, int]:
    """The layout with these ranks, and (small graphs) its straight-edge crossings."""
    n = len(long_)
    m = len(edge_from)
    min_rank = min(rank) if n else 0
    rank = [r - min_rank for r in rank]
    max_rank = max(rank) if n else 0

    # ---- 2. dummies: virtual node ids n, n+1, ...; chain[e] = [from, dummies..., to]
    longest = longest_routed(n, edge_from, edge_to, rank)
    v_rank = list(rank)
    v_cross = list(cross)
    chains: list[list[int]] = []
    for e in range(m):
        a, b = edge_from[e], edge_to[e]
        if rank[b] - rank[a] - 1 > longest or rank[b] <= rank[a]:
            chains.append([a, b])  # drawn straight, left out of the ordering
            continue
        chain = [a]
        for r in range(rank[a] + 1, rank[b]):
            chain.append(len(v_rank))
            v_rank.append(r)
            v_cross.append(2.0)
        chain.append(b)
        chains.append(chain)
    total = len(v_rank)
    up: list[list[int]] = [[] for _ in range(total)]
    down: list[list[int]] = [[] for _ in range(total)]
    for chain in chains:
        if len(chain) == 2 and v_rank[chain[1]] - v_rank[chain[0]] != 1:
            continue
        for k in range(len(chain) - 1):
            down[chain[k]].append(chain[k + 1])
            up[chain[k + 1]].append(chain[k])

    # ---- 3. order
    layers = _order(total, max_rank, v_rank, up, down, topo, outs, dot_schedule)

    # ---- x in LR space: each rank is as wide as its widest box
    rank_width = [0.0] * (max_rank + 1)
    for v in range(n):
        rank_width[rank[v]] = max(rank_width[rank[v]], long_[v])
    rank_x = [0.0] * (max_rank + 1)
    at = float(margin)
    for r in range(max_rank + 1):
        rank_x[r] = at + rank_width[r] / 2
        at += rank_width[r] + ranksep
    width = at - ranksep + margin

    # ---- 4. coordinates across ranks (y in LR space)
    along: dict[int, tuple[int, int, float]] = {}  # dummy -> (chain's ends, fraction along)
    for chain in chains if total <= LINE_PULL_NODES else ():
        span = len(chain) - 1
        for k in range(1, span):
            along[chain[k]] = (chain[0], chain[-1], k / span)
    y = cross_positions(n, layers, up, down, v_cross, max_rank, nodesep, along,
                        COORD_SWEEPS if total <= COORD_FULL else 2)
    crossings = 0
    if n <= STRAIGHT_NODES and 1 < m <= min(STRAIGHT_EDGES, STRAIGHT_DENSITY * n):
        y, crossings = straightest(y, n, layers, up, v_cross, v_rank, rank_x, edge_from, edge_to,
                         chains, nodesep)
    if total:
        min_y = min(y[v] - v_cross[v] / 2 for v in range(total))
        max_y = max(y[v] + v_cross[v] / 2 for v in range(total))
    else:
        min_y = max_y = 0.0
    height = max_y - min_y + 2 * margin
    shift = margin - min_y

    def out(px: float, py: float) -> Point:
        return (px, py + shift) if lr else (py + shift, px)

    centers = [out(rank_x[rank[v]], y[v]) for v in range(n)]
    edges: list[list[Point]] = []
    for chain in chains:
        a, b = chain[0], chain[-1]
        pts = [out(rank_x[rank[a]] + long_[a] / 2, y[a])]
        for d in chain[1:-1]:
            r = v_rank[d]
            pts.append(out(rank_x[r] - rank_width[r] / 2, y[d]))
            pts.append(out(rank_x[r] + rank_width[r] / 2, y[d]))
        pts.append(out(rank_x[rank[b]] - long_[b] / 2, y[b]))
        edges.append(pts)
    spans = [(rank_x[r] - rank_width[r] / 2, rank_x[r] + rank_width[r] / 2)
             for r in range(max_rank + 1)] if n else []
    if lr:
        return LayoutResult(width, height, centers, edges, spans), crossings
    return LayoutResult(height, width, centers, edges, spans), crossings


def _topological_order(n: int, edge_to: list[int], outs: list[list[int]]) -> list[int]:
    """Kahn's algorithm; nodes on a cycle (not expected in autograd graphs) go last."""
    order = kahn_order(n, edge_to, outs)
    if len(order) < n:
        seen = set(order)
        order.extend(v for v in range(n) if v not in seen)
    return order


def _balance_ranks(
    topo: list[int], rank: list[int], ins: list[list[int]], outs: list[list[int]],
    edge_from: list[int], edge_to: list[int],
) -> None:
    """Each node moves, within the ranks its neighbours allow, towards the side with more edges."""
    for _ in range(16):
        moved = False
        for v in topo:
            if not ins[v] or len(ins[v]) < len(outs[v]):
                continue
            r = max(rank[edge_from[e]] + 1 for e in ins[v])
            if r < rank[v]:
                rank[v] = r
                moved = True
        for v in reversed(topo):
            if not outs[v] or len(outs[v]) <= len(ins[v]):
                continue
            r = min(rank[edge_to[e]] - 1 for e in outs[v])
            if r > rank[v]:
                rank[v] = r
                moved = True
        if not moved:
            break


def longest_routed(
    n: int, edge_from: Sequence[int], edge_to: Sequence[int], rank: Sequence[int]
) -> float:
    """The longest span (ranks crossed) that still gets dummies, keeping their total in budget."""
    spans = [max(0, rank[b] - rank[a] - 1) for a, b in zip(edge_from, edge_to, strict=True)]
    budget = max(MIN_DUMMIES, DUMMIES_PER_NODE * n)
    if sum(spans) <= budget:
        return math.inf
    spans.sort()
    used = 0
    for s in spans:
        if used + s > budget:
            return s - 1
        used += s
    return math.inf


def ns_budget(n: int) -> int:
    """Network simplex: at most NS_WORK exchanges, and renumbered nodes about 10x that."""
    del n
    return NS_WORK


def order_effort(total: int) -> int:
    """Sweeps per start: dot's 24 up to LONG_SEARCH nodes (dummies included), then 4 (the
    sifting after each sweep does the rest within its budget), fewer past REFINED_NODES."""
    if total <= LONG_SEARCH:
        return MAX_ITER
    return max(2, int(SHORT_ITER * min(1.0, REFINED_NODES / total)))


def _order(
    total: int, max_rank: int, v_rank: list[int], up: list[list[int]],
    down: list[list[int]], topo: list[int], outs: list[list[int]], dot_schedule: bool = True,
) -> list[list[int]]:
    """Order within each rank: few crossings, operands together."""
    starts = [_walk_from_sinks(total, max_rank, v_rank, up, topo, outs)]
    if total <= FAST_NODES:
        starts.append(_walk_from_sources(total, max_rank, v_rank, up, down))
    top = [a for a in range(total) for _ in down[a]]
    bot = [b for a in range(total) for b in down[a]]
    fast = total > FAST_NODES or len(top) > FAST_EDGES
    if fast or len(top) > LIST_DENSITY * total:
        o: Orderer | ListOrderer = Orderer(starts[0], total, np.asarray(top, dtype=np.int64),
                                           np.asarray(bot, dtype=np.int64))
    else:  # the full search makes thousands of steps on ranks of a few dozen nodes: lists
        o = ListOrderer(starts[0], total, top, bot)
    if fast:
        sweep_only(o, FAST_SWEEPS)
    else:
        minimise(o, starts, order_effort(total),
                 min(MAX_RESTARTS, RESTART_NODES // max(total, 1)), dot_schedule)
    return o.layers()


def _walk_from_sinks(total: int, max_rank: int, v_rank: list[int], up: list[list[int]],
                     topo: list[int], outs: list[list[int]]) -> list[list[int]]:
    """A depth-first walk up from the sinks: operands stay together."""
    layers: list[list[int]] = [[] for _ in range(max_rank + 1)]
    placed = [False] * total

    def visit(start: int) -> None:
        stack = [start]
        while stack:
            v = stack.pop()
            if placed[v]:
                continue
            placed[v] = True
            layers[v_rank[v]].append(v)
            for w in reversed(up[v]):
                if not placed[w]:
                    stack.append(w)

    for v in reversed(topo):
        if not outs[v]:
            visit(v)
    for v in range(total):
        if not placed[v]:
            visit(v)
    return layers


def _walk_from_sources(total: int, max_rank: int, v_rank: list[int], up: list[list[int]],
                       down: list[list[int]]) -> list[list[int]]:
    """A breadth-first walk down from the sources."""
    layers: list[list[int]] = [[] for _ in range(max_rank + 1)]
    seen = [False] * total
    queue = []
    for v in range(total):
        if not up[v]:
            queue.append(v)
            seen[v] = True
    k = 0
    while k < len(queue):
        v = queue[k]
        layers[v_rank[v]].append(v)
        for w in down[v]:
            if not seen[w]:
                queue.append(w)
                seen[w] = True
        k += 1
    return layers
