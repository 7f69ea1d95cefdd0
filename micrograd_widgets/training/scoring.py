"""Reading an MLP's weights (this package's nn or micrograd 0.1.0's) into arrays, and scoring
many points with them: decision grids, dead layers, loss and accuracy of whole datasets, all with
numpy (numpy_engine.py) and no graphs."""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral
from typing import Any

import numpy as np

from .features import feature_array
from .losses import _NUMPY_TERMS, _loss_function
from .numpy_engine import ACTIVATIONS as _ARRAY_ACTIVATIONS
from .numpy_engine import dead_layer as _dead_layer
from .numpy_engine import forward as _forward
from .numpy_engine import grid_points, split_layers

__all__ = [
    "accuracy", "data_limits", "dead_layer", "decision_grid", "evaluate", "forward_numpy",
    "layer_weights",
]


def _score(model: Any, row: list[float]) -> Any:
    out = model(row)
    if isinstance(out, list):
        if len(out) != 1:
            raise ValueError(f"the model must output one score per point, got {len(out)} outputs")
        out = out[0]
    return out



def _activation_of(neuron: Any) -> str:
    """relu/tanh/linear from a neuron of this package's nn or of micrograd 0.1.0."""
    act = getattr(neuron, "activation", None)
    if act is None:
        act = getattr(neuron, "nonlin", True)
    if not isinstance(act, str):
        act = "relu" if act else "linear"
    act = act.lower()
    if act not in _ARRAY_ACTIVATIONS:
        raise ValueError(
            f"unsupported activation {act!r}; supported: {', '.join(_ARRAY_ACTIVATIONS)}"
        )
    return act


def _layers_of(model: Any) -> list:
    if hasattr(model, "layers"):
        return list(model.layers)
    if hasattr(model, "neurons"):
        return [model]
    raise ValueError(f"model must be an MLP or a Layer (with .layers or .neurons), got {model!r}")


def layer_weights(model: Any) -> list[tuple[np.ndarray, np.ndarray, list[str]]]:
    """The model's current weights per layer: (W of shape (nout, nin), b (nout,), activations)."""
    return split_layers(_read(_ordered_parameters(model)), _layer_shapes(model))


def _ordered_parameters(model: Any) -> list[Any]:
    """The parameters layer by layer, neuron by neuron, w0..w_nin-1 then b: the flat layout."""
    return [v for layer in _layers_of(model) for n in layer.neurons for v in (*n.w, n.b)]


def _layer_shapes(model: Any) -> list[tuple[tuple[int, int], list[str]]]:
    """Per layer: (nout, nin) and each neuron's activation."""
    return [
        ((len(layer.neurons), len(layer.neurons[0].w)), [_activation_of(n) for n in layer.neurons])
        for layer in _layers_of(model)
    ]


def forward_numpy(model: Any, points: np.ndarray) -> np.ndarray:
    """Scores of an MLP for many points at once: shape (m, nin) -> (m,), float64.

    The same arithmetic as the scalar engine's forward (dot product, bias, activation per
    neuron), done as matrix products on the weights read from the model right now.
    """
    return _forward(layer_weights(model), points)


def dead_layer(model: Any, X: np.ndarray) -> int | None:
    """The first hidden layer whose every neuron outputs exactly 0 on every point, if any.

    ReLU's slope is 0 there, so no gradient reaches that layer or any below it again: the
    network predicts one constant and training is stuck for good (a "dead" network).
    """
    return _dead_layer(layer_weights(model), X)


def data_limits(X: np.ndarray, pad: float = 0.5) -> tuple[tuple[float, float], tuple[float, float]]:
    """(xlim, ylim) around the points, ``pad`` wider on every side: the heatmap's extent."""
    X = np.asarray(X, dtype=np.float64)
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))


def decision_grid(
    model: Any,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    resolution: int = 100,
    features: Any = None,
) -> np.ndarray:
    """Scores on a resolution x resolution grid, float32, for the decision-boundary heatmap
    (``features``: the network's inputs are these features of each grid point).

    ``grid[i, j]`` is the score at ``(x_j, y_i)`` with ``x = linspace(*xlim, resolution)`` and
    ``y = linspace(*ylim, resolution)``: row 0 is the bottom edge (imshow's ``origin="lower"``).
    """
    if isinstance(resolution, bool) or not isinstance(resolution, Integral) or resolution < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        if len(lim) != 2 or not all(math.isfinite(v) for v in lim) or not lim[0] < lim[1]:
            raise ValueError(
                f"{name} must be two finite numbers (low, high) with low < high, got {lim!r}"
            )
    layers = model if isinstance(model, list) else layer_weights(model)
    points = grid_points(xlim, ylim, resolution)
    if features is not None:
        points = feature_array(points, features)
    scores = _forward(layers, points)
    return scores.reshape(resolution, resolution).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# evaluation


def _read(params: list[Any]) -> np.ndarray:
    """Every parameter's data, in order, as one float64 array."""
    return np.fromiter((p.data for p in params), np.float64, len(params))


def _weights_or_none(model: Any) -> list[tuple[np.ndarray, np.ndarray, list[str]]] | None:
    """layer_weights(model), or None for a model that is not MLP-shaped."""
    try:
        return layer_weights(model)
    except (ValueError, AttributeError, TypeError, IndexError):
        return None


def _scores(model: Any, X: np.ndarray) -> np.ndarray:
    """numpy forward when the model is MLP-shaped, else the scalar engine point by point."""
    layers = _weights_or_none(model)
    if layers is None:
        return np.array([_score(model, row).data for row in np.asarray(X, np.float64).tolist()])
    return _forward(layers, X)


def _loss_and_accuracy(loss: str, s: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Named loss and accuracy of scores s against float64 labels y (numpy only)."""
    return _split_loss_and_accuracy(loss, s, y, len(s))[:2]  # type: ignore[return-value]


def _split_loss_and_accuracy(
    loss: str, s: np.ndarray, y: np.ndarray, n: int
) -> tuple[float, float, float | None, float | None]:
    """Loss and accuracy of the first n points, then of the rest (None if there are none).

    One pass over all the points: after every training step this scores train and test sets.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        terms = _NUMPY_TERMS[loss](s, y)
    rest = len(s) - n
    at = [0, n] if rest else [0]
    loss_sums = np.add.reduceat(terms, at).tolist()  # train, test: two sums in one call
    correct = np.add.reduceat((s > 0) == (y > 0), at).tolist()
    if not rest:
        return loss_sums[0] / n, correct[0] / n, None, None
    return loss_sums[0] / n, correct[0] / n, loss_sums[1] / rest, correct[1] / rest


def _r2(sse: float, y: np.ndarray) -> float:
    """1 - SSE / SST: 1 is a perfect fit, 0 no better than the mean (NaN for constant y)."""
    sst = float(((y - y.mean()) ** 2).sum())
    return 1.0 - sse / sst if sst > 0 else float("nan")


def _split_loss_and_r2(
    loss: str, s: np.ndarray, y: np.ndarray, n: int
) -> tuple[float, float, float | None, float | None]:
    """Regression's ``_split_loss_and_accuracy``: the loss and R^2 of the first n points, then
    of the rest (None if there are none)."""
    with np.errstate(over="ignore", invalid="ignore"):
        terms = _NUMPY_TERMS[loss](s, y)
        sq = (s - y) ** 2
    parts = [slice(0, n)] + ([slice(n, len(s))] if len(s) > n else [])
    out: list[float | None] = []
    for part in parts:
        out += [float(terms[part].mean()), _r2(float(sq[part].sum()), y[part])]
    if len(parts) == 1:
        out += [None, None]
    return tuple(out)  # type: ignore[return-value]


def accuracy(model: Any, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of points whose score has the label's sign (score 0 counts as -1, like the demo)."""
    if len(X) == 0:
        raise ValueError("X must contain at least one point")
    s = _scores(model, X)
    return float(np.mean((s > 0) == (np.asarray(y) > 0)))


def evaluate(
    model: Any, X: np.ndarray, y: np.ndarray, loss: str | Callable = "hinge"
) -> tuple[float, float]:
    """(data loss, accuracy) on a dataset, without L2; named losses build no graph at all."""
    if len(X) == 0:
        raise ValueError("X must contain at least one point")
    y = np.asarray(y)
    if isinstance(loss, str):
        _loss_function(loss)
        return _loss_and_accuracy(loss, _scores(model, X), y.astype(np.float64))
    values = [_score(model, row) for row in np.asarray(X, dtype=np.float64).tolist()]
    s = np.array([v.data for v in values])
    return loss(values, y.tolist()).data, float(np.mean((s > 0) == (y > 0)))


