"""Weight penalties, L1 and L2, on Values and on numpy arrays.

A regularised loss is ``data_loss + l1 * sum(|w|) + l2 * sum(w**2)``. This module gives it
three ways, which agree with each other (tests check it):

- **as a graph**: `l1_penalty(params, alpha)` and `l2_penalty(params, alpha)` are Values, so
  ``(data_loss + penalty).backward()`` puts the penalty's gradient into every ``p.grad``. |w| is
  written ``w.relu() + (-w).relu()``: its slope is sign(w), and 0 at w = 0 (as torch.abs);
- **as numbers**: `penalty(weights, l1, l2)` is the term's value for floats or arrays (what a
  loss curve adds to the data loss), `penalty_gradient(w, l1, l2)` its (sub)gradient;
- **as an SGD step**: `sgd_update(w, grad, lr, l1, l2)` on arrays and `sgd_update_values(params,
  lr, l1, l2)` on Values (from their ``.grad``) step the data gradient and the L2 term together,
  ``w - lr * (grad + 2 * l2 * w)`` (the trainer's update today), then move the weight by
  ``lr * l1`` toward 0 and stop it there rather than cross (soft thresholding, the proximal step
  for L1; TensorFlow Playground likewise stops a weight at 0). So L1 makes weights exactly 0,
  which its subgradient alone never does: it would jitter around 0 by ``lr * l1``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Real
from typing import Any

import numpy as np

from ..engine import Value

__all__ = [
    "check_strength",
    "l1_penalty",
    "l2_penalty",
    "penalty",
    "penalty_gradient",
    "sgd_update",
    "sgd_update_values",
]


def check_strength(name: str, value: object) -> float:
    """A penalty's strength (``l1``, ``l2``) as a float, or a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


# ---- as a graph of Values --------------------------------------------------------------------


def l1_penalty(params: Iterable[Value], alpha: float) -> Value:
    """alpha * sum(|p|) as a Value, |p| built as relu(p) + relu(-p)."""
    alpha = check_strength("alpha", alpha)
    return alpha * sum((p.relu() + (-p).relu() for p in params), Value(0.0))


def l2_penalty(params: Iterable[Value], alpha: float) -> Value:
    """alpha * sum(p * p) as a Value (micrograd's demo's regularisation term)."""
    alpha = check_strength("alpha", alpha)
    return alpha * sum((p * p for p in params), Value(0.0))


# ---- as numbers -------------------------------------------------------------------------------


def penalty(weights: Iterable[Any], l1: float = 0.0, l2: float = 0.0) -> float:
    """l1 * sum(|w|) + l2 * sum(w^2) over floats or arrays (e.g. one weight matrix per layer)."""
    l1, l2 = check_strength("l1", l1), check_strength("l2", l2)
    total = 0.0
    for w in weights:
        w = np.asarray(w, dtype=np.float64)
        if l1:
            total += l1 * float(np.abs(w).sum())
        if l2:
            total += l2 * float((w * w).sum())
    return total


def penalty_gradient(w: Any, l1: float = 0.0, l2: float = 0.0) -> Any:
    """d(penalty)/dw = l1 * sign(w) + 2 * l2 * w, for a float or an array (0 slope of |w| at 0)."""
    l1, l2 = check_strength("l1", l1), check_strength("l2", l2)
    if isinstance(w, np.ndarray):
        return l1 * np.sign(w) + 2.0 * l2 * w
    return l1 * ((w > 0) - (w < 0)) + 2.0 * l2 * w


# ---- as an SGD step ---------------------------------------------------------------------------


def sgd_update(
    w: np.ndarray, grad: np.ndarray, learning_rate: float, l1: float = 0.0, l2: float = 0.0
) -> np.ndarray:
    """The weights after one regularised SGD step (a new array; see the module's docstring)."""
    l1, l2 = check_strength("l1", l1), check_strength("l2", l2)
    out = w - learning_rate * (grad + 2.0 * l2 * w)
    if l1:
        out = np.sign(out) * np.maximum(np.abs(out) - learning_rate * l1, 0.0)
    return out


def sgd_update_values(
    params: Sequence[Value], learning_rate: float, l1: float = 0.0, l2: float = 0.0
) -> None:
    """One regularised SGD step on each Value's data from its grad, in place (as `sgd_update`)."""
    l1, l2 = check_strength("l1", l1), check_strength("l2", l2)
    shrink = learning_rate * l1
    for p in params:
        w = p.data - learning_rate * (p.grad + 2.0 * l2 * p.data)
        if l1:
            w = math.copysign(max(abs(w) - shrink, 0.0), w)
        p.data = w
