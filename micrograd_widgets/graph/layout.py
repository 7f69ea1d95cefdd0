"""A layered (Sugiyama-style) layout, the kind Graphviz's dot draws: a port of js/graph/layered.ts.

1. ranks: longest path from the sources, every node pulled up to its first user, then (small
   graphs) moved to the side where most of its edges are;
2. long edges get invisible dummy nodes, one per rank they cross;
3. order within a rank: barycenter sweeps; in small graphs then transposing, sifting, restarts
   and an iterated local search, keeping the order that crosses least;
4. positions across ranks: neighbours' mean, made non-overlapping by isotonic regression;
5. edges: points from the box's exit side through the dummies to the next box's entry side.

Works in "LR space" (ranks along x); TB swaps the axes at the end. Deterministic: the same graph
always gets the same layout (the searches are seeded and bounded by counted work, not a clock).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Point = tuple[float, float]

RANKDIRS = ("LR", "TB")


@dataclass
class LayoutResult:
    """Where layered() put everything, in px: the drawing's size, node centres, edge routes."""

    width: float
    height: float
    centers: list[Point]  # per node
    edges: list[list[Point]]  # per edge, from the source's border to the target's border


# Balancing ranks and refining the order are for graphs people read box by box.
MAX_REFINED = 1500
WORK_BUDGET = 800_000
REFINE_SWEEPS = 24
MAX_RESTARTS = 12
SIFT_MAX = 80
RESTART_BUDGET = 3000
KICK_MOVES = 4
KICK_BUDGET = 6_500_000
KICK_STALL = 120
KICK_FULL = 250
SWEEPS = 6
# Dummies an edge may add: past this budget the longest edges get none and are drawn straight.
DUMMIES_PER_NODE = 4
MIN_DUMMIES = 2000


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

    # ---- 1. ranks
    outs: list[list[int]] = [[] for _ in range(n)]
    ins: list[list[int]] = [[] for _ in range(n)]
    for e in range(m):
        outs[edge_from[e]].append(e)
        ins[edge_to[e]].append(e)
    topo = _topological_order(n, edge_to, outs)
    rank = [0] * n
    for v in topo:
        for e in outs[v]:
            b = edge_to[e]
            rank[b] = max(rank[b], rank[v] + 1)
    for v in reversed(topo):
        if outs[v]:
            rank[v] = min(rank[edge_to[e]] - 1 for e in outs[v])
    if n <= MAX_REFINED:
        _balance_ranks(topo, rank, ins, outs, edge_from, edge_to)
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
        if rank[b] - rank[a] - 1 > longest:
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
        if len(chain) == 2 and v_rank[chain[1]] - v_rank[chain[0]] > 1:
            continue
        for k in range(len(chain) - 1):
            down[chain[k]].append(chain[k + 1])
            up[chain[k + 1]].append(chain[k])

    # ---- 3. order
    layers = _order(n, total, max_rank, v_rank, up, down, topo, outs)

    # ---- 4. coordinates across ranks (y in LR space)
    y = _cross_positions(n, layers, up, down, v_cross, max_rank, nodesep)
    if total:
        min_y = min(y[v] - v_cross[v] / 2 for v in range(total))
        max_y = max(y[v] + v_cross[v] / 2 for v in range(total))
    else:
        min_y = max_y = 0.0

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
    if lr:
        return LayoutResult(width, height, centers, edges)
    return LayoutResult(height, width, centers, edges)


def _topological_order(n: int, edge_to: list[int], outs: list[list[int]]) -> list[int]:
    """Kahn's algorithm; nodes on a cycle (not expected in autograd graphs) go last."""
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


class _Search:
    """The crossing search's state: layers, positions, and the work counted so far."""

    def __init__(
        self, layers: list[list[int]], up: list[list[int]], down: list[list[int]], total: int
    ):
        self.layers = layers
        self.up = up
        self.down = down
        self.pos = [0] * total
        self.work = 0
        self.set_pos()

    def set_pos(self) -> None:
        pos = self.pos
        for layer in self.layers:
            for i, v in enumerate(layer):
                pos[v] = i

    def crossings(self) -> int:
        """Edge crossings between each layer and the next (Fenwick-tree inversion count)."""
        pos, down = self.pos, self.down
        self.work += len(pos)
        total = 0
        layers = self.layers
        for r in range(len(layers) - 1):
            size = len(layers[r + 1])
            if size == 0:
                continue
            tree = [0] * (size + 1)
            seen = 0
            for v in layers[r]:
                ends = sorted(pos[w] for w in down[v])
                for p in ends:
                    greater = seen
                    i = p + 1
                    while i > 0:
                        greater -= tree[i]
                        i -= i & -i
                    total += greater
                for p in ends:
                    i = p + 1
                    while i <= size:
                        tree[i] += 1
                        i += i & -i
                    seen += 1
        return total

    def pair(self, u: int, v: int, nb: list[list[int]]) -> int:
        """Crossings between the edges of u and of v (u first) towards neighbours `nb`."""
        nu, nv = nb[u], nb[v]
        self.work += len(nu) * len(nv) + 1
        pos = self.pos
        c = 0
        for a in nu:
            pa = pos[a]
            for b in nv:
                if pa > pos[b]:
                    c += 1
        return c

    def transpose(self, ties: bool = False) -> None:
        """Swaps neighbours in a layer while that lowers the crossings on both sides."""
        up, down, pos = self.up, self.down, self.pos
        improved = True
        pass_ = 0
        while improved and pass_ < 8:
            improved = False
            for layer in self.layers:
                for i in range(len(layer) - 1):
                    u, v = layer[i], layer[i + 1]
                    now = self.pair(u, v, up) + self.pair(u, v, down)
                    swapped = self.pair(v, u, up) + self.pair(v, u, down)
                    if swapped < now or (ties and pass_ == 0 and swapped == now and now > 0):
                        layer[i], layer[i + 1] = v, u
                        pos[v] = i
                        pos[u] = i + 1
                        improved = True
            pass_ += 1

    def sift(self) -> None:
        """Each node in turn moves to the place in its layer where its edges cross fewest others."""
        up, down, pos = self.up, self.down, self.pos

        def cost(a: int, b: int) -> int:
            return self.pair(a, b, up) + self.pair(a, b, down)

        for layer in self.layers:
            if len(layer) < 3 or len(layer) > SIFT_MAX:
                continue
            for v in list(layer):
                others = [u for u in layer if u != v]
                c = 0
                for u in others:
                    c += cost(v, u)
                frm = layer.index(v)
                best = c
                at = 0
                here = c if frm == 0 else math.inf
                for k, u in enumerate(others):
                    c += cost(u, v) - cost(v, u)
                    if k + 1 == frm:
                        here = c
                    if c < best:
                        best, at = c, k + 1
                if best >= here:
                    continue
                others.insert(at, v)
                for i, u in enumerate(others):
                    layer[i] = u
                    pos[u] = i

    def sweep(self, s: int, max_rank: int, both: list[list[int]], median: bool = False,
              keep_loose: bool = False, two_sided: bool = False) -> None:
        downward = s % 2 == 0
        pos = self.pos
        for k in range(max_rank + 1):
            r = k if downward else max_rank - k
            nb = both if two_sided else (self.up if downward else self.down)
            layer = self.layers[r]
            sort_by_barycenter(layer, nb, pos, median, keep_loose)
            for i, v in enumerate(layer):
                pos[v] = i


def _order(
    n: int, total: int, max_rank: int, v_rank: list[int], up: list[list[int]],
    down: list[list[int]], topo: list[int], outs: list[list[int]],
) -> list[list[int]]:
    """Order within each rank: few crossings, operands together."""
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
    S = _Search(layers, up, down, total)
    both = [u + d for u, d in zip(up, down, strict=True)]
    for s in range(SWEEPS):
        S.sweep(s, max_rank, both)
    S.work = 0
    best = S.crossings()
    if best == 0 or total > MAX_REFINED:
        return S.layers
    best_layers = [list(layer) for layer in S.layers]

    def refine() -> None:
        nonlocal best, best_layers
        s = 0
        while s < REFINE_SWEEPS and best > 0 and S.work < WORK_BUDGET:
            S.sweep(s, max_rank, both, s % 4 >= 2, True, s % 3 == 2)
            S.transpose(s % 2 == 1)
            S.sift()
            c = S.crossings()
            if c < best:
                best = c
                best_layers = [list(layer) for layer in S.layers]
            s += 1

    refine()
    if best > 0:
        for layer in S.layers:
            layer.clear()
        seen = [False] * total
        queue = []
        for v in range(total):
            if not up[v]:
                queue.append(v)
                seen[v] = True
        k = 0
        while k < len(queue):
            v = queue[k]
            S.layers[v_rank[v]].append(v)
            for w in down[v]:
                if not seen[w]:
                    queue.append(w)
                    seen[w] = True
            k += 1
        S.set_pos()
        c = S.crossings()
        if c < best:
            best = c
            best_layers = [list(layer) for layer in S.layers]
        refine()
    restarts = min(MAX_RESTARTS, RESTART_BUDGET // total)
    seed = 0x9E3779B9

    def random() -> float:
        nonlocal seed
        seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
        return seed / 2**32

    k = 0
    while k < restarts and best > 0 and S.work < WORK_BUDGET:
        for layer in S.layers:
            for i in range(len(layer) - 1, 0, -1):
                j = int(random() * (i + 1))
                layer[i], layer[j] = layer[j], layer[i]
        S.set_pos()
        refine()
        k += 1
    S.layers[:] = [list(layer) for layer in best_layers]
    S.set_pos()
    # iterated local search: perturb, descend by sifting and transposing, keep when no worse
    kicks_budget = S.work + KICK_BUDGET * min(1, KICK_FULL / total)
    current = best
    stall = 0
    while best > 0 and S.work < kicks_budget and stall < KICK_STALL:
        saved = [list(layer) for layer in S.layers]
        for _ in range(KICK_MOVES):
            layer = S.layers[int(random() * len(S.layers))]
            if len(layer) < 2:
                continue
            v = layer.pop(int(random() * len(layer)))
            layer.insert(int(random() * (len(layer) + 1)), v)
            for j, u in enumerate(layer):
                S.pos[u] = j
        c = S.crossings()
        for _ in range(8):
            S.sift()
            S.transpose()
            d = S.crossings()
            if d >= c:
                break
            c = d
        if c <= current:
            current = c
            if c < best:
                best = c
                best_layers = [list(layer) for layer in S.layers]
                stall = 0
        else:
            S.layers[:] = saved
            S.set_pos()
        stall += 1
    S.layers[:] = [list(layer) for layer in best_layers]
    S.set_pos()
    # finally, local moves only, until they stop paying
    k = 0
    while k < 20 and best > 0 and S.work < 2 * WORK_BUDGET:
        S.sift()
        S.transpose()
        c = S.crossings()
        if c >= best:
            break
        best = c
        best_layers = [list(layer) for layer in S.layers]
        k += 1
    return [list(layer) for layer in best_layers]


def sort_by_barycenter(layer: list[int], neighbours: list[list[int]], pos: list[int],
                       median: bool = False, keep_loose: bool = False) -> None:
    """Stable sort of a layer by the mean (or median) position of each node's neighbours.

    `keep_loose`: nodes without neighbours keep their places, the others sort into the rest."""
    key: dict[int, float] = {}
    for i, v in enumerate(layer):
        ns = neighbours[v]
        if not ns:
            key[v] = i
        elif median:
            ps = sorted(pos[w] for w in ns)
            h = len(ps) >> 1
            key[v] = ps[h] if len(ps) % 2 else (ps[h - 1] + ps[h]) / 2
        else:
            s = 0
            for w in ns:
                s += pos[w]
            key[v] = s / len(ns)
    index = {v: i for i, v in enumerate(layer)}

    def order(v: int) -> tuple[float, int]:
        return (key[v], index[v])

    if not keep_loose:
        layer.sort(key=order)
        return
    slots = [i for i, v in enumerate(layer) if neighbours[v]]
    moving = sorted((layer[i] for i in slots), key=order)
    for slot, v in zip(slots, moving, strict=True):
        layer[slot] = v


def _cross_positions(
    n: int, layers: list[list[int]], up: list[list[int]], down: list[list[int]],
    v_cross: list[float], max_rank: int, nodesep: float,
) -> list[float]:
    """Positions across the ranks: each node near its neighbours' mean, none overlapping."""
    total = len(v_cross)

    def lone_leaf(v: int) -> bool:
        return v < n and not up[v] and len(down[v]) == 1

    y = [0.0] * total
    for layer in layers:
        at = 0.0
        for v in layer:
            y[v] = at + v_cross[v] / 2
            at += v_cross[v] + nodesep
    for s in range(2 * SWEEPS):
        downward = s % 2 == 0
        nb = up if downward else down
        for k in range(max_rank + 1):
            layer = layers[k if downward else max_rank - k]
            want = []
            for v in layer:
                ns = nb[v]
                if not ns:
                    want.append(y[v])
                    continue
                # going downstream a node lines up with inputs that carry a computation; lone
                # leaves (constants, parameters) sit beside it
                total_y = 0.0
                count = 0
                for w in ns:
                    if downward and lone_leaf(w):
                        continue
                    total_y += y[w]
                    count += 1
                if count == 0:
                    for w in ns:
                        total_y += y[w]
                        count += 1
                want.append(total_y / count)
            gaps = [0.0 if i == 0 else (v_cross[layer[i - 1]] + v_cross[v]) / 2 + nodesep
                    for i, v in enumerate(layer)]
            weights = [1e-3 if lone_leaf(v) else 1.0 for v in layer]
            for v, p in zip(layer, isotonic(want, gaps, weights), strict=True):
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
    value: list[float] = []
    weight: list[float] = []
    size: list[int] = []
    for i in range(n):
        v = want[i] - offset[i]
        w = weights[i] if weights is not None else 1.0
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
    for b in range(len(value)):
        for _ in range(size[b]):
            out.append(value[b] + offset[len(out)])
    return out
