"""Input features: the same numbers on Values and arrays, real Value graphs, clear refusals."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from micrograd_widgets.engine import Value
from micrograd_widgets.graph import trace
from micrograd_widgets.nn import MLP
from micrograd_widgets.training.features import (
    DEFAULT_FEATURES,
    FEATURES,
    check_features,
    feature_array,
    feature_code,
    feature_values,
)

# What each feature is, written out here with the math module (not with the code under test).
BY_HAND = {
    "x1": lambda a, b: a,
    "x2": lambda a, b: b,
    "x1^2": lambda a, b: a * a,
    "x2^2": lambda a, b: b * b,
    "x1*x2": lambda a, b: a * b,
    "sin(x1)": lambda a, b: math.sin(a),
    "sin(x2)": lambda a, b: math.sin(b),
}


def test_the_names_are_the_designs_list_in_its_order():
    assert FEATURES == ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
    assert DEFAULT_FEATURES == ("x1", "x2")


def test_values_and_arrays_give_the_same_numbers_as_the_formulas():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.uniform(-1.5, 1.5, (200, 2)), rng.uniform(-50, 50, (20, 2))])
    F = feature_array(X, FEATURES)
    assert F.shape == (len(X), len(FEATURES)) and F.dtype == np.float64
    for i, (a, b) in enumerate(X.tolist()):
        values = [v.data for v in feature_values((a, b), FEATURES)]
        expected = [BY_HAND[name](a, b) for name in FEATURES]
        np.testing.assert_allclose(values, expected, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(F[i], values, rtol=1e-12, atol=1e-12)


def test_a_subset_keeps_the_order_of_FEATURES():
    chosen = ["sin(x2)", "x1", "x1*x2"]
    assert check_features(chosen) == ("x1", "x1*x2", "sin(x2)")
    X = np.array([[0.5, -2.0], [1.5, 0.25]])
    F = feature_array(X, chosen)
    np.testing.assert_allclose(F[:, 0], X[:, 0], rtol=0, atol=0)
    np.testing.assert_allclose(F[:, 1], X[:, 0] * X[:, 1], rtol=1e-15)
    np.testing.assert_allclose(F[:, 2], np.sin(X[:, 1]), rtol=1e-15)
    assert [v.label for v in feature_values((0.5, -2.0), chosen)] == ["x1", "x1*x2", "sin(x2)"]


def test_made_features_are_real_ops_on_the_inputs():
    x1_sq, prod, sin1 = feature_values((0.5, -2.0), ["x1^2", "x1*x2", "sin(x1)"])
    assert (x1_sq._op, x1_sq.label) == ("**2", "x1^2")
    (x1,) = x1_sq._prev
    assert (x1.label, x1.data, x1._op) == ("x1", 0.5, "")
    assert prod._op == "*" and [c.label for c in prod._prev] == ["x1", "x2"]
    assert sin1._op == "sin" and [c.label for c in sin1._prev] == ["x1"]
    # all three made from one x1 Value: the graph has a single x1 node
    graph = trace(x1_sq + prod + sin1)
    assert [n["label"] for n in graph.nodes].count("x1") == 1


def test_gradients_flow_back_to_the_point():
    x1, x2 = Value(0.7), Value(-0.4)
    sum(feature_values((x1, x2), FEATURES)).backward()
    # d/dx1 of x1 + x2 + x1^2 + x2^2 + x1*x2 + sin x1 + sin x2
    assert x1.grad == pytest.approx(1 + 2 * 0.7 + -0.4 + math.cos(0.7), rel=1e-12)
    assert x2.grad == pytest.approx(1 + 2 * -0.4 + 0.7 + math.cos(-0.4), rel=1e-12)


def test_given_values_are_used_as_they_are():
    x1 = Value(2.0, label="mine")
    out = feature_values((x1, 3.0), ["x1", "x2"])
    assert out[0] is x1 and x1.label == "mine"
    assert out[1].label == "x2" and out[1].data == 3.0


def test_a_network_over_features_shows_them_as_its_inputs():
    features = ("x1", "x2", "x1^2", "sin(x2)")
    random.seed(3)
    model = MLP(len(features), [3, 1])
    score = model(feature_values((0.25, -1.0), features))
    labels = {n["label"] for n in trace(score).nodes}
    assert {"x1", "x2", "x1^2", "sin(x2)"} <= labels
    F = feature_array([[0.25, -1.0]], features)
    assert score.data == pytest.approx(model(F[0].tolist()).data, rel=1e-12, abs=1e-12)


def test_the_code_of_each_feature_computes_the_same_on_values():
    for name, code in zip(FEATURES, feature_code(FEATURES), strict=True):
        x1, x2 = Value(0.3), Value(-1.1)
        got = eval(code, {}, {"x1": x1, "x2": x2})  # the generated script runs exactly this
        assert got.data == pytest.approx(BY_HAND[name](0.3, -1.1), rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    "features, words",
    [
        (["x3"], ["unknown feature 'x3'", "'x1', 'x2', 'x1^2'", "'sin(x2)'"]),
        (["x1**2"], ["unknown feature 'x1**2'", "did you mean 'x1^2'?"]),
        (["x1 * x2"], ["did you mean 'x1*x2'?"]),
        (["sinx1"], ["did you mean 'sin(x1)'?"]),
        ([1], ["unknown feature 1", "strings"]),
        ([["x1"]], ["unknown feature ['x1']", "a list; feature names are strings"]),
        ([], ["at least one feature"]),
        ((), ["at least one feature"]),
        (["x1", "x2", "x1"], ["'x1' 2 times"]),
        ("x1", ["got the string 'x1'", "('x1',)"]),
        (None, ["list of feature names"]),
        (7, ["list of feature names"]),
    ],
)
def test_bad_features_are_refused_saying_what_is_allowed(features, words):
    with pytest.raises(ValueError) as info:
        check_features(features)
    for word in words:
        assert word in str(info.value)
    with pytest.raises(ValueError):
        feature_array([[0.0, 0.0]], features)
    with pytest.raises(ValueError):
        feature_values((0, 0), features)


@pytest.mark.parametrize("X", [[0.0, 1.0], [[0.0, 1.0, 2.0]], [["a", "b"]], np.zeros((2, 2, 2))])
def test_feature_array_needs_rows_of_two_numbers(X):
    with pytest.raises(ValueError, match="X must"):
        feature_array(X, DEFAULT_FEATURES)


@pytest.mark.parametrize("point", [(1.0,), (1.0, 2.0, 3.0), 5.0])
def test_feature_values_needs_a_pair(point):
    with pytest.raises(ValueError, match="point must be a pair"):
        feature_values(point, DEFAULT_FEATURES)


def test_an_empty_array_has_no_rows_of_features():
    assert feature_array(np.zeros((0, 2)), FEATURES).shape == (0, len(FEATURES))
