"""Positions across the ranks (y in LR space) of a layered layout, two ways.

cross_positions(), today's (js/graph/layered.ts): sweeps down and up, each node towards its
neighbours' mean (a long edge's dummies towards its straight line), made non-overlapping by
isotonic regression (pool adjacent violators).

simplex_positions(), as Graphviz dot computes them (Gansner et al. 1993, section 4.2):

Minimise sum(omega(e) * |y[u] - y[v]|) over the edges between neighbouring ranks (dummies
included), keeping each rank's order with its gaps: omega is 1 between boxes, 2 between a box and
a dummy, 8 between dummies, so long edges run straight. The auxiliary graph has a node per edge,
n_e -> u and n_e -> v, and an edge between neighbours in a rank (minimum length: their gap); its
optimal "ranking" by network simplex (simplex.py) is the positions, in half pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

from .simplex import network_simplex

SCALE = 2  # half-pixel positions
DUMMY_PULL = 8.0  # how firmly a long edge's dummies keep to its straight line


def simplex_positions(layers: Sequence[Sequence[int]], edges: Sequence[tuple[int, int]],
                      cross: Sequence[float], nodesep: float, n_real: int,
                      max_iter: int) -> list[float]:
    """Centres across the ranks of every node (dummies are ids >= n_real)."""
    total = len(cross)
    frm: list[int] = []
    to: list[int] = []
    minlen: list[int] = []
    weight: list[int] = []
    init = [0] * (total + len(edges))
    for layer in layers:
        at = 0
        for i, v in enumerate(layer):
            if i:
                u = layer[i - 1]
                gap = -int(-SCALE * ((cross[u] + cross[v]) / 2 + nodesep) // 1)  # ceil
                frm.append(u)
                to.append(v)
                minlen.append(gap)
                weight.append(0)
                at += gap
            init[v] = at
    for k, (u, v) in enumerate(edges):
        ne = total + k
        omega = 1 + (u >= n_real) + (v >= n_real)
        omega = 8 if omega == 3 else omega
        frm += [ne, ne]
        to += [u, v]
        minlen += [0, 0]
        weight += [omega, omega]
        init[ne] = min(init[u], init[v])
    r = network_simplex(total + len(edges), frm, to, init, max_iter, minlen, weight)
    return [p / SCALE for p in r[:total]]


def cross_positions(
    n: int, layers: list[list[int]], up: list[list[int]], down: list[list[int]],
    v_cross: list[float], max_rank: int, nodesep: float,
    along: dict[int, tuple[int, int, float]], sweeps: int,
) -> list[float]:
    """Positions across the ranks: each node near its neighbours' mean, none overlapping."""
    total = len(v_cross)
    # lone leaves (constants, parameters: no inputs, one user) sit beside the node they feed;
    # going downstream a node lines up with the inputs that carry a computation
    lone = [v < n and not up[v] and len(down[v]) == 1 for v in range(total)]
    pulls_down = []  # the neighbours whose mean a node wants, sweeping down
    for v in range(total):
        ns = [w for w in up[v] if not lone[w]]
        pulls_down.append(ns or up[v])
    # per rank, what stays the same in every sweep: the least offsets (neighbours packed) and
    # the weights (lone leaves give way, dummies keep to their lines)
    offsets: list[list[float]] = []
    weights: list[list[float]] = []
    for layer in layers:
        off = [0.0] * len(layer)
        for i in range(1, len(layer)):
            off[i] = off[i - 1] + ((v_cross[layer[i - 1]] + v_cross[layer[i]]) / 2 + nodesep)
        offsets.append(off)
        weights.append([1e-3 if lone[v] else (DUMMY_PULL if v in along else 1.0)
                        for v in layer])
    y = [0.0] * total
    for layer in layers:
        at = 0.0
        for v in layer:
            y[v] = at + v_cross[v] / 2
            at += v_cross[v] + nodesep
    for s in range(2 * sweeps):
        downward = s % 2 == 0
        nb = pulls_down if downward else down
        for k in range(max_rank + 1):
            r = k if downward else max_rank - k
            layer = layers[r]
            want = []
            for v in layer:
                if v in along:  # a long edge's dummy: on the line between its ends
                    a, b, t = along[v]
                    want.append(y[a] + (y[b] - y[a]) * t)
                    continue
                ns = nb[v]
                if not ns:
                    want.append(y[v])
                    continue
                total_y = 0.0
                for w in ns:
                    total_y += y[w]
                want.append(total_y / len(ns))
            for v, p in zip(layer, _pav(want, offsets[r], weights[r]), strict=True):
                y[v] = p
    return y


def isotonic(
    want: Sequence[float], gaps: Sequence[float], weights: Sequence[float] | None = None
) -> list[float]:
    """Positions closest (weighted least squares) to `want` with p[i] - p[i-1] >= gaps[i]."""
    n = len(want)
    offset = [0.0] * n
    for i in range(1, n):
        offset[i] = offset[i - 1] + gaps[i]
    return _pav(want, offset, weights if weights is not None else [1.0] * n)


def _pav(want: Sequence[float], offset: Sequence[float], weights: Sequence[float]) -> list[float]:
    """isotonic() with the gaps summed (pool adjacent violators)."""
    value: list[float] = []
    weight: list[float] = []
    size: list[int] = []
    for i in range(len(want)):
        v = want[i] - offset[i]
        w = weights[i]
        c = 1
        while value and value[-1] > v:
            pw = weight.pop()
            pv = value.pop()
            v = (pv * pw + v * w) / (pw + w)
            w += pw
            c += size.pop()
        value.append(v)
        weight.append(w)
        size.append(c)
    out: list[float] = []
    i = 0
    for b in range(len(value)):
        vb = value[b]
        for _ in range(size[b]):
            out.append(vb + offset[i])
            i += 1
    return out
