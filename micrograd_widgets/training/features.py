"""Input features: what the trainer's network sees of a point (x1, x2).

TensorFlow Playground's inputs: x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2). Each one is a formula
written once, and it works on Values and on numpy arrays alike:

- on Values (`feature_values`), x1^2 is a real ``x1 ** 2`` node and sin(x1) a real ``x1.sin()``,
  so the graph of a neuron shows how its inputs were made from the point;
- on arrays (`feature_array`), the same formulas score a whole dataset or a heatmap grid at once,
  giving the same numbers;
- as code (`feature_code`), the same formula goes into a generated micrograd script.

`FEATURES` is the one list of names (the page's toggles and every check use it). A choice of
features always comes back in that order, so a set of toggles names one network.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..engine import Value
from .datasets import as_points

__all__ = [
    "DEFAULT_FEATURES",
    "FEATURES",
    "check_features",
    "feature_array",
    "feature_code",
    "feature_values",
]


def _sin(x: Any) -> Any:
    return np.sin(x) if isinstance(x, np.ndarray) else x.sin()


# name: (the formula, as a function of x1 and x2 (two Values, or two columns of numbers),
#        the same formula as Python code on Values x1 and x2)
_FORMULAS: dict[str, tuple[Callable[[Any, Any], Any], str]] = {
    "x1": (lambda x1, x2: x1, "x1"),
    "x2": (lambda x1, x2: x2, "x2"),
    "x1^2": (lambda x1, x2: x1**2, "x1**2"),
    "x2^2": (lambda x1, x2: x2**2, "x2**2"),
    "x1*x2": (lambda x1, x2: x1 * x2, "x1 * x2"),
    "sin(x1)": (lambda x1, x2: _sin(x1), "x1.sin()"),
    "sin(x2)": (lambda x1, x2: _sin(x2), "x2.sin()"),
}

FEATURES: tuple[str, ...] = tuple(_FORMULAS)
DEFAULT_FEATURES: tuple[str, ...] = ("x1", "x2")


def check_features(features: Iterable[str]) -> tuple[str, ...]:
    """The chosen feature names in `FEATURES` order, or a ValueError saying what is allowed.

    At least one name, each at most once: ``check_features(["x1^2", "x1"]) == ("x1", "x1^2")``.
    """
    allowed = ", ".join(map(repr, FEATURES))
    if isinstance(features, (str, bytes)):
        raise ValueError(
            f"features must be a list of feature names such as ('x1', 'x2'), got the string "
            f"{features!r} (for one feature write ({features!r},)); allowed: {allowed}"
        )
    try:
        names = list(features)
    except TypeError:
        raise ValueError(
            f"features must be a list of feature names such as ('x1', 'x2'), got {features!r}"
        ) from None
    if not names:
        raise ValueError(f"features must name at least one feature; allowed: {allowed}")
    for name in names:
        if not isinstance(name, str) or name not in _FORMULAS:
            raise ValueError(
                f"features: unknown feature {name!r}{_suggestion(name)}; allowed: {allowed}"
            )
    for name in FEATURES:
        if names.count(name) > 1:
            raise ValueError(f"features lists {name!r} {names.count(name)} times; name it once")
    return tuple(name for name in FEATURES if name in names)


def _suggestion(name: object) -> str:
    if not isinstance(name, str):
        return f" (a {type(name).__name__}; feature names are strings)"
    tidy = name.replace(" ", "").replace("**", "^").replace("²", "^2").replace("·", "*")
    close = [tidy] if tidy in _FORMULAS else difflib.get_close_matches(tidy, FEATURES, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def feature_values(point: Iterable[Value | float], features: Iterable[str]) -> list[Value]:
    """The chosen features of one point (x1, x2) as Values, in `FEATURES` order.

    Numbers become leaf Values labelled "x1" and "x2" (Values are used as they are); each made
    feature is labelled with its name, so a graph reads ``x1^2 = x1**2``.
    """
    x1, x2 = _pair(point)
    x1 = x1 if isinstance(x1, Value) else Value(x1, label="x1")
    x2 = x2 if isinstance(x2, Value) else Value(x2, label="x2")
    out = []
    for name in check_features(features):
        v = _FORMULAS[name][0](x1, x2)
        if v is not x1 and v is not x2:
            v.label = name
        out.append(v)
    return out


def feature_array(X: Any, features: Iterable[str]) -> np.ndarray:
    """The chosen features of every row of X (shape (n, 2)) as a float64 array (n, features)."""
    names = check_features(features)
    Xa = as_points(X)
    x1, x2 = Xa[:, 0], Xa[:, 1]
    out = np.empty((len(Xa), len(names)), dtype=np.float64)
    for j, name in enumerate(names):
        out[:, j] = _FORMULAS[name][0](x1, x2)
    return out


def feature_code(features: Iterable[str]) -> list[str]:
    """Each chosen feature as Python code on two Values named x1 and x2 (`FEATURES` order)."""
    return [_FORMULAS[name][1] for name in check_features(features)]


def _pair(point: Iterable[Value | float]) -> tuple[Any, Any]:
    try:
        values = tuple(point)
    except TypeError:
        raise ValueError(f"point must be a pair (x1, x2), got {point!r}") from None
    if len(values) != 2:
        raise ValueError(f"point must be a pair (x1, x2), got {len(values)} numbers: {point!r}")
    return values
