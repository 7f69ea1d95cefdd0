"""Training math: losses against PyTorch, the SGD step against micrograd's demo loop, the numpy
forward against the scalar engine, convergence on moons, history, divergence, threads."""

import random
import threading

import micrograd.engine as mg_engine
import micrograd.nn as mg_nn
import numpy as np
import pytest

from micrograd_widgets.engine import Value
from micrograd_widgets.nn import MLP, Layer
from micrograd_widgets.training import (
    DEFAULT_LEARNING_RATE,
    DEFAULT_SCHEDULE,
    LOSSES,
    SCHEDULES,
    Diverged,
    TrainingRun,
    accuracy,
    bce,
    build_model,
    data_limits,
    dead_layer,
    decision_grid,
    evaluate,
    forward_numpy,
    hinge,
    l2_penalty,
    layer_weights,
    mse,
    scheduled_learning_rate,
    sgd_step,
)
from micrograd_widgets.training.datasets import moons
from micrograd_widgets.training.run import DEAD_CHECK_EVERY
from tests.torch_or_skip import torch

TORCH_LOSSES = {
    "hinge": lambda s, y: torch.relu(1 - y * s).mean(),
    "mse": lambda s, y: ((s - y) ** 2).mean(),
    "bce": lambda s, y: torch.nn.functional.binary_cross_entropy_with_logits(s, (y + 1) / 2),
}


def scalar_scores(model, X):
    """The scalar engine's forward, one point at a time (the reference for the numpy one)."""
    return np.array([model([float(a), float(b)]).data for a, b in np.asarray(X)])


def params_of(model):
    return np.array([p.data for p in model.parameters()])


# --- losses ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hinge", "mse", "bce"])
@pytest.mark.parametrize("seed", range(6))
def test_losses_match_torch_values_and_score_gradients(name, seed):
    rng = np.random.default_rng(seed)
    m = int(rng.integers(1, 25))
    s = rng.normal(scale=3.0, size=m)
    y = rng.choice([-1, 1], size=m)
    scores = [Value(float(v)) for v in s]
    out = LOSSES[name](scores, y)  # numpy labels are accepted
    out.backward()
    ts = torch.tensor(s, dtype=torch.float64, requires_grad=True)
    ref = TORCH_LOSSES[name](ts, torch.tensor(y, dtype=torch.float64))
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose([v.grad for v in scores], ts.grad.numpy(), rtol=1e-10, atol=1e-15)


def test_bce_is_stable_for_huge_scores():
    s = [-800.0, -40.0, 0.0, 40.0, 800.0]
    y = [1, -1, 1, 1, -1]
    scores = [Value(v) for v in s]
    out = bce(scores, y)
    out.backward()
    ts = torch.tensor(s, dtype=torch.float64, requires_grad=True)
    ref = TORCH_LOSSES["bce"](ts, torch.tensor(y, dtype=torch.float64))
    ref.backward()
    assert np.isfinite(out.data) and out.data == pytest.approx(ref.item(), rel=1e-12)
    # torch's sigmoid(40) - 1 rounds to 0; this form keeps the true -exp(-40)/5 ~ -8.5e-19
    np.testing.assert_allclose([v.grad for v in scores], ts.grad.numpy(), rtol=1e-10, atol=1e-17)


def test_hinge_is_micrograds_max_margin_loss():
    # by hand: margins 1 - y*s = 1 - 2 = -1 -> 0, 1 + 0.5 = 1.5, 1 - 0.25 = 0.75
    out = hinge([Value(2.0), Value(0.5), Value(-0.25)], [1, -1, -1])
    assert out.data == pytest.approx((0 + 1.5 + 0.75) / 3)
    assert mse([Value(0.0)], [1]).data == 1.0


@pytest.mark.parametrize("loss", [hinge, mse, bce])
def test_losses_reject_empty_or_mismatched(loss):
    with pytest.raises(ValueError, match="equal length"):
        loss([], [])
    with pytest.raises(ValueError, match="equal length"):
        loss([Value(1.0)], [1, -1])


def test_l2_penalty_matches_torch():
    w = [0.3, -1.2, 2.0, 0.0]
    params = [Value(v) for v in w]
    out = l2_penalty(params, 1e-2)
    out.backward()
    tw = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    ref = 1e-2 * (tw * tw).sum()
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-14)
    np.testing.assert_allclose([p.grad for p in params], tw.grad.numpy(), rtol=1e-14)


# --- learning-rate schedules -------------------------------------------------------------------


def test_schedules():
    assert set(SCHEDULES) == {"constant", "linear", "exponential"}
    for k in (0, 7, 500):
        assert scheduled_learning_rate("constant", 0.3, k) == 0.3
    # the demo's 1.0 - 0.9 * k / 100, held at a tenth afterwards
    for k in range(0, 100, 13):
        assert scheduled_learning_rate("linear", 1.0, k) == pytest.approx(1.0 - 0.9 * k / 100)
    assert scheduled_learning_rate("linear", 2.0, 100) == pytest.approx(0.2)
    assert scheduled_learning_rate("linear", 2.0, 1000) == pytest.approx(0.2)
    assert scheduled_learning_rate("linear", 1.0, 25, decay_steps=50) == pytest.approx(0.55)
    assert scheduled_learning_rate("exponential", 2.0, 0) == 2.0
    assert scheduled_learning_rate("exponential", 2.0, 100) == pytest.approx(0.2)
    assert scheduled_learning_rate("exponential", 2.0, 200) == pytest.approx(0.02)
    with pytest.raises(ValueError, match="schedule must be one of 'constant'"):
        scheduled_learning_rate("cosine", 1.0, 0)


# --- the SGD step ------------------------------------------------------------------------------


def demo_loop(model, value_cls, X, y, steps, alpha=1e-4):
    """micrograd's demo, written out: Value inputs, max-margin loss + L2 in the graph."""
    losses = []
    for k in range(steps):
        inputs = [list(map(value_cls, row)) for row in X.tolist()]
        scores = list(map(model, inputs))
        terms = [(1 + -yi * si).relu() for yi, si in zip(y.tolist(), scores, strict=True)]
        data_loss = sum(terms) * (1.0 / len(terms))
        total = data_loss + alpha * sum(p * p for p in model.parameters())
        model.zero_grad()
        total.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        losses.append(total.data)
    return losses


def test_sgd_step_is_micrograds_demo_step_on_micrograd_010():
    X, y = moons(n=30, seed=2)
    random.seed(1337)
    reference = mg_nn.MLP(2, [16, 16, 1])
    random.seed(1337)
    model = mg_nn.MLP(2, [16, 16, 1])
    ref_losses = demo_loop(reference, mg_engine.Value, X, y, steps=3)
    losses = [
        sgd_step(model, X, y, None, scheduled_learning_rate("linear", 1.0, k))["loss"]
        for k in range(3)
    ]
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-12)
    np.testing.assert_allclose(params_of(model), params_of(reference), rtol=1e-9, atol=1e-12)


def test_sgd_step_on_this_engine_matches_the_graph_with_l2_inside():
    X, y = moons(n=24, seed=4)
    reference = build_model((8, 8), "relu", seed=3)
    model = build_model((8, 8), "relu", seed=3)
    ref_losses = demo_loop(reference, Value, X, y, steps=4, alpha=0.01)
    losses = [
        sgd_step(model, X, y, None, 1.0 - 0.9 * k / 100, "hinge", l2=0.01)["loss"] for k in range(4)
    ]
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-12)
    np.testing.assert_allclose(params_of(model), params_of(reference), rtol=1e-9, atol=1e-12)


def test_sgd_step_reports_loss_before_update_and_batch_accuracy():
    X, y = moons(n=20, seed=0)
    model = build_model((4,), "tanh", seed=0)
    scores = [model(row) for row in X.tolist()]
    expected = mse(scores, y).data + 1e-3 * float(np.sum(params_of(model) ** 2))
    expected_acc = np.mean((np.array([s.data for s in scores]) > 0) == (y > 0))
    out = sgd_step(model, X, y, None, 0.1, "mse", l2=1e-3)
    assert out["loss"] == pytest.approx(expected, rel=1e-12)
    assert out["accuracy"] == pytest.approx(expected_acc)


def test_minibatch_step_uses_a_sample_drawn_with_rng():
    X, y = moons(n=40, seed=1)
    model = build_model((6,), "relu", seed=0)
    twin = build_model((6,), "relu", seed=0)
    idx = np.random.default_rng(9).choice(40, 8, replace=False)  # documented: without replacement
    out = sgd_step(model, X, y, 8, 0.5, "hinge", 1e-4, np.random.default_rng(9))
    ref = sgd_step(twin, X[idx], y[idx], None, 0.5, "hinge", 1e-4)
    assert out["loss"] == pytest.approx(ref["loss"], rel=1e-12)
    np.testing.assert_allclose(params_of(model), params_of(twin), rtol=1e-12)


def test_batch_size_at_least_n_is_full_batch():
    X, y = moons(n=15, seed=1)
    a, b = build_model((5,), seed=2), build_model((5,), seed=2)
    out_a = sgd_step(a, X, y, 15, 0.5)
    out_b = sgd_step(b, X, y, None, 0.5)
    assert out_a == out_b
    np.testing.assert_array_equal(params_of(a), params_of(b))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"batch_size": 0}, "batch_size must be None"),
        ({"batch_size": 2.0}, "batch_size must be None"),
        ({"learning_rate": 0}, "learning_rate must be a finite number > 0"),
        ({"learning_rate": -1.0}, "learning_rate must"),
        ({"learning_rate": float("nan")}, "learning_rate must"),
        ({"l2": -1e-3}, "l2 must be a finite number >= 0"),
        ({"loss": "hinged"}, "loss must be one of 'hinge', 'mse', 'bce'"),
    ],
)
def test_sgd_step_bad_arguments(kwargs, match):
    X, y = moons(n=10)
    with pytest.raises(ValueError, match=match):
        sgd_step(build_model((2,)), X, y, **kwargs)


def test_sgd_step_nonfinite_loss_raises_and_leaves_weights():
    X, y = moons(n=10)
    model = build_model((3,), seed=0)
    model.layers[0].neurons[0].w[0].data = float("nan")
    before = params_of(model)
    with pytest.raises(Diverged, match="the loss became nan"):
        sgd_step(model, X, y, None, 0.1, "mse")
    np.testing.assert_array_equal(params_of(model), before)  # NaN == NaN here


def test_sgd_step_overflow_becomes_diverged():
    def exploding(scores, y):
        raise OverflowError("too big")

    X, y = moons(n=10)
    with pytest.raises(Diverged, match="overflowed"):
        sgd_step(build_model((3,)), X, y, None, 0.1, exploding)


# --- vectorised forward ------------------------------------------------------------------------


@pytest.mark.parametrize("activation", ["relu", "tanh", "linear"])
@pytest.mark.parametrize("sizes", [[1], [3, 1], [16, 16, 1], [5, 4, 3, 1]])
def test_forward_numpy_equals_scalar_engine(activation, sizes):
    random.seed(len(sizes) * 10 + sizes[0])
    model = MLP(2, sizes, activation=activation)
    for p in model.parameters():  # biases too, and larger than the init's range
        p.data = random.uniform(-2, 2)
    points = np.random.default_rng(0).normal(scale=2.0, size=(200, 2))
    np.testing.assert_allclose(
        forward_numpy(model, points), scalar_scores(model, points), rtol=0, atol=1e-9
    )


def test_forward_numpy_over_a_whole_grid_equals_scalar_engine():
    # more points than one numpy block (grids are scored in blocks), not a multiple of it
    model = build_model((6, 5), "tanh", seed=3)
    gx, gy = np.meshgrid(np.linspace(-2, 3, 55), np.linspace(-1.5, 2, 47))
    points = np.column_stack([gx.ravel(), gy.ravel()])
    assert len(points) == 2585
    np.testing.assert_allclose(
        forward_numpy(model, points), scalar_scores(model, points), rtol=0, atol=1e-9
    )


def test_forward_numpy_reads_micrograd_010_models_and_layers():
    random.seed(5)
    model = mg_nn.MLP(2, [8, 8, 1])
    points = np.random.default_rng(1).uniform(-3, 3, size=(100, 2))
    np.testing.assert_allclose(
        forward_numpy(model, points), scalar_scores(model, points), atol=1e-9
    )
    layer = Layer(2, 1, activation="tanh")
    np.testing.assert_allclose(
        forward_numpy(layer, points), scalar_scores(layer, points), atol=1e-9
    )


def test_forward_numpy_follows_weight_changes():
    model = build_model((4,), seed=0)
    points = np.array([[0.5, -0.25]])
    before = forward_numpy(model, points)[0]
    model.layers[-1].neurons[0].b.data += 1.5
    assert forward_numpy(model, points)[0] == pytest.approx(before + 1.5)


def test_forward_numpy_errors():
    model = build_model((4,))
    with pytest.raises(ValueError, match=r"points must have shape \(m, 2\)"):
        forward_numpy(model, np.zeros((3, 3)))
    with pytest.raises(ValueError, match="end in one neuron"):
        forward_numpy(MLP(2, [3, 2]), np.zeros((3, 2)))
    with pytest.raises(ValueError, match="model must be an MLP or a Layer"):
        forward_numpy(object(), np.zeros((3, 2)))


def test_layer_weights_shapes_and_order():
    model = build_model((3, 4), "tanh", seed=0)
    layers = layer_weights(model)
    assert [W.shape for W, _, _ in layers] == [(3, 2), (4, 3), (1, 4)]
    assert [acts for _, _, acts in layers] == [["tanh"] * 3, ["tanh"] * 4, ["linear"]]
    flat = np.concatenate([np.c_[W, b].ravel() for W, b, _ in layers])
    np.testing.assert_array_equal(flat, params_of(model))  # w list then b, neuron by neuron


def test_decision_grid_orientation_and_values():
    model = build_model((8, 8), "relu", seed=1)
    xlim, ylim = (-1.5, 2.5), (-1.0, 1.5)
    grid = decision_grid(model, xlim, ylim, resolution=9)
    assert grid.shape == (9, 9) and grid.dtype == np.float32
    xs, ys = np.linspace(*xlim, 9), np.linspace(*ylim, 9)
    expected = np.array([[model([float(x), float(yv)]).data for x in xs] for yv in ys])
    np.testing.assert_allclose(grid, expected, rtol=1e-6, atol=1e-6)
    assert decision_grid(model, xlim, ylim).shape == (100, 100)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"resolution": 1}, "resolution must"),
        ({"resolution": 10.0}, "resolution must"),
        ({"xlim": (1, 0)}, "xlim must"),
        ({"ylim": (0, float("inf"))}, "ylim must"),
    ],
)
def test_decision_grid_errors(kwargs, match):
    args = {"xlim": (0, 1), "ylim": (0, 1), **kwargs}
    with pytest.raises(ValueError, match=match):
        decision_grid(build_model((2,)), **args)


def test_data_limits_pad_the_points():
    X = np.array([[0.0, -1.0], [2.0, 3.0]])
    assert data_limits(X, pad=0.5) == ((-0.5, 2.5), (-1.5, 3.5))


# --- evaluation --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["hinge", "mse", "bce"])
def test_evaluate_matches_scalar_loss_and_accuracy(name):
    X, y = moons(n=60, seed=3)
    model = build_model((6, 6), "tanh", seed=2)
    scores = [model(row) for row in X.tolist()]
    expected_loss = LOSSES[name](scores, y).data
    expected_acc = np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, y, strict=True)])
    loss, acc = evaluate(model, X, y, name)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert acc == pytest.approx(expected_acc)
    assert accuracy(model, X, y) == pytest.approx(expected_acc)


def test_evaluate_with_a_custom_loss_uses_the_engine():
    X, y = moons(n=20, seed=3)
    model = build_model((4,), seed=2)
    loss, _ = evaluate(model, X, y, lambda s, t: 2 * hinge(s, t))
    assert loss == pytest.approx(2 * evaluate(model, X, y, "hinge")[0], rel=1e-12)


def test_evaluate_errors():
    model = build_model((4,))
    with pytest.raises(ValueError, match="loss must be one of"):
        evaluate(model, np.zeros((2, 2)), np.array([1, -1]), "l1")
    with pytest.raises(ValueError, match="at least one point"):
        evaluate(model, np.zeros((0, 2)), np.zeros(0))


# --- models ------------------------------------------------------------------------------------


def test_build_model_is_seeded_like_the_lecture_and_restores_random_state():
    random.seed(42)
    expected = params_of(MLP(2, [16, 16, 1]))
    random.seed(99)
    before = random.random()
    random.seed(99)
    model = build_model((16, 16), "relu", seed=42)
    assert random.random() == before  # the user's random stream is untouched
    np.testing.assert_array_equal(params_of(model), expected)
    assert [n.activation for n in build_model((2,), "tanh").layers[0].neurons] == ["tanh"] * 2


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"hidden": (0,)}, "hidden must"),
        ({"hidden": (4, 2.5)}, "hidden must"),
        ({"activation": "softsign"}, "activation must be one of 'relu', 'tanh', 'sigmoid'"),
        ({"seed": -3}, "seed must"),
    ],
)
def test_build_model_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_model(**kwargs)


# --- TrainingRun -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed, test_fraction", [(0, 0.0), (1, 0.0), (2, 0.0), (3, 0.2)])
def test_moons_converges_at_default_settings(seed, test_fraction):
    run = TrainingRun.from_dataset("moons", seed=seed, test_fraction=test_fraction)
    assert run.hidden == (16, 16) and run.activation == "relu" and run.loss == "hinge"
    assert run.batch_size is None and run.l2 == 1e-4
    assert run.learning_rate == DEFAULT_LEARNING_RATE and run.schedule == DEFAULT_SCHEDULE
    while run.steps < 100 and (not run.history or run.history[-1]["accuracy"] < 0.97):
        run.step()
    # judged by the scalar engine, not by the numpy forward the history uses
    scores = scalar_scores(run.model, run.X)
    assert np.mean((scores > 0) == (run.y > 0)) >= 0.97, f"stuck after {run.steps} steps"


def small_run(**kwargs):
    args = {"n": 40, "hidden": (4,), "test_fraction": 0.25, "seed": 1, **kwargs}
    return TrainingRun.from_dataset("moons", **args)


def test_history_entries():
    run = small_run()
    assert len(run.X) == 30 and len(run.X_test) == 10
    first_scores = [run.model(row) for row in run.X.tolist()]
    first_loss = hinge(first_scores, run.y).data + 1e-4 * float(np.sum(params_of(run.model) ** 2))
    entries = run.train(3)
    assert entries == run.history and [e["step"] for e in entries] == [1, 2, 3] and run.steps == 3
    assert set(entries[0]) == {
        "step", "loss", "batch_accuracy", "train_loss", "accuracy", "test_loss",
        "test_accuracy", "learning_rate", "batch_size", "epoch",  # epoch: issue 13
    }  # fmt: skip
    assert entries[0]["loss"] == pytest.approx(first_loss, rel=1e-12)
    assert [e["learning_rate"] for e in entries] == pytest.approx([1.0, 0.991, 0.982])
    assert all(e["batch_size"] == 30 for e in entries)
    # plain Python numbers, so a printed entry reads `0.95`, not `np.float64(0.95)`
    assert all(type(v) in (int, float) for e in entries for v in e.values()), entries[0]
    # train/test numbers describe the model after the last update, computed here by the engine
    last = entries[-1]
    for X, y, loss_key, acc_key in (
        (run.X, run.y, "train_loss", "accuracy"),
        (run.X_test, run.y_test, "test_loss", "test_accuracy"),
    ):
        scores = [run.model(row) for row in X.tolist()]
        assert last[loss_key] == pytest.approx(hinge(scores, y).data, rel=1e-12)
        assert last[acc_key] == pytest.approx(
            np.mean([(s.data > 0) == (t > 0) for s, t in zip(scores, y, strict=True)])
        )


def test_no_test_set_gives_none():
    run = small_run(test_fraction=0.0)
    entry = run.step()
    assert entry["test_loss"] is None and entry["test_accuracy"] is None


def test_mid_run_changes_apply_from_the_next_step():
    run = small_run(schedule="constant", learning_rate=0.3)
    run.train(2)
    run.learning_rate = 0.05
    run.batch_size = 8
    run.step()
    run.batch_size = 1000  # larger than the training set: full batch
    run.l2 = 0.0
    run.step()
    assert [e["learning_rate"] for e in run.history] == [0.3, 0.3, 0.05, 0.05]
    assert [e["batch_size"] for e in run.history] == [30, 30, 8, 30]
    assert run.current_learning_rate() == 0.05


def test_a_new_learning_rate_restarts_the_schedule_from_that_step():
    run = small_run(learning_rate=1.0)  # linear: 1.0 down to 0.1 over 100 steps
    run.train(120)
    assert run.history[-1]["learning_rate"] == pytest.approx(0.1)
    run.learning_rate = 10.0  # "now watch it diverge": the next step really uses 10
    run.train(2)
    assert [e["learning_rate"] for e in run.history[-2:]] == pytest.approx([10.0, 9.91])
    run.reset()
    assert run.current_learning_rate() == 10.0


def test_a_diverged_step_leaves_the_weights_as_they_were():
    run = small_run(n=20, learning_rate=0.1, schedule="constant", test_fraction=0.0)
    run.train(1)
    weights = [p.data for p in run.model.parameters()]
    run.learning_rate = 1e12
    with pytest.raises(Diverged):
        run.step()
    assert [p.data for p in run.model.parameters()] == weights


def test_dead_layer_finds_a_layer_that_outputs_zero_everywhere():
    X, _ = moons(n=30, seed=1)
    model = build_model((4, 3), "relu", seed=0)
    assert dead_layer(model, X) is None
    for neuron in model.layers[1].neurons:  # biases far below anything w.x reaches
        neuron.b.data = -100.0
    assert dead_layer(model, X) == 1
    model.layers[1].neurons[2].b.data = 100.0  # one neuron alive: gradient flows again
    assert dead_layer(model, X) is None
    assert dead_layer(build_model((4,), "tanh", seed=0), X) is None


def test_a_run_notes_when_its_network_dies():
    run = small_run(learning_rate=0.1)
    for neuron in run.model.layers[0].neurons:
        neuron.b.data = -1e3
    run.train(DEAD_CHECK_EVERY)
    assert run.stuck is not None and "hidden layer 0" in run.stuck
    run.reset()
    assert run.stuck is None


def test_setters_validate():
    run = small_run()
    for attr, bad, match in [
        ("learning_rate", 0.0, "learning_rate must"),
        ("learning_rate", "fast", "learning_rate must"),
        ("batch_size", 0, "batch_size must"),
        ("batch_size", "full", "batch_size must"),
        ("l2", -1.0, "l2 must"),
    ]:
        with pytest.raises(ValueError, match=match):
            setattr(run, attr, bad)
    assert run.learning_rate == DEFAULT_LEARNING_RATE and run.batch_size is None


def test_minibatch_runs_are_seeded_and_learn():
    a = small_run(
        batch_size=5, hidden=(8, 8), test_fraction=0.0, schedule="constant", learning_rate=0.1
    )
    b = small_run(
        batch_size=5, hidden=(8, 8), test_fraction=0.0, schedule="constant", learning_rate=0.1
    )
    a.train(60)
    b.train(60)
    assert a.history == b.history
    assert all(e["batch_size"] == 5 for e in a.history)
    # different minibatches each step: the batch losses are not the full-batch ones
    assert any(e["loss"] != pytest.approx(e["train_loss"], rel=1e-3) for e in a.history[1:])
    assert a.history[-1]["train_loss"] < 0.7 * a.history[0]["train_loss"]
    c = small_run(batch_size=5, hidden=(8, 8), test_fraction=0.0, seed=2)
    c.train(3)
    assert [e["loss"] for e in c.history] != [e["loss"] for e in a.history[:3]]


def test_reset_restores_the_initial_model_and_clears_history():
    run = small_run()
    initial = params_of(run.model)
    run.train(3)
    assert not np.array_equal(params_of(run.model), initial)
    run.reset()
    assert run.steps == 0 and run.history == [] and run.diverged is None
    np.testing.assert_array_equal(params_of(run.model), initial)
    run.reset(seed=7)
    assert run.seed == 7 and not np.array_equal(params_of(run.model), initial)


def test_divergence_is_flagged_not_silently_nan():
    run = small_run(n=20, learning_rate=1e12, schedule="constant", test_fraction=0.0)
    with pytest.raises(Diverged) as info:
        run.train(300)
    assert "diverged at step" in str(info.value) and info.value.step == run.steps + 1
    assert run.diverged is not None and "learning rate 1e+12" in run.diverged
    assert all(np.isfinite([e["loss"], e["train_loss"], e["accuracy"]]).all() for e in run.history)
    with pytest.raises(Diverged, match="reset"):
        run.step()
    run.reset()
    run.learning_rate = 0.1
    assert np.isfinite(run.step()["loss"])


def test_mse_at_the_sliders_top_learning_rate_diverges_cleanly():
    run = TrainingRun.from_dataset(
        "moons", n=40, hidden=(4,), loss="mse", learning_rate=10.0, schedule="constant", seed=0
    )
    with pytest.raises(Diverged):
        run.train(100)
    assert run.diverged


def test_an_exploding_but_finite_loss_counts_as_divergence():
    run = TrainingRun.from_dataset("moons", n=40, loss="mse", learning_rate=0.3, seed=0)
    with pytest.raises(Diverged, match="exploded to .* from 1.4"):
        run.train(60)
    assert all(e["train_loss"] < 1e6 * run.initial_loss for e in run.history)


def test_large_scale_user_data_is_not_mistaken_for_divergence():
    X, y = moons(n=20, seed=0)
    run = TrainingRun(1e5 * X, y, hidden=(4,), loss="mse", learning_rate=1e-13)
    assert run.initial_loss > 1e6
    run.train(3)
    assert run.diverged is None


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"loss": "l1"}, "loss must be one of 'hinge', 'mse', 'bce'"),
        ({"schedule": "cosine"}, "schedule must be one of"),
        ({"decay_steps": 0}, "decay_steps must"),
        ({"activation": "gelu"}, "activation must"),
        ({"hidden": (-1,)}, "hidden must"),
        ({"learning_rate": -0.1}, "learning_rate must"),
        ({"batch_size": -4}, "batch_size must"),
        ({"l2": float("inf")}, "l2 must"),
        ({"seed": "zero"}, "seed must"),
    ],
)
def test_training_run_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        small_run(**kwargs)


def test_training_run_data_checks():
    X, y = moons(n=10)
    with pytest.raises(ValueError, match="given together"):
        TrainingRun(X, y, X_test=X)
    with pytest.raises(ValueError, match=r"X_test must be finite numbers of shape \(m, 2\)"):
        TrainingRun(X, y, np.zeros((3, 3)), np.ones(3))
    with pytest.raises(ValueError, match="y_test must be 3 labels"):
        TrainingRun(X, y, np.zeros((3, 2)), np.array([1, 2, 1]))
    with pytest.raises(ValueError, match="dataset|name must be one of"):
        TrainingRun.from_dataset("moonz")
    with pytest.raises(ValueError, match="steps must"):
        TrainingRun(X, y).train(-1)
    run = TrainingRun(X, np.where(y > 0, "yes", "no"), hidden=(2,))  # user labels are mapped
    assert set(run.y.tolist()) == {-1, 1}


def test_background_thread_steps_while_settings_change_and_reset():
    run = small_run(hidden=(4,), schedule="constant", learning_rate=0.2, test_fraction=0.0)
    stop = threading.Event()
    errors = []

    def loop():
        try:
            while not stop.is_set():
                run.step()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    worker = threading.Thread(target=loop)
    worker.start()
    try:
        for lr, bs in [(0.1, 4), (0.05, None), (0.3, 2)]:
            while run.steps < 5:
                stop.wait(0.001)
            run.learning_rate, run.batch_size = lr, bs
            run.reset()  # from this thread, while the worker is stepping
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive() and not errors
    steps = [e["step"] for e in run.history]
    assert steps == list(range(1, len(steps) + 1))  # one clean history since the last reset
    assert all(e["learning_rate"] == 0.3 and e["batch_size"] == 2 for e in run.history)


def test_a_hidden_layer_of_one_neuron_trains_on_both_engines():
    # a Layer of one neuron returns a lone Value; the next layer takes it as its one input
    for engine in ("micrograd", "numpy"):
        run = small_run(hidden=(1, 1), engine=engine, learning_rate=0.1)
        run.train(3)
        assert run.steps == 3 and len(run.model.layers[1].neurons[0].w) == 1
