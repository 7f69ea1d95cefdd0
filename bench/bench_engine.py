"""Benchmark this engine against micrograd 0.1.0; prints median times and ratios.

    python bench/bench_engine.py [--rounds 5] [--steps 5]

1. The lecture's moons training step (100 points, MLP(2, [16, 16, 1]), hinge loss + 1e-4 L2,
   full batch: forward, zero_grad, backward, SGD update). Each engine runs in its own process,
   alternating for several rounds; the first step of each process is a warm-up and not timed.
   The losses must agree to 1e-9 relative (micrograd's set order makes its last digits vary).
2. backward() on a chain of 100,000 and 1,000,000 nodes (micrograd 0.1.0 cannot: it recurses):
   10x the nodes should cost about 10x the time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENGINES = ("micrograd", "micrograd_widgets")


def run_worker(script: str, *args: str) -> dict:
    # The checkout itself goes first on the path: the bench runs on a fresh clone too, and
    # must time this tree's engine, not some other installed copy.
    path = os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        env={**os.environ, "PYTHONPATH": path},
    )
    return json.loads(out.stdout)


def bench_moons(rounds: int, steps: int) -> None:
    times: dict[str, list[float]] = {e: [] for e in ENGINES}
    losses: dict[str, list[float]] = {}
    for r in range(rounds):
        for engine in ENGINES if r % 2 == 0 else ENGINES[::-1]:
            result = run_worker("moons_worker.py", engine, str(steps + 1))
            times[engine] += result["times"][1:]
            losses.setdefault(engine, result["losses"])
    ref, ours = losses["micrograd"], losses["micrograd_widgets"]
    worst = max(abs(a - b) / abs(a) for a, b in zip(ref, ours, strict=True))
    print(f"moons step (median of {len(times['micrograd'])} steps, {rounds} processes each):")
    for engine in ENGINES:
        print(f"  {engine:18s} {statistics.median(times[engine]) * 1e3:8.1f} ms")
    ratio = statistics.median(times["micrograd"]) / statistics.median(times["micrograd_widgets"])
    print(f"  speed-up: {ratio:.1f}x (target >= 6x)")
    print(f"  losses, first steps: {ours[:3]}")
    print(f"  largest relative loss difference vs micrograd: {worst:.1e} (must be <= 1e-9)")
    if not worst <= 1e-9:
        sys.exit("FAIL: losses differ from micrograd 0.1.0")


def bench_chain() -> None:
    times = {}
    for n in (100_000, 1_000_000):
        result = run_worker("chain_worker.py", str(n))
        times[n] = result["backward"]
        print(
            f"chain of {n:>9,} nodes: backward {result['backward'] * 1e3:8.1f} ms, "
            f"x.grad = {result['grad']}"
        )
        if not math.isclose(result["grad"], result["expected_grad"]):
            sys.exit("FAIL: wrong gradient on the chain")
    ratio = times[1_000_000] / times[100_000]
    print(f"  10x the nodes took {ratio:.1f}x the time (about 10x: linear)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="processes per engine (alternating)")
    parser.add_argument("--steps", type=int, default=5, help="timed steps per process")
    args = parser.parse_args()
    bench_moons(args.rounds, args.steps)
    bench_chain()


if __name__ == "__main__":
    main()
