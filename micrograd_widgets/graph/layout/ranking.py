"""Ranks for the layered layout: the shortest total edge length, as Graphviz dot ranks.

Every edge a -> b needs rank[b] >= rank[a] + 1; among such rankings, network simplex (Gansner et
al., "A technique for drawing directed graphs", 1993) finds one with the least total length
sum(rank[b] - rank[a]): short edges mean few dummy nodes, so fewer crossings and a compact picture.
For an MLP's loss over several samples, that lines the samples' copies of the network up so the
shared weights sit next to all their uses, where ranking by longest path shifts each copy along
the loss's sum and stretches every weight's edges.

The simplex keeps a spanning tree of tight edges (length exactly 1); a tree edge's cut value is
the net edge weight out of the component on its tail side, which is the sum over that side's
nodes of (out-degree - in-degree): so all cut values come from one postorder pass. While one is
negative, that edge leaves, the slackest-but-least edge across the other way enters, and one side
shifts. Bounded by `max_iter` (any intermediate ranking is valid, only less compact). After the
first pass each exchange updates only what changes: the sums along the tree paths between the
two edges, and the postorder numbers by moving the shifted subtree as a block (numpy slices).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


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


def network_simplex(n: int, edge_from: Sequence[int], edge_to: Sequence[int],
                    rank: Sequence[int], max_iter: int,
                    minlen: Sequence[int] | None = None,
                    weight: Sequence[int] | None = None) -> list[int]:
    """Improves a valid ranking (rank[b] - rank[a] >= minlen on every edge) towards the least
    total weighted length. Each connected part separately; each part's ranks start at 0."""
    tail = np.asarray(edge_from, dtype=np.int64)
    head = np.asarray(edge_to, dtype=np.int64)
    m = len(tail)
    ml = np.ones(m, dtype=np.int64) if minlen is None else np.asarray(minlen, dtype=np.int64)
    w = np.ones(m, dtype=np.int64) if weight is None else np.asarray(weight, dtype=np.int64)
    r = np.asarray(rank, dtype=np.int64).copy()
    out = np.zeros(n, dtype=np.int64)
    for nodes in _components(n, tail, head):
        if len(nodes) == 1:
            continue
        local = np.full(n, -1, dtype=np.int64)
        local[nodes] = np.arange(len(nodes))
        keep = local[tail] >= 0
        simplex = _Simplex(len(nodes), local[tail[keep]], local[head[keep]], ml[keep], w[keep],
                           r[nodes])
        simplex.run(max_iter)
        out[nodes] = simplex.r - simplex.r.min()
    return out.tolist()


def _components(n: int, tail: np.ndarray, head: np.ndarray) -> list[np.ndarray]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(tail.tolist(), head.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([find(x) for x in range(n)], dtype=np.int64)
    order = np.argsort(roots, kind="stable")
    cuts = np.flatnonzero(np.diff(roots[order])) + 1
    return np.split(order, cuts)


class _Simplex:
    """Network simplex on one connected graph, the tree kept with postorder numbers (low, lim)."""

    def __init__(self, n: int, tail: np.ndarray, head: np.ndarray, minlen: np.ndarray,
                 weight: np.ndarray, r: np.ndarray):
        self.n = n
        self.tail, self.head, self.minlen = tail, head, minlen
        self.tail_l, self.head_l = tail.tolist(), head.tolist()
        self.ends = (tail ^ head).tolist()  # an edge's other end: ends[e] ^ this end
        self.r = r
        tree = self._feasible_tree()
        # b(u): weight out - weight in; a set's net outflow is the sum of its nodes' b
        self.b = (np.bincount(tail, weights=weight, minlength=n)
                  - np.bincount(head, weights=weight, minlength=n)).astype(np.int64).tolist()
        self.adj: list[list[int]] = [[] for _ in range(n)]
        for e in np.flatnonzero(tree).tolist():
            self.adj[self.tail_l[e]].append(e)
            self.adj[self.head_l[e]].append(e)
        self.low = [0] * n
        self.lim = [0] * n
        self.par = [-1] * n
        self.sub = [0] * n
        self.order = [0] * n  # node at each postorder number
        self.cut = np.zeros(n, dtype=np.int64)  # cut value of each node's parent edge
        self.lim_a = np.zeros(n, dtype=np.int64)
        self._number(0, 0)

    def _feasible_tree(self) -> np.ndarray:
        """A spanning tree of tight edges, shifting the grown part to make an edge tight."""
        n, tail, head, r = self.n, self.tail, self.head, self.r
        tail_l, head_l, ml = self.tail_l, self.head_l, self.minlen.tolist()
        in_tree = np.zeros(n, dtype=bool)
        tree_edge = np.zeros(len(tail_l), dtype=bool)
        inc: list[list[int]] = [[] for _ in range(n)]
        for e in range(len(tail_l)):
            inc[tail_l[e]].append(e)
            inc[head_l[e]].append(e)
        r_l = r.tolist()
        seen = [False] * n

        def grow(start: int) -> None:
            seen[start] = True
            in_tree[start] = True
            stack = [start]
            while stack:
                x = stack.pop()
                for e in inc[x]:
                    a, c = tail_l[e], head_l[e]
                    y = c if a == x else a
                    if not seen[y] and r_l[c] - r_l[a] == ml[e]:
                        seen[y] = True
                        in_tree[y] = True
                        tree_edge[e] = True
                        stack.append(y)

        grow(0)
        while not in_tree.all():
            r[:] = r_l
            idx = np.flatnonzero(in_tree[tail] ^ in_tree[head])
            slack = r[head[idx]] - r[tail[idx]] - self.minlen[idx]
            e = int(idx[np.argmin(slack)])
            delta = int(slack.min())
            if delta:
                r[in_tree] += -delta if in_tree[head[e]] else delta
                r_l = r.tolist()
            tree_edge[e] = True
            grow(head_l[e] if in_tree[tail[e]] else tail_l[e])
        r[:] = r_l
        return tree_edge

    def _number(self, root: int, start: int) -> None:
        """Postorder numbers, parent edges, subtree sums and cut values below `root`, numbered
        from `start` (root's parent edge, if any, stays)."""
        adj, ends, tail, b = self.adj, self.ends, self.tail_l, self.b
        low, lim, par, sub, order = self.low, self.lim, self.par, self.sub, self.order
        counter = start
        low[root] = start
        nodes = [root]
        nexts = [0]
        done: list[int] = []
        cuts: list[int] = []
        while nodes:
            x = nodes[-1]
            k = nexts[-1]
            edges = adj[x]
            if k < len(edges):
                nexts[-1] = k + 1
                e = edges[k]
                if e != par[x]:
                    y = ends[e] ^ x
                    par[y] = e
                    low[y] = counter
                    nodes.append(y)
                    nexts.append(0)
                continue
            nodes.pop()
            nexts.pop()
            lim[x] = counter
            order[counter] = x
            counter += 1
            s = b[x]
            pe = par[x]
            for e in edges:
                if e != pe:
                    s += sub[ends[e] ^ x]
            sub[x] = s
            done.append(x)
            cuts.append(s if pe >= 0 and tail[pe] == x else -s)
        idx = np.asarray(done, dtype=np.int64)
        self.lim_a[idx] = np.arange(start, counter, dtype=np.int64)
        self.cut[idx] = cuts
        if par[root] < 0:
            self.cut[root] = 0

    def run(self, max_iter: int) -> None:
        """Exchanges until optimal, or until the renumbered nodes pass `max_iter` x 10 (each
        exchange renumbers a subtree: the work is counted, not timed, so results repeat).

        After the first numbering, an exchange updates the tree in place: v's subtree, re-hung
        from the entering edge's end, moves as a block of the postorder (its own order rebuilt
        from slices, the path up to v reversed), and only the nodes on the tree paths between
        the two edges change their sums, sizes and cut values."""
        tail, head, r, lim_a = self.tail, self.head, self.r, self.lim_a
        par, ends, sub = self.par, self.ends, self.sub
        tail_l, head_l = self.tail_l, self.head_l
        size = [hi - lo + 1 for lo, hi in zip(self.low, self.lim, strict=True)]
        order = np.asarray(self.order, dtype=np.int64)
        cut = self.cut
        work = 0
        for _ in range(max_iter):
            if work > 10 * max_iter:
                return
            v = int(np.argmin(cut))
            if cut[v] >= 0:
                return
            f = par[v]
            hi = int(lim_a[v])
            lo = hi - size[v] + 1
            in_sub = (lim_a >= lo) & (lim_a <= hi)
            sub_is_tail = tail_l[f] == v
            # enter: the least slack edge from the head side into the tail side (no tree edge
            # but f crosses between the sides, and f goes the other way)
            if sub_is_tail:
                idx = np.flatnonzero(~in_sub[tail] & in_sub[head])
            else:
                idx = np.flatnonzero(in_sub[tail] & ~in_sub[head])
            slack = r[head[idx]] - r[tail[idx]] - self.minlen[idx]
            k = int(np.argmin(slack))
            e = int(idx[k])
            delta = int(slack[k])
            if delta:
                r[order[lo:hi + 1]] += -delta if sub_is_tail else delta
            # e's ends outside and inside v's subtree, v's parent, and the lowest common
            # ancestor w of outside and v's parent: the paths up to w change
            outside, inside = (tail_l[e], head_l[e]) if sub_is_tail else (head_l[e], tail_l[e])
            p = ends[f] ^ v
            lim = lim_a.tolist()
            lim_p = lim[p]
            path_o = []
            w = outside
            while True:
                lim_w = lim[w]
                if lim_w - size[w] < lim_p <= lim_w:
                    break
                path_o.append(w)
                w = ends[par[w]] ^ w
            path_p = []
            x = p
            while x != w:
                path_p.append(x)
                x = ends[par[x]] ^ x
            path_in = [inside]  # inside up to v: the parent links reverse
            x = inside
            while x != v:
                x = ends[par[x]] ^ x
                path_in.append(x)
            work += size[w]
            self._move(order, lim, size, w, outside, path_in)
            z, s = size[v], sub[v]
            for x in path_p:
                size[x] -= z
                sub[x] -= s
            for x in path_o:
                size[x] += z
                sub[x] += s
            old = [(size[x], sub[x], par[x]) for x in path_in]
            size[inside], sub[inside], par[inside] = z, s, e
            for i in range(1, len(path_in)):
                x = path_in[i]
                size[x] = z - old[i - 1][0]
                sub[x] = s - old[i - 1][1]
                par[x] = old[i - 1][2]
            changed = path_p + path_o + path_in
            cut[changed] = [sub[x] if tail_l[par[x]] == x else -sub[x] for x in changed]

    def _move(self, order: np.ndarray, lim: list[int], size: list[int], w: int, outside: int,
              path_in: list[int]) -> None:
        """Renumbers w's subtree (postorder `order`, numbers lim_a, sizes before the move): v's
        subtree leaves its parent and becomes the last child of `outside`, rooted at path_in[0]
        (path_in: from there up to v). Re-rooted at x0, its postorder is x0's other descendants,
        then each x_i's other children's blocks, then x_k ... x_1, x_0."""
        lims = [lim[x] for x in path_in]
        lows = [hi - size[x] + 1 for hi, x in zip(lims, path_in, strict=True)]
        parts = [order[lows[0]:lims[0]]]
        for i in range(1, len(path_in)):
            parts.append(order[lows[i]:lows[i - 1]])
            parts.append(order[lims[i - 1] + 1:lims[i]])
        parts.append(np.asarray(path_in[::-1], dtype=np.int64))
        moved = np.concatenate(parts)
        lo_v, hi_v = lows[-1], lims[-1]
        hw = lim[w]
        lw = hw - size[w] + 1
        at = lim[outside]  # the block goes just before outside's own number
        if at > hi_v:
            seq = np.concatenate((order[lw:lo_v], order[hi_v + 1:at], moved, order[at:hw + 1]))
        else:
            seq = np.concatenate((order[lw:at], moved, order[at:lo_v], order[hi_v + 1:hw + 1]))
        order[lw:hw + 1] = seq
        self.lim_a[seq] = np.arange(lw, hw + 1)


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
    indeg = [0] * n
    for e in range(len(edge_from)):
        outs[edge_from[e]].append(e)
        indeg[edge_to[e]] += 1
    has_in = [d > 0 for d in indeg]
    order = [v for v in range(n) if indeg[v] == 0]
    k = 0
    while k < len(order):
        for e in outs[order[k]]:
            b = edge_to[e]
            indeg[b] -= 1
            if indeg[b] == 0:
                order.append(b)
        k += 1
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
