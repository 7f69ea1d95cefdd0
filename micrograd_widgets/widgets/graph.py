"""GraphWidget: a Value graph drawn in the browser, like the lecture's draw_dot but interactive.

The Python side traces the graph, picks what is visible (graph.view), lays it out (graph.scene)
and sends it as compact columns with its scenes; the browser draws them (js/widgets/graph.ts),
so no Graphviz binary is needed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anywidget
import traitlets

from .. import graph as g
from ..graph.gradcheck import GradCheck
from ..graph.layout.scenes import check_rankdir
from ._base import bundle
from ._base import save_html as _save_html
from ._graph_static import StaticPicture


class GraphWidget(StaticPicture, anywidget.AnyWidget):
    """The graph of one or more Values. Build it with `draw(...)`.

    Displayed, it carries an SVG and a PNG of the graph beside the live view (see
    micrograd_widgets.options); to_svg(), save_png(path) and figure() give the same picture."""

    _esm = bundle("graph")
    graph = traitlets.Dict().tag(sync=True)  # payload(): the visible boxes and their scenes
    # data/grad per box from refresh(), without re-layout (just the version after a new graph)
    values = traitlets.Dict().tag(sync=True)
    notice = traitlets.Unicode("").tag(sync=True)  # why an expand (or a gradcheck) was refused
    gradcheck = traitlets.Bool(False).tag(sync=True)  # numerical slopes beside the grads

    def __init__(
        self,
        roots: tuple[Any, ...],
        rankdir: str = "auto",
        collapse: g.Collapse = "auto",
        threshold: int = g.THRESHOLD,
        checks: GradCheck | None = None,
        tensors: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """`checks`: a gradcheck made already for these roots (the magic's), shown at once.
        `tensors`: trace()'s names= / params= / model= for PyTorch roots."""
        check_rankdir(rankdir)
        if collapse not in g.COLLAPSE_MODES:
            raise ValueError(f"collapse must be one of {g.COLLAPSE_MODES}, got {collapse!r}")
        on = bool(kwargs.pop("gradcheck", False)) or checks is not None
        super().__init__(**kwargs)
        self._rankdir = rankdir
        self._collapse = collapse
        self._threshold = threshold
        self._roots = roots
        self._graph = g.trace(*roots, **(tensors or {}))
        self._view = g.view(self._graph, collapse, threshold=threshold)
        self._version = 0
        self._checks = checks
        self._then = g.columns.REFRESH  # the end of the every-grad-is-0 notice
        if on and checks is None:
            self._checks = self._check_or_say_why()
        self._publish()
        self.gradcheck = on and self._checks is not None
        self.observe(self._on_gradcheck, names="gradcheck")
        self.on_msg(self._on_message)

    @property
    def trace(self) -> g.Graph:
        """The traced graph (every Value, in id order)."""
        return self._graph

    @property
    def expanded(self) -> frozenset[str]:
        """The groups currently opened."""
        return self._view.expanded

    @property
    def checks(self) -> GradCheck | None:
        """The gradient check shown (see micrograd_widgets.gradcheck), None before the first."""
        return self._checks

    def _publish(self, focus: str | None = None) -> None:
        data = g.payload(self._view, self._graph, self._rankdir, self._version, focus,
                         checks=self._checks, then=self._then)
        with self.hold_sync():
            self.graph = data
            # no numbers: the graph's own hold until refresh() (a notebook keeps them once)
            self.values = {"version": self._version}

    def refresh(self) -> None:
        """Re-read data and grad from the same Values (after backward() or an update step).

        Updates the numbers and colours in place; the layout stays as it is. With the gradient
        check on, the slopes are measured again for the new numbers.
        """
        if self.gradcheck:
            self._checks = self._check_or_say_why() or self._checks
        live = g.live_values(self._view, self._graph, self._checks, then=self._then)
        self.values = {"version": self._version, **live}

    def _check_or_say_why(self) -> GradCheck | None:
        """gradcheck of the drawn root against the grads it holds now; None (and why, in
        `notice`) if it cannot be checked."""
        from ..graph.gradcheck import gradcheck

        if len(self._roots) != 1:
            self._refuse(f"gradcheck needs one root; this graph has {len(self._roots)}. "
                         "Draw one Value to check it.")
            return None
        try:
            return gradcheck(self._roots[0], backward=False)
        except (ValueError, TypeError, ArithmeticError) as error:
            self._refuse(str(error))
            return None

    def _on_gradcheck(self, change: dict[str, Any]) -> None:
        """The page's toggle: on measures the slopes (once) and re-sends the graph with them."""
        if change["new"]:
            self._show_checks()

    def _show_checks(self, checks: GradCheck | None = None) -> bool:
        """Show `checks` (or measure them, once): re-send the graph with slopes and verdicts.

        False, with the reason in `notice` and the toggle off, if the graph cannot be checked.
        """
        if checks is not None:
            self._checks = checks
        elif self._checks is None:
            self._checks = self._check_or_say_why()
            if self._checks is None:
                self.gradcheck = False
                return False
        with self.hold_sync():
            self.notice = ""
            self._publish()
            self.gradcheck = True
        return True

    def expand(self, group: str) -> None:
        """Open a folded box (a group such as 'layer0', a 'sum:…' or an 'inputs' bundle)."""
        v = self._view
        folded = [k for k, kind in zip(v.keys, v.kinds, strict=True) if kind != "value"]
        if not isinstance(group, str) or group not in folded:
            raise ValueError(
                f"group must be one of the folded boxes on screen {_listing(folded)}, "
                f"got {group!r}"
            )
        if not self._view.collapsed:
            return
        try:
            opened = g.view(
                self._graph, self._collapse, self._view.expanded | {group}, self._threshold
            )
        except ValueError as error:
            self._refuse(str(error))
            return
        if len(opened) > g.HARD_LIMIT:
            self._refuse(
                f"Expanding {group} would show {len(opened):,} boxes (limit {g.HARD_LIMIT:,}); "
                "fold another box first, or draw a smaller part of the graph."
            )
            return
        self.notice = ""
        self._view = opened
        self._version += 1
        self._publish(focus=group)

    def _refuse(self, why: str) -> None:
        """Tell the page why nothing opened; sent even when it is the same reason as last time."""
        self.notice = ""
        self.notice = why

    def collapse(self, group: str) -> None:
        """Fold an opened box back into one box, with everything opened inside it.

        The opposite of expand(): `group` is one of `opened` (e.g. 'layer1/neuron3').
        """
        opened = self._view.opened
        if not isinstance(group, str) or group not in opened:
            raise ValueError(
                f"group must be one of the opened boxes {_listing(opened)}, got {group!r}"
            )
        inner = {group}  # and whatever was opened inside it: its subgroups, Σ and bundles
        if not group.startswith(("sum:", "leaves:")):
            groups = self._graph.fold_groups
            for key in self._view.expanded:
                if key.startswith(("sum:n", "leaves:n")):
                    owner = groups[int(key.split(":n", 1)[1])] or ""
                else:
                    owner = key
                if owner.startswith(group + "/") or (owner == group and key != group):
                    inner.add(key)
        self.notice = ""
        self._view = g.view(
            self._graph, self._collapse, self._view.expanded - inner, self._threshold
        )
        self._version += 1
        self._publish(focus=group)

    @property
    def opened(self) -> list[str]:
        """The opened boxes in the picture, outer first: what collapse() accepts."""
        return list(self._view.opened)

    def collapse_all(self) -> None:
        """Back to the starting picture."""
        if self._view.collapsed:
            self._view = g.view(self._graph, self._collapse, threshold=self._threshold)
            self._version += 1
            self._publish()

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """The view asks to open or fold a box; stale requests (box no longer shown) are ignored."""
        if not isinstance(content, dict) or not isinstance(content.get("group"), str):
            return
        group = content["group"]
        if content.get("type") == "expand" and group in self._view.keys:
            if self._view.kinds[self._view.keys.index(group)] != "value":
                self.expand(group)
        elif content.get("type") == "collapse" and group in self._view.opened:
            self.collapse(group)

    def to_graphviz(self) -> Any:
        """A `graphviz.Digraph` of all Values, like the lecture's draw_dot (no `dot` needed)."""
        import graphviz

        rankdir = "TB" if self._rankdir == "TB" else "LR"  # "auto": the lecture's left to right
        dot = graphviz.Digraph(format="svg", graph_attr={"rankdir": rankdir})
        graph = self._graph
        for i, value in enumerate(graph.values):
            name = escape_record(graph.labels[i])
            label = f"{{ {name} | data {float(value.data):.4f} | grad {float(value.grad):.4f} }}"
            dot.node(f"n{i}", label=label, shape="record")
            if graph.ops[i]:
                dot.node(f"n{i}_op", label=escape_record(graph.ops[i]))
                dot.edge(f"n{i}_op", f"n{i}")
        for p, kids in enumerate(graph.children):
            target = f"n{p}_op" if graph.ops[p] else f"n{p}"
            for c in kids:
                dot.edge(f"n{c}", target)
        return dot

    def _picture_input(self) -> tuple[dict[str, Any], Any, bool]:
        """The graph as sent, with the numbers of the last refresh()."""
        live = {k: v for k, v in self.values.items() if k != "version"}
        same = self.values.get("version") == self.graph.get("version")
        return {**self.graph, **(live if same else {})}, self._graph, bool(self.gradcheck)

    def _what(self) -> tuple[str, list[Any], str]:
        return "graph", list(self._roots), "open in JupyterLab for the interactive view"

    def save_html(self, path: str | Path, title: str = "micrograd graph") -> Path:
        """One self-contained HTML file (bundle and data inlined) that opens offline from file://."""
        return _save_html(self, path, title)


def _listing(keys: list[str], most: int = 8) -> str:
    shown = ", ".join(repr(k) for k in keys[:most])
    return f"({shown}{', ...' if len(keys) > most else ''})" if keys else "(there are none)"


_RECORD_SPECIAL = str.maketrans({c: "\\" + c for c in '"|{}<>'})


def escape_record(text: str) -> str:
    """Text for a Graphviz record field: backslash, quote and `| { } < >` escaped, newlines kept."""
    out = str(text).replace("\\", "\\\\").translate(_RECORD_SPECIAL)
    return out.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def draw(
    root_or_roots: Any, rankdir: str = "auto", collapse: g.Collapse = "auto",
    gradcheck: bool = False, *, names: Any = None, params: Any = None, model: Any = None,
) -> GraphWidget:
    """Draw the graph behind a Value (or a list of Values) as an interactive widget.

    rankdir: "auto" (left to right, like the lecture; a small graph turns top to bottom in a
    cell too narrow to show it whole left to right, and back when the cell widens), "LR" (always
    left to right) or "TB" (always top to bottom).
    collapse: "auto" folds graphs bigger than a few hundred Values by group and Σ sums
    (click a dashed box to expand it, its ⊟ button above the graph folds it again); "groups"
    folds by layer and neuron even a small graph (to show a network's structure); "none" draws
    every Value (up to a few thousand).
    gradcheck: show beside each grad the numerical slope (micrograd_widgets.gradcheck), boxes
    whose grad disagrees with it framed in red; the toolbar's toggle does the same.

    A PyTorch tensor (with a grad_fn) draws its autograd graph, data and grads on every node,
    its tensors untouched: `names` / `params` map names to tensors (dict(model.named_parameters())),
    `model` folds the graph by module (collapse "auto" then folds as "groups" would).
    """
    if not isinstance(gradcheck, bool):
        raise TypeError(f"gradcheck must be True or False, got {gradcheck!r}")
    tensors = {k: v for k, v in (("names", names), ("params", params), ("model", model))
               if v is not None}
    if model is not None and collapse == "auto":
        collapse = "groups"
    return GraphWidget(g.as_roots(root_or_roots), rankdir=rankdir, collapse=collapse,
                       gradcheck=gradcheck, tensors=tensors)
