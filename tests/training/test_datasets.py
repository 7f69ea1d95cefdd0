"""Datasets: shapes, labels, seeded determinism, what noise does, and clear errors."""

import math

import numpy as np
import pytest

from micrograd_widgets.training.datasets import (
    DATASETS,
    REGRESSION_DATASETS,
    TASKS,
    blobs,
    circles,
    from_arrays,
    gauss,
    make_dataset,
    make_regression,
    moons,
    plane,
    spiral,
    task_of,
    train_test_split,
    xor,
)

NAMES = ["moons", "circles", "xor", "spiral", "blobs"]
REGRESSION = ["plane", "gauss"]
EVERY = {**DATASETS, **REGRESSION_DATASETS}  # the checks every generator shares run on both kinds


def test_registry_has_the_five_datasets():
    assert sorted(DATASETS) == sorted(NAMES)
    assert DATASETS["moons"] is moons and DATASETS["spiral"] is spiral


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("n", [2, 7, 100])
def test_shapes_dtypes_and_balanced_labels(name, n):
    X, y = DATASETS[name](n=n, seed=3)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype.kind == "i"
    assert set(np.unique(y)) == {-1, 1}
    assert (y == -1).sum() == n // 2 and (y == 1).sum() == n - n // 2
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", NAMES + REGRESSION)
def test_seeded_determinism(name):
    f = EVERY[name]
    X1, y1 = f(n=50, seed=11)
    X2, y2 = f(n=50, seed=11)
    X3, _ = f(n=50, seed=12)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.allclose(X1, X3)


@pytest.mark.parametrize("name", NAMES)
def test_points_are_shuffled(name):
    _, y = DATASETS[name](n=200, seed=0)
    # class-sorted output would have a single change of label
    assert np.count_nonzero(np.diff(y)) > 20


@pytest.mark.parametrize("name", NAMES + REGRESSION)
@pytest.mark.parametrize("noise", [0.05, 0.3])
def test_noise_is_gaussian_jitter_of_that_std(name, noise):
    # labels (and regression targets) are those of the clean points: noise moves the points
    X0, y0 = EVERY[name](n=4000, noise=0.0, seed=5)
    Xn, yn = EVERY[name](n=4000, noise=noise, seed=5)
    np.testing.assert_array_equal(y0, yn)
    jitter = Xn - X0
    assert abs(jitter.mean()) < 0.05 * noise
    assert jitter.std() == pytest.approx(noise, rel=0.05)


def _by_class(X, y):
    return X[y == -1], X[y == 1]


def test_clean_moons_lie_on_two_half_circles():
    neg, pos = _by_class(*moons(n=101, noise=0.0))
    np.testing.assert_allclose(np.hypot(neg[:, 0], neg[:, 1]), 1.0, atol=1e-12)
    assert np.all(neg[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(pos[:, 0] - 1.0, pos[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(pos[:, 1] <= 0.5 + 1e-12)


def test_clean_circles_have_radius_one_and_factor():
    neg, pos = _by_class(*circles(n=80, noise=0.0, factor=0.3))
    np.testing.assert_allclose(np.hypot(*neg.T), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(*pos.T), 0.3, atol=1e-12)


def test_clean_xor_labels_are_the_sign_of_the_product():
    X, y = xor(n=300, noise=0.0, seed=1)
    assert np.all(np.sign(X[:, 0] * X[:, 1]) == y)
    assert np.all((np.abs(X) >= 0.1) & (np.abs(X) <= 1.0))
    # all four quadrants are used
    quadrants = set(map(tuple, np.sign(X).astype(int).tolist()))
    assert quadrants == {(1, 1), (-1, -1), (1, -1), (-1, 1)}


def test_clean_spiral_arms_are_half_a_turn_apart():
    X, y = spiral(n=200, noise=0.0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.max() == pytest.approx(1.0)
    keep = r > 1e-9
    angle = np.arctan2(X[keep, 1], X[keep, 0])
    phase = np.where(y[keep] == 1, math.pi, 0.0)
    expected = 1.75 * 2 * math.pi * r[keep] + phase
    diff = np.angle(np.exp(1j * (angle - expected)))  # wrapped to (-pi, pi]
    np.testing.assert_allclose(diff, 0.0, atol=1e-9)


def test_clean_blobs_sit_on_their_centres():
    neg, pos = _by_class(*blobs(n=10, noise=0.0))
    np.testing.assert_array_equal(neg, -1.0)
    np.testing.assert_array_equal(pos, 1.0)


def test_moons_default_is_the_lecture_setting():
    X, y = moons()
    assert X.shape == (100, 2)
    # noise 0.1 around the arcs: distance to the own arc's circle is about 0.1 on average
    neg, pos = _by_class(X, y)
    dist = np.concatenate(
        [np.abs(np.hypot(*neg.T) - 1), np.abs(np.hypot(pos[:, 0] - 1, pos[:, 1] - 0.5) - 1)]
    )
    assert 0.03 < dist.mean() < 0.2


@pytest.mark.parametrize("name", NAMES + REGRESSION)
@pytest.mark.parametrize(
    "kwargs, word",
    [
        ({"n": 1}, "n must"),
        ({"n": 0}, "n must"),
        ({"n": 2.5}, "n must"),
        ({"n": True}, "n must"),
        ({"n": "10"}, "n must"),
        ({"noise": -0.1}, "noise must"),
        ({"noise": float("nan")}, "noise must"),
        ({"noise": float("inf")}, "noise must"),
        ({"noise": "a"}, "noise must"),
        ({"seed": -1}, "seed must"),
        ({"seed": 1.5}, "seed must"),
    ],
)
def test_bad_arguments_name_the_argument(name, kwargs, word):
    with pytest.raises(ValueError, match=word):
        EVERY[name](**kwargs)


@pytest.mark.parametrize("factor", [0, 1, 1.5, -0.2, "x"])
def test_circles_bad_factor(factor):
    with pytest.raises(ValueError, match="factor must"):
        circles(factor=factor)


def test_seed_none_gives_fresh_data():
    X1, _ = moons(seed=None)
    X2, _ = moons(seed=None)
    assert not np.array_equal(X1, X2)


@pytest.mark.parametrize(
    "make, names, probe", [(make_dataset, NAMES, xor), (make_regression, REGRESSION, plane)]
)
def test_make_dataset_uses_each_default_unless_given(make, names, probe):
    for name in names:
        X, y = make(name, seed=4)
        Xd, yd = EVERY[name](seed=4)
        np.testing.assert_array_equal(X, Xd)
        np.testing.assert_array_equal(y, yd)
    X, _ = make(probe.__name__, n=30, noise=0.0, seed=2)
    np.testing.assert_array_equal(X, probe(n=30, noise=0.0, seed=2)[0])


def test_make_dataset_unknown_name_lists_the_choices():
    with pytest.raises(ValueError, match="name must be one of 'moons', 'circles'.*got 'moon'"):
        make_dataset("moon")


# --- from_arrays -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "labels, expected",
    [
        ([0, 1, 1, 0], [-1, 1, 1, -1]),
        ([-1, 1, 1, -1], [-1, 1, 1, -1]),
        ([False, True, True, False], [-1, 1, 1, -1]),
        ([3, 7, 7, 3], [-1, 1, 1, -1]),
        (["cat", "dog", "dog", "cat"], [-1, 1, 1, -1]),
        (np.array([0.0, 1.0, 1.0, 0.0]), [-1, 1, 1, -1]),
    ],
)
def test_from_arrays_maps_two_labels(labels, expected):
    X = [[0, 0], [1, 1], [2, 2.5], [3, 3]]
    Xo, yo = from_arrays(X, labels)
    assert Xo.dtype == np.float64 and Xo.shape == (4, 2)
    np.testing.assert_array_equal(Xo, np.array(X, dtype=float))
    assert yo.tolist() == expected


def test_from_arrays_copies():
    X = np.zeros((3, 2))
    Xo, _ = from_arrays(X, [0, 1, 1])
    Xo[0, 0] = 5
    assert X[0, 0] == 0


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.zeros((4, 3)), [0, 1, 0, 1], r"X must have shape \(n, 2\)"),
        (np.zeros(4), [0, 1, 0, 1], r"X must have shape \(n, 2\)"),
        (np.zeros((1, 2)), [0], "at least 2 rows"),
        ([[0, 0], [1, float("nan")]], [0, 1], "finite.*row 1"),
        ([[0, 0], [1, float("inf")]], [0, 1], "finite"),
        ([["a", "b"], [1, 2]], [0, 1], "X must be numeric"),
        (np.zeros((3, 2)), [1, 1, 1], "exactly two classes.*got 1"),
        (np.zeros((3, 2)), [0, 1, 2], "exactly two classes.*got 3"),
        (np.zeros((3, 2)), [0, 1], r"y must hold one label per row"),
        (np.zeros((2, 2)), [[0], [1]], r"y must hold one label per row"),
        (np.zeros((2, 2)), [0.0, float("nan")], "NaN"),
    ],
)
def test_from_arrays_errors(X, y, match):
    with pytest.raises(ValueError, match=match):
        from_arrays(X, y)


# --- train_test_split --------------------------------------------------------------------------


def test_split_sizes_partition_and_determinism():
    X, y = moons(n=50, seed=1)
    Xtr, Xte, ytr, yte = train_test_split(X, y, 0.2, seed=7)
    assert len(Xtr) == 40 and len(Xte) == 10 and len(ytr) == 40 and len(yte) == 10
    # the two parts are a partition of the rows, with labels kept alongside
    rows = {tuple(r) + (int(lab),) for r, lab in zip(X, y, strict=True)}
    parts = [
        tuple(r) + (int(lab),)
        for r, lab in zip(np.vstack([Xtr, Xte]), np.r_[ytr, yte], strict=True)
    ]
    assert len(parts) == len(set(parts)) == 50 and set(parts) == rows
    again = train_test_split(X, y, 0.2, seed=7)
    for a, b in zip(again, (Xtr, Xte, ytr, yte), strict=True):
        np.testing.assert_array_equal(a, b)
    other = train_test_split(X, y, 0.2, seed=8)
    assert not np.array_equal(other[1], Xte)


def test_split_zero_fraction_and_cap():
    X, y = moons(n=10)
    Xtr, Xte, ytr, yte = train_test_split(X, y, 0.0)
    assert len(Xtr) == 10 and Xte.shape == (0, 2) and len(yte) == 0
    Xtr, Xte, _, _ = train_test_split(X[:2], y[:2], 0.9)
    assert len(Xtr) == 1 and len(Xte) == 1  # one point always stays for training


@pytest.mark.parametrize("fraction", [1.0, -0.1, 1.5, "half", True, float("nan")])
def test_split_bad_fraction(fraction):
    X, y = moons(n=10)
    with pytest.raises(ValueError, match="test_fraction must"):
        train_test_split(X, y, fraction)


def test_split_mismatched_lengths():
    X, y = moons(n=10)
    with pytest.raises(ValueError, match="same number of rows"):
        train_test_split(X, y[:5], 0.2)


# --- regression sets: plane and gauss ----------------------------------------------------------


def test_regression_sets_are_their_own_registry_and_tasks_tell_them_apart():
    assert list(REGRESSION_DATASETS) == REGRESSION
    assert REGRESSION_DATASETS["plane"] is plane and REGRESSION_DATASETS["gauss"] is gauss
    assert not set(REGRESSION) & set(DATASETS)  # classification's registry is unchanged
    assert {name: task_of(name) for name in NAMES + REGRESSION} == {
        **dict.fromkeys(NAMES, "classification"),
        **dict.fromkeys(REGRESSION, "regression"),
    }
    assert TASKS == {name: task_of(name) for name in NAMES + REGRESSION}


def test_task_of_an_unknown_name_lists_every_dataset():
    allowed = "dataset must be one of 'moons'.*'blobs', 'plane', 'gauss', got 'custom'"
    with pytest.raises(ValueError, match=allowed):
        task_of("custom")


@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize("n", [2, 7, 500])
def test_regression_shapes_dtypes_and_range(name, n):
    X, y = REGRESSION_DATASETS[name](n=n, seed=3)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype == np.float64
    assert np.all(np.isfinite(X)) and np.all(np.abs(y) <= 1.0)


@pytest.mark.parametrize("name", REGRESSION)
def test_regression_targets_spread_over_the_range(name):
    X, y = REGRESSION_DATASETS[name](n=4000, noise=0.0, seed=1)
    assert np.all(np.abs(X) <= 1.0)  # clean points fill the square [-1, 1]^2
    assert y.min() < -0.9 and y.max() > 0.9
    assert len(np.unique(y)) == len(y)  # real-valued targets, not two labels


def test_plane_target_is_the_mean_of_the_coordinates():
    X, y = plane(n=300, noise=0.0, seed=2)
    np.testing.assert_allclose(y, (X[:, 0] + X[:, 1]) / 2, rtol=0, atol=1e-15)


def test_gauss_has_six_bumps_in_a_chessboard_of_signs():
    X, y = gauss(n=20000, noise=0.0, seed=0)
    centres = {(-2 / 3, 5 / 12): 1, (0, 5 / 12): -1, (2 / 3, 5 / 12): 1,
               (-2 / 3, -5 / 12): -1, (0, -5 / 12): 1, (2 / 3, -5 / 12): -1}
    for (cx, cy), sign in centres.items():
        near = np.hypot(X[:, 0] - cx, X[:, 1] - cy) < 0.05
        assert near.sum() > 5
        assert np.all(y[near] * sign > 0.95)  # within 0.05 of a centre: exp(-0.05^2 / 2 / 0.18^2)
    far = (np.abs(X[:, 0]) > 0.97) & (np.abs(X[:, 1]) > 0.97)  # the corners, far from any bump
    assert far.sum() > 5 and np.all(np.abs(y[far]) < 0.05)


def test_gauss_is_smooth_between_bumps_of_opposite_sign():
    # along the top row, from the +1 bump to the -1 bump: the target falls through 0 without a jump
    X, y = gauss(n=200000, noise=0.0, seed=4)
    row = np.abs(X[:, 1] - 5 / 12) < 0.01
    order = np.argsort(X[row, 0])
    xs, ys = X[row, 0][order], y[row][order]
    between = (xs > -2 / 3) & (xs < 0)
    steps = np.abs(np.diff(ys[between])) / np.maximum(np.diff(xs[between]), 1e-12)
    assert np.median(steps) < 10 and np.abs(np.diff(ys[between])).max() < 0.1


def test_a_regression_set_needs_two_points_for_a_split_not_two_classes():
    with pytest.raises(ValueError, match="a training and a test point"):
        plane(n=1)


def test_make_regression_and_make_dataset_keep_to_their_own_kind():
    with pytest.raises(ValueError, match="name must be one of 'plane', 'gauss', got 'moons'"):
        make_regression("moons")
    with pytest.raises(ValueError, match="name must be one of 'moons'.*'blobs', got 'plane'"):
        make_dataset("plane")


def test_regression_data_splits_like_the_rest():
    X, y = gauss(n=100, seed=0)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction=0.2, seed=0)
    assert (len(X_train), len(X_test)) == (80, 20) and y_test.dtype == np.float64


def test_plane_is_learnable_with_mse_at_the_trainers_mse_rate():
    # a sanity check of the target's scale: MLP(2, [4, 1]) tanh, full batch, rate 0.1 (mse's)
    import random

    from micrograd_widgets.nn import MLP

    X, y = plane(n=40, seed=0)
    random.seed(0)
    model = MLP(2, [4, 1], activation="tanh")
    losses = []
    for _ in range(60):
        scores = [model(row) for row in X.tolist()]
        loss = sum((s - t) * (s - t) for s, t in zip(scores, y.tolist(), strict=True)) * (1 / 40)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.1 * p.grad
        losses.append(loss.data)
    assert losses[-1] < 0.1 * float(np.var(y)) < losses[0]
