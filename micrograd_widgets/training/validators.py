"""Checks for settings: each one converts a value or raises a ValueError naming the setting and
what it allows. The one validation path for the trainer's settings: ``TrainingRun`` uses them
with the math's own bounds, ``TrainerWidget``'s typed traits (and so its constructor) with the
page's (page_settings.SETTINGS), and the page gets those bounds from the same objects.

No imports from the rest of the package.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral, Real

__all__ = ["BatchSize", "Choice", "Choices", "Hidden", "Integer", "Number"]


def _real(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, Real) and math.isfinite(value)


def _integral(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, Integral)


@dataclass(frozen=True)
class Number:
    """A finite real in [low, high] ((low, high] with low_open); high=inf: no upper bound."""

    name: str
    low: float = 0.0
    high: float = math.inf
    low_open: bool = False

    def __call__(self, value: object) -> float:
        ok = (
            _real(value)
            and (self.low < value if self.low_open else self.low <= value)  # type: ignore[operator]
            and value <= self.high  # type: ignore[operator]
        )
        if not ok:
            raise ValueError(f"{self.name} must be {self.allowed()}, got {value!r}")
        return float(value)  # type: ignore[arg-type]

    def allowed(self) -> str:
        if math.isinf(self.high):
            return f"a finite number {'>' if self.low_open else '>='} {self.low:g}"
        left = "(" if self.low_open else "["
        return f"a number in {left}{self.low:g}, {self.high:g}]"


@dataclass(frozen=True)
class Integer:
    """A whole number in [low, high] (high None: no upper bound)."""

    name: str
    low: int = 0
    high: int | None = None

    def __call__(self, value: object) -> int:
        if not _integral(value) or value < self.low or (  # type: ignore[operator]
            self.high is not None and value > self.high  # type: ignore[operator]
        ):
            raise ValueError(f"{self.name} must be {self.allowed()}, got {value!r}")
        return int(value)  # type: ignore[call-overload]

    def allowed(self) -> str:
        if self.high is None:
            return f"an integer >= {self.low}"
        return f"an integer from {self.low} to {self.high}"


@dataclass(frozen=True)
class Choice:
    """One of a fixed list of names."""

    name: str
    options: tuple[str, ...]

    def __call__(self, value: object) -> str:
        if not isinstance(value, str) or value not in self.options:
            raise ValueError(f"{self.name} must be {self.allowed()}, got {value!r}")
        return value

    def allowed(self) -> str:
        return f"one of {', '.join(map(repr, self.options))}"


@dataclass(frozen=True)
class Choices:
    """A list of names, each one of `options` (e.g. controls to hide)."""

    name: str
    options: tuple[str, ...]

    def __call__(self, value: object) -> list[str]:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise ValueError(f"{self.name} must be a list of names, got {value!r}")
        one = Choice(self.name, self.options)
        return [one(v) for v in value]


@dataclass(frozen=True)
class BatchSize:
    """None (the whole training set) or a whole number >= 1."""

    name: str = "batch_size"

    def __call__(self, value: object) -> int | None:
        if value is None:
            return None
        if not _integral(value) or value < 1:  # type: ignore[operator]
            raise ValueError(
                f"{self.name} must be None (full batch) or an integer >= 1, got {value!r}"
            )
        return int(value)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Hidden:
    """Neurons per hidden layer: a list of whole numbers >= 1 (at most max_layers of at most
    max_neurons, when given)."""

    name: str = "hidden"
    max_layers: int | None = None
    max_neurons: int | None = None

    def __call__(self, value: object) -> list[int]:
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise ValueError(
                f"{self.name} must be a list of neurons per hidden layer, got {value!r}"
            )
        top = self.max_neurons
        ok = (self.max_layers is None or len(value) <= self.max_layers) and all(
            _integral(h) and 1 <= h and (top is None or h <= top) for h in value
        )
        if not ok:
            raise ValueError(f"{self.name} must {self.allowed()}, got {list(value)!r}")
        return [int(h) for h in value]

    def allowed(self) -> str:
        if self.max_layers is None or self.max_neurons is None:
            return "be a sequence of integers >= 1 (neurons per layer)"
        return (
            f"list at most {self.max_layers} layers, each a whole number of 1 to "
            f"{self.max_neurons} neurons"
        )

