"""Folding a big graph into a small picture: which Values share a box, and the boxes' edges.

`folded_view(graph, expanded)` runs five steps, each a function below:

1. `closed_groups`: each Value is drawn in its outermost closed group, or as itself;
2. `sum_chains`: a `+` whose only user is a `+` in the same group joins that one's chain;
   chains of at least MIN_SUM_ADDS additions become one Σ box;
3. `sigma_members`: a Σ also takes the nodes (same group) whose every user is inside it;
4. `box_keys`: every Value's box name; unlabelled leaves feeding the same boxes are bundled;
5. `boxes`: the boxes in order of their first Value, and the edges between different boxes.

Plain Python working on `graph.Graph`'s index lists; it knows nothing of widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MIN_SUM_ADDS = 4  # a `+` chain of at least this many additions becomes one Σ box
MIN_LEAVES = 4  # at least this many unlabelled leaves with the same consumers become one box
RUN_PREFIX = "values "  # positional runs of an unrolled loop: "values n0–n499"


@dataclass
class View:
    """What the browser draws: visible boxes (Values, folded groups, Σ sums, leaf bundles).

    `reps[k]` is the index of the Value whose data/grad box k shows (-1 for a group);
    `edges` are (from box, to box) pairs; `owner[i]` is the box that Value i is drawn in.
    """

    keys: list[str]
    kinds: list[str]  # "value" | "group" | "sum" | "leaves"
    labels: list[str]
    ops: list[str]
    counts: list[int]
    terms: list[int]
    reps: list[int]
    edges: list[tuple[int, int]]
    owner: list[int] = field(repr=False)
    total: int = 0
    collapsed: bool = False
    expanded: frozenset[str] = frozenset()
    # The opened boxes that show in this picture, outer before inner, so the user can fold them
    # again: `opened_parent[j]` is the opened box that opened[j] sits in (-1: none), and
    # `scope[k]` is the innermost opened box that box k sits in (-1: none).
    opened: list[str] = field(default_factory=list)
    opened_parent: list[int] = field(default_factory=list)
    scope: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.keys)

    def inside(self, key: str) -> list[int]:
        """The boxes drawn inside the opened box `key` (at any depth); [] if it is not opened."""
        if key not in self.opened:
            return []
        target = self.opened.index(key)
        out = []
        for b, j in enumerate(self.scope):
            while j >= 0 and j != target:
                j = self.opened_parent[j]
            if j == target:
                out.append(b)
        return out


def prefixes(group: str) -> list[str]:
    """'a/b/c' -> ['a', 'a/b', 'a/b/c'] (outermost first)."""
    parts = group.split("/")
    return ["/".join(parts[: k + 1]) for k in range(len(parts))]


def prefixes_of(group: str | None) -> list[str]:
    return [] if group is None else prefixes(group)


def group_label(key: str) -> str:
    """What a folded group's box says: its path ('layer0/neuron3'), or a positional run's range."""
    last = key.rsplit("/", 1)[-1]
    return last if last.startswith(RUN_PREFIX) else key


@dataclass
class _Chains:
    """Step 2's result: top[i] is the top of the `+` chain Value i is in (-1: none)."""

    top: list[int]
    adds: dict[int, int]  # chain top -> number of additions in the chain
    sums: set[int]  # the tops of chains drawn as a Σ box (long enough, not opened)


def folded_view(
    graph: Any, expanded: frozenset[str], groups: list[str | None] | None = None
) -> View:
    """The folded picture of `graph` with the boxes in `expanded` opened."""
    groups = graph.fold_groups if groups is None else groups
    is_root = [False] * len(graph)
    for r in graph.roots:
        is_root[r] = True
    folded_in = closed_groups(groups, expanded)
    chains = sum_chains(graph, groups, folded_in, is_root, expanded)
    sigma = sigma_members(graph, groups, folded_in, is_root, chains)
    key, opened_bundle = box_keys(graph, groups, folded_in, is_root, sigma, expanded)
    return boxes(graph, groups, expanded, folded_in, chains, sigma, key, opened_bundle)


def closed_groups(groups: list[str | None], expanded: frozenset[str]) -> list[str | None]:
    """1. The outermost closed group each Value is drawn in (None: drawn as itself)."""
    closed_of: dict[str | None, str | None] = {None: None}
    for g in set(groups):
        if g is not None:
            closed_of[g] = next((p for p in prefixes(g) if p not in expanded), None)
    return [closed_of[g] for g in groups]


def sum_chains(
    graph: Any, groups: list[str | None], folded_in: list[str | None], is_root: list[bool],
    expanded: frozenset[str],
) -> _Chains:
    """2. `+` chains: a `+` whose only user is a `+` in the same group joins that one's chain."""
    ops, parents = graph.ops, graph.parents
    n = len(ops)
    top = [-1] * n
    for i in range(n - 1, -1, -1):
        if ops[i] != "+" or folded_in[i] is not None:
            continue
        ps = parents[i]
        if len(ps) == 1 and ops[ps[0]] == "+" and groups[ps[0]] == groups[i] and not is_root[i]:
            top[i] = top[ps[0]]
        else:
            top[i] = i
    adds: dict[int, int] = {}
    for i in range(n):
        if top[i] >= 0:
            adds[top[i]] = adds.get(top[i], 0) + 1
    sums = {t for t, k in adds.items() if k >= MIN_SUM_ADDS and f"sum:n{t}" not in expanded}
    return _Chains(top, adds, sums)


def sigma_members(
    graph: Any, groups: list[str | None], folded_in: list[str | None], is_root: list[bool],
    chains: _Chains,
) -> list[int]:
    """3. The top of the Σ each Value is drawn in (-1: none): a Σ's own chain, and the nodes of
    its group whose every user is already inside it."""
    parents = graph.parents
    n = len(graph)
    sigma = [-1] * n
    alias: dict[int, int] = {}
    for i in range(n - 1, -1, -1):
        if folded_in[i] is not None:
            continue
        t = chains.top[i]
        if t >= 0 and t in chains.sums:
            if t == i:
                outer = _common_sigma(i, parents[i], sigma, groups, is_root)
                alias[t] = outer if outer >= 0 else t
            sigma[i] = alias[t]
        else:
            sigma[i] = _common_sigma(i, parents[i], sigma, groups, is_root)
    return sigma


def _common_sigma(
    i: int, users: list[int], sigma: list[int], groups: list[str | None], is_root: list[bool]
) -> int:
    """The Σ every user of Value i is drawn in, if they all share one in i's group; else -1."""
    if not users or is_root[i]:
        return -1
    s = sigma[users[0]]
    if s < 0 or groups[s] != groups[i]:
        return -1
    for u in users:
        if sigma[u] != s:
            return -1
    return s


def box_keys(
    graph: Any, groups: list[str | None], folded_in: list[str | None], is_root: list[bool],
    sigma: list[int], expanded: frozenset[str],
) -> tuple[list[str], dict[int, str]]:
    """4. Every Value's box name, then unlabelled leaves bundled by the boxes they feed.

    Returns the keys and, for bundles the user opened, leaf -> its bundle's key.
    """
    n = len(graph)
    children, parents = graph.children, graph.parents
    key: list[str] = [""] * n
    for i in range(n):
        if folded_in[i] is not None:
            key[i] = folded_in[i]  # type: ignore[assignment]
        elif sigma[i] >= 0:
            key[i] = f"sum:n{sigma[i]}"
        else:
            key[i] = f"n{i}"
    bundles: dict[tuple[str | None, tuple[str, ...]], list[int]] = {}
    for i in range(n):
        if (
            key[i] == f"n{i}"
            and not children[i]
            and not graph.labels[i]
            and not is_root[i]
            and parents[i]
        ):
            users = tuple(sorted({key[p] for p in parents[i]}))
            bundles.setdefault((groups[i], users), []).append(i)
    opened_bundle: dict[int, str] = {}
    for members in bundles.values():
        name = f"leaves:n{members[0]}"
        if len(members) >= MIN_LEAVES:
            if name not in expanded:
                for i in members:
                    key[i] = name
            else:
                opened_bundle.update(dict.fromkeys(members, name))
    return key, opened_bundle


def boxes(
    graph: Any, groups: list[str | None], expanded: frozenset[str],
    folded_in: list[str | None], chains: _Chains, sigma: list[int], key: list[str],
    opened_bundle: dict[int, str],
) -> View:
    """5. Boxes in order of their first Value; edges between different boxes, once each."""
    n = len(graph)
    out = View([], [], [], [], [], [], [], [], owner=[0] * n, total=n, collapsed=True,
               expanded=expanded)
    opened_at: dict[str, int] = {}

    def scope_of(chain: list[str]) -> int:
        """The innermost opened box of `chain` (outer first), recording each in out.opened."""
        parent = -1
        for k in chain:
            if k in expanded:
                j = opened_at.get(k)
                if j is None:
                    j = opened_at[k] = len(out.opened)
                    out.opened.append(k)
                    out.opened_parent.append(parent)
                parent = j
        return parent

    top, adds = chains.top, chains.adds
    slot: dict[str, int] = {}
    for i in range(n):
        k = key[i]
        b = slot.get(k)
        if b is None:
            b = slot[k] = len(out.keys)
            out.keys.append(k)
            if folded_in[i] is not None:  # a folded group sits in its outer groups
                chain = prefixes(k)[:-1]
            elif k != f"n{i}":  # a Σ or a bundle of leaves: in its Values' groups
                chain = prefixes_of(groups[i])
            else:  # a Value of its own: in its groups, then in an opened Σ chain or bundle
                chain = prefixes_of(groups[i])
                if top[i] >= 0 and adds.get(top[i], 0) >= MIN_SUM_ADDS:
                    chain.append(f"sum:n{top[i]}")
                if i in opened_bundle:
                    chain.append(opened_bundle[i])
            out.scope.append(scope_of(chain))
            _describe_box(out, graph, k, i, folded_in[i] is not None, sigma)
        out.counts[b] += 1
        out.owner[i] = b
    _box_edges(out, graph, top, sigma)
    return out


def _describe_box(out: View, graph: Any, k: str, i: int, folded: bool, sigma: list[int]) -> None:
    """Append box k's kind, label, op and representative Value (Value i is its first)."""
    if k == f"n{i}":
        kind, label, op, rep = "value", graph.labels[i], graph.ops[i], i
    elif k.startswith("sum:"):
        kind, label, op, rep = "sum", graph.labels[sigma[i]] or "Σ", "+", sigma[i]
    elif k.startswith("leaves:"):
        kind, label, op, rep = "leaves", "inputs", "", -1
    else:
        kind, label, op, rep = "group", group_label(k), "", -1
    out.kinds.append(kind)
    out.labels.append(label)
    out.ops.append(op)
    out.reps.append(rep)
    out.counts.append(0)
    out.terms.append(0)


def _box_edges(out: View, graph: Any, top: list[int], sigma: list[int]) -> None:
    """The edges between different boxes, once each, and each Σ's number of terms."""
    edge_set: dict[tuple[int, int], None] = {}
    owner, children = out.owner, graph.children
    for p in range(len(owner)):
        bp = owner[p]
        for c in children[p]:
            bc = owner[c]
            if bc != bp:
                edge_set[(bc, bp)] = None
        if top[p] >= 0 and out.kinds[bp] == "sum" and sigma[p] == top[p]:
            # terms of the Σ's own chain: children that are not links of that chain
            out.terms[bp] += sum(1 for c in children[p] if top[c] != top[p])
    out.edges = list(edge_set)
