"""Small 2-D datasets for the live trainer: binary classification, and two regression sets.

Every generator has the same shape: ``f(n, noise, seed) -> (X, y)`` with ``X`` a float64 array
of shape (n, 2). The classification sets (`DATASETS`) give ``y`` as an int64 array of -1/+1
labels (the labels the max-margin loss wants); their points are shuffled and the two classes get
``n // 2`` and ``n - n // 2`` points. The regression sets (`REGRESSION_DATASETS`, TF Playground's
"plane" and "gauss") give ``y`` as float64 targets in [-1, 1]; `task_of(name)` says which kind a
name is. The same ``seed`` always gives the same data (numpy's ``default_rng``). ``noise`` is the
standard deviation of Gaussian jitter added to every coordinate (labels and targets belong to
the point before the jitter).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral, Real

import numpy as np

__all__ = [
    "DATASETS",
    "REGRESSION_DATASETS",
    "TASKS",
    "as_points",
    "blobs",
    "circles",
    "from_arrays",
    "gauss",
    "make_dataset",
    "make_regression",
    "moons",
    "plane",
    "spiral",
    "task_of",
    "train_test_split",
    "xor",
]


# ---------------------------------------------------------------------------------------------
# argument checks (shared by the generators; the errors name the argument and what is allowed)


def _check_n(n: object, why: str = "one point per class at least") -> int:
    if isinstance(n, bool) or not isinstance(n, Integral):
        raise ValueError(f"n must be an integer >= 2 (the number of points), got {n!r}")
    if n < 2:
        raise ValueError(f"n must be an integer >= 2 ({why}), got {n}")
    return int(n)


def _check_noise(noise: object) -> float:
    if isinstance(noise, bool) or not isinstance(noise, Real) or not math.isfinite(noise):
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    if noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    return float(noise)


def _check_seed(seed: object) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise ValueError(f"seed must be None or an integer >= 0, got {seed!r}")
    return int(seed)


def _finish(parts: list[np.ndarray], noise: float, rng: np.random.Generator):
    """Stack the clean class -1 and class +1 points, add the jitter, shuffle."""
    neg, pos = parts
    X = np.concatenate([neg, pos]).astype(np.float64)
    y = np.concatenate([np.full(len(neg), -1), np.full(len(pos), 1)]).astype(np.int64)
    X = X + noise * rng.standard_normal(X.shape)
    order = rng.permutation(len(X))
    return X[order], y[order]


def _sizes(n: int) -> tuple[int, int]:
    return n // 2, n - n // 2


# ---------------------------------------------------------------------------------------------
# the generators


def moons(n: int = 100, noise: float = 0.1, seed: int | None = 0):
    """Two interleaving half circles (the lecture's dataset, like sklearn's ``make_moons``).

    Class -1 is the upper moon centred at (0, 0), class +1 the lower one centred at (1, 0.5).
    """
    n, noise, rng = _check_n(n), _check_noise(noise), np.random.default_rng(_check_seed(seed))
    n_neg, n_pos = _sizes(n)
    a = np.linspace(0.0, math.pi, n_neg)
    b = np.linspace(0.0, math.pi, n_pos)
    upper = np.column_stack([np.cos(a), np.sin(a)])
    lower = np.column_stack([1.0 - np.cos(b), 0.5 - np.sin(b)])
    return _finish([upper, lower], noise, rng)


def circles(n: int = 100, noise: float = 0.1, seed: int | None = 0, factor: float = 0.5):
    """A disc inside a ring: class -1 on the unit circle, class +1 on radius ``factor``."""
    n, noise, rng = _check_n(n), _check_noise(noise), np.random.default_rng(_check_seed(seed))
    if isinstance(factor, bool) or not isinstance(factor, Real) or not 0 < factor < 1:
        raise ValueError(f"factor must be a number with 0 < factor < 1, got {factor!r}")
    n_neg, n_pos = _sizes(n)
    a = np.linspace(0.0, 2 * math.pi, n_neg, endpoint=False)
    b = np.linspace(0.0, 2 * math.pi, n_pos, endpoint=False)
    outer = np.column_stack([np.cos(a), np.sin(a)])
    inner = float(factor) * np.column_stack([np.cos(b), np.sin(b)])
    return _finish([outer, inner], noise, rng)


def xor(n: int = 100, noise: float = 0.1, seed: int | None = 0):
    """Four quadrants of the square [-1, 1]^2: +1 where x and y have the same sign, -1 elsewhere.

    Clean points keep a 0.1 gap from the axes so that noise=0 is perfectly separable.
    """
    n, noise, rng = _check_n(n), _check_noise(noise), np.random.default_rng(_check_seed(seed))
    n_neg, n_pos = _sizes(n)

    def quadrant_points(count: int, same_sign: bool) -> np.ndarray:
        mag = rng.uniform(0.1, 1.0, size=(count, 2))
        sx = rng.choice([-1.0, 1.0], size=count)
        sy = sx if same_sign else -sx
        return mag * np.column_stack([sx, sy])

    return _finish([quadrant_points(n_neg, False), quadrant_points(n_pos, True)], noise, rng)


def spiral(n: int = 100, noise: float = 0.05, seed: int | None = 0):
    """Two interleaved spirals of 1.75 turns each, radius growing from 0 to 1."""
    n, noise, rng = _check_n(n), _check_noise(noise), np.random.default_rng(_check_seed(seed))

    def arm(count: int, phase: float) -> np.ndarray:
        r = np.linspace(0.0, 1.0, count)
        t = 1.75 * 2 * math.pi * r + phase
        return np.column_stack([r * np.cos(t), r * np.sin(t)])

    n_neg, n_pos = _sizes(n)
    return _finish([arm(n_neg, 0.0), arm(n_pos, math.pi)], noise, rng)


def blobs(n: int = 100, noise: float = 0.5, seed: int | None = 0):
    """Two Gaussian clouds around (-1, -1) (class -1) and (1, 1) (class +1); noise = spread."""
    n, noise, rng = _check_n(n), _check_noise(noise), np.random.default_rng(_check_seed(seed))
    n_neg, n_pos = _sizes(n)
    return _finish([np.full((n_neg, 2), -1.0), np.full((n_pos, 2), 1.0)], noise, rng)


DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "moons": moons,
    "circles": circles,
    "xor": xor,
    "spiral": spiral,
    "blobs": blobs,
}


# ---------------------------------------------------------------------------------------------
# regression: a target in [-1, 1] at every point (TensorFlow Playground's two regression sets)


def _regression(X: np.ndarray, y: np.ndarray, noise: float, rng: np.random.Generator):
    """Jitter the points (the targets stay those of the clean points), as float64 arrays."""
    X = X + noise * rng.standard_normal(X.shape)
    return X.astype(np.float64), y.astype(np.float64)


def plane(n: int = 100, noise: float = 0.05, seed: int | None = 0):
    """A tilted plane: the target is (x1 + x2) / 2 at points uniform in the square [-1, 1]^2."""
    n, noise = _check_n(n, "a training and a test point at least"), _check_noise(noise)
    rng = np.random.default_rng(_check_seed(seed))
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    return _regression(X, (X[:, 0] + X[:, 1]) / 2, noise, rng)


# Six bumps on a 3 x 2 grid, signs alternating like a chessboard: (x1, x2, sign).
_BUMPS = np.array([
    [-2 / 3, 5 / 12, 1.0], [0.0, 5 / 12, -1.0], [2 / 3, 5 / 12, 1.0],
    [-2 / 3, -5 / 12, -1.0], [0.0, -5 / 12, 1.0], [2 / 3, -5 / 12, -1.0],
])
_BUMP_WIDTH = 0.18  # standard deviation: 0.18 high halfway to a neighbour, which cancels it there


def gauss(n: int = 100, noise: float = 0.05, seed: int | None = 0):
    """Six Gaussian bumps of height +1 or -1; the target is their sum (smooth, in [-1, 1]).

    Points are uniform in [-1, 1]^2; a point between bumps has a target near 0. The bumps are
    far enough apart that the sum peaks at +-1 (it is clipped to [-1, 1] for certain).
    """
    n, noise = _check_n(n, "a training and a test point at least"), _check_noise(noise)
    rng = np.random.default_rng(_check_seed(seed))
    X = rng.uniform(-1.0, 1.0, size=(n, 2))
    d2 = (X[:, None, 0] - _BUMPS[:, 0]) ** 2 + (X[:, None, 1] - _BUMPS[:, 1]) ** 2
    y = (_BUMPS[:, 2] * np.exp(-d2 / (2 * _BUMP_WIDTH**2))).sum(axis=1)
    return _regression(X, np.clip(y, -1.0, 1.0), noise, rng)


REGRESSION_DATASETS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray]]] = {
    "plane": plane,
    "gauss": gauss,
}

# Which kind of task each named dataset is: "classification" (y in {-1, +1}) or "regression".
TASKS: dict[str, str] = {
    **dict.fromkeys(DATASETS, "classification"),
    **dict.fromkeys(REGRESSION_DATASETS, "regression"),
}


def task_of(name: str) -> str:
    """The task a dataset name is for: "classification" or "regression" (else a ValueError)."""
    if name not in TASKS:
        allowed = ", ".join(repr(k) for k in TASKS)
        raise ValueError(f"dataset must be one of {allowed}, got {name!r}")
    return TASKS[name]


def _generate(registry: dict, name: str, n: int | None, noise: float | None, seed: int | None):
    if name not in registry:
        allowed = ", ".join(repr(k) for k in registry)
        raise ValueError(f"name must be one of {allowed}, got {name!r}")
    kwargs: dict[str, object] = {"seed": seed}
    if n is not None:
        kwargs["n"] = n
    if noise is not None:
        kwargs["noise"] = noise
    return registry[name](**kwargs)


def make_dataset(name: str, n: int | None = None, noise: float | None = None, seed: int | None = 0):
    """Generate a classification dataset by name; ``n``/``noise`` of None mean its default."""
    return _generate(DATASETS, name, n, noise, seed)


def make_regression(
    name: str, n: int | None = None, noise: float | None = None, seed: int | None = 0
):
    """Generate a regression dataset ("plane" or "gauss") by name, as `make_dataset` does."""
    return _generate(REGRESSION_DATASETS, name, n, noise, seed)


# ---------------------------------------------------------------------------------------------
# user data and splitting


def as_points(X: object, what: str = "X") -> np.ndarray:
    """A float64 copy of X as points, shape (n, 2), or a ValueError naming `what`."""
    try:
        Xa = np.array(X, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{what} must be numeric with shape (n, 2): {e}") from None
    if Xa.ndim != 2 or Xa.shape[1] != 2:
        raise ValueError(f"{what} must have shape (n, 2) (a row per point), got shape {Xa.shape}")
    return Xa


def from_arrays(X, y):
    """Validate a user's own 2-D data and map its two labels to -1/+1.

    Labels {-1, 1}, {0, 1} and {False, True} map the obvious way; any other two distinct labels
    map in sorted order (the smaller one becomes -1). Returns float64 ``X`` and int64 ``y`` copies.
    """
    Xa = as_points(X)
    if Xa.shape[0] < 2:
        raise ValueError(f"X must have at least 2 rows (one point per class), got {Xa.shape[0]}")
    if not np.all(np.isfinite(Xa)):
        bad = int(np.argwhere(~np.isfinite(Xa))[0][0])
        raise ValueError(f"X must contain only finite numbers; row {bad} is {Xa[bad].tolist()}")
    ya = np.asarray(y)
    if ya.ndim != 1 or ya.shape[0] != Xa.shape[0]:
        raise ValueError(
            f"y must hold one label per row of X, shape ({Xa.shape[0]},), got shape {ya.shape}"
        )
    if ya.dtype.kind == "f" and not np.all(np.isfinite(ya)):
        raise ValueError("y must not contain NaN or infinite labels")
    try:
        labels = np.unique(ya)
    except TypeError:  # labels that do not sort: None among numbers, mixed types
        kinds = sorted({type(v).__name__ for v in ya.tolist()})
        raise ValueError(
            f"y must hold labels of one kind (numbers, strings or bools), got {', '.join(kinds)}"
        ) from None
    if len(labels) != 2:
        shown = labels[:5].tolist()
        raise ValueError(
            f"y must contain exactly two classes (binary), got {len(labels)}: {shown}"
            + (" ..." if len(labels) > 5 else "")
        )
    y_out = np.where(ya == labels[1], 1, -1).astype(np.int64)
    return Xa, y_out


def train_test_split(X, y, test_fraction: float = 0.2, seed: int | None = 0):
    """Shuffle and split into ``(X_train, X_test, y_train, y_test)`` (sklearn's order).

    The test part has ``round(test_fraction * n)`` points, capped so that at least one point
    stays for training; ``test_fraction=0`` gives empty test arrays.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim < 1 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(
            f"X and y must have the same number of rows, got {np.shape(X)} and {np.shape(y)}"
        )
    if (
        isinstance(test_fraction, bool)
        or not isinstance(test_fraction, Real)
        or not 0 <= test_fraction < 1
    ):
        raise ValueError(
            f"test_fraction must be a number with 0 <= test_fraction < 1, got {test_fraction!r}"
        )
    n = len(X)
    if n < 1:
        raise ValueError("X must have at least one row to split")
    rng = np.random.default_rng(_check_seed(seed))
    n_test = min(int(round(float(test_fraction) * n)), n - 1)
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]
