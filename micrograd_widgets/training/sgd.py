"""One step of stochastic gradient descent on each engine: ``sgd_step`` on the model's Values
(micrograd's demo loop), ``numpy_sgd_step`` on the same network as matrices (numpy_engine.Network),
the minibatch each step draws, and ``Diverged``, what both raise when the numbers blow up
(all re-exported by run.py)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..engine import gc_paused
from .losses import _loss_function
from .numpy_engine import Network
from .regularizers import sgd_update, sgd_update_values
from .run_arguments import BATCH_SIZE, L1, L2, LEARNING_RATE
from .schedules import DEFAULT_LEARNING_RATE
from .scoring import _score


class Diverged(ArithmeticError):
    """The loss or the weights became NaN/infinite (or exploded): reset before training on."""

    def __init__(self, message: str, step: int | None = None, loss: float | None = None):
        super().__init__(message)
        self.step = step
        self.loss = loss


def _batch_rows(n: int, batch_size: int | None, rng: np.random.Generator | None) -> Any:
    """The step's points of n: all in order (None or >= n: a slice), else a sample without
    replacement (an index array)."""
    if batch_size is None or batch_size >= n:
        return slice(0, n)
    rng = rng if rng is not None else np.random.default_rng()
    return rng.choice(n, batch_size, replace=False)


def _batch(
    X: np.ndarray, y: np.ndarray, batch_size: int | None, rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray]:
    rows = _batch_rows(len(X), batch_size, rng)
    return X[rows], y[rows]


def sgd_step(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int | None = None,
    learning_rate: float = DEFAULT_LEARNING_RATE,
    loss: str | Callable = "hinge",
    l2: float = 1e-4,
    rng: np.random.Generator | None = None,
    l1: float = 0.0,
) -> dict[str, float]:
    """Forward a minibatch, zero_grad, backward, update: one step of micrograd's demo loop.

    ``batch_size`` None (or >= len(X)) uses every point in order; otherwise a sample without
    replacement drawn with ``rng``. The L2 term ``l2 * sum(p*p)`` is added to the loss value and
    its gradient ``2*l2*p`` to each parameter's grad directly: the same update as building it into
    the graph, without two extra nodes per parameter; ``l1`` shrinks each weight toward 0 by
    ``learning_rate * l1`` after that update, stopping at 0 (regularizers.sgd_update_values; its
    ``l1 * sum|p|`` is added to the loss value). Returns the loss that was minimised (data +
    L2, before the update, as the demo prints it), the data loss, and the minibatch accuracy.
    Raises ``Diverged`` (leaving the weights untouched if the loss is already non-finite).

    Python's cyclic garbage collector is paused for the step (``engine.gc_paused``) and resumes
    as it was when it returns or raises: the step's graph has no reference cycles and is freed
    by reference counting as the step ends, so scanning its Values would only cost time.
    """
    with gc_paused():  # the graph lives in _sgd_step's frame: freed before the collector resumes
        return _sgd_step(model, X, y, batch_size, learning_rate, loss, l2, rng, l1)


def _sgd_step(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int | None,
    learning_rate: float,
    loss: str | Callable,
    l2: float,
    rng: np.random.Generator | None,
    l1: float,
) -> dict[str, float]:
    batch_size = BATCH_SIZE(batch_size)
    learning_rate = LEARNING_RATE(learning_rate)
    l2, l1 = L2(l2), L1(l1)
    loss_fn = _loss_function(loss)
    Xb, yb = _batch(X, y, batch_size, rng)
    rows, labels = np.asarray(Xb, dtype=np.float64).tolist(), np.asarray(yb).tolist()
    params = model.parameters()

    try:
        scores = [_score(model, row) for row in rows]
        data_loss = loss_fn(scores, labels)
        total = data_loss.data + (l2 * sum(p.data * p.data for p in params) if l2 else 0.0)
        if l1:
            total += l1 * sum(abs(p.data) for p in params)
        if not math.isfinite(total):
            raise Diverged(f"the loss became {total} (learning rate {learning_rate:g})", loss=total)
        model.zero_grad()
        data_loss.backward()
        if l1:
            sgd_update_values(params, learning_rate, l1, l2)
        else:
            for p in params:
                p.data -= learning_rate * (p.grad + 2.0 * l2 * p.data)
    except OverflowError as e:
        raise Diverged(f"a number overflowed ({e}) (learning rate {learning_rate:g})") from e
    if not math.isfinite(sum(p.data for p in params)):
        raise Diverged(f"the weights became infinite or NaN (learning rate {learning_rate:g})")
    correct = sum((yi > 0) == (si.data > 0) for si, yi in zip(scores, labels, strict=True))
    return {"loss": total, "data_loss": data_loss.data, "accuracy": correct / len(labels)}


def numpy_sgd_step(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    learning_rate: float,
    loss: str = "hinge",
    l2: float = 1e-4,
    rows: Any = None,
    of: Any = None,
    l1: float = 0.0,
) -> dict[str, float]:
    """``sgd_step`` on the numpy engine, for a batch already drawn: the same update and result.
    (``rows``/``of``: the batch is ``of[rows]``, see ``Network.gradients``.)

    Raises ``Diverged`` (the weights untouched if the loss is already non-finite).
    """
    yf = y if y.dtype == np.float64 else y.astype(np.float64)
    data_loss, s = net.gradients(X, yf, loss, rows, of)
    flat = net.flat
    total = data_loss + (l2 * float(flat @ flat) if l2 else 0.0)
    if l1:
        total += l1 * float(np.abs(flat).sum())
    if not math.isfinite(total):
        raise Diverged(f"the loss became {total} (learning rate {learning_rate:g})", loss=total)
    with np.errstate(over="ignore", invalid="ignore"):
        if l1:  # in place: each layer's W and b are views of flat
            flat[:] = sgd_update(flat, net.grad, learning_rate, l1, l2)
        elif l2:
            flat -= learning_rate * (net.grad + 2.0 * l2 * flat)
        else:
            flat -= learning_rate * net.grad
    net.changed()
    if not math.isfinite(float(flat.sum())):
        raise Diverged(f"the weights became infinite or NaN (learning rate {learning_rate:g})")
    correct = int(np.count_nonzero((yf > 0) == (s > 0)))
    return {"loss": total, "data_loss": data_loss, "accuracy": correct / len(yf)}
