"""Ranks for the layered layout: the shortest total edge length, as Graphviz dot ranks.

Every edge a -> b needs rank[b] >= rank[a] + 1; among such rankings, network simplex (Gansner et
al., "A technique for drawing directed graphs", 1993) finds one with the least total length
sum(rank[b] - rank[a]): short edges mean few dummy nodes, so fewer crossings and a compact picture.
For an MLP's loss over several samples, that lines the samples' copies of the network up so the
shared weights sit next to all their uses, where ranking by longest path shifts each copy along
the loss's sum and stretches every weight's edges.

Network simplex itself is simplex.py; here the rankings it starts from, and dot's tricks
(chains kept tight, leaves hung off their neighbour) around it.
"""

from __future__ import annotations

from collections.abc import Sequence

from .simplex import network_simplex


def longest_path_ranks(n: int, edge_from: Sequence[int], edge_to: Sequence[int],
                        topo: Sequence[int]) -> list[int]:
    """Longest path from the sources, then each node pulled up to just before its first user."""
    outs: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(edge_from, edge_to, strict=True):
        outs[a].append(b)
    rank = [0] * n
    for v in topo:
        r = rank[v] + 1
        for b in outs[v]:
            if rank[b] < r:
                rank[b] = r
    for v in reversed(topo):
        if outs[v]:
            rank[v] = min(rank[b] for b in outs[v]) - 1
    return rank


def rank_nodes(n: int, edge_from: Sequence[int], edge_to: Sequence[int],
               max_iter: int = 10**9) -> list[int]:
    """Ranks of a DAG (edges a -> b with topological a before b): least total edge length.

    Chains u -> v (u's only out-edge, v's only in-edge: an op node and its box, say) stay tight,
    sources with one out-edge and sinks with one in-edge hang tight off their neighbour, and
    network simplex (at most `max_iter` exchanges) ranks what is left."""
    nxt = [-1] * n  # chain successor
    outs: list[list[int]] = [[] for _ in range(n)]
    ins: list[list[int]] = [[] for _ in range(n)]
    for a, b in zip(edge_from, edge_to, strict=True):
        outs[a].append(b)
        ins[b].append(a)
    for a in range(n):
        if len(outs[a]) == 1 and len(ins[outs[a][0]]) == 1:
            nxt[a] = outs[a][0]
    group = [-1] * n
    offset = [0] * n
    groups = 0
    for a in range(n):
        if group[a] >= 0 or (ins[a] and len(ins[a]) == 1 and nxt[ins[a][0]] == a):
            continue
        x, k = a, 0
        while x >= 0 and group[x] < 0:
            group[x] = groups
            offset[x] = k
            x, k = nxt[x], k + 1
        groups += 1
    for a in range(n):  # a cycle of chain links (not in a DAG): its own group
        if group[a] < 0:
            x, k = a, 0
            while group[x] < 0:
                group[x], offset[x] = groups, k
                x, k = nxt[x], k + 1
            groups += 1
    g_from: list[int] = []
    g_to: list[int] = []
    g_min: list[int] = []
    for a, b in zip(edge_from, edge_to, strict=True):
        if group[a] != group[b]:
            g_from.append(group[a])
            g_to.append(group[b])
            g_min.append(1 + offset[a] - offset[b])
    g_rank = _rank_core(groups, g_from, g_to, g_min, max_iter)
    return [g_rank[group[v]] + offset[v] for v in range(n)]


def _rank_core(n: int, edge_from: list[int], edge_to: list[int], minlen: list[int],
               max_iter: int) -> list[int]:
    """Peels one-edge sources and sinks, ranks the rest by network simplex, hangs them back."""
    m = len(edge_from)
    out_e: list[list[int]] = [[] for _ in range(n)]
    in_e: list[list[int]] = [[] for _ in range(n)]
    for e in range(m):
        out_e[edge_from[e]].append(e)
        in_e[edge_to[e]].append(e)
    indeg = [len(x) for x in in_e]
    outdeg = [len(x) for x in out_e]
    alive_e = [True] * m
    peeled: list[tuple[int, int]] = []  # (node, the edge it hangs by)
    queue = [v for v in range(n) if indeg[v] + outdeg[v] == 1]
    gone = [False] * n
    while queue:
        v = queue.pop()
        if gone[v] or indeg[v] + outdeg[v] != 1:
            continue
        e = next(e for e in (in_e[v] if indeg[v] else out_e[v]) if alive_e[e])
        other = edge_from[e] if indeg[v] else edge_to[e]
        alive_e[e] = False
        gone[v] = True
        peeled.append((v, e))
        if indeg[v]:
            outdeg[other] -= 1
        else:
            indeg[other] -= 1
        if indeg[other] + outdeg[other] == 1:
            queue.append(other)
    rank = [0] * n
    core = [v for v in range(n) if not gone[v]]
    if core:
        local = {v: k for k, v in enumerate(core)}
        ce = [e for e in range(m) if alive_e[e]]
        cf = [local[edge_from[e]] for e in ce]
        ct = [local[edge_to[e]] for e in ce]
        cm = [minlen[e] for e in ce]
        start = _feasible_ranks(len(core), cf, ct, cm)
        ranked = network_simplex(len(core), cf, ct, start, max_iter, cm)
        for v, r in zip(core, ranked, strict=True):
            rank[v] = r
    for v, e in reversed(peeled):
        if edge_to[e] == v:
            rank[v] = rank[edge_from[e]] + minlen[e]
        else:
            rank[v] = rank[edge_to[e]] - minlen[e]
    return rank


def _feasible_ranks(n: int, edge_from: list[int], edge_to: list[int],
                    minlen: list[int]) -> list[int]:
    """A valid start for network simplex: the shorter of two rankings by longest paths.

    Edges against the topological order (cycles) are left out."""
    outs: list[list[int]] = [[] for _ in range(n)]
    has_in = [False] * n
    for e in range(len(edge_from)):
        outs[edge_from[e]].append(e)
        has_in[edge_to[e]] = True
    order = kahn_order(n, edge_to, outs)
    asap = [0] * n
    for v in order:
        for e in outs[v]:
            b = edge_to[e]
            asap[b] = max(asap[b], asap[v] + minlen[e])
    # as soon as possible, sources pulled up to their first user; or all as late as possible
    alap = list(asap)
    for v in reversed(order):
        if outs[v]:
            r = min(alap[edge_to[e]] - minlen[e] for e in outs[v])
            alap[v] = r
            if not has_in[v]:
                asap[v] = min(asap[edge_to[e]] - minlen[e] for e in outs[v])

    def length(rank: list[int]) -> int:
        return sum(rank[b] - rank[a] for a, b in zip(edge_from, edge_to, strict=True))

    return asap if length(asap) <= length(alap) else alap


def kahn_order(n: int, edge_to: Sequence[int], outs: Sequence[Sequence[int]]) -> list[int]:
    """Kahn's algorithm: the nodes in a topological order (outs[v]: v's edges, edge_to[e] their
    heads); nodes on a cycle are left out."""
    indeg = [0] * n
    for b in edge_to:
        indeg[b] += 1
    order = [v for v in range(n) if indeg[v] == 0]
    k = 0
    while k < len(order):
        for e in outs[order[k]]:
            b = edge_to[e]
            indeg[b] -= 1
            if indeg[b] == 0:
                order.append(b)
        k += 1
    return order
