"""Run the lecture's moons training step with one engine and print timings as JSON.

Usage: python bench/moons_worker.py {micrograd|micrograd_widgets} STEPS

Run by bench_engine.py in a fresh process per engine, so neither engine warms the other's
caches or allocator. The step is the lecture's demo: 100 moons points, MLP(2, [16, 16, 1]),
SVM hinge loss + 1e-4 L2, full batch, forward / zero_grad / backward / SGD update.
"""

from __future__ import annotations

import json
import random
import sys
import time

import numpy as np


def moons(n: int = 100, noise: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """The lecture's data: sklearn's make_moons after np.random.seed(1337) (numpy fallback)."""
    np.random.seed(1337)
    try:
        from sklearn.datasets import make_moons
    except ImportError:  # same shape of problem, different points
        t = np.linspace(0, np.pi, n // 2)
        X = np.concatenate([np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)]])
        X += np.random.normal(scale=noise, size=X.shape)
        return X, np.repeat([-1, 1], n // 2)
    X, y = make_moons(n_samples=n, noise=noise)
    return X, y * 2 - 1


def main() -> None:
    engine_name, steps = sys.argv[1], int(sys.argv[2])
    if engine_name == "micrograd":
        from micrograd.engine import Value
        from micrograd.nn import MLP
    else:
        from micrograd_widgets.engine import Value
        from micrograd_widgets.nn import MLP

    X, y = moons()
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    params = model.parameters()

    def loss() -> Value:
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in params)
        return data_loss + reg_loss

    times, losses = [], []
    total = None
    for k in range(steps):  # as the lecture's loop: each step also frees the previous graph
        t0 = time.perf_counter()
        total = None
        total = loss()
        model.zero_grad()
        total.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in params:
            p.data -= lr * p.grad
        times.append(time.perf_counter() - t0)
        losses.append(float(total.data))
    print(json.dumps({"engine": engine_name, "times": times, "losses": losses}))


if __name__ == "__main__":
    main()
