"""Weights by place: the right Value, a changed score, words for the tip, clear refusals."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from micrograd_widgets.nn import MLP
from micrograd_widgets.training.features import feature_values
from micrograd_widgets.training.weights import describe_weight, set_weight, weight_at

FEATURES = ("x1", "x2", "x1^2")


@pytest.fixture
def model() -> MLP:
    random.seed(0)
    return MLP(3, [4, 2, 1], activation="tanh")


def test_the_place_names_the_models_own_parameter(model):
    assert weight_at(model, 0, 3, 2) is model.layers[0].neurons[3].w[2]
    assert weight_at(model, 1, 1, "b") is model.layers[1].neurons[1].b
    assert weight_at(model, 2, 0, 1) is model.layers[2].neurons[0].w[1]  # the output neuron


def test_setting_a_weight_changes_the_next_score_as_computed_by_hand(model):
    point = (0.5, -0.25)
    before = model(feature_values(point, FEATURES)).data
    out = model.layers[2].neurons[0]
    hidden = [v.data for v in model.layers[1](model.layers[0](feature_values(point, FEATURES)))]
    was = out.w[1].data
    old = set_weight(model, 2, 0, 1, 2.5)
    assert old == was and out.w[1].data == 2.5
    after = model(feature_values(point, FEATURES)).data
    # the output is linear: only the term w1 * hidden[1] changed
    assert after - before == pytest.approx((2.5 - old) * hidden[1], rel=1e-12, abs=1e-15)


def test_set_weight_returns_the_old_value_and_accepts_numpy_numbers(model):
    w = model.layers[0].neurons[0].w[0]
    old = w.data
    assert set_weight(model, 0, 0, 0, np.float32(0.25)) == old
    assert w.data == 0.25 and type(w.data) is float
    assert set_weight(model, 0, 0, np.int64(0), -1) == 0.25 and w.data == -1.0


def test_a_bias_can_be_set(model):
    set_weight(model, 1, 0, "b", -0.75)
    assert model.layers[1].neurons[0].b.data == -0.75


def test_descriptions_name_features_and_neurons(model):
    model.layers[0].neurons[3].w[2].data = 0.53124
    assert describe_weight(model, 0, 3, 2, FEATURES) == "layer 0, neuron 3: w2 (from x1^2) = 0.5312"
    model.layers[1].neurons[1].w[3].data = -2.0
    assert describe_weight(model, 1, 1, 3) == "layer 1, neuron 1: w3 (from layer 0, neuron 3) = -2"
    model.layers[2].neurons[0].b.data = 0.1
    assert describe_weight(model, 2, 0, "b") == "layer 2, neuron 0: bias b = 0.1"
    assert describe_weight(model, 0, 0, 1).startswith("layer 0, neuron 0: w1 (from x2)")


@pytest.mark.parametrize(
    "place, words",
    [
        ((3, 0, 0), "layer must be an integer from 0 to 2, got 3"),
        ((-1, 0, 0), "layer must be an integer from 0 to 2"),
        ((0, 4, 0), "neuron must be an integer from 0 to 3 in layer 0, got 4"),
        ((1, 0, 4), "input must be an integer from 0 to 3 of neuron 0 in layer 1, got 4"),
        ((0, 0, 3), "input must be an integer from 0 to 2"),
        ((0, 0, "bias"), "input must be an input index or 'b'"),
        ((0, True, 0), "neuron must be an integer"),
        ((0.0, 0, 0), "layer must be an integer"),
    ],
)
def test_a_place_outside_the_model_is_refused_by_name(model, place, words):
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError) as info:
        set_weight(model, *place, 1.0)
    assert words in str(info.value)
    assert [p.data for p in model.parameters()] == before  # nothing changed


@pytest.mark.parametrize("value", [math.nan, math.inf, "1", None, True])
def test_a_bad_value_is_refused_and_nothing_changes(model, value):
    before = model.layers[0].neurons[0].w[0].data
    with pytest.raises(ValueError, match="value must be a finite number"):
        set_weight(model, 0, 0, 0, value)
    assert model.layers[0].neurons[0].w[0].data == before


def test_only_an_mlp():
    with pytest.raises(TypeError, match="model must be a micrograd_widgets.nn.MLP"):
        weight_at([1, 2], 0, 0, 0)
