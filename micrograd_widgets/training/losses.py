"""The trainer's losses: on lists of score Values (what micrograd builds graphs of), and the same
per-point terms on arrays (numpy_engine.LOSS_TERMS) for scoring without graphs. Labels are -1/+1;
each loss is the mean over the batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .numpy_engine import LOSS_TERMS
from .validators import Choice

__all__ = ["LOSSES", "bce", "hinge", "l2_penalty", "mse"]


def _mean(terms: list) -> Any:
    return sum(terms) * (1.0 / len(terms))


def _pairs(scores: Sequence, y: Sequence) -> list[tuple[Any, float]]:
    if len(scores) != len(y) or len(scores) == 0:
        raise ValueError(
            f"scores and y must be non-empty and of equal length, got {len(scores)} and {len(y)}"
        )
    return list(zip(scores, (float(v) for v in y), strict=True))


def hinge(scores: Sequence, y: Sequence) -> Any:
    """Max-margin (SVM) loss of micrograd's demo: mean of relu(1 - y * score)."""
    return _mean([(1 + -yi * si).relu() for si, yi in _pairs(scores, y)])


def mse(scores: Sequence, y: Sequence) -> Any:
    """Mean squared error between the score and the label (-1/+1, or a regression target)."""
    terms = []
    for si, yi in _pairs(scores, y):
        d = si - yi
        terms.append(d * d)
    return _mean(terms)


def _softplus(z: Any) -> Any:
    """log(1 + e^z) without overflow: the exponent is never positive."""
    if z.data >= 0:
        return z + (1 + (-z).exp()).log()
    return (1 + z.exp()).log()


def bce(scores: Sequence, y: Sequence) -> Any:
    """Binary cross-entropy of sigmoid(score) against the label, as mean softplus(-y * score)."""
    return _mean([_softplus(-yi * si) for si, yi in _pairs(scores, y)])


LOSSES: dict[str, Callable[[Sequence, Sequence], Any]] = {"hinge": hinge, "mse": mse, "bce": bce}

# The same losses on arrays of scores, for evaluation without graphs (numpy_engine.LOSS_TERMS).
_NUMPY_TERMS = {name: terms for name, (terms, _) in LOSS_TERMS.items()}
LOSS_CHECK = Choice("loss", tuple(LOSSES))


def _loss_function(loss: str | Callable) -> Callable[[Sequence, Sequence], Any]:
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(
            f"loss must be one of {', '.join(map(repr, LOSSES))} or a callable, got {loss!r}"
        )
    return LOSSES[loss]


def l2_penalty(params: Sequence, alpha: float) -> Any:
    """alpha * sum of squared parameters, as a Value (the demo's regularisation term)."""
    return alpha * sum(p * p for p in params)


