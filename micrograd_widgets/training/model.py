"""The model a run starts from: micrograd's MLP, drawn from a seed without touching the user's
``random`` state."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from .datasets import _check_seed
from .run_arguments import ACTIVATION, HIDDEN

__all__ = ["build_model"]


def build_model(
    hidden: Sequence[int] = (16, 16), activation: str = "relu", seed: int | None = 0, nin: int = 2
) -> Any:
    """``MLP(nin, [*hidden, 1], activation=...)`` initialised from ``random.seed(seed)``.

    Same draws as ``random.seed(seed); MLP(...)`` in the lecture, but the global ``random``
    state is restored afterwards, so building a model does not disturb the user's code.
    """
    from ..nn import MLP

    hidden = HIDDEN(list(hidden))
    activation = ACTIVATION(activation)
    seed = _check_seed(seed)
    state = random.getstate()
    try:
        random.seed(seed)
        return MLP(nin, [*hidden, 1], activation=activation)
    finally:
        random.setstate(state)
