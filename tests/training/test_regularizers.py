"""L1 and L2 penalties: graphs against PyTorch, arrays against Values, what each does to weights."""

from __future__ import annotations

import random

import numpy as np
import pytest

from micrograd_widgets.engine import Value
from micrograd_widgets.nn import MLP
from micrograd_widgets.training.datasets import moons
from micrograd_widgets.training.regularizers import (
    check_strength,
    l1_penalty,
    l2_penalty,
    penalty,
    penalty_gradient,
    sgd_update,
    sgd_update_values,
)
from tests.torch_or_skip import torch

WEIGHTS = [0.75, -0.2, 0.0, 1e-9, -3.5, 0.4]


@pytest.mark.parametrize("alpha", [0.0, 1e-3, 0.5])
def test_penalty_graphs_match_torch_values_and_gradients(alpha):
    for build, torch_term in [
        (l1_penalty, lambda t: alpha * t.abs().sum()),
        (l2_penalty, lambda t: alpha * (t * t).sum()),
    ]:
        params = [Value(w) for w in WEIGHTS]
        out = build(params, alpha)
        out.backward()
        t = torch.tensor(WEIGHTS, dtype=torch.float64, requires_grad=True)
        tout = torch_term(t)
        tout.backward()
        assert out.data == pytest.approx(tout.item(), rel=1e-15, abs=1e-18)
        assert [p.grad for p in params] == pytest.approx(t.grad.tolist(), rel=1e-15, abs=1e-18)


def test_the_l1_slope_at_zero_is_zero_like_torch_abs():
    w = Value(0.0)
    l1_penalty([w], 1.0).backward()
    assert w.grad == 0


@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.01, 0.0), (0.0, 0.02), (0.3, 0.05)])
def test_numbers_agree_with_the_graphs(l1, l2):
    params = [Value(w) for w in WEIGHTS]
    total = l1_penalty(params, l1) + l2_penalty(params, l2)
    total.backward()
    arrays = [np.array(WEIGHTS[:2]), np.array([WEIGHTS[2:]])]  # any shapes, e.g. one per layer
    assert penalty(arrays, l1, l2) == pytest.approx(total.data, rel=1e-14, abs=1e-18)
    assert penalty(WEIGHTS, l1, l2) == pytest.approx(total.data, rel=1e-14, abs=1e-18)
    np.testing.assert_allclose(
        penalty_gradient(np.array(WEIGHTS), l1, l2), [p.grad for p in params], rtol=1e-15
    )
    assert [penalty_gradient(w, l1, l2) for w in WEIGHTS] == pytest.approx(
        [p.grad for p in params], rel=1e-15, abs=1e-18
    )


@pytest.mark.parametrize("l1, l2", [(0.0, 0.0), (0.05, 0.0), (0.0, 0.05), (0.2, 1e-3)])
def test_the_array_step_and_the_value_step_are_the_same_numbers(l1, l2):
    rng = np.random.default_rng(0)
    w = np.concatenate([rng.normal(0, 1, 300), rng.normal(0, 0.01, 100), [0.0, -0.0]])
    g = rng.normal(0, 1, len(w))
    params = [Value(float(x)) for x in w]
    for p, gi in zip(params, g, strict=True):
        p.grad = float(gi)
    sgd_update_values(params, 0.1, l1, l2)
    new = sgd_update(w, g, 0.1, l1, l2)
    assert [p.data for p in params] == new.tolist()  # exactly equal, not just close


def test_without_l1_the_step_is_the_trainers_update_today():
    rng = np.random.default_rng(1)
    w, g = rng.normal(size=50), rng.normal(size=50)
    pairs = zip(w.tolist(), g.tolist(), strict=True)
    expected = [wi - 0.3 * (gi + 2.0 * 1e-4 * wi) for wi, gi in pairs]
    assert sgd_update(w, g, 0.3, 0.0, 1e-4).tolist() == expected


def test_l1_moves_each_weight_toward_zero_and_stops_there():
    w = np.array([1.0, -1.0, 0.04, -0.04, 0.0, 0.05])
    new = sgd_update(w, np.zeros_like(w), learning_rate=0.5, l1=0.1)  # shrink by 0.05
    np.testing.assert_allclose(new, [0.95, -0.95, 0.0, 0.0, 0.0, 0.0], rtol=0, atol=1e-16)
    assert np.all(new * w >= 0)  # no weight crossed 0


def test_with_no_data_gradient_l1_reaches_zero_and_l2_never_does():
    w0 = np.array([0.9, -0.6, 0.3, -0.05])
    w1, w2 = w0.copy(), w0.copy()
    for _ in range(200):
        w1 = sgd_update(w1, np.zeros(4), 0.1, l1=0.05)  # 0.005 per step: 0.9 needs 180 steps
        w2 = sgd_update(w2, np.zeros(4), 0.1, l2=0.05)  # times 0.99 per step
    assert np.all(w1 == 0)
    np.testing.assert_allclose(w2, w0 * 0.99**200, rtol=1e-12)
    assert np.all(w2 != 0)


def _train(l1: float, l2: float, steps: int = 40) -> list[float]:
    """Full-batch hinge on 20 moons points; the data gradient by backward(), the step here."""
    X, y = moons(n=20, seed=0)
    random.seed(0)
    model = MLP(2, [8, 8, 1])
    params = model.parameters()
    for _ in range(steps):
        scores = [model(row) for row in X.tolist()]
        margins = [(1 + -yi * si).relu() for si, yi in zip(scores, y.tolist(), strict=True)]
        loss = sum(margins) * (1 / len(X))
        model.zero_grad()
        loss.backward()
        sgd_update_values(params, 0.1, l1, l2)
    return [p.data for p in params]


def test_l1_shrinks_weights_toward_zero_more_than_l2_at_the_same_rate():
    none, with_l1, with_l2 = _train(0, 0), _train(0.03, 0), _train(0, 0.03)
    zeros = [sum(w == 0 for w in ws) for ws in (none, with_l1, with_l2)]
    size = [float(np.abs(ws).mean()) for ws in (none, with_l1, with_l2)]
    assert zeros[1] >= 10 and zeros[2] <= zeros[0] + 1  # L1 makes exact zeros; L2 does not
    assert size[1] < size[2] < size[0]


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf"), True, "0.1", None])
def test_a_bad_strength_is_refused_by_name(bad):
    with pytest.raises(ValueError, match="l1 must be a finite number >= 0"):
        check_strength("l1", bad)
    with pytest.raises(ValueError, match="l1 must be"):
        sgd_update(np.zeros(2), np.zeros(2), 0.1, l1=bad)
    with pytest.raises(ValueError, match="l2 must be"):
        sgd_update_values([Value(1.0)], 0.1, l2=bad)
    with pytest.raises(ValueError, match="l2 must be"):
        penalty([1.0], l2=bad)
    with pytest.raises(ValueError, match="alpha must be"):
        l1_penalty([Value(1.0)], bad)
