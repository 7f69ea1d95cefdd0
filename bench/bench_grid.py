"""Time the trainer's 100x100 decision-boundary grid: numpy forward vs the scalar engine.

    python bench/bench_grid.py [--repeats 50] [--resolution 100]

The model is the lecture's MLP(2, [16, 16, 1]) (relu), on moons' extent. The numpy grid
(``training.decision_grid``: read the weights, three matrix products) is timed as the median of
``--repeats`` calls, and must stay under 20 ms. The scalar engine scores the same grid point by
point (the way a heatmap would be made without numpy), once; the two results must agree to 1e-5
(the grid is float32). Prints both times and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from micrograd_widgets.training import build_model, data_limits, decision_grid
from micrograd_widgets.training.datasets import moons

TARGET_MS = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--resolution", type=int, default=100)
    args = parser.parse_args()
    res = args.resolution

    X, _ = moons()
    model = build_model((16, 16), "relu", seed=1337)
    xlim, ylim = data_limits(X)

    decision_grid(model, xlim, ylim, res)  # warm-up
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        grid = decision_grid(model, xlim, ylim, res)
        times.append(time.perf_counter() - t0)
    numpy_ms = 1e3 * statistics.median(times)

    xs, ys = np.linspace(*xlim, res), np.linspace(*ylim, res)
    t0 = time.perf_counter()
    scalar = np.array([[model([float(x), float(y)]).data for x in xs] for y in ys])
    scalar_ms = 1e3 * (time.perf_counter() - t0)

    err = float(np.max(np.abs(grid - scalar) / np.maximum(1.0, np.abs(scalar))))
    ok = numpy_ms < TARGET_MS and err < 1e-5
    print(f"{res}x{res} grid, MLP(2, [16, 16, 1]) relu, {res * res} points")
    median = f"median of {args.repeats}; target < {TARGET_MS:g} ms"
    print(f"  numpy decision_grid : {numpy_ms:8.2f} ms  ({median})")
    print(f"  scalar engine       : {scalar_ms:8.1f} ms  (once)")
    print(f"  ratio               : {scalar_ms / numpy_ms:8.0f}x faster")
    print(f"  max relative difference {err:.1e}")
    print("OK" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
