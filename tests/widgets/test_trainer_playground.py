"""Issue 13 on the Python side: features, regression, L1, set_weight, settings, to_code, the
neuron maps and the page's messages (called as the page sends them)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from micrograd_widgets import TrainerWidget
from micrograd_widgets.training.features import feature_array
from micrograd_widgets.training.numpy_engine import forward, grid_points, hidden_outputs
from micrograd_widgets.training.page_settings import config
from tests.training.test_codegen import run_script


def send(w: TrainerWidget, **content) -> None:
    w._on_message(w, content, [])


def params(w: TrainerWidget) -> np.ndarray:
    return np.array([p.data for p in w.model.parameters()])


# -- features ----------------------------------------------------------------------------------


def test_features_change_the_input_layer_and_the_neuron_graph():
    w = TrainerWidget(hidden=(3,), seed=1)
    assert w.layer_sizes[0] == 2 and len(w.model.layers[0].neurons[0].w) == 2
    w.features = ["sin(x2)", "x1", "x1^2"]  # stored in FEATURES order
    assert w.features == ["x1", "x1^2", "sin(x2)"]
    assert w.layer_sizes == [3, 3, 1] and len(w.model.layers[0].neurons[0].w) == 3
    assert w.status_kind == "reset" and w.step_count == 0
    data = w.neuron_graph_data(0, 0, (0.5, -0.25))
    by_label = dict(zip(data["label"], data["data"], strict=True))
    assert {"x1", "x2", "x1^2", "sin(x2)"} <= set(by_label)  # real ops: x1 ** 2, x2.sin()
    assert by_label["x1^2"] == pytest.approx(0.25)
    assert by_label["sin(x2)"] == pytest.approx(np.sin(-0.25))
    w.step(2)  # trains on the feature columns
    assert w.history[-1]["step"] == 2
    with pytest.raises(ValueError, match="features"):
        w.features = ["x3"]


def test_the_map_scores_the_feature_columns():
    w = TrainerWidget(features=("x1", "x2", "x1*x2"), hidden=(4,), engine="numpy")
    w.step(5)
    grid = np.frombuffer(w.grid, dtype="<f4").reshape(w.resolution, w.resolution)
    x0, x1, y0, y1 = w.extent
    pts = grid_points((x0, x1), (y0, y1), w.resolution)
    expected = forward(w.run.weights(), feature_array(pts, w.features))
    np.testing.assert_allclose(grid.ravel(), expected, rtol=1e-5, atol=1e-6)


# -- neuron maps ---------------------------------------------------------------------------------


def test_neuron_maps_are_each_hidden_neurons_output_as_uint8():
    w = TrainerWidget(hidden=(3, 2), activation="tanh", engine="numpy")
    w.step(3)
    r = w.neuron_resolution
    maps = np.frombuffer(w.neuron_maps, dtype=np.uint8).reshape(5, r, r)
    x0, x1, y0, y1 = w.extent
    outs = hidden_outputs(w.run.weights(), grid_points((x0, x1), (y0, y1), r))
    neuron_1_2 = outs[1][:, 1].reshape(r, r)  # layer 1, neuron 1: the last map
    np.testing.assert_array_equal(maps[4], np.rint((np.clip(neuron_1_2, -1, 1) + 1) * 127.5))
    before = bytes(w.neuron_maps)
    w.step(20)
    assert w.neuron_maps != before


def test_neuron_maps_are_cheap_for_six_layers_of_32():
    from micrograd_widgets.training.snapshot import neuron_maps

    w = TrainerWidget(hidden=(32,) * 6, engine="numpy", n=20)
    layers, lim = w.run.weights(), ((-2.0, 2.0), (-2.0, 2.0))
    start = time.perf_counter()
    for _ in range(20):
        out = neuron_maps(layers, w.features, *lim)
    per_update = (time.perf_counter() - start) / 20
    assert len(out) == 6 * 32 * w.neuron_resolution**2
    assert per_update < 0.01  # a fifth of the 50 ms between page updates (measured ~1 ms)


# -- regression ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dataset", ["plane", "gauss"])
def test_regression_datasets_train_and_their_loss_falls(dataset):
    w = TrainerWidget(dataset=dataset, hidden=(8, 8), activation="tanh", engine="numpy",
                      schedule="constant", n=120)
    assert w.task == "regression" and w.loss == "mse" and w.learning_rate == 0.1
    assert w.config["tasks"][dataset] == "regression"
    labels = w.points["label"]
    assert any(v not in (-1, 1) for v in labels)  # float targets go to the page
    w.step(300)
    h = w.history
    assert h[-1]["train_loss"] < 0.5 * h[0]["train_loss"]
    assert h[-1]["accuracy"] is None and h[-1]["r2"] > 0.3 and "test_r2" in w.metrics
    curves = np.frombuffer(w.curves, dtype="<f4").reshape(-1, 5)
    assert curves[-1, 3] == pytest.approx(h[-1]["r2"], rel=1e-5)


def test_a_regression_dataset_keeps_mse():
    w = TrainerWidget(hidden=(4,))
    w.dataset = "plane"
    assert w.loss == "mse" and w.task == "regression" and w.learning_rate == 0.1
    w.loss = "hinge"
    assert w.loss == "mse" and w.status_kind == "error"
    send(w, type="add_points", points=[[0.1, 0.1, 1]])
    assert w.status_kind == "error" and "classification" in w.status and len(w.X) == 80


# -- L1 ------------------------------------------------------------------------------------------


def test_l1_shrinks_weights_toward_zero_more_than_l2_at_the_same_rate():
    kw = dict(hidden=(8, 8), engine="numpy", batch_size=None)
    l1, l2 = TrainerWidget(l1=0.03, l2=0.0, **kw), TrainerWidget(l1=0.0, l2=0.03, **kw)
    l1.step(100)
    l2.step(100)
    w1, w2 = params(l1), params(l2)
    assert np.count_nonzero(w1 == 0) > 10 and np.count_nonzero(w2 == 0) == 0
    assert np.abs(w1).mean() < np.abs(w2).mean()
    assert config()["l1_choices"][0] == 0 and "l1" in config()["controls"]


def test_l1_keeps_the_engines_parity():
    kw = dict(hidden=(4, 4), l1=0.01, n=40, seed=3)
    a, b = TrainerWidget(engine="micrograd", **kw), TrainerWidget(engine="numpy", **kw)
    a.step(20)
    b.step(20)
    np.testing.assert_allclose(params(a), params(b), rtol=0, atol=1e-9)
    assert [h["loss"] for h in a.history] == pytest.approx([h["loss"] for h in b.history], 1e-9)


# -- set_weight, settings, to_code --------------------------------------------------------------


@pytest.mark.parametrize("engine", ["micrograd", "numpy"])
def test_set_weight_changes_the_model_and_the_next_score(engine):
    w = TrainerWidget(hidden=(4,), engine=engine, learning_rate=1e-4, schedule="constant")
    w.step(1)
    x = w.X[:1]
    before = forward(w.run.weights(), x)[0]
    out = w.model.layers[1].neurons[0]
    old = w.set_weight(1, 0, "b", out.b.data + 2.0)
    assert w.model.layers[1].neurons[0].b.data == old + 2.0
    assert forward(w.run.weights(), x)[0] == pytest.approx(before + 2.0)
    w.step(1)  # trains on from the new value
    assert abs(w.model.layers[1].neurons[0].b.data - (old + 2.0)) < 0.01
    send(w, type="set_weight", layer=0, neuron=1, input=0, value=0.75)
    assert w.model.layers[0].neurons[1].w[0].data == 0.75
    send(w, type="set_weight", layer=0, neuron=1, input=0, value="nan")
    assert w.status_kind == "error" and w.model.layers[0].neurons[1].w[0].data == 0.75


def test_settings_round_trip_to_an_identical_history():
    w = TrainerWidget(dataset="circles", hidden=(5, 3), activation="tanh", features=(
        "x1", "x2", "x1^2", "x2^2"), l1=1e-3, l2=0.0, batch_size=16, seed=7, n=60)
    w.step(20)
    again = TrainerWidget(**w.settings)
    again.step(20)
    assert again.history == w.history
    assert again.settings == w.settings


def test_to_code_prints_the_trainers_scores_in_a_fresh_interpreter(tmp_path):
    w = TrainerWidget(features=("x1", "x2", "x1*x2", "sin(x1)"), hidden=(6,), activation="tanh",
                      engine="numpy")
    w.step(30)
    points = np.concatenate([w.X[:4], w.X_test[:2]])
    rows = run_script(w.to_code(points), tmp_path)
    scores = forward(w.run.weights(), feature_array(points, w.features))
    assert len(rows) == 6
    for (x1, x2, got), p, want in zip(rows, points, scores, strict=True):
        assert (x1, x2) == pytest.approx(tuple(p), abs=0)
        assert got == pytest.approx(want, rel=1e-12, abs=1e-12)


# -- drawing points ------------------------------------------------------------------------------


def test_add_and_erase_points_while_training_keep_a_test_split():
    w = TrainerWidget(hidden=(4,), test_fraction=0.5, engine="numpy")
    n_train, n_test = len(w.X), len(w.X_test)
    new = [[3.0 + 0.01 * k, 3.0, 1 if k % 2 else -1] for k in range(40)]
    w.play()
    try:
        send(w, type="add_points", points=new)
    finally:
        w.pause()
    assert w.dataset == "custom" and w.has_custom
    assert len(w.X) + len(w.X_test) == n_train + n_test + 40
    assert len(w.X) > n_train and len(w.X_test) > n_test  # both got some of the 40
    assert len(w.points["x"]) == n_train + n_test + 40
    steps = w.step_count
    w.step(2)
    assert w.step_count == steps + 2  # the same model trains on
    send(w, type="erase_points", x=3.2, y=3.0, radius=0.5)
    assert len(w.X) + len(w.X_test) == n_train + n_test
    send(w, type="add_points", points=[[0, 0, 2]])
    assert w.status_kind == "error" and "label" in w.status
    again = TrainerWidget(**w.settings)  # the drawn data, read back
    assert len(again.X) + len(again.X_test) == n_train + n_test


def test_config_and_hide_cover_the_new_controls():
    c = config()
    assert "sigmoid" in c["activations"] and {"plane", "gauss"} <= set(c["datasets"])
    assert c["features"][:2] == ["x1", "x2"] and len(c["features"]) == 7
    w = TrainerWidget(hide=["features", "l1", "show_test", "discretize", "pens", "engine"],
                      show_test=True, discretize=True, activation="sigmoid")
    assert w.show_test and w.discretize and w.hide[0] == "features"
    w.step(2)
    assert w.metrics["epoch"] == 2.0


def test_settings_round_trip_with_your_own_points():
    X = np.random.default_rng(5).normal(size=(40, 2))
    y = np.where(X[:, 0] * X[:, 1] > 0, 1, -1)
    w = TrainerWidget(X=X, y=y, hidden=(4,), features=("x1", "x2", "x1*x2"), seed=2)
    w.step(20)
    again = TrainerWidget(**w.settings)
    again.step(20)
    assert again.dataset == "custom" and again.history == w.history


def test_the_envelope_counts_the_input_features():
    from micrograd_widgets.training.features import FEATURES

    two = TrainerWidget(hidden=(8,), engine="numpy").run.cost(engine="micrograd")
    seven = TrainerWidget(hidden=(8,), features=FEATURES, engine="numpy").run.cost(
        engine="micrograd")
    # each point's first layer has 8 x 7 products instead of 8 x 2
    assert seven.values > two.values * 1.5


def test_a_regression_map_colours_the_value_itself():
    from micrograd_widgets.training.picture import NEGATIVE, POSITIVE, SATURATION, score_colors

    grid = np.array([[-3.0, -0.5, 0.0, 0.5, 3.0]])
    rgb = score_colors(grid, regression=True)[0].astype(float)
    full_pos = np.round(255 + (np.array(POSITIVE) - 255) * SATURATION)
    half_neg = np.round(255 + (np.array(NEGATIVE) - 255) * 0.5 * SATURATION)
    np.testing.assert_array_equal(rgb[4], full_pos)  # clipped at 1, not tanh(3)
    np.testing.assert_array_equal(rgb[1], half_neg)  # -0.5 is half way, not tanh(-0.5)
    assert rgb[2].tolist() == [255, 255, 255]
    w = TrainerWidget(dataset="gauss", hidden=(4,), engine="numpy")
    w.step(3)
    assert w.snapshot_png()[:4] == b"\x89PNG"
    fig = w.figure()
    assert [ax.get_title() for ax in fig.axes][1:3] == ["R^2", "prediction, step 3"]
