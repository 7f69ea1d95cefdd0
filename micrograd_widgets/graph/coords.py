"""Positions across the ranks as Graphviz dot computes them (Gansner et al. 1993, section 4.2).

Minimise sum(omega(e) * |y[u] - y[v]|) over the edges between neighbouring ranks (dummies
included), keeping each rank's order with its gaps: omega is 1 between boxes, 2 between a box and
a dummy, 8 between dummies, so long edges run straight. The auxiliary graph has a node per edge,
n_e -> u and n_e -> v, and an edge between neighbours in a rank (minimum length: their gap); its
optimal "ranking" by network simplex (graph/ranking.py) is the positions, in half pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

from .ranking import network_simplex

SCALE = 2  # half-pixel positions


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
