"""The last step of a small layered layout: fewer crossings of edges drawn straight.

What a reader sees (and what tests/graph/layout_quality.py measures against dot) is every edge as
a straight segment from its tail's centre to its head's centre. The ordering minimises crossings
of edges routed through dummy nodes; a long edge drawn straight leaves its dummies and may cross
edges its route did not, or miss ones it did. So here the boxes move across the ranks (never
along them), each move kept only if the straight segments then cross less:

- two neighbours in a rank swap places (the pair keeps its outer extent, so nothing overlaps);
- a box slides, between its neighbours in the rank, to a neighbour's line or their median.

Two segments whose spans along the rank axis overlap cross at most once; they cross when their
order across the axis differs at the two ends of the overlap (counted, as the quality tests
count, if they are more than EPS apart at both ranks around the crossing). Each such pair is a
row of a few arrays (its four nodes and where along each segment the overlap starts and ends),
built with numpy; a move recounts only the pairs at the one or two boxes it moves, in plain
Python (a few dozen pairs: numpy's per-call overhead would cost more than the arithmetic).
Deterministic: moves are tried in a fixed order and only strict improvements are kept.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

import numpy as np

from .coords import simplex_positions

EPS = 0.5  # px: as the crossing count of the quality tests (js/graph/crossings.ts)
SIMPLEX_NODES = 300  # dot's positions as a candidate up to this many nodes (dummies included)
SIMPLEX_WORK = 20_000
STRAIGHT_WORK = 20_000  # moves tried x boxes, descending from each candidate
KICK_WORK = 30_000  # moves tried x boxes in the iterated local search from the best
# Crossing pairs recounted, over a whole search: a few boxes with thousands of edges between
# them (a folded moons loss: 41 boxes, ~4,000 pairs at each move) stop here, ~0.1 s a search,
# long before the move budget (each search: two rankings, two candidates); the small graphs
# the budgets above were tuned on recount tens of pairs a move.
PAIR_WORK = 400_000


class Straight:
    """Straight-segment crossings of a layout's edges, counted again after boxes move."""

    def __init__(self, x: Sequence[float], edge_from: Sequence[int], edge_to: Sequence[int]):
        xs = np.asarray(x, dtype=float)
        a = np.asarray(edge_from, dtype=np.int64)
        b = np.asarray(edge_to, dtype=np.int64)
        keep = np.abs(xs[b] - xs[a]) > EPS
        a, b = a[keep], b[keep]
        flip = xs[a] > xs[b]
        a, b = np.where(flip, b, a), np.where(flip, a, b)
        xa, xb = xs[a], xs[b]
        m = len(a)
        i, j = np.triu_indices(m, 1) if m > 1 else (np.zeros(0, np.int64),) * 2
        lo = np.maximum(xa[i], xa[j])
        hi = np.minimum(xb[i], xb[j])
        shared = (a[i] == a[j]) | (a[i] == b[j]) | (b[i] == a[j]) | (b[i] == b[j])
        ok = (hi - lo > EPS) & ~shared
        i, j, lo, hi = i[ok], j[ok], lo[ok], hi[ok]
        span_i = xb[i] - xa[i]
        span_j = xb[j] - xa[j]
        self.nodes = np.stack([a[i], b[i], a[j], b[j]])  # 4 x pairs
        # the two segments' distance across the axis at the overlap's ends: c0 (c1) . y[nodes]
        t0i, t0j = (lo - xa[i]) / span_i, (lo - xa[j]) / span_j
        t1i, t1j = (hi - xa[i]) / span_i, (hi - xa[j]) / span_j
        self.c0 = np.stack([1 - t0i, t0i, t0j - 1, -t0j])
        self.c1 = np.stack([1 - t1i, t1i, t1j - 1, -t1j])
        self.lo, self.width = lo, hi - lo
        # the ranks: where the quality count cuts segments (it counts a crossing in the gap
        # between two ranks where it happens, if the two are more than EPS apart at both ends)
        ranks = np.sort(xs)
        keep_rank = np.concatenate(([True], np.diff(ranks) > EPS)) if len(ranks) else []
        self.ranks = ranks[keep_rank]
        # the pairs at each node (compressed rows)
        owner = self.nodes.ravel()
        pair = np.tile(np.arange(self.nodes.shape[1]), 4)
        order = np.argsort(owner, kind="stable")
        self.at_node = pair[order]
        n = len(xs)
        self.start = np.searchsorted(owner[order], np.arange(n + 1))

    def crosses(self, y: np.ndarray, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Whether each pair (of `idx`) crosses with the boxes at `y`."""
        at = y[self.nodes[:, idx]]
        d0 = np.einsum("ij,ij->j", self.c0[:, idx], at)
        d1 = np.einsum("ij,ij->j", self.c1[:, idx], at)
        out = d0 * d1 < 0
        if not out.any():
            return out
        k = np.flatnonzero(out)
        d0, d1 = d0[k], d1[k]
        lo, width = self.lo[idx][k], self.width[idx][k]
        at_x = lo + width * d0 / (d0 - d1)  # where they cross
        r = np.clip(np.searchsorted(self.ranks, at_x), 1, len(self.ranks) - 1)
        slope = (d1 - d0) / width
        left = d0 + slope * (self.ranks[r - 1] - lo)
        right = d0 + slope * (self.ranks[r] - lo)
        out[k] = (np.abs(left) > EPS) & (np.abs(right) > EPS)
        return out


class _Pairs:
    """The same pairs as plain Python lists, for the search's moves: a move recounts the few
    dozen pairs at one or two boxes, where numpy's per-call overhead would be most of the time.
    Same arithmetic as Straight.crosses on a subset (each distance summed (0 + 2) + (1 + 3),
    as numpy does there), so the search is the same as with numpy."""

    def __init__(self, s: Straight, n: int):
        self.rows = list(zip(*s.nodes.tolist(), *s.c0.tolist(), *s.c1.tolist(), s.lo.tolist(),
                             s.width.tolist(), strict=True))
        self.ranks = s.ranks.tolist()
        at, start = s.at_node.tolist(), s.start.tolist()
        self.at = [at[start[v]:start[v + 1]] for v in range(n)]

    def at_nodes(self, nodes: Sequence[int]) -> list[int]:
        if len(nodes) == 1:
            return self.at[nodes[0]]
        got: set[int] = set()
        for v in nodes:
            got.update(self.at[v])
        return list(got)

    def flips(self, y: Sequence[float], idx: Sequence[int], flags: list[bool]) -> list[int]:
        """The pairs of `idx` whose crossing (flags[p]) changes with the boxes at `y`."""
        rows, ranks = self.rows, self.ranks
        last = len(ranks) - 1
        out = []
        for p in idx:
            a, b, c, d, p0, p1, p2, p3, q0, q1, q2, q3, lo, width = rows[p]
            ya, yb, yc, yd = y[a], y[b], y[c], y[d]
            d0 = (p0 * ya + p2 * yc) + (p1 * yb + p3 * yd)
            d1 = (q0 * ya + q2 * yc) + (q1 * yb + q3 * yd)
            if d0 * d1 < 0:
                r = bisect_left(ranks, lo + width * d0 / (d0 - d1))  # where they cross
                r = 1 if r < 1 else (last if r > last else r)
                slope = (d1 - d0) / width
                left = d0 + slope * (ranks[r - 1] - lo)
                right = d0 + slope * (ranks[r] - lo)
                if (abs(left) > EPS and abs(right) > EPS) != flags[p]:
                    out.append(p)
            elif flags[p]:
                out.append(p)
        return out


def straightest(
    y: list[float], n: int, layers: list[list[int]], up: list[list[int]], v_cross: list[float],
    v_rank: list[int], rank_x: list[float], edge_from: list[int], edge_to: list[int],
    chains: list[list[int]], nodesep: float,
) -> tuple[list[float], int]:
    """Boxes across the ranks with the fewest crossings of edges drawn straight (from our
    positions and from dot's), then each long edge's dummies on its straight line, beside any
    box in the way."""
    total = len(v_cross)
    x = [rank_x[v_rank[v]] for v in range(n)]
    real_layers = [[v for v in layer if v < n] for layer in layers]
    candidates = [y]
    if total <= SIMPLEX_NODES:
        edges = [(u, v) for v in range(total) for u in up[v]]
        candidates.append(simplex_positions(layers, edges, v_cross, nodesep, n, SIMPLEX_WORK))
    evals = STRAIGHT_WORK // max(n, 50)
    best = None
    for cand in candidates:
        got = straighten(cand[:n], real_layers, v_cross[:n], x, edge_from, edge_to, nodesep,
                         evals)
        if best is None or got.count < best.count:
            best = got
    assert best is not None
    best.improve(KICK_WORK // max(n, 50))
    out = list(best.yy) + [0.0] * (total - n)
    boxes: list[list[int]] = [[] for _ in rank_x]
    for v in range(n):
        boxes[v_rank[v]].append(v)
    for chain in chains:
        a, b = chain[0], chain[-1]
        for d in chain[1:-1]:
            r = v_rank[d]
            t = (rank_x[r] - x[a]) / (x[b] - x[a])
            p = out[a] + (out[b] - out[a]) * t
            for _ in range(2):
                for v in boxes[r]:
                    half = v_cross[v] / 2 + nodesep / 2
                    if abs(p - out[v]) < half:
                        p = out[v] - half if p < out[v] else out[v] + half
            out[d] = p
    return out, best.count


def straighten(y: Sequence[float], layers: Sequence[Sequence[int]], cross: Sequence[float],
               x: Sequence[float], edge_from: Sequence[int], edge_to: Sequence[int],
               nodesep: float, max_evals: int) -> _Search:
    """Moves boxes across the ranks while that lowers the straight crossings (a descent).

    `layers`: each rank's boxes (no dummies) in any order; `y` and `x` their centres, `cross`
    their sizes across the ranks. At most about `max_evals` moves are tried. Returns the search:
    its `yy` are the new centres across the ranks, `count` the crossings; `improve()` goes on."""
    search = _Search(y, layers, cross, x, edge_from, edge_to, nodesep, max_evals)
    search.descend(range(len(search.ranks)))
    return search


KICK_STALL = 60  # jumps in a row that found nothing better end the search


class _Search:
    def __init__(self, y: Sequence[float], layers: Sequence[Sequence[int]],
                 cross: Sequence[float], x: Sequence[float], edge_from: Sequence[int],
                 edge_to: Sequence[int], nodesep: float, max_evals: int):
        self.s = Straight(x, edge_from, edge_to)
        self.yy = [float(v) for v in y]
        self.pairs = _Pairs(self.s, len(self.yy))
        self.flags = self.s.crosses(np.asarray(self.yy)).tolist()
        self.count = sum(self.flags)
        self.nbs: list[list[int]] = [[] for _ in range(len(self.yy))]
        for a, b in zip(edge_from, edge_to, strict=True):
            if a != b:
                self.nbs[a].append(b)
                self.nbs[b].append(a)
        self.cross = cross
        self.nodesep = nodesep
        self.evals = 0
        self.max_evals = max_evals
        self.pair_work = 0  # crossing pairs recounted so far (PAIR_WORK at most)
        self.ranks = [sorted(layer, key=lambda v: self.yy[v]) for layer in layers if len(layer)]
        self.rank_of = [0] * len(self.yy)
        for r, rank in enumerate(self.ranks):
            for v in rank:
                self.rank_of[v] = r

    def improve(self, max_evals: int) -> None:
        """An iterated local search: a seeded random box jumps, the ranks it touches descend
        again, and the result is kept when it crosses no more; ends in the best seen."""
        self.max_evals = self.evals + max_evals
        best_y, best = list(self.yy), self.count
        seed = 0x2545F491
        stall = 0
        movable = [v for rank in self.ranks for v in rank if self.nbs[v]]
        while (best and movable and self.evals < self.max_evals and stall < KICK_STALL
               and self.pair_work < PAIR_WORK):
            saved = (list(self.yy), list(self.flags), self.count)
            seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
            v = movable[seed % len(movable)]
            seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
            self.kick(v, seed)
            self.descend(sorted({self.rank_of[v]} | {self.rank_of[w] for w in self.nbs[v]}))
            stall += 1
            if self.count <= saved[2]:
                if self.count < best:
                    best_y, best = list(self.yy), self.count
                    stall = 0
            else:
                self.yy[:], self.flags[:], self.count = saved
                for rank in self.ranks:
                    rank.sort(key=lambda u: self.yy[u])
        self.yy[:] = best_y
        self.flags = self.s.crosses(np.asarray(self.yy)).tolist()
        self.count = best

    def trial(self, nodes: list[int], values: list[float], force: bool = False) -> bool:
        """Moves `nodes` to `values` if that lowers the crossings (or `force`)."""
        self.evals += 1
        idx = self.pairs.at_nodes(nodes)
        self.pair_work += len(idx)
        if self.pair_work >= PAIR_WORK:
            self.max_evals = self.evals  # the search ends after this move
        yy = self.yy
        old = [yy[v] for v in nodes]
        for v, val in zip(nodes, values, strict=True):
            yy[v] = val
        flags = self.flags
        flips = self.pairs.flips(yy, idx, flags)
        delta = 0
        for p in flips:
            delta += -1 if flags[p] else 1
        if delta < 0 or force:
            for p in flips:
                flags[p] = not flags[p]
            self.count += delta
            return True
        for v, val in zip(nodes, old, strict=True):
            yy[v] = val
        return False

    def gaps(self, v: int) -> list[tuple[float, float]]:
        """Where in its rank v fits, the others staying put."""
        yy, cross, sep = self.yy, self.cross, self.nodesep
        out = []
        prev = -np.inf
        for u in self.ranks[self.rank_of[v]] + [-1]:
            if u == v:
                continue
            nxt = np.inf if u < 0 else yy[u] - (cross[u] + cross[v]) / 2 - sep
            if prev <= nxt:
                out.append((prev, nxt))
            if u >= 0:
                prev = yy[u] + (cross[u] + cross[v]) / 2 + sep
        return out

    def slide(self, v: int) -> bool:
        """Moves v to where its edges cross less: first between its neighbours in the rank,
        then into any other gap of the rank wide enough; towards its edges' other ends."""
        ends = sorted(self.yy[w] for w in self.nbs[v])
        k = len(ends)
        pulls = set(ends) | {(ends[(k - 1) // 2] + ends[k // 2]) / 2}
        here = self.yy[v]
        gaps = self.gaps(v)
        gaps.sort(key=lambda g: 0 if g[0] - EPS <= here <= g[1] + EPS else 1)
        for low, high in gaps:
            for target in sorted({min(max(p, low), high) for p in pulls},
                                 key=lambda t: abs(t - here)):
                if abs(target - here) > EPS and self.trial([v], [target]):
                    return True
            if self.evals >= self.max_evals:
                break
        return False

    def kick(self, v: int, seed: int) -> None:
        """v jumps to a seeded random gap of its rank, in line with one of its edges' ends."""
        gaps = self.gaps(v)
        low, high = gaps[seed % len(gaps)]
        w = self.nbs[v][(seed >> 8) % len(self.nbs[v])]
        self.trial([v], [min(max(self.yy[w], low), high)], force=True)
        self.ranks[self.rank_of[v]].sort(key=lambda u: self.yy[u])

    def descend(self, ranks: Sequence[int]) -> None:
        """Swaps and slides in these ranks until none helps (or the budget is spent)."""
        yy, cross = self.yy, self.cross
        for _ in range(8):
            improved = False
            for r in ranks:
                rank = self.ranks[r]
                for i in range(len(rank) - 1):
                    u, v = rank[i], rank[i + 1]
                    top = yy[u] - cross[u] / 2
                    bottom = yy[v] + cross[v] / 2
                    if self.trial([u, v], [bottom - cross[u] / 2, top + cross[v] / 2]):
                        rank[i], rank[i + 1] = v, u
                        improved = True
                for v in list(rank):
                    if self.nbs[v] and self.slide(v):
                        rank.sort(key=lambda u: yy[u])
                        improved = True
                if self.count == 0 or self.evals >= self.max_evals:
                    return
            if not improved:
                return
