"""BackpropWidget: backward() played node by node in the browser, from frames recorded in Python."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from ..graph.backprop import DEFAULT_MAX_NODES, record_backward
from ..graph.columns import check_columns
from ..graph.fold import View
from ..graph.gradcheck import GradCheck
from ..graph.layout.scenes import check_rankdir, with_scenes
from ..graph.tracing import HARD_LIMIT, payload, trace, view
from ._base import bundle, save_html
from ._graph_static import StaticPicture


class BackpropWidget(StaticPicture, anywidget.AnyWidget):
    """The graph of `root` with a player: play/pause, step, back, reset, speed, scrubber.

    Every step is replayed in the browser from `frames` (plain data, see backprop.py), so it
    needs no kernel: stepping is instant and `save_html` gives a player that works offline.
    Displayed, it also carries an SVG and a PNG of the graph after backward (every grad filled
    in, the last step's picture); to_svg(), save_png(path) and figure() give the same.
    """

    _esm = bundle("backprop")
    graph = traitlets.Dict().tag(sync=True)  # graph.payload() of the whole graph, with its scenes
    frames = traitlets.List().tag(sync=True)  # backward frames: seed, then one per node
    forward = traitlets.List().tag(sync=True)  # forward frames (values appearing), if shown
    show_forward = traitlets.Bool(False).tag(sync=True)
    speed = traitlets.Float(2.0).tag(sync=True)  # steps per second while playing
    gradcheck = traitlets.Bool(False).tag(sync=True)  # numerical slopes beside the grads
    notice = traitlets.Unicode("").tag(sync=True)  # why a gradcheck could not run, if it could not

    def __init__(self, *, root: Any = None, checks: GradCheck | None = None, **kwargs: Any) -> None:
        """`root`: the Value played (for the toolbar's gradcheck); `checks`: one made already."""
        on = bool(kwargs.pop("gradcheck", False)) or checks is not None
        super().__init__(**kwargs)
        self._root = root
        self._checks = checks
        if on:
            self._show_checks()
        self.observe(self._on_gradcheck, names="gradcheck")

    def _show_checks(self, checks: GradCheck | None = None) -> bool:
        """Show `checks` (or measure them, once): re-send the graph with slopes and verdicts.

        False, with the reason in `notice` and the toggle off, if the graph cannot be checked.
        """
        if checks is not None:
            self._checks = checks
        if self._checks is None:
            problem = ""
            if self._root is None:
                problem = "gradcheck needs the Value played: make the player with animate_backward"
            else:
                from ..graph.gradcheck import gradcheck

                try:  # a fresh backward(): the grads the player ends with, whatever came since
                    self._checks = gradcheck(self._root)
                except (ValueError, TypeError, ArithmeticError) as error:
                    problem = str(error)
            if problem:
                self.notice = ""
                self.notice = problem
                self.gradcheck = False
                return False
        graph = dict(self.graph)
        shown = [int(k[1:]) for k in graph["id"]]
        graph.update(_check_columns(shown, self._checks))
        graph = with_scenes(graph, graph.get("rankdir", "auto"))  # + the taller boxes' scenes
        with self.hold_sync():
            self.notice = ""
            self.graph = graph
            self.gradcheck = True
        return True

    def _on_gradcheck(self, change: dict[str, Any]) -> None:
        if change["new"] and ("check" not in self.graph or self._checks is None):
            self._show_checks()

    @property
    def checks(self) -> GradCheck | None:
        """The gradient check shown (see micrograd_widgets.gradcheck), None before the first."""
        return self._checks

    @traitlets.validate("speed")
    def _check_speed(self, proposal: dict[str, Any]) -> float:
        problem = _speed_problem(proposal["value"])
        if problem:
            raise traitlets.TraitError(problem)
        return proposal["value"]

    def _picture_input(self) -> tuple[dict[str, Any], Any, bool]:
        """The graph as the last step shows it: every grad the frames write, written."""
        graph = dict(self.graph)
        index = {key: i for i, key in enumerate(graph["id"])}
        grad = list(graph.get("grad") or [0.0] * len(index))
        for frame in self.frames:
            for node, _before, after in frame.get("writes", ()):
                if node in index:
                    grad[index[node]] = after
        graph["grad"] = grad
        graph.pop("notice", None)
        return graph, self._trace, bool(self.gradcheck)

    def _trace(self) -> Any:
        """The played graph traced (for a picture too big to draw whole), None without a root."""
        if self._root is None:
            return None
        return trace(self._root)

    def _what(self) -> tuple[str, list[Any], str]:
        roots = [] if self._root is None else [self._root]
        return "backprop player", roots, "open in JupyterLab to play it step by step"

    def save_html(self, path: str | Path) -> Path:
        """A self-contained HTML player (bundle and frames inlined): works from file://, offline."""
        return save_html(self, path, title="micrograd backprop")


MAX_SPEED = 120  # steps per second: two a frame at 60 fps


def _speed_problem(speed: float) -> str:
    """What is wrong with a speed ('' if nothing)."""
    if math.isfinite(speed) and 0 < speed <= MAX_SPEED:
        return ""
    return f"speed must be between 0 and {MAX_SPEED} steps per second, got {speed!r}"


def _check_columns(shown: list[int], checks: GradCheck) -> dict[str, list[Any]]:
    """slope/check columns for the player's boxes (every Value, in trace order)."""
    n = len(shown)
    boxes = View([], ["value"] * n, [], [], [], [], shown, [], owner=[])
    return check_columns(boxes, checks)


def animate_backward(
    root: Any,
    *,
    forward: bool = False,
    speed: float = 2.0,
    rankdir: str = "auto",
    max_nodes: int = DEFAULT_MAX_NODES,
    gradcheck: bool = False,
    checks: GradCheck | None = None,
    names: Any = None,
) -> BackpropWidget:
    """Run backward() on `root` node by node and return a player for it.

    The graph's grads are left as one clean `root.backward()` would leave them (all grads are
    zeroed first). `forward=True` plays the forward pass first, values appearing in topological
    order, as the lecture does. Graphs above `max_nodes` are refused with a message suggesting a
    smaller root (stepping through thousands of nodes one by one shows nothing useful).
    `gradcheck=True` shows the numerical slope beside each grad (the toolbar toggles it);
    `checks` passes a gradcheck made already (the magic's). `rankdir`: "auto" (left to right, or
    top to bottom in a cell too narrow to show a small graph whole), "LR" or "TB".

    `root` may be a PyTorch tensor: torch's backward is played in the order torch runs it,
    with the grads its nodes send (its tensors untouched); `names` maps names to tensors.
    """
    check_rankdir(rankdir)
    if not isinstance(forward, bool):
        raise TypeError(f"forward must be True or False, got {forward!r}")
    if not isinstance(gradcheck, bool):
        raise TypeError(f"gradcheck must be True or False, got {gradcheck!r}")
    if not isinstance(max_nodes, int) or not 1 <= max_nodes <= HARD_LIMIT:
        raise ValueError(
            f"max_nodes must be an int from 1 to {HARD_LIMIT:,} (the most boxes the browser "
            f"lays out), got {max_nodes!r}"
        )
    if isinstance(speed, bool) or not isinstance(speed, (int, float)):
        raise TypeError(f"speed must be a number of steps per second, got {speed!r}")
    problem = _speed_problem(speed)
    if problem:  # before recording, which rewrites the graph's grads
        raise ValueError(problem)
    from ..graph.pytorch.read import is_tensor

    if is_tensor(root):
        from ..graph.pytorch.frames import record_tensor

        recording, graph = record_tensor(root, names, max_nodes)
    else:
        if names is not None:
            raise ValueError("names= is for PyTorch tensors; label a Value with its .label")
        recording = record_backward(root, max_nodes=max_nodes)
        graph = trace(root)
    return BackpropWidget(
        graph=payload(view(graph, collapse="none"), graph, rankdir=rankdir, edge_grads=False),
        frames=recording.frames,
        forward=recording.forward,
        show_forward=forward,
        speed=float(speed),
        root=root,
        checks=checks,
        gradcheck=gradcheck,
    )
