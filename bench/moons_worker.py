"""Run the lecture's moons training step with one engine and print timings as JSON.

Usage: python bench/moons_worker.py ENGINE STEPS, ENGINE one of

- ``micrograd``: micrograd 0.1.0's demo loop;
- ``micrograd_widgets``: the same loop with the import swapped to this package;
- ``micrograd_widgets+gc_paused``: the same, each step's body inside ``with gc_paused():``
  (the helper the README shows for your own loops);
- ``trainer``: the trainer's micrograd-engine step, ``TrainingRun.step()`` on the same data,
  model, loss, L2 and learning-rate schedule (it also scores the training set after each step
  and records the history, as the widget needs).

Run by bench_engine.py in a fresh process per engine, so neither engine warms the other's
caches or allocator. The step is the lecture's demo: 100 moons points, MLP(2, [16, 16, 1]),
SVM hinge loss + 1e-4 L2, full batch, forward / zero_grad / backward / SGD update.
"""

from __future__ import annotations

import contextlib
import json
import random
import sys
import time

import numpy as np

ENGINES = ("micrograd", "micrograd_widgets", "micrograd_widgets+gc_paused", "trainer")


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


def demo_loop(engine_name: str, steps: int) -> dict:
    """micrograd's demo.ipynb loop (its loss() without the accuracy), timed step by step."""
    if engine_name == "micrograd":
        from micrograd.engine import Value
        from micrograd.nn import MLP
    else:
        from micrograd_widgets.engine import Value, gc_paused
        from micrograd_widgets.nn import MLP
    paused = gc_paused if engine_name.endswith("+gc_paused") else contextlib.nullcontext

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

    times, cpu, losses = [], [], []
    total = None
    for k in range(steps):  # as the lecture's loop: each step also frees the previous graph
        t0, c0 = time.perf_counter(), time.process_time()
        with paused():
            total = None
            total = loss()
            model.zero_grad()
            total.backward()
            lr = 1.0 - 0.9 * k / 100
            for p in params:
                p.data -= lr * p.grad
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        losses.append(float(total.data))
    return {"times": times, "cpu": cpu, "losses": losses}


def trainer_loop(steps: int) -> dict:
    """TrainingRun.step() on the demo's problem: same points, initial weights (random.seed),
    hinge + 1e-4 L2, full batch, rate 1.0 - 0.9 k / 100: the same losses to rounding."""
    from micrograd_widgets.training import TrainingRun

    X, y = moons()
    run = TrainingRun(X, y, hidden=(16, 16), loss="hinge", learning_rate=1.0, l2=1e-4,
                      schedule="linear", decay_steps=100, seed=1337, engine="micrograd")
    times, cpu = [], []
    for _ in range(steps):
        t0, c0 = time.perf_counter(), time.process_time()
        run.step()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return {"times": times, "cpu": cpu, "losses": [h["loss"] for h in run.history]}


def main() -> None:
    engine_name, steps = sys.argv[1], int(sys.argv[2])
    if engine_name not in ENGINES:
        sys.exit(f"engine must be one of {', '.join(ENGINES)}, got {engine_name!r}")
    result = trainer_loop(steps) if engine_name == "trainer" else demo_loop(engine_name, steps)
    print(json.dumps({"engine": engine_name, **result}))


if __name__ == "__main__":
    main()
