"""The numpy engine against the scalar one: the same losses for 20 steps, the same gradients for
every parameter, switching mid-run, and the Values kept in step with the arrays.

The reference is always the micrograd engine (Value.backward on the real graph), run on the
same data, seed and batches; PyTorch checks the gradients once more, independently."""

from __future__ import annotations

import numpy as np
import pytest

from micrograd_widgets.training import (
    LOSSES,
    TrainingRun,
    build_model,
    forward_numpy,
)
from micrograd_widgets.training.datasets import moons, spiral
from micrograd_widgets.training.numpy_engine import Network
from micrograd_widgets.training.scoring import _layer_shapes, _ordered_parameters
from tests.torch_or_skip import torch

ACTIVATIONS = ["relu", "tanh", "linear"]
RATES = {"hinge": 0.5, "bce": 0.5, "mse": 0.05}


def twin_runs(activation: str, loss: str, batch_size: int | None, **kwargs):
    X, y = moons(n=60, noise=0.15, seed=4)
    args = dict(
        hidden=(8, 6), activation=activation, loss=loss, learning_rate=RATES[loss],
        batch_size=batch_size, l2=1e-3, seed=2, **kwargs,
    )
    return (
        TrainingRun(X[:48], y[:48], X[48:], y[48:], engine="micrograd", **args),
        TrainingRun(X[:48], y[:48], X[48:], y[48:], engine="numpy", **args),
    )


@pytest.mark.parametrize("batch_size", [None, 16])
@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_twenty_steps_give_the_same_losses_on_both_engines(activation, loss, batch_size):
    scalar, array = twin_runs(activation, loss, batch_size)
    a = scalar.train(20)
    b = array.train(20)
    for key in ("loss", "train_loss", "test_loss", "accuracy", "test_accuracy"):
        np.testing.assert_allclose(
            [e[key] for e in b], [e[key] for e in a], rtol=1e-9, atol=1e-12, err_msg=key
        )
    assert [e["batch_size"] for e in a] == [e["batch_size"] for e in b]
    assert [e["learning_rate"] for e in a] == [e["learning_rate"] for e in b]
    # the numpy weights, written back into the Values, are micrograd's weights
    np.testing.assert_allclose(
        [p.data for p in array.model.parameters()],
        [p.data for p in scalar.model.parameters()],
        rtol=1e-9, atol=1e-12,
    )


@pytest.mark.parametrize("loss", list(LOSSES))
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_one_numpy_backward_gives_every_parameters_grad(activation, loss):
    X, y = spiral(n=40, seed=1)
    model = build_model((5, 7), activation, seed=3)
    for p in model.parameters():  # biases away from 0 too
        p.data += 0.1
    scores = [model(row) for row in X.tolist()]
    data_loss = LOSSES[loss](scores, y)
    model.zero_grad()
    data_loss.backward()
    net = Network(
        np.array([p.data for p in _ordered_parameters(model)]), _layer_shapes(model)
    )
    value, s = net.gradients(X, y.astype(float), loss)
    assert value == pytest.approx(data_loss.data, rel=1e-12)
    np.testing.assert_allclose(s, [v.data for v in scores], rtol=1e-12, atol=1e-14)
    expected = [p.grad for p in _ordered_parameters(model)]
    np.testing.assert_allclose(net.grad, expected, rtol=1e-9, atol=1e-13)
    # and against PyTorch, on the same weights
    tensors = [
        (torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True), acts)
        for W, b, acts in net.layers
    ]
    A = torch.tensor(X)
    for W, b, acts in tensors:
        Z = A @ W.T + b
        A = {"relu": torch.relu, "tanh": torch.tanh, "linear": lambda z: z}[acts[0]](Z)
    st, yt = A[:, 0], torch.tensor(y, dtype=torch.float64)
    ref = {
        "hinge": lambda: torch.relu(1 - yt * st).mean(),
        "mse": lambda: ((st - yt) ** 2).mean(),
        "bce": lambda: torch.nn.functional.binary_cross_entropy_with_logits(st, (yt + 1) / 2),
    }[loss]()
    ref.backward()
    torch_grad = np.concatenate(
        [np.c_[W.grad.numpy(), b.grad.numpy()].ravel() for W, b, _ in tensors]
    )
    np.testing.assert_allclose(net.grad, torch_grad, rtol=1e-9, atol=1e-13)


def test_switching_engines_mid_run_keeps_weights_step_count_and_numbers():
    scalar, mixed = twin_runs("tanh", "hinge", 16)
    scalar.train(15)
    mixed.train(5)
    mixed.engine = "numpy"
    mixed.train(5)
    mixed.engine = "micrograd"
    mixed.train(5)
    assert mixed.steps == 15 and [e["step"] for e in mixed.history] == list(range(1, 16))
    np.testing.assert_allclose(
        [e["loss"] for e in mixed.history], [e["loss"] for e in scalar.history], rtol=1e-9
    )
    np.testing.assert_allclose(
        [p.data for p in mixed.model.parameters()],
        [p.data for p in scalar.model.parameters()],
        rtol=1e-9,
    )


def test_reading_the_model_writes_the_weights_back_and_edits_are_trained_on():
    _, run = twin_runs("relu", "hinge", None)
    run.train(3)
    model = run.model
    np.testing.assert_allclose(
        forward_numpy(model, run.X), [model(list(r)).data for r in run.X], atol=1e-12
    )
    scores = forward_numpy(model, run.X)
    # the history's accuracy is what the model (the Values) gets now
    assert np.mean((scores > 0) == (run.y > 0)) == pytest.approx(run.history[-1]["accuracy"])
    # a weight edited in the Values is what the next numpy step starts from
    model.layers[-1].neurons[0].b.data = 50.0
    run.step()
    assert run.model.layers[-1].neurons[0].b.data == pytest.approx(50.0, abs=1.0)


def test_weights_are_a_copy_of_the_arrays():
    _, run = twin_runs("relu", "mse", None)
    run.train(2)
    layers = run.weights()
    before = layers[0][0].copy()
    run.train(2)
    np.testing.assert_array_equal(layers[0][0], before)
    assert not np.array_equal(run.weights()[0][0], before)


def test_history_stays_bounded_and_keeps_its_first_and_latest_steps(monkeypatch):
    import micrograd_widgets.training.run as training

    monkeypatch.setattr(training, "HISTORY_LIMIT", 100)
    _, run = twin_runs("tanh", "hinge", 4)
    run.train(1000)
    steps = [e["step"] for e in run.history]
    assert len(steps) <= 100 and steps[0] == 1 and steps[-1] == 1000
    assert steps[-50:] == list(range(951, 1001))  # the latest half untouched
    assert steps == sorted(steps) and len(set(steps)) == len(steps)
    assert run.steps == 1000
