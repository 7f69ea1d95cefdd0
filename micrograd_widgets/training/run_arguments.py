"""The checks a training run puts its arguments and data through: the math's own bounds on each
setting, and the points and labels (or real targets) of the train and test sets (re-exported by
run.py)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .datasets import as_points
from .schedules import SCHEDULES
from .validators import BatchSize, Choice, Hidden, Integer, Number

ENGINES = ("micrograd", "numpy")

# The math's own bounds (the widget's sliders have narrower ones: page_settings.py).
LEARNING_RATE = Number("learning_rate", 0.0, low_open=True)
L2 = Number("l2", 0.0)
L1 = Number("l1", 0.0)
TASKS = ("classification", "regression")
TASK = Choice("task", TASKS)
BATCH_SIZE = BatchSize()
ENGINE = Choice("engine", ENGINES)
SCHEDULE = Choice("schedule", tuple(SCHEDULES))
DECAY_STEPS = Integer("decay_steps", 1)
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "linear")  # what nn.MLP builds
ACTIVATION = Choice("activation", ACTIVATION_NAMES)
HIDDEN = Hidden()


def _targets(X: Any, y: Any, what: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Points and real-valued targets (regression): finite floats, one target per point."""
    Xa = as_points(X, f"X{what}")
    ya = np.array(y, dtype=np.float64)
    if ya.shape != (len(Xa),) or not (np.all(np.isfinite(Xa)) and np.all(np.isfinite(ya))):
        raise ValueError(
            f"X{what} and y{what} must be finite numbers, shapes (n, 2) and (n,), got "
            f"{Xa.shape} and {ya.shape}"
        )
    return Xa, ya


def _check_test_set(
    X_test: Any, y_test: Any, task: str = "classification"
) -> tuple[np.ndarray, np.ndarray]:
    if X_test is None or len(X_test) == 0:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64 if task != "regression" else float)
    if task == "regression":
        return _targets(X_test, y_test, "_test")
    Xt = np.asarray(X_test, dtype=np.float64)
    yt = np.asarray(y_test)
    if Xt.ndim != 2 or Xt.shape[1] != 2 or not np.all(np.isfinite(Xt)):
        raise ValueError(f"X_test must be finite numbers of shape (m, 2), got shape {Xt.shape}")
    if yt.shape != (len(Xt),) or not np.all(np.isin(yt, (-1, 0, 1))):
        raise ValueError(f"y_test must be {len(Xt)} labels, each -1/+1 (or 0/1)")
    return Xt, np.where(yt > 0, 1, -1).astype(np.int64)
