"""`%%micrograd --gradcheck`: the cell is the function; its leaves are nudged by running it again.

The first run (the magic's own) collects the leaves the cell binds (rewrite.CellHook). Then:

1. the cell runs again untouched: if its root or its leaves come out different, it draws
   random numbers (or reads what it changes) and nudging it would measure noise: refused;
2. for each leaf, the cell runs twice more with that leaf nudged by -h and +h, the moment it
   is bound, and the root's new values give the slope (check.slope_and_verdict);
3. every other node that can be recomputed from the recorded ops gets its slope by replaying
   (graph.gradcheck), so the whole graph shows slopes where it can.

Re-runs execute in a copy of the namespace as it was before the cell, with their output
captured: the notebook's names keep the first run's Values. (A cell that changes objects from
outside it, say appending to an older list, does so once per run: keep checked cells pure.)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import CodeType
from typing import Any

from IPython.core.error import UsageError

from ..graph.gradcheck import (
    ATOL,
    DEFAULT_H,
    MAX_NODES,
    RTOL,
    CannotReplay,
    Check,
    GradCheck,
    check_graph,
)
from ..graph.gradcheck import slope_and_verdict as _verdict
from ..graph.tracing import trace
from .rewrite import HOOK, CellHook

MAX_NUDGED = 200  # leaves nudged by re-running (2 runs each); the rest are replayed if possible
DIFFERENT = (
    "--gradcheck: the cell gives different numbers each time it runs (random numbers?), so "
    "nudging its inputs would measure noise. Seed it at its top (random.seed(0)), or make the "
    "random Values in an earlier cell."
)


class CellRunner:
    """Runs the compiled cell again in a copy of the namespace from before it first ran."""

    def __init__(self, code: CodeType, before: dict[str, Any], known: dict[int, Any],
                 find_root: Callable[[dict[str, Any]], Any]) -> None:
        self.code, self.before, self.known, self.find_root = code, before, known, find_root

    def run(self, nudge: tuple[int, float] | None = None) -> tuple[Any, CellHook]:
        from IPython.utils.capture import capture_output

        hook = CellHook(record=False, label=False, known=self.known, nudge=nudge)
        namespace = dict(self.before)
        namespace[HOOK] = hook
        widgets = _live_widgets()
        before = set(widgets)
        try:
            with capture_output():
                exec(self.code, namespace)  # noqa: S102 (the user's own cell, run again)
        finally:  # a cell that draws: the re-runs' widgets are never shown, close them
            for key in set(widgets) - before:
                widgets[key].close()
        return self.find_root(namespace), hook


def _live_widgets() -> dict[str, Any]:
    try:
        from ipywidgets.widgets.widget import _instances
    except ImportError:  # another ipywidgets layout: leave its widgets alone
        return {}
    return _instances


def check_cell(runner: CellRunner, root: Any, leaves: list[Any], h: float = DEFAULT_H) -> GradCheck:
    """gradcheck of the cell's root: re-run nudges for its leaves, replay for the rest."""
    graph = trace(root)
    saved = [(v, v.data, v.grad) for v in graph.values]
    try:
        rows = _nudged(runner, root, leaves, h, graph)
    finally:  # Values from before the cell are in the re-runs' graphs too: put them back
        for v, data, grad in saved:
            v.data, v.grad = data, grad
    try:
        replayed = check_graph(root, h, False, RTOL, ATOL, MAX_NODES, partial=True)
    except (CannotReplay, ValueError, ArithmeticError):
        replayed = None
    for c in replayed or ():
        rows.setdefault(int(c.id[1:]), c)
    if not rows:
        raise UsageError(
            "--gradcheck: nothing to nudge: the cell binds no input Value of its own "
            "(a = Value(2.0)) and its ops cannot be replayed"
        )
    return GradCheck(tuple(rows[i] for i in sorted(rows)), h, float(root.data))


def _nudged(
    runner: CellRunner, root: Any, leaves: list[Any], h: float, graph: Any
) -> dict[int, Check]:
    """Checks of the cell's own leaves, by index in `graph`, from re-running it nudged."""
    index = {id(v): i for i, v in enumerate(graph.values)}
    at = float(root.data)
    grads = {id(v): float(v.grad) for v in leaves}  # before any re-run can touch them
    try:
        again, hook = runner.run()
    except Exception as error:  # noqa: BLE001 (the user's code: say what, not where)
        raise UsageError(
            f"--gradcheck: the cell failed when run again ({type(error).__name__}: {error}); "
            "a checked cell must run again as it stands"
        ) from None
    same = len(hook.leaves) == len(leaves) and again is not None and float(again.data) == at
    if not same or [float(v.data) for v in hook.leaves] != [float(v.data) for v in leaves]:
        raise UsageError(DIFFERENT)
    rows: dict[int, Check] = {}
    for k, leaf in [(k, v) for k, v in enumerate(leaves) if id(v) in index][:MAX_NUDGED]:
        i = index[id(leaf)]
        ends = [_root_value(runner, k, d) for d in (-h, h)]
        grad = grads[id(leaf)]
        if ends[0] is None or ends[1] is None:
            rows[i] = Check(f"n{i}", graph.labels[i], grad, math.nan, None)
            continue
        slope, ok = _verdict(grad, ends[0], at, ends[1], h, RTOL, ATOL)
        rows[i] = Check(f"n{i}", graph.labels[i], grad, slope, ok)
    return rows


def _root_value(runner: CellRunner, k: int, dx: float) -> float | None:
    try:
        root, hook = runner.run((k, dx))
    except Exception:  # noqa: BLE001 (a nudge that breaks the cell: no slope there)
        return None
    if root is None or len(hook.leaves) <= k:
        return None
    return float(root.data)
