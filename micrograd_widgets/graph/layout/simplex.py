"""Network simplex (Gansner et al., 1993): the least total weighted edge length over rankings
with rank[b] - rank[a] >= minlen on every edge; used for the ranks (ranking.py) and for dot's
positions across the ranks (coords.py).

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
