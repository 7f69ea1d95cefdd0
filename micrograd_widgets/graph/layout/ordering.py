"""The order of the nodes within each rank of a layered layout: few edge crossings.

Graphviz dot's approach (Gansner et al. 1993), vectorised with numpy: from a few starting
orders, sweeps that sort each rank by the (weighted) median of its neighbours in the rank before,
each followed by transposing neighbours while that removes crossings; the order that crosses
least is kept. Every edge joins neighbouring ranks (long edges have dummy nodes by now).

Transposing is done for many pairs at once: the pairs of one parity in the ranks of one parity
never share an edge, so every swap that helps on its own helps together. The crossings between
two neighbours u, v (u first) come from sorted neighbour positions by binary search.
Deterministic: the same graph always gets the same order.
"""

from __future__ import annotations

from itertools import accumulate
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .list_order import ListOrderer

BIG = 1 << 32  # composite keys: major * BIG + minor (minor < BIG)


class Orderer:
    """Orders `layers` (lists of node ids, ranks 0..R) given edges between neighbouring ranks
    (`top[e]` in rank r, `bot[e]` in rank r + 1)."""

    def __init__(self, layers: list[list[int]], total: int, top: np.ndarray, bot: np.ndarray):
        self.total = total
        self.nlayers = len(layers)
        self.work = 0  # sifting steps so far; sifting stops past the budget (deterministic)
        self.budget = int(SIFT_WORK * min(1.0, SIFT_FULL / max(total, 1)))
        self.layer_of = np.zeros(total, dtype=np.int64)
        sizes = [len(layer) for layer in layers]
        self.start = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        for r, layer in enumerate(layers):
            self.layer_of[layer] = r
        self.top = np.asarray(top, dtype=np.int64)
        self.bot = np.asarray(bot, dtype=np.int64)
        self.seq = np.zeros(total, dtype=np.int64)  # node at each slot (ranks one after another)
        self.slot = np.zeros(total, dtype=np.int64)
        self.set_layers(layers)
        # per rank, the edges to the rank before (owner in this rank) and the rank after
        gap = self.layer_of[self.top]
        by_gap = np.argsort(gap, kind="stable")
        cut = np.searchsorted(gap[by_gap], np.arange(self.nlayers + 1))
        self.from_before: list[tuple[np.ndarray, np.ndarray]] = [(np.empty(0, np.int64),) * 2]
        self.from_after: list[tuple[np.ndarray, np.ndarray]] = []
        for r in range(self.nlayers):
            es = by_gap[cut[r]:cut[r + 1]]
            self.from_after.append((self.top[es], self.bot[es]))
            if r + 1 < self.nlayers:
                self.from_before.append((self.bot[es], self.top[es]))
        self.layer_parity = self.layer_of % 2
        self.slot_layer = np.repeat(np.arange(self.nlayers), sizes)
        # a slot's pair with the next slot is real when both are in the same rank
        self.pair_ok = np.zeros(total, dtype=bool)
        if total > 1:
            self.pair_ok[:-1] = self.slot_layer[:-1] == self.slot_layer[1:]

    # ------------------------------------------------------------------ state

    def set_layers(self, layers: list[list[int]]) -> None:
        self.seq[:] = np.concatenate([np.asarray(x, dtype=np.int64) for x in layers]) \
            if self.total else np.zeros(0, np.int64)
        self.slot[self.seq] = np.arange(self.total)

    def layers(self) -> list[list[int]]:
        return [self.seq[self.start[r]:self.start[r + 1]].tolist() for r in range(self.nlayers)]

    def pos(self) -> np.ndarray:
        return self.slot - self.start[self.layer_of]

    def snapshot(self) -> np.ndarray:
        return self.seq.copy()

    def restore(self, seq: np.ndarray) -> None:
        self.seq[:] = seq
        self.slot[seq] = np.arange(self.total)

    # ------------------------------------------------------------------ crossings

    def crossings(self) -> int:
        """Edge crossings between every rank and the next (inversions, by merge counting)."""
        if len(self.top) < 2:
            return 0
        # slots order by rank, then place in the rank: sorting edges by their top slot sorts
        # them by rank gap too, and inversions of the bottom slots are crossings
        order = np.lexsort((self.slot[self.bot], self.slot[self.top]))
        return inversions(self.slot[self.bot][order])

    # ------------------------------------------------------------------ sweeps

    def sweep(self, downward: bool, median: bool = True) -> None:
        """Sorts every rank (in sweep order) by its neighbours in the rank before it."""
        ranks = range(1, self.nlayers) if downward else range(self.nlayers - 2, -1, -1)
        table = self.from_before if downward else self.from_after
        for r in ranks:
            owner, nb = table[r]
            if len(owner):
                self.sort_layer(r, owner, nb, median)

    def sort_layer(self, r: int, owner: np.ndarray, nb: np.ndarray, median: bool) -> None:
        lo, hi = int(self.start[r]), int(self.start[r + 1])
        k = hi - lo
        if k < 2:
            return
        local = self.slot[owner] - lo
        values = self.slot[nb] - self.start[self.layer_of[nb]]
        count = np.bincount(local, minlength=k)
        if median:
            key = _weighted_median(local, values, count, k)
        else:
            key = np.bincount(local, weights=values, minlength=k) / np.maximum(count, 1)
        here = np.arange(k)
        movable = count > 0
        slots = here[movable]
        moving = slots[np.lexsort((slots, key[movable]))]
        new = self.seq[lo:hi].copy()
        new[slots] = self.seq[lo:hi][moving]
        self.seq[lo:hi] = new
        self.slot[new] = np.arange(lo, hi)

    # ------------------------------------------------------------------ sifting

    def layer_costs(self, r: int) -> np.ndarray:
        """C[u][v]: crossings among the edges of rank r's nodes u and v (local indices) when u
        is left of v, both sides counted; the neighbouring ranks as they are."""
        lo, hi = int(self.start[r]), int(self.start[r + 1])
        k = hi - lo
        c = np.zeros((k, k))
        for table, other in ((self.from_before, r - 1), (self.from_after, r + 1)):
            owner, nb = table[r]
            if not len(owner):
                continue
            width = int(self.start[other + 1] - self.start[other]) + 1
            flat = (self.slot[owner] - lo) * width + (self.slot[nb] - self.start[other] + 1)
            a = np.bincount(flat, minlength=k * width).reshape(k, width).astype(float)
            below = np.cumsum(a, axis=1)  # below[v, p + 1]: v's neighbours at positions <= p
            # pairs (x of u, y of v) with x > y: for each x at p, v's neighbours below p
            c += a[:, 1:] @ below[:, :-1].T
        return c

    def sift_layer(self, r: int, passes: int = 3) -> bool:
        """Moves each node of rank r in turn to where its edges cross fewest (both sides), until
        no move helps. Returns whether anything moved."""
        lo, hi = int(self.start[r]), int(self.start[r + 1])
        k = hi - lo
        if k < 2 or k > SIFT_MAX:
            return False
        c = self.layer_costs(r)
        d = (c - c.T).tolist()  # d[v][u]: what v before u costs more than u before v
        perm = list(range(k))  # local index of the node at each place
        moved_any = False
        for _ in range(passes):
            moved = False
            self.work += k * k
            for v in range(k):
                i = perm.index(v)
                dv = d[v]
                # the change in crossings with v moved just before perm[i-1], perm[i-2], ...
                # and just after perm[i+1], perm[i+2], ...
                left = list(accumulate([dv[u] for u in perm[i - 1::-1]])) if i else []
                right = list(accumulate([-dv[u] for u in perm[i + 1:]]))
                best_l = min(left, default=0.0)
                best_r = min(right, default=0.0)
                if min(best_l, best_r) >= 0:
                    continue
                perm.pop(i)
                if best_l <= best_r:
                    perm.insert(i - 1 - left.index(best_l), v)
                else:
                    perm.insert(i + right.index(best_r) + 1, v)
                moved = True
            moved_any |= moved
            if not moved:
                break
        if moved_any:
            new = self.seq[lo:hi][perm]
            self.seq[lo:hi] = new
            self.slot[new] = np.arange(lo, hi)
        return moved_any

    def settle(self, max_rounds: int = 50) -> None:
        settle(self, max_rounds)

    # ------------------------------------------------------------------ transposing

    def pair_costs(self) -> tuple[np.ndarray, np.ndarray]:
        """For each slot s (and s + 1 in the same rank): crossings among the two nodes' edges
        as they are, and if swapped."""
        now = np.zeros(self.total, dtype=np.int64)
        swapped = np.zeros(self.total, dtype=np.int64)
        pos = self.pos()
        for owner, nb in ((self.bot, self.top), (self.top, self.bot)):
            if not len(owner):
                continue
            s = self.slot[owner]
            p = pos[nb]
            keys = np.sort(s * BIG + p)
            # owner left of the next slot's node: its neighbours above p of the next's count
            nxt = s + 1
            c = np.searchsorted(keys, nxt * BIG + p) - np.searchsorted(keys, nxt * BIG)
            now += np.bincount(s, weights=c, minlength=self.total).astype(np.int64)
            prv = s - 1
            c = np.searchsorted(keys, prv * BIG + p) - np.searchsorted(keys, prv * BIG)
            ok = prv >= 0
            swapped += np.bincount(prv[ok], weights=c[ok], minlength=self.total).astype(np.int64)
        return now, swapped

    def transpose(self, ties: bool = False, rounds: int = 16) -> int:
        """Swaps neighbours while that lowers crossings; `ties`: equal counts swap too (in the
        first round), to leave plateaus. Returns the number of swaps."""
        total = self.total
        if total < 2:
            return 0
        slot_parity = (np.arange(total) - self.start[self.slot_layer]) % 2
        layer_parity = self.slot_layer % 2
        done = 0
        for k in range(rounds):
            swaps = 0
            for lp in (0, 1):
                for sp in (0, 1):
                    now, swapped = self.pair_costs()
                    better = swapped < now
                    if ties and k == 0:
                        better |= (swapped == now) & (now > 0)
                    pick = np.flatnonzero(better & self.pair_ok & (slot_parity == sp)
                                          & (layer_parity == lp))
                    if len(pick):
                        a = self.seq[pick].copy()
                        self.seq[pick] = self.seq[pick + 1]
                        self.seq[pick + 1] = a
                        self.slot[self.seq[pick]] = pick
                        self.slot[self.seq[pick + 1]] = pick + 1
                        swaps += len(pick)
            done += swaps
            if not swaps:
                break
        return done


def _weighted_median(local: np.ndarray, values: np.ndarray, count: np.ndarray,
                     k: int) -> np.ndarray:
    """dot's weighted median of each owner's neighbour positions (mean of the middle two,
    leaning to the side where the neighbours are packed tighter)."""
    order = np.lexsort((values, local))
    v = values[order].astype(float)
    off = np.concatenate(([0], np.cumsum(count)))[:-1]
    key = np.zeros(k)
    m = count
    has = m > 0
    odd = has & (m % 2 == 1)
    key[odd] = v[off[odd] + m[odd] // 2]
    two = m == 2
    key[two] = (v[off[two]] + v[off[two] + 1]) / 2
    even = has & (m % 2 == 0) & (m > 2)
    if even.any():
        o, mm = off[even], m[even]
        lm = v[o + mm // 2 - 1]
        rm = v[o + mm // 2]
        left = lm - v[o]
        right = v[o + mm - 1] - rm
        both = left + right
        key[even] = np.where(both > 0, (lm * right + rm * left) / np.where(both > 0, both, 1),
                             (lm + rm) / 2)
    return key


def inversions(b: np.ndarray) -> int:
    """Pairs i < j with b[i] > b[j] (bottom-up merge counting, vectorised)."""
    n = len(b)
    arr = np.asarray(b, dtype=np.int64).copy()
    total = 0
    width = 1
    idx = np.arange(n)
    while width < n:
        block = idx // width
        pair = block // 2
        right = (block % 2) == 1
        # each block is sorted: count, for every element of a right block, the greater ones
        # in its left partner
        lkeys = pair[~right] * BIG + arr[~right]
        rpair = pair[right]
        rvals = arr[right]
        le = np.searchsorted(lkeys, rpair * BIG + rvals, side="right")
        left_end = np.searchsorted(lkeys, (rpair + 1) * BIG)
        total += int((left_end - le).sum())
        arr = np.sort(pair * BIG + arr) - pair * BIG  # merge each pair of blocks
        width *= 2
    return total


SIFT_MAX = 120  # wider ranks are only sorted and transposed
SIFT_WORK = 800_000  # sifting steps (node x place) for up to SIFT_FULL nodes, then less
SIFT_FULL = 1000
MAX_ITER = 24  # median sweeps per start (as dot)
MIN_QUIT = 6  # a start ends after this many sweeps without a better order


def minimise(o: Orderer | ListOrderer, starts: list[list[list[int]]], max_iter: int = MAX_ITER,
             restarts: int = 0, dot_schedule: bool = True) -> int:
    """From each starting order (and last from the best one): median sweeps, each followed by
    sifting until it settles, keeping the order that crosses least. Leaves `o` in that order;
    returns its crossings."""
    best = None
    best_c = -1
    for k in range(len(starts) + 1):
        if k < len(starts):
            o.set_layers(starts[k])
        else:
            o.restore(best)
        here = -1
        stall = 0
        for it in range(max_iter):
            if best_c == 0 or stall >= MIN_QUIT or (o.work > o.budget and it):
                break
            if it or k == len(starts):
                if dot_schedule:  # as dot: two sweeps down, two up; ties swap every other
                    o.sweep(downward=it % 4 < 2, median=True)
                    o.transpose(ties=it % 2 == 0, rounds=16)
                else:
                    o.sweep(downward=it % 2 == 0, median=it % 4 < 2)
                    o.transpose(ties=True, rounds=2)
            o.settle()
            c = o.crossings()
            stall = 0 if here < 0 or c < here else stall + 1
            here = c if here < 0 else min(here, c)
            if best is None or c < best_c:
                best, best_c = o.snapshot(), c
    # small graphs: more starts from seeded shuffles of the best order (same graph, same order)
    seed = 0x9E3779B9
    for _ in range(restarts):
        if best_c == 0 or o.work > o.budget:
            break
        o.restore(best)
        layers = o.layers()
        for layer in layers:
            for i in range(len(layer) - 1, 0, -1):
                seed = (seed * 1664525 + 1013904223) & 0xFFFFFFFF
                j = seed * (i + 1) >> 32
                layer[i], layer[j] = layer[j], layer[i]
        o.set_layers(layers)
        for it in range(2):
            o.sweep(downward=it % 2 == 0, median=True)
            o.transpose(ties=True, rounds=2)
        o.settle()
        c = o.crossings()
        if c < best_c:
            best, best_c = o.snapshot(), c
    o.restore(best)
    return best_c


def sweep_only(o: Orderer, sweeps: int) -> int:
    """Big graphs: from the order `o` has, alternating median and mean sweeps down and up (as
    today's layout did past 1,500 nodes, without transposing: the measured best for ~1,000 and
    ~3,000 Values); keeps the order that crosses least. Returns its crossings."""
    best = o.snapshot()
    best_c = o.crossings()
    for it in range(sweeps):
        if best_c == 0:
            break
        o.sweep(downward=it % 2 == 0, median=it % 4 < 2)
        c = o.crossings()
        if c < best_c:
            best, best_c = o.snapshot(), c
    o.restore(best)
    return best_c


def settle(o: Orderer | ListOrderer, max_rounds: int = 50) -> None:
    """Sifts o's ranks, alternating down and up, until no node can move to a place where it
    crosses less: each move lowers the total, so this ends; a rank is sifted again only when a
    neighbouring rank changed (either orderer: they sift alike)."""
    dirty = [True] * o.nlayers
    for k in range(max_rounds):
        if not any(dirty) or o.work > o.budget:
            return
        ranks = range(o.nlayers) if k % 2 == 0 else range(o.nlayers - 1, -1, -1)
        for r in ranks:
            if dirty[r]:
                dirty[r] = False
                if o.sift_layer(r):
                    if r > 0:
                        dirty[r - 1] = True
                    if r + 1 < o.nlayers:
                        dirty[r + 1] = True
