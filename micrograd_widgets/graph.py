"""trace() and view(): any micrograd-like Value graph -> plain data a widget can draw.

`trace(*roots)` walks the graph once (iteratively: 100k+ nodes are fine) and numbers every Value
children-before-parents, so ids (`n0`, `n1`, ...) are the same on every run for the same graph.

`view(graph, collapse=..., expanded=...)` decides what is *visible*: small graphs are drawn whole;
big ones (a moons loss graph has ~65k Values) are folded, so the browser lays out dozens of boxes
instead of thousands:

- by group: the nn modules tag what they create ("layer0/neuron3"); a folded group is one box
  ("layer0", 2,000 values). Groups are expanded greedily, shallowest first, while the picture
  stays small (START_BOXES); the user expands more by clicking (the widget adds to `expanded`).
- long `+` chains (`sum(...)` of many terms) become one Σ box, together with the nodes that only
  feed that sum (the per-sample loss terms, say).
- many unlabelled leaves feeding the same boxes (the 200 inputs of a dataset) become one box.

Everything here is plain Python: no widget code, so tests and other widgets can use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

Collapse = Literal["auto", "none", "groups"]
COLLAPSE_MODES = ("auto", "none", "groups")  # groups: fold by module even when the graph is small
THRESHOLD = 400  # above this many Values, collapse="auto" folds the graph
HARD_LIMIT = 5000  # the most visible boxes we ask the browser to lay out
START_BOXES = 150  # the starting picture of a folded graph opens groups up to about this many
MIN_SUM_ADDS = 4  # a `+` chain of at least this many additions becomes one Σ box
MIN_LEAVES = 4  # at least this many unlabelled leaves with the same consumers become one box
# A graph that its groups and Σ sums leave bigger than FOLD_ABOVE boxes (an unrolled loop of
# plain Values, say) is folded by position too: runs of RUN consecutive ungrouped Values, nested
# in runs of RUN * FAN_OUT, ... ("values n0–n499"), so any graph starts as a small picture.
FOLD_ABOVE = 1000
RUN = 500
FAN_OUT = 40
RUN_PREFIX = "values "


# ---------------------------------------------------------------------------- duck typing


def children_of(value: Any) -> tuple[Any, ...]:
    """Distinct children by duck typing: `_prev` (micrograd 0.1.0, this engine) or `prev` (lecture).

    micrograd 0.1.0 keeps a set, whose order changes from run to run; we sort sets by
    (op, label, data), and children alike in those by what is below them, so ids stay the same
    from run to run for everything but look-alikes three levels deep.
    """
    prev = _raw_children(value)
    if isinstance(prev, (set, frozenset)):
        ordered = sorted(prev, key=_sort_key)
        keys = [_sort_key(v) for v in ordered]
        if len(set(keys)) < len(keys):  # look-alikes: tell them apart by their own children
            ordered.sort(key=lambda v: _deep_key(v, 3))
        return tuple(ordered)
    return tuple(dict.fromkeys(prev)) if len(prev) > 1 else tuple(prev)


def _raw_children(value: Any) -> Any:
    prev = getattr(value, "_prev", None)
    return getattr(value, "prev", ()) if prev is None else prev


def _sort_key(value: Any) -> tuple[str, str, float]:
    data = getattr(value, "data", 0.0)
    return (op_of(value), label_of(value), float(data) if _is_number(data) else 0.0)


def _deep_key(value: Any, depth: int) -> tuple:
    """_sort_key, then the sorted keys of the children, `depth` levels down."""
    if depth == 0:
        return _sort_key(value)
    return (_sort_key(value), sorted(_deep_key(c, depth - 1) for c in _raw_children(value)))


def op_of(value: Any) -> str:
    """The op that produced `value` (`_op` or `op`), '' for a leaf."""
    op = getattr(value, "_op", None)
    if op is None:
        op = getattr(value, "op", "")
    return str(op or "")


def label_of(value: Any) -> str:
    label = getattr(value, "label", "")
    return str(label) if label is not None else ""


def group_of(value: Any) -> str | None:
    group = getattr(value, "_group", None)
    return str(group) if group else None


def is_value_like(obj: Any) -> bool:
    """Has what trace() needs: numeric `data` and `grad`."""
    return _is_number(getattr(obj, "data", None)) and _is_number(getattr(obj, "grad", None))


def _is_number(x: Any) -> bool:
    if isinstance(x, bool):
        return True
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


# ---------------------------------------------------------------------------- trace


@dataclass(eq=False)
class Graph:
    """Every Value reachable from the roots once, children before parents.

    Value i has id `f"n{i}"`; `children[i]` are the indices of its distinct children, in operand
    order. `nodes` and `edges` are the same data as dicts and id pairs (child, parent).
    """

    values: list[Any] = field(repr=False)
    children: list[tuple[int, ...]] = field(repr=False)
    labels: list[str] = field(repr=False)
    ops: list[str] = field(repr=False)
    groups: list[str | None] = field(repr=False)
    roots: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def ids(self) -> list[str]:
        return [f"n{i}" for i in range(len(self.values))]

    @property
    def nodes(self) -> list[dict[str, Any]]:
        """One dict per Value: id, label, data, grad, op, group (data/grad read now)."""
        return [
            {
                "id": f"n{i}",
                "label": self.labels[i],
                "data": float(v.data),
                "grad": float(v.grad),
                "op": self.ops[i],
                "group": self.groups[i],
            }
            for i, v in enumerate(self.values)
        ]

    @property
    def edges(self) -> list[tuple[str, str]]:
        """Every edge once, as (child id, parent id)."""
        return [(f"n{c}", f"n{p}") for p, kids in enumerate(self.children) for c in kids]

    @cached_property
    def parents(self) -> list[list[int]]:
        """parents[i]: indices of the Values that use Value i."""
        out: list[list[int]] = [[] for _ in self.values]
        for p, kids in enumerate(self.children):
            for c in kids:
                out[c].append(p)
        return out

    @cached_property
    def fold_groups(self) -> list[str | None]:
        """The groups view() folds by: each Value's own, plus runs by position if needed."""
        return _fold_groups(self)

    def index_of(self, value: Any) -> int:
        """The index of a Value object in this graph (ValueError if it is not in it)."""
        for i, v in enumerate(self.values):
            if v is value:
                return i
        raise ValueError("value is not part of this graph")


def trace(*roots: Any) -> Graph:
    """Every Value reachable from `roots` once, children before parents (ids in that order)."""
    if not roots:
        raise ValueError("trace() needs at least one root Value")
    for root in roots:
        if not is_value_like(root):
            raise ValueError(
                "roots must be micrograd-like Values (with numeric .data and .grad), "
                f"got {type(root).__name__}: {root!r:.80}"
            )
    index: dict[int, int] = {}  # id(value) -> index, -1 while the value is on the stack
    values: list[Any] = []
    children: list[tuple[int, ...]] = []
    root_ids: list[int] = []
    for root in roots:
        if id(root) not in index:
            index[id(root)] = -1
            stack: list[tuple[Any, tuple[Any, ...], int]] = [(root, children_of(root), 0)]
            while stack:
                value, kids, pos = stack[-1]
                if pos < len(kids):
                    stack[-1] = (value, kids, pos + 1)
                    child = kids[pos]
                    seen = index.get(id(child))
                    if seen is None:
                        index[id(child)] = -1
                        stack.append((child, children_of(child), 0))
                    elif seen < 0:
                        raise ValueError("the graph has a cycle: a Value is its own ancestor")
                    continue
                stack.pop()
                index[id(value)] = len(values)
                values.append(value)
                children.append(tuple(index[id(k)] for k in kids))
        root_ids.append(index[id(root)])
    return Graph(
        values=values,
        children=children,
        labels=[label_of(v) for v in values],
        ops=[op_of(v) for v in values],
        groups=[group_of(v) for v in values],
        roots=root_ids,
    )


# ---------------------------------------------------------------------------- view / collapse


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


def view(
    graph: Graph,
    collapse: Collapse = "auto",
    expanded: Iterable[str] | None = None,
    threshold: int = THRESHOLD,
) -> View:
    """What to draw of `graph`: everything, or a folded picture above `threshold` Values.

    collapse="groups" folds whatever the size, one box per innermost group (a neuron).

    `expanded` holds the groups (and `sum:`/`leaves:` boxes) the user opened; None means "pick a
    useful starting picture" (groups opened shallowest first while it stays under START_BOXES).
    """
    if collapse not in COLLAPSE_MODES:
        raise ValueError(f"collapse must be one of {COLLAPSE_MODES}, got {collapse!r}")
    n = len(graph)
    if collapse == "none" or (collapse == "auto" and n <= threshold):
        if n > HARD_LIMIT:
            raise ValueError(
                f"collapse='none' would draw {n:,} Values; the browser layout is limited to "
                f"{HARD_LIMIT:,}. Use collapse='auto' to fold the graph by group."
            )
        return _plain_view(graph)
    if expanded is not None:
        return _folded_view(graph, frozenset(expanded))
    groups = graph.fold_groups
    if collapse == "groups":  # one box per innermost group: open every group that has subgroups
        return _folded_view(graph, _outer_groups(groups))
    closed = _folded_view(graph, frozenset())
    opened = _auto_expanded(groups, len(closed), min(threshold, START_BOXES))
    return _folded_view(graph, opened) if opened else closed


def _fold_groups(graph: Graph) -> list[str | None]:
    """graph.groups, or, if those and the Σ sums leave too many boxes, with positional runs."""
    if len(graph) <= FOLD_ABOVE:
        return graph.groups
    if len(_folded_view(graph, frozenset(), graph.groups)) <= FOLD_ABOVE:
        return graph.groups
    ungrouped = [i for i, group in enumerate(graph.groups) if group is None]
    sizes = [RUN]
    while -(-len(ungrouped) // sizes[-1]) > FAN_OUT:
        sizes.append(sizes[-1] * FAN_OUT)
    sizes.reverse()  # outermost runs first
    groups = list(graph.groups)
    for k, i in enumerate(ungrouped):
        path = []
        for size in sizes:
            start = k - k % size
            end = min(start + size, len(ungrouped)) - 1
            path.append(f"{RUN_PREFIX}n{ungrouped[start]}–n{ungrouped[end]}")
        groups[i] = "/".join(path)
    return groups


def group_label(key: str) -> str:
    """What a folded group's box says: its path ('layer0/neuron3'), or a positional run's range."""
    last = key.rsplit("/", 1)[-1]
    return last if last.startswith(RUN_PREFIX) else key


def _plain_view(graph: Graph) -> View:
    n = len(graph)
    return View(
        keys=graph.ids,
        kinds=["value"] * n,
        labels=list(graph.labels),
        ops=list(graph.ops),
        counts=[1] * n,
        terms=[0] * n,
        reps=list(range(n)),
        edges=[(c, p) for p, kids in enumerate(graph.children) for c in kids],
        owner=list(range(n)),
        total=n,
    )


def _prefixes(group: str) -> list[str]:
    """'a/b/c' -> ['a', 'a/b', 'a/b/c'] (outermost first)."""
    parts = group.split("/")
    return ["/".join(parts[: k + 1]) for k in range(len(parts))]


def _prefixes_of(group: str | None) -> list[str]:
    return [] if group is None else _prefixes(group)


def _outer_groups(groups: list[str | None]) -> frozenset[str]:
    return frozenset(prefix for g in set(groups) - {None} for prefix in _prefixes(g)[:-1])


def _auto_expanded(groups: list[str | None], visible: int, threshold: int) -> frozenset[str]:
    """Open groups a whole level at a time (all layers, then all neurons) while an upper bound on
    the visible boxes stays <= threshold, so the picture is even: never some neurons open and
    their siblings closed.

    `visible` is the number of boxes with every group closed; opening group g adds at most its
    subgroups plus its own Values, minus the box it replaces.
    """
    direct_values: dict[str | None, int] = {}
    subgroups: dict[str | None, set[str]] = {None: set()}
    for g in groups:
        direct_values[g] = direct_values.get(g, 0) + 1
        if g is not None and g not in subgroups:
            parent: str | None = None
            for prefix in _prefixes(g):
                subgroups.setdefault(prefix, set())
                subgroups.setdefault(parent, set()).add(prefix)
                parent = prefix
    opened: set[str] = set()
    level = sorted(subgroups[None])
    while level:
        grows = sum(len(subgroups.get(g, ())) + direct_values.get(g, 0) - 1 for g in level)
        if visible + grows > threshold:
            break
        opened.update(level)
        visible += grows
        level = sorted(sub for g in level for sub in subgroups.get(g, ()))
    return frozenset(opened)


def _folded_view(
    graph: Graph, expanded: frozenset[str], groups: list[str | None] | None = None
) -> View:
    n = len(graph)
    groups = graph.fold_groups if groups is None else groups
    ops, children, parents = graph.ops, graph.children, graph.parents
    is_root = [False] * n
    for r in graph.roots:
        is_root[r] = True

    # 1. groups: each Value is drawn in its outermost closed group, or as itself (None).
    closed_of: dict[str | None, str | None] = {None: None}
    for g in set(groups):
        if g is not None:
            closed_of[g] = next((p for p in _prefixes(g) if p not in expanded), None)
    folded_in = [closed_of[g] for g in groups]

    # 2. `+` chains: a `+` whose only user is a `+` in the same group joins that one's chain.
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

    # 3. a Σ also takes the nodes (same group) whose every user is already inside it.
    sigma = [-1] * n  # the top of the Σ that Value i is drawn in
    alias: dict[int, int] = {}
    for i in range(n - 1, -1, -1):
        if folded_in[i] is not None:
            continue
        t = top[i]
        if t >= 0 and t in sums:
            if t == i:
                outer = _common_sigma(i, parents[i], sigma, groups, is_root)
                alias[t] = outer if outer >= 0 else t
            sigma[i] = alias[t]
        else:
            sigma[i] = _common_sigma(i, parents[i], sigma, groups, is_root)

    # 4. name every Value's box (before leaves, which are bundled by the boxes they feed).
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
    opened_bundle: dict[int, str] = {}  # leaf -> its bundle's key, for bundles the user opened
    for members in bundles.values():
        name = f"leaves:n{members[0]}"
        if len(members) >= MIN_LEAVES:
            if name not in expanded:
                for i in members:
                    key[i] = name
            else:
                opened_bundle.update(dict.fromkeys(members, name))

    # 5. boxes in order of their first Value; edges between different boxes, once each.
    slot: dict[str, int] = {}
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

    for i in range(n):
        k = key[i]
        b = slot.get(k)
        if b is None:
            b = slot[k] = len(out.keys)
            out.keys.append(k)
            if folded_in[i] is not None:  # a folded group sits in its outer groups
                chain = _prefixes(k)[:-1]
            elif k != f"n{i}":  # a Σ or a bundle of leaves: in its Values' groups
                chain = _prefixes_of(groups[i])
            else:  # a Value of its own: in its groups, then in an opened Σ chain or bundle
                chain = _prefixes_of(groups[i])
                if top[i] >= 0 and adds.get(top[i], 0) >= MIN_SUM_ADDS:
                    chain.append(f"sum:n{top[i]}")
                if i in opened_bundle:
                    chain.append(opened_bundle[i])
            out.scope.append(scope_of(chain))
            if k == f"n{i}":
                out.kinds.append("value")
                out.labels.append(graph.labels[i])
                out.ops.append(ops[i])
                out.reps.append(i)
            elif k.startswith("sum:"):
                out.kinds.append("sum")
                out.labels.append(graph.labels[sigma[i]] or "Σ")
                out.ops.append("+")
                out.reps.append(sigma[i])
            elif k.startswith("leaves:"):
                out.kinds.append("leaves")
                out.labels.append("inputs")
                out.ops.append("")
                out.reps.append(-1)
            else:
                out.kinds.append("group")
                out.labels.append(group_label(k))
                out.ops.append("")
                out.reps.append(-1)
            out.counts.append(0)
            out.terms.append(0)
        out.counts[b] += 1
        out.owner[i] = b
    edge_set: dict[tuple[int, int], None] = {}
    owner = out.owner
    for p in range(n):
        bp = owner[p]
        for c in children[p]:
            bc = owner[c]
            if bc != bp:
                edge_set[(bc, bp)] = None
        if top[p] >= 0 and out.kinds[bp] == "sum" and sigma[p] == top[p]:
            # terms of the Σ's own chain: children that are not links of that chain
            out.terms[bp] += sum(1 for c in children[p] if top[c] != top[p])
    out.edges = list(edge_set)
    return out


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


# ---------------------------------------------------------------------------- payload


def number(x: Any) -> float | str:
    """A float for JSON: NaN and infinities as the strings JavaScript's Number() understands."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


def payload(
    v: View, graph: Graph, rankdir: str = "LR", version: int = 0, focus: str | None = None
) -> dict[str, Any]:
    """The view as compact JSON columns for the browser (see js/lib/graphdata.ts, GraphPayload).

    `focus` names the box the user just opened or folded, so the browser can keep it in view.
    """
    data, grad = values_payload(v, graph)
    flat: list[int] = []
    for a, b in v.edges:
        flat.append(a)
        flat.append(b)
    extra: dict[str, Any] = {}
    if v.opened:  # what can be folded again, and which boxes sit in each opened box
        extra = {"opened": v.opened, "openedParent": v.opened_parent, "scope": v.scope}
    if focus is not None:
        extra["focus"] = focus
    return {
        "version": version,
        "rankdir": rankdir,
        "total": v.total,
        "collapsed": v.collapsed,
        "id": v.keys,
        "kind": v.kinds,
        "label": v.labels,
        "op": v.ops,
        "count": v.counts,
        "terms": v.terms,
        "data": data,
        "grad": grad,
        "edges": flat,
        **extra,
    }


def values_payload(v: View, graph: Graph) -> tuple[list[Any], list[Any]]:
    """data and grad of each visible box, read from the Values now (None for groups)."""
    values = graph.values
    data: list[Any] = []
    grad: list[Any] = []
    for r in v.reps:
        if r < 0:
            data.append(None)
            grad.append(None)
        else:
            data.append(number(values[r].data))
            grad.append(number(values[r].grad))
    return data, grad


def as_roots(root_or_roots: Any, name: str = "root_or_roots") -> tuple[Any, ...]:
    """One Value or a non-empty list/tuple of them, as a tuple; ValueError naming `name` if not."""
    if is_value_like(root_or_roots):
        return (root_or_roots,)
    if isinstance(root_or_roots, Sequence) and not isinstance(root_or_roots, (str, bytes)):
        roots = tuple(root_or_roots)
        if roots and all(is_value_like(r) for r in roots):
            return roots
    raise ValueError(
        f"{name} must be a micrograd-like Value (with numeric .data and .grad) or a non-empty "
        f"list of them, got {type(root_or_roots).__name__}: {root_or_roots!r:.80}"
    )
