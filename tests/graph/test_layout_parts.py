"""The layered layout's parts on their own: network simplex finds the least total edge length,
and the list-based orderer (small graphs) makes the same steps as the numpy one (big graphs)."""

from __future__ import annotations

import itertools
import random

import numpy as np

from micrograd_widgets.graph.layout.list_order import ListOrderer
from micrograd_widgets.graph.layout.ordering import Orderer, minimise
from micrograd_widgets.graph.layout.simplex import network_simplex


def small_dag(seed: int) -> tuple[int, list[int], list[int], list[int], list[int]]:
    rng = random.Random(seed)
    n = rng.randint(3, 5)
    frm, to = [], []
    for b in range(1, n):
        for a in rng.sample(range(b), rng.randint(1, min(b, 2))):
            frm.append(a)
            to.append(b)
    if rng.random() < 0.3:  # the last node apart: two parts
        kept = [(a, b) for a, b in zip(frm, to, strict=True) if b != n - 1]
        frm, to = [a for a, _ in kept], [b for _, b in kept]
    minlen = [rng.randint(0, 2) for _ in frm]
    weight = [rng.randint(1, 3) for _ in frm]
    return n, frm, to, minlen, weight


def spread_start(rng: random.Random, n: int, frm: list[int], to: list[int],
                 minlen: list[int]) -> list[int]:
    """A valid ranking, spread out at random: many exchanges to the least one."""
    start = [rng.randint(0, 3) for _ in range(n)]
    for b in range(n):  # edges go from lower to higher ids
        for a, c, m in zip(frm, to, minlen, strict=True):
            if c == b:
                start[b] = max(start[b], start[a] + m + rng.randint(0, 2))
    return start


def length(rank, frm, to, weight) -> int:
    return sum(w * (rank[b] - rank[a]) for a, b, w in zip(frm, to, weight, strict=True))


def test_network_simplex_finds_the_least_total_length() -> None:
    """Against every ranking by brute force, on small random DAGs with lengths and weights."""
    for seed in range(40):
        n, frm, to, minlen, weight = small_dag(seed)
        start = spread_start(random.Random(seed), n, frm, to, minlen)
        got = network_simplex(n, frm, to, start, 10**6, minlen, weight)
        assert all(got[b] - got[a] >= m for a, b, m in zip(frm, to, minlen, strict=True)), seed
        top = sum(minlen)
        best = min(length(r, frm, to, weight)
                   for r in itertools.product(range(top + 1), repeat=n)
                   if all(r[b] - r[a] >= m for a, b, m in zip(frm, to, minlen, strict=True)))
        assert length(got, frm, to, weight) == best, seed


def improving_shift(n: int, edges: list[tuple[int, int, int, int]], rank: list[int]) -> int:
    """The most a set of nodes closed under tight edges (a in it, a -> b tight: b in it) can
    lower the total weighted length by moving one rank on; a valid ranking is least iff this
    is 0 (every improving direction is a sum of such moves). A maximum-weight closure, by
    minimum cut (Edmonds-Karp)."""
    gain = [0] * n  # what moving v alone on saves: its out-edges' weight less its in-edges'
    for a, b, _, w in edges:
        gain[a] += w
        gain[b] -= w
    src, sink = n, n + 1
    cap: dict[tuple[int, int], float] = {}
    nbs: list[set[int]] = [set() for _ in range(n + 2)]

    def link(u: int, v: int, c: float) -> None:
        cap[u, v] = cap.get((u, v), 0) + c
        cap.setdefault((v, u), 0)
        nbs[u].add(v)
        nbs[v].add(u)

    for v in range(n):
        if gain[v] > 0:
            link(src, v, gain[v])
        elif gain[v] < 0:
            link(v, sink, -gain[v])
    for a, b, m, _ in edges:
        if rank[b] - rank[a] == m:
            link(a, b, float("inf"))
    flow = 0.0
    while True:
        back = {src: src}
        queue = [src]
        for u in queue:
            for v in nbs[u]:
                if v not in back and cap[u, v] > 0:
                    back[v] = u
                    queue.append(v)
        if sink not in back:
            return int(sum(g for g in gain if g > 0) - flow)
        path = [sink]
        while path[-1] != src:
            path.append(back[path[-1]])
        push = min(cap[back[v], v] for v in path[:-1])
        for v in path[:-1]:
            cap[back[v], v] -= push
            cap[v, back[v]] += push
        flow += push


def test_network_simplex_is_optimal_on_bigger_graphs() -> None:
    """No set of nodes can move on and shorten the edges (improving_shift), on random DAGs of
    20-60 nodes from spread-out rankings (many exchanges), with lengths and weights."""
    for seed in range(30):
        rng = random.Random(1000 + seed)
        n = rng.randint(20, 60)
        frm, to = [], []
        for b in range(1, n):
            for a in rng.sample(range(max(0, b - 8), b), rng.randint(1, min(b, 3))):
                frm.append(a)
                to.append(b)
        minlen = [rng.randint(0, 3) for _ in frm]
        weight = [rng.randint(1, 4) for _ in frm]
        got = network_simplex(n, frm, to, spread_start(rng, n, frm, to, minlen), 10**6,
                              minlen, weight)
        edges = list(zip(frm, to, minlen, weight, strict=True))
        assert all(got[b] - got[a] >= m for a, b, m, _ in edges), seed
        assert improving_shift(n, edges, got) == 0, seed
    # the check finds an improvement where there is one
    edges = [(0, 1, 1, 1), (1, 2, 1, 1)]
    assert improving_shift(3, edges, [0, 1, 2]) == 0
    assert improving_shift(3, edges, [0, 1, 3]) == 1  # node 2 moves back


def layered_graph(seed: int) -> tuple[list[list[int]], int, list[int], list[int]]:
    """Random ranks, edges only between neighbouring ranks, in a shuffled order."""
    rng = random.Random(seed)
    layers, total = [], 0
    for _ in range(rng.randint(2, 7)):
        k = rng.randint(1, 12) if rng.random() < 0.8 else rng.randint(19, 30)  # numpy costs
        layers.append(list(range(total, total + k)))
        total += k
    top, bot = [], []
    for upper, lower in itertools.pairwise(layers):
        for _ in range(rng.randint(len(lower), 2 * (len(upper) + len(lower)))):
            top.append(rng.choice(upper))
            bot.append(rng.choice(lower))
    for layer in layers:
        rng.shuffle(layer)
    return layers, total, top, bot


def brute_crossings(layers, top, bot) -> int:
    pos = {v: i for layer in layers for i, v in enumerate(layer)}
    rank = {v: r for r, layer in enumerate(layers) for v in layer}
    edges = list(zip(top, bot, strict=True))
    return sum(1 for (a, b), (c, d) in itertools.combinations(edges, 2)
               if rank[a] == rank[c] and (pos[a] - pos[c]) * (pos[b] - pos[d]) < 0)


def test_the_list_orderer_steps_as_the_numpy_orderer() -> None:
    for seed in range(60):
        layers, total, top, bot = layered_graph(seed)
        ours = ListOrderer(layers, total, top, bot)
        ref = Orderer(layers, total, np.asarray(top, dtype=np.int64),
                      np.asarray(bot, dtype=np.int64))
        assert ours.crossings() == ref.crossings() == brute_crossings(layers, top, bot), seed
        for it in range(6):
            ours.sweep(downward=it % 2 == 0, median=it % 3 != 2)
            ref.sweep(downward=it % 2 == 0, median=it % 3 != 2)
            assert ours.layers() == ref.layers(), (seed, it, "sweep")
            assert ours.transpose(ties=it % 2 == 0) == ref.transpose(ties=it % 2 == 0), seed
            assert ours.layers() == ref.layers(), (seed, it, "transpose")
            ours.settle()
            ref.settle()
            assert ours.layers() == ref.layers(), (seed, it, "settle")
            assert ours.work == ref.work, seed
            assert ours.crossings() == ref.crossings(), seed
        assert ours.crossings() == brute_crossings(ours.layers(), top, bot), seed


def test_the_full_search_orders_the_same_on_lists() -> None:
    for seed in range(20):
        layers, total, top, bot = layered_graph(100 + seed)
        starts = [layers, [list(reversed(layer)) for layer in layers]]
        ours = ListOrderer(layers, total, top, bot)
        ref = Orderer(layers, total, np.asarray(top, dtype=np.int64),
                      np.asarray(bot, dtype=np.int64))
        c1 = minimise(ours, starts, restarts=2)
        c2 = minimise(ref, starts, restarts=2)
        assert (c1, ours.layers()) == (c2, ref.layers()), seed
        assert c1 == brute_crossings(ours.layers(), top, bot), seed
