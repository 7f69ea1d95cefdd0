"""What the page (or Python) edits in a trainer's run without starting a new one: a weight
typed into an edge, points drawn or erased with the pens. The arithmetic is in
micrograd_widgets.training.weights and micrograd_widgets.training.pens."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..training import pens, snapshot, weights
from ..training.page_settings import CUSTOM


class Edits:
    """Mixed into TrainerWidget (its ``_run``, ``_publish``, ``_custom``, ``_restoring``)."""

    _run: Any
    _custom: Any
    _restoring: bool
    _draw_rng: np.random.Generator
    _publish: Any
    dataset: str
    resolution: int
    test_fraction: float

    def set_weight(self, layer: int, neuron: int, input: int | str, value: float) -> float:
        """Set one weight (``input`` an index, or "b" for the bias) of the model; layer 0 is the
        first hidden layer, the output neuron is layer len(hidden). Returns the old value; the
        next step trains on from the new one."""
        with self._run.lock:
            old = weights.set_weight(self._run.model, layer, neuron, input, value)
        self._publish()
        return old

    def _edit_points(self, edit: Any, *args: Any) -> None:
        """Points drawn or erased in the page: the data becomes 'custom', training goes on."""
        run = self._run
        if run.task == "regression":
            raise ValueError("the pens draw classes (+1/-1); choose a classification dataset")
        with run.lock:
            X, y, X_test, y_test = edit((run.X, run.y, run.X_test, run.y_test), *args)
            run.set_data(X, y, X_test, y_test)
            run.dataset = CUSTOM
        self._custom = (np.concatenate([X, X_test]), np.concatenate([y, y_test]))
        if self.dataset != CUSTOM:
            self._restoring = True
            try:
                self.dataset = CUSTOM
            finally:
                self._restoring = False
        state = snapshot.state(run, self.resolution, full=True)
        self._publish(
            has_custom=True, points=state["points"], extent=state["extent"], status_kind="info",
            status=f"Your points: {len(X)} to train on, {len(X_test)} to test (dataset custom).",
        )

    def _edit_actions(self, content: dict[str, Any]) -> dict[str, Any]:
        """The page's messages that edit the run (JSON: marimo drops binary buffers)."""
        return {
            "add_points": lambda: self._edit_points(
                pens.add_points, content["points"], self.test_fraction, self._draw_rng
            ),
            "erase_points": lambda: self._edit_points(
                pens.erase_points, content["x"], content["y"], content["radius"]
            ),
            "set_weight": lambda: self.set_weight(
                int(content["layer"]), int(content["neuron"]),
                "b" if content["input"] == "b" else int(content["input"]), float(content["value"]),
            ),
        }
