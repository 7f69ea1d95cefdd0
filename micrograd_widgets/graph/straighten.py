"""The last step of a small layered layout: fewer crossings of edges drawn straight.

What a reader sees (and what tests/graph/layout_quality.py measures against dot) is every edge as
a straight segment from its tail's centre to its head's centre. The ordering minimises crossings
of edges routed through dummy nodes; a long edge drawn straight leaves its dummies and may cross
edges its route did not, or miss ones it did. So here the boxes move across the ranks (never
along them), each move kept only if the straight segments then cross less:

- two neighbours in a rank swap places (the pair keeps its outer extent, so nothing overlaps);
- a box slides, between its neighbours in the rank, to a neighbour's line or their median.

Two segments whose spans along the rank axis overlap cross at most once; they cross when their
order across the axis differs at the two ends of the overlap. Each such pair is a row of a few
arrays (its four nodes and where along each segment the overlap starts and ends), so the
crossings of the edges at one or two boxes are recounted with a few numpy operations.
Deterministic: moves are tried in a fixed order and only strict improvements are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

EPS = 0.5  # px: as the crossing count of the quality tests (js/graph/crossings.ts)


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
        self.t0 = np.stack([(lo - xa[i]) / span_i, (lo - xa[j]) / span_j])
        self.t1 = np.stack([(hi - xa[i]) / span_i, (hi - xa[j]) / span_j])
        # the pairs at each node (compressed rows)
        owner = self.nodes.ravel()
        pair = np.tile(np.arange(self.nodes.shape[1]), 4)
        order = np.argsort(owner, kind="stable")
        self.at_node = pair[order]
        n = len(xs)
        self.start = np.searchsorted(owner[order], np.arange(n + 1))

    def crosses(self, y: np.ndarray, idx: np.ndarray | slice = slice(None)) -> np.ndarray:
        """Whether each pair (of `idx`) crosses with the boxes at `y`."""
        ai, bi, aj, bj = (y[k] for k in self.nodes[:, idx])
        t0, t1 = self.t0[:, idx], self.t1[:, idx]
        d0 = ai + t0[0] * (bi - ai) - aj - t0[1] * (bj - aj)
        d1 = ai + t1[0] * (bi - ai) - aj - t1[1] * (bj - aj)
        return ((d0 > EPS) & (d1 < -EPS)) | ((d0 < -EPS) & (d1 > EPS))

    def pairs_at(self, nodes: Sequence[int]) -> np.ndarray:
        parts = [self.at_node[self.start[v]:self.start[v + 1]] for v in nodes]
        if len(parts) == 1:
            return parts[0]
        return np.unique(np.concatenate(parts))


def straighten(y: Sequence[float], layers: Sequence[Sequence[int]], cross: Sequence[float],
               x: Sequence[float], edge_from: Sequence[int], edge_to: Sequence[int],
               nodesep: float, max_evals: int) -> tuple[list[float], int]:
    """Moves boxes across the ranks while that lowers the straight crossings.

    `layers`: each rank's boxes (no dummies) in any order; `y` and `x` their centres, `cross`
    their sizes across the ranks. At most `max_evals` moves are tried. Returns the new centres
    across the ranks and the crossings."""
    s = Straight(x, edge_from, edge_to)
    yy = np.asarray(y, dtype=float).copy()
    flags = s.crosses(yy)
    count = int(flags.sum())
    nbs: list[list[int]] = [[] for _ in range(len(yy))]
    for a, b in zip(edge_from, edge_to, strict=True):
        if a != b:
            nbs[a].append(b)
            nbs[b].append(a)
    evals = 0

    def trial(nodes: list[int], values: list[float]) -> bool:
        nonlocal count, evals
        evals += 1
        idx = s.pairs_at(nodes)
        if not len(idx):
            return False
        old = [yy[v] for v in nodes]
        for v, val in zip(nodes, values, strict=True):
            yy[v] = val
        new = s.crosses(yy, idx)
        delta = int(new.sum()) - int(flags[idx].sum())
        if delta < 0:
            flags[idx] = new
            count += delta
            return True
        for v, val in zip(nodes, old, strict=True):
            yy[v] = val
        return False

    def slide(v: int, others: list[int]) -> bool:
        """Moves v to where its edges cross less: first between its neighbours in the rank,
        then into any other gap of the rank wide enough; towards its edges' other ends."""
        ends = [yy[w] for w in nbs[v]]
        pulls = sorted(set(ends) | {float(np.median(ends))})
        here = yy[v]
        gaps = []
        prev = -np.inf
        for u in others + [None]:
            nxt = np.inf if u is None else yy[u] - (cross[u] + cross[v]) / 2 - nodesep
            low = prev
            if low <= nxt:
                gaps.append((low, nxt))
            if u is not None:
                prev = yy[u] + (cross[u] + cross[v]) / 2 + nodesep
        gaps.sort(key=lambda g: 0 if g[0] - EPS <= here <= g[1] + EPS else 1)
        for low, high in gaps:
            for target in sorted({float(np.clip(p, low, high)) for p in pulls},
                                 key=lambda t: abs(t - here)):
                if abs(target - here) > EPS and trial([v], [target]):
                    return True
            if evals >= max_evals:
                break
        return False

    ranks = [sorted(layer, key=lambda v: yy[v]) for layer in layers if len(layer)]
    for _ in range(8):
        if count == 0 or evals >= max_evals:
            break
        improved = False
        for rank in ranks:
            rank.sort(key=lambda v: yy[v])
            for i in range(len(rank) - 1):
                u, v = rank[i], rank[i + 1]
                top = yy[u] - cross[u] / 2
                bottom = yy[v] + cross[v] / 2
                if trial([u, v], [bottom - cross[u] / 2, top + cross[v] / 2]):
                    rank[i], rank[i + 1] = v, u
                    improved = True
            for v in list(rank):
                if nbs[v] and slide(v, [u for u in rank if u != v]):
                    rank.sort(key=lambda u: yy[u])
                    improved = True
            if count == 0 or evals >= max_evals:
                break
        if not improved:
            break
    return yy.tolist(), count
