"""ordering.py's Orderer on plain Python lists, for the graphs that get the full search.

The search (median sweeps, transposing, sifting: ordering.minimise) makes thousands of small
steps, each on one rank of a few to a few dozen nodes, where numpy's per-call overhead is most
of the time. This class keeps each rank as a list and each node's neighbours in the ranks
before and after, and does the same steps with the same tie-breaks, so it gives the same orders
as the numpy one, in a fraction of the time (the numpy Orderer stays for big graphs' sweeps).
"""

from __future__ import annotations

from bisect import bisect_right, insort
from itertools import accumulate

import numpy as np

from .ordering import settle

# ranks wider than this get their sifting costs from numpy (a product of two small matrices)
NUMPY_COSTS = 18
MEMO = 200_000  # sifted ranks remembered at most


class ListOrderer:
    """Orders `layers` (lists of node ids, ranks 0..R) given edges between neighbouring ranks
    (`top[e]` in rank r, `bot[e]` in rank r + 1). The interface of ordering.Orderer."""

    def __init__(self, layers: list[list[int]], total: int, top: list[int], bot: list[int]):
        from .ordering import SIFT_FULL, SIFT_WORK

        self.total = total
        self.nlayers = len(layers)
        self.work = 0  # sifting steps so far; sifting stops past the budget (deterministic)
        self.budget = int(SIFT_WORK * min(1.0, SIFT_FULL / max(total, 1)))
        self.ups: list[list[int]] = [[] for _ in range(total)]  # neighbours in the rank before
        self.downs: list[list[int]] = [[] for _ in range(total)]  # ... and after
        for a, b in zip(top, bot, strict=True):
            self.downs[a].append(b)
            self.ups[b].append(a)
        self.rows: list[list[int]] = []
        self.sifted: dict[tuple, tuple[int, tuple[int, ...] | None]] = {}
        self.pos = [0] * total  # place of each node in its rank
        self.set_layers(layers)

    # ------------------------------------------------------------------ state

    def set_layers(self, layers: list[list[int]]) -> None:
        self.rows = [list(layer) for layer in layers]
        pos = self.pos
        for row in self.rows:
            for i, v in enumerate(row):
                pos[v] = i

    def layers(self) -> list[list[int]]:
        return [list(row) for row in self.rows]

    def snapshot(self) -> list[list[int]]:
        return self.layers()

    def restore(self, rows: list[list[int]]) -> None:
        self.set_layers(rows)

    def _put(self, r: int, row: list[int]) -> None:
        self.rows[r] = row
        pos = self.pos
        for i, v in enumerate(row):
            pos[v] = i

    # ------------------------------------------------------------------ crossings

    def crossings(self) -> int:
        """Edge crossings between every rank and the next: pairs of edges whose ends are in
        opposite orders (each edge, in the order of the upper ends, against the lower ends
        seen so far, kept sorted)."""
        pos, downs = self.pos, self.downs
        total = 0
        for r in range(self.nlayers - 1):
            seen: list[int] = []
            for u in self.rows[r]:
                ends = [pos[w] for w in downs[u]]
                for p in ends:  # the earlier edges that end lower
                    total += len(seen) - bisect_right(seen, p)
                for p in ends:
                    insort(seen, p)
        return total

    # ------------------------------------------------------------------ sweeps

    def sweep(self, downward: bool, median: bool = True) -> None:
        """Sorts every rank (in sweep order) by its neighbours in the rank before it."""
        ranks = range(1, self.nlayers) if downward else range(self.nlayers - 2, -1, -1)
        table = self.ups if downward else self.downs
        for r in ranks:
            self.sort_layer(r, table, median)

    def sort_layer(self, r: int, table: list[list[int]], median: bool) -> None:
        row = self.rows[r]
        if len(row) < 2:
            return
        pos = self.pos
        slots: list[int] = []
        keys: list[tuple[float, int]] = []
        for i, v in enumerate(row):
            nbs = table[v]
            if not nbs:
                continue
            slots.append(i)
            if len(nbs) == 1:  # most nodes: median and mean are the one neighbour's place
                keys.append((float(pos[nbs[0]]), i))
                continue
            values = [pos[w] for w in nbs]
            keys.append(((_median(values) if median else sum(values) / len(values)), i))
        if not slots:
            return
        keys.sort()
        new = list(row)
        for s, (_, i) in zip(slots, keys, strict=True):
            new[s] = row[i]
        self._put(r, new)

    # ------------------------------------------------------------------ sifting

    def differences(self, r: int) -> list[list[int]]:
        """d[v][u]: how many more crossings the edges of rank r's nodes v and u (local indices)
        make with v left of u than with u left of v, both sides counted; the neighbouring
        ranks as they are (Orderer.layer_costs' C - C transposed)."""
        row, pos = self.rows[r], self.pos
        k = len(row)
        if k > NUMPY_COSTS:
            return self._differences_numpy(r).tolist()
        d = [[0] * k for _ in range(k)]
        for table in (self.ups, self.downs):
            sides = [[pos[w] for w in table[v]] for v in row]
            for v in range(k - 1):
                pv = sides[v]
                if not pv:
                    continue
                dv = d[v]
                if len(pv) == 1:
                    a = pv[0]
                    for u in range(v + 1, k):
                        pu = sides[u]
                        if not pu:
                            continue
                        if len(pu) == 1:
                            b = pu[0]
                            if a == b:
                                continue
                            s = 1 if a > b else -1
                        else:
                            s = 0
                            for b in pu:
                                s += (a > b) - (a < b)
                        dv[u] += s
                        d[u][v] -= s
                    continue
                for u in range(v + 1, k):
                    pu = sides[u]
                    if not pu:
                        continue
                    s = 0
                    for a in pv:
                        for b in pu:
                            s += (a > b) - (a < b)
                    dv[u] += s
                    d[u][v] -= s
        return d

    def _differences_numpy(self, r: int) -> np.ndarray:
        row, pos = self.rows[r], self.pos
        k = len(row)
        c = np.zeros((k, k))
        for table, other in ((self.ups, r - 1), (self.downs, r + 1)):
            local = [i for i, v in enumerate(row) for _ in table[v]]
            if not local:
                continue
            width = len(self.rows[other]) + 1
            flat = np.asarray(local) * width + (np.asarray([pos[w] for v in row for w in table[v]])
                                                + 1)
            a = np.bincount(flat, minlength=k * width).reshape(k, width).astype(float)
            below = np.cumsum(a, axis=1)  # below[v, p + 1]: v's neighbours at positions <= p
            c += a[:, 1:] @ below[:, :-1].T  # C[u][v]: crossings with u left of v
        return (c - c.T).astype(np.int64)

    def sift_layer(self, r: int, passes: int = 3) -> bool:
        """Moves each node of rank r in turn to where its edges cross fewest (both sides), until
        no move helps. Returns whether anything moved.

        Remembered: the same three ranks in the same orders sift the same way (the search comes
        back to them often), so a repeat only adds its work and takes the remembered order."""
        from .ordering import SIFT_MAX

        row = self.rows[r]
        k = len(row)
        if k < 2 or k > SIFT_MAX:
            return False
        key = (r, tuple(self.rows[r - 1]) if r else (), tuple(row),
               tuple(self.rows[r + 1]) if r + 1 < self.nlayers else ())
        known = self.sifted.get(key)
        if known is None:
            known = self._sift(r, passes)
            if len(self.sifted) < MEMO:
                self.sifted[key] = known
        work, new = known
        self.work += work
        if new is None:
            return False
        self._put(r, list(new))
        return True

    def _sift(self, r: int, passes: int) -> tuple[int, tuple[int, ...] | None]:
        """sift_layer's work and new order (None: unchanged)."""
        row = self.rows[r]
        k = len(row)
        if k > NUMPY_COSTS:  # wide: most often nothing moves, which numpy sees at once
            dn = self._differences_numpy(r)
            if not _can_move(dn):
                return k * k, None
            d = dn.tolist()
        else:
            d = self.differences(r)
        perm = list(range(k))  # local index of the node at each place
        moved_any = False
        work = 0
        for _ in range(passes):
            moved = False
            work += k * k
            for v in range(k):
                # dp[j]: what v before perm[j] costs more than after it; moving v just before
                # perm[i-1], perm[i-2], ... changes the crossings by the sums of dp leftwards
                # from i-1, just after perm[i+1], ... by minus the sums rightwards from i+1
                if moved_any:
                    i = perm.index(v)
                    dv = d[v]
                    dp = [dv[u] for u in perm]
                else:  # perm is still 0, 1, ..., k - 1
                    i = v
                    dp = d[v]
                best_l = min(accumulate(dp[i - 1::-1])) if i else 0
                best_r = -max(accumulate(dp[i + 1:])) if i + 1 < k else 0
                if min(best_l, best_r) >= 0:
                    continue
                perm.pop(i)
                if best_l <= best_r:  # the nearest place of the best
                    perm.insert(i - 1 - list(accumulate(dp[i - 1::-1])).index(best_l), v)
                else:
                    perm.insert(i + list(accumulate(dp[i + 1:])).index(-best_r) + 1, v)
                moved = moved_any = True
            if not moved:
                break
        return work, (tuple(row[i] for i in perm) if moved_any else None)

    def settle(self, max_rounds: int = 50) -> None:
        """Sifts ranks until nothing moves (ordering.settle, as Orderer.settle)."""
        settle(self, max_rounds)

    # ------------------------------------------------------------------ transposing

    def transpose(self, ties: bool = False, rounds: int = 16) -> int:
        """Swaps neighbours while that lowers crossings; `ties`: equal counts swap too (in the
        first round), to leave plateaus. Returns the number of swaps.

        As Orderer.transpose: the pairs (places i, i + 1) of one parity of i in the ranks of one
        parity are decided together; they share no edge, so deciding them one by one is the
        same."""
        if self.total < 2:
            return 0
        pos, ups, downs = self.pos, self.ups, self.downs
        done = 0
        for k in range(rounds):
            swaps = 0
            tie = ties and k == 0
            for lp in (0, 1):
                for sp in (0, 1):
                    for r in range(lp, self.nlayers, 2):
                        row = self.rows[r]
                        for i in range(sp, len(row) - 1, 2):
                            u, v = row[i], row[i + 1]
                            now = swapped = 0
                            for table in (ups, downs):
                                nu, nv = table[u], table[v]
                                if nu and nv:
                                    for w in nu:
                                        x = pos[w]
                                        for z in nv:
                                            y = pos[z]
                                            if y < x:
                                                now += 1
                                            elif x < y:
                                                swapped += 1
                            if swapped < now or (tie and swapped == now and now > 0):
                                row[i], row[i + 1] = v, u
                                pos[u], pos[v] = i + 1, i
                                swaps += 1
            done += swaps
            if not swaps:
                break
        return done


def _can_move(d: np.ndarray) -> bool:
    """Whether sifting moves any node of a rank in its first pass (all in their places): v
    moves left past places j..v-1 when the sum of d[v][j:v] < 0, right past v+1..j when the
    sum of d[v][v+1:j+1] > 0."""
    k = len(d)
    c = np.zeros((k, k + 1))
    c[:, 1:] = np.cumsum(d, axis=1)  # c[v][j]: the sum of d[v][:j]
    at = np.arange(k)
    col = np.arange(k + 1)
    here = c[at, at]
    left = np.where(col[None, :] < at[:, None], c, -np.inf).max(axis=1)  # over j < v
    if (here - left < 0).any():
        return True
    right = np.where(col[None, :] >= at[:, None] + 2, c, -np.inf).max(axis=1)  # j + 1 > v + 1
    return bool((c[at, at + 1] - right < 0).any())


def _median(values: list[int]) -> float:
    """dot's weighted median of neighbour positions (the mean of the middle two, leaning to the
    side where the neighbours are packed tighter); as ordering._weighted_median."""
    m = len(values)
    v = sorted(values)
    if m % 2 == 1:
        return float(v[m // 2])
    if m == 2:
        return (v[0] + v[1]) / 2
    lm = float(v[m // 2 - 1])
    rm = float(v[m // 2])
    left = lm - v[0]
    right = v[m - 1] - rm
    both = left + right
    return (lm * right + rm * left) / both if both > 0 else (lm + rm) / 2
