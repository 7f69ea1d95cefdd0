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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from . import columns
from .columns import number  # noqa: F401 (long imported from here)
from .fold import (  # noqa: F401 (View, group_label: part of this module's interface)
    MIN_LEAVES,
    MIN_SUM_ADDS,
    RUN_PREFIX,
    View,
    folded_view,
    group_label,
    prefixes,
)
from .layout.scenes import check_rankdir, with_scenes
from .walk import (  # noqa: F401 (the duck-typing readers, long imported from here)
    children_of,
    group_of,
    is_value_like,
    label_of,
    op_of,
    walk,
)

Collapse = Literal["auto", "none", "groups"]
COLLAPSE_MODES = ("auto", "none", "groups")  # groups: fold by module even when the graph is small
THRESHOLD = 400  # above this many Values, collapse="auto" folds the graph
HARD_LIMIT = 5000  # the most visible boxes we ask the browser to lay out
START_BOXES = 150  # the starting picture of a folded graph opens groups up to about this many
# A graph that its groups and Σ sums leave bigger than FOLD_ABOVE boxes (an unrolled loop of
# plain Values, say) is folded by position too: runs of RUN consecutive ungrouped Values, nested
# in runs of RUN * FAN_OUT, ... ("values n0–n499"), so any graph starts as a small picture.
FOLD_ABOVE = 1000
RUN = 500
FAN_OUT = 40


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


def trace(
    *roots: Any, names: Mapping[str, Any] | None = None, params: Mapping[str, Any] | None = None,
    model: Any = None,
) -> Graph:
    """Every Value reachable from `roots` once, children before parents (ids in that order).

    The roots may be PyTorch tensors instead (with a grad_fn): their autograd graph is read the
    same way (graph/pytorch/read.py), leaves named from `names=` / `params=` (name -> tensor,
    e.g. `dict(model.named_parameters())`) and grouped by module with `model=`.
    """
    if not roots:
        raise ValueError("trace() needs at least one root Value")
    from .pytorch.read import is_tensor

    if any(is_tensor(r) for r in roots):
        return _trace_tensors(roots, names, params, model)
    if names is not None or params is not None or model is not None:
        raise ValueError("names=, params= and model= are for PyTorch tensors; label a Value "
                         "with its .label instead")
    for root in roots:
        if not is_value_like(root):
            raise ValueError(
                "roots must be micrograd-like Values (with numeric .data and .grad), "
                f"got {type(root).__name__}: {root!r:.80}"
            )
    found = walk(roots)
    values = found.values
    return Graph(
        values=values,
        children=found.children,
        labels=[label_of(v) for v in values],
        ops=[op_of(v) for v in values],
        groups=[group_of(v) for v in values],
        roots=found.roots,
    )


def _trace_tensors(roots: tuple[Any, ...], names: Any, params: Any, model: Any) -> Graph:
    from .pytorch.read import is_tensor, trace_tensors

    for k, root in enumerate(roots):
        if not is_tensor(root):
            raise ValueError(f"roots must all be tensors or all Values; roots[{k}] is "
                             f"{type(root).__name__}")
    merged: dict[str, Any] = {}
    for what, mapping in (("names", names), ("params", params)):
        if mapping is None:
            continue
        if not isinstance(mapping, Mapping):
            raise ValueError(f"{what} must be a mapping of names to tensors, e.g. "
                             f"dict(model.named_parameters()), got {type(mapping).__name__}")
        merged.update(mapping)
    return trace_tensors(roots, merged, model)


# ---------------------------------------------------------------------------- view / collapse


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
        return folded_view(graph, frozenset(expanded))
    groups = graph.fold_groups
    if collapse == "groups":  # one box per innermost group: open every group that has subgroups
        return folded_view(graph, _outer_groups(groups))
    closed = folded_view(graph, frozenset())
    opened = _auto_expanded(groups, len(closed), min(threshold, START_BOXES))
    return folded_view(graph, opened) if opened else closed


def _fold_groups(graph: Graph) -> list[str | None]:
    """graph.groups, or, if those and the Σ sums leave too many boxes, with positional runs."""
    if len(graph) <= FOLD_ABOVE:
        return graph.groups
    if len(folded_view(graph, frozenset(), graph.groups)) <= FOLD_ABOVE:
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


def _outer_groups(groups: list[str | None]) -> frozenset[str]:
    return frozenset(prefix for g in set(groups) - {None} for prefix in prefixes(g)[:-1])


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
            for prefix in prefixes(g):
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


# ---------------------------------------------------------------------------- payload


def payload(
    v: View,
    graph: Graph,
    rankdir: str = "auto",
    version: int = 0,
    focus: str | None = None,
    checks: Any = None,
    notice: str | None = None,
    edge_grads: bool = True,
    then: str = columns.REFRESH,
    laid_out: bool = True,
) -> dict[str, Any]:
    """The view as compact JSON columns for the browser (see js/graph/data.ts, GraphPayload).

    With its `scenes` (scenes.py): the layouts the page draws, for `rankdir` "auto" (left to
    right, plus top to bottom for a small graph the page may turn), "LR" or "TB";
    `laid_out=False` leaves them out (a caller that adds columns first, then lays out).

    `focus` names the box the user just opened or folded, so the browser can keep it in view.
    `checks` (a gradcheck result for this graph) adds the `slope` and `check` columns; `notice`
    replaces the status line's default (which says when every grad is still 0).
    `edge_grads=False` leaves out `edgeGrad` (the player's frames already say it).
    Optional columns (`source`, `edgeGrad`, `slope`, `check`, `notice`) are left out when empty.
    """
    flat: list[int] = []
    for a, b in v.edges:
        flat.append(a)
        flat.append(b)
    extra: dict[str, Any] = {}
    if v.opened:  # what can be folded again, and which boxes sit in each opened box
        extra = {"opened": v.opened, "openedParent": v.opened_parent, "scope": v.scope}
    if focus is not None:
        extra["focus"] = focus
    source = columns.source_column(v, graph)
    if source is not None:
        extra["source"] = source
    edge_grad = columns.edge_grads(v, graph) if edge_grads else None
    if edge_grad is not None:
        extra["edgeGrad"] = edge_grad
    extra.update(columns.tensor_columns(v, graph))
    check_rankdir(rankdir)
    live = live_values(v, graph, checks, notice, then)
    out = {
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
        "data": live.pop("data"),
        "grad": live.pop("grad"),
        "edges": flat,
        **extra,
        **live,
    }
    return with_scenes(out, rankdir) if laid_out else out


def live_values(
    v: View, graph: Graph, checks: Any = None, notice: str | None = None,
    then: str = columns.REFRESH,
) -> dict[str, Any]:
    """What changes without a new layout: data, grad, and (if any) slope, check and notice.

    `then` ends the every-grad-is-0 notice (what to do after calling backward())."""
    data, grad = values_payload(v, graph)
    out: dict[str, Any] = {"data": data, "grad": grad}
    if checks is not None:
        out.update(columns.check_columns(v, checks))
    if notice is None:  # a torch graph says what it could not know; else: every grad 0?
        notice = getattr(graph, "notice", "") or columns.zero_grad_notice(graph, then)
    if notice:
        out["notice"] = notice
    return out


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
    """One Value or a non-empty list/tuple of them, as a tuple; ValueError naming `name` if not.

    PyTorch tensors are taken the same way (one, or a list of them)."""
    from .pytorch.read import is_tensor

    if is_tensor(root_or_roots) or is_value_like(root_or_roots):
        return (root_or_roots,)
    if isinstance(root_or_roots, Sequence) and not isinstance(root_or_roots, (str, bytes)):
        roots = tuple(root_or_roots)
        if roots and (all(is_value_like(r) for r in roots) or all(is_tensor(r) for r in roots)):
            return roots
    raise ValueError(
        f"{name} must be a micrograd-like Value (with numeric .data and .grad) or a non-empty "
        f"list of them, got {type(root_or_roots).__name__}: {root_or_roots!r:.80} "
        "(PyTorch tensors with a grad_fn are taken too)"
    )
