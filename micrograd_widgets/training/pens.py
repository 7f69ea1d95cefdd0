"""Points drawn on the trainer's map: adding a class (+1 / -1) where the pen clicks, erasing
around a point. Plain arrays in, new arrays out; knows nothing of widgets or models.

A new point goes to the training or the test set by the run's test fraction, drawn from a
seeded generator, so a drawn dataset keeps a test split (and the same clicks give the same split).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["MAX_POINTS", "add_points", "erase_points"]

MAX_POINTS = 2000  # the largest dataset the trainer takes (page_settings. n_max)

Arrays = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # X, y, X_test, y_test


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return float(value)


def add_points(
    data: Arrays, points: Sequence[Sequence[Any]], test_fraction: float, rng: np.random.Generator
) -> Arrays:
    """``data`` with ``points`` ([x, y, label], label +1 or -1) appended, each to the training
    set or (with probability ``test_fraction``) the test set."""
    X, y, X_test, y_test = data
    if isinstance(points, (str, bytes)) or not isinstance(points, Sequence) or not points:
        raise ValueError(f"points must be a non-empty list of [x, y, label], got {points!r}")
    if len(X) + len(X_test) + len(points) > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} points in all: erase some first")
    rows, labels = [], []
    for p in points:
        if isinstance(p, (str, bytes)) or not isinstance(p, Sequence) or len(p) != 3:
            raise ValueError(f"each point must be [x, y, label], got {p!r}")
        if p[2] not in (1, -1) or isinstance(p[2], bool):
            raise ValueError(f"a point's label must be +1 or -1, got {p[2]!r}")
        rows.append((_finite(p[0], "x"), _finite(p[1], "y")))
        labels.append(int(p[2]))
    new, new_y = np.array(rows, dtype=np.float64), np.array(labels, dtype=np.int64)
    test = rng.random(len(new)) < test_fraction
    return (
        np.concatenate([X, new[~test]]), np.concatenate([y, new_y[~test]]).astype(y.dtype),
        np.concatenate([X_test.reshape(-1, 2), new[test]]),
        np.concatenate([y_test, new_y[test]]).astype(y.dtype),
    )


def erase_points(data: Arrays, x: Any, y: Any, radius: Any) -> Arrays:
    """``data`` without the points within ``radius`` of (x, y) (data units)."""
    cx, cy, r = _finite(x, "x"), _finite(y, "y"), _finite(radius, "radius")
    if r < 0:
        raise ValueError(f"radius must be >= 0, got {radius!r}")
    X, yy, X_test, y_test = data
    keep = np.hypot(X[:, 0] - cx, X[:, 1] - cy) > r
    keep_test = np.hypot(X_test[:, 0] - cx, X_test[:, 1] - cy) > r if len(X_test) else keep[:0]
    return X[keep], yy[keep], X_test[keep_test], y_test[keep_test]
