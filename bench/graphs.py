"""The graphs the graph benchmarks draw, built once for all of them (bench_graph_browser.py runs
them in a JupyterLab kernel, bench_static_picture.py in fresh processes):

- the lecture's moons loss: sklearn's make_moons(100, noise 0.1) after np.random.seed(1337),
  MLP(2, [16, 16, 1]), hinge loss + 1e-4 L2, backward done (65,818 Values);
- an MLP forward pass of 3 inputs (MLP(3, [16, 16, 1]): 1,028 Values).
"""

from __future__ import annotations

import random

import numpy as np

from micrograd_widgets.engine import Value
from micrograd_widgets.nn import MLP


def moons_loss() -> Value:
    from sklearn.datasets import make_moons

    np.random.seed(1337)
    random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    y = y * 2 - 1
    model = MLP(2, [16, 16, 1])
    scores = [model(list(map(Value, row))) for row in X]
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores, strict=True)]
    loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
    loss.backward()
    return loss


def mlp_forward(sizes: list[int], backward: bool = False) -> Value:
    random.seed(0)
    out = MLP(3, sizes)([Value(1.0), Value(-2.0), Value(0.5)])
    if backward:
        out.backward()
    return out
