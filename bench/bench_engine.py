"""Benchmark this engine against micrograd 0.1.0; prints median times and ratios.

    python bench/bench_engine.py [--rounds 5] [--steps 5]

1. The lecture's moons training step (100 points, MLP(2, [16, 16, 1]), hinge loss + 1e-4 L2,
   full batch: forward, zero_grad, backward, SGD update), four ways (moons_worker.py): micrograd
   0.1.0's demo loop; the same loop with the import swapped to this package, without and with
   `gc_paused()` around each step; and the trainer's own micrograd-engine step
   (`TrainingRun.step()`, which also scores the training set and records the history). Each runs
   in its own process, in a rotated order each round; the first step of each process is a
   warm-up and not timed. Ratios are against micrograd 0.1.0 in the same run, from wall-clock
   medians (and, as a check on a busy machine, from each process's CPU time). The trainer's step
   must be >= 20x micrograd 0.1.0's, the demo loop >= 6x. The losses must agree to 1e-9
   relative (micrograd's set order makes its last digits vary).
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
ENGINES = ("micrograd", "micrograd_widgets", "micrograd_widgets+gc_paused", "trainer")
# speed-up over micrograd 0.1.0 each must reach
TARGETS = {"micrograd_widgets": 6.0, "micrograd_widgets+gc_paused": 6.0, "trainer": 20.0}
LABELS = {
    "micrograd": "micrograd 0.1.0, demo loop",
    "micrograd_widgets": "demo loop, import swapped",
    "micrograd_widgets+gc_paused": "  ... with gc_paused()",
    "trainer": "trainer: TrainingRun.step()",
}


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
    cpu: dict[str, list[float]] = {e: [] for e in ENGINES}
    losses: dict[str, list[float]] = {}
    for r in range(rounds):
        for engine in ENGINES[r % len(ENGINES):] + ENGINES[: r % len(ENGINES)]:
            result = run_worker("moons_worker.py", engine, str(steps + 1))
            times[engine] += result["times"][1:]
            cpu[engine] += result["cpu"][1:]
            losses.setdefault(engine, result["losses"])
    wall = {e: statistics.median(times[e]) for e in ENGINES}
    cpus = {e: statistics.median(cpu[e]) for e in ENGINES}
    print(f"moons step (median of {len(times['micrograd'])} steps, {rounds} processes each; "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print(f"  {'':30s} {'wall ms':>9} {'speed-up':>9} {'CPU ms':>9} {'speed-up':>9}  target")
    failed = []
    for engine in ENGINES:
        ratio, cpu_ratio = wall["micrograd"] / wall[engine], cpus["micrograd"] / cpus[engine]
        target = TARGETS.get(engine)
        print(f"  {LABELS[engine]:30s} {wall[engine] * 1e3:9.1f} {ratio:8.1f}x "
              f"{cpus[engine] * 1e3:9.1f} {cpu_ratio:8.1f}x  "
              + (f">= {target:g}x" if target else ""))
        if target and ratio < target:
            failed.append(f"{LABELS[engine].strip()} is {ratio:.1f}x, below {target:g}x")
    ref = losses["micrograd"]
    print(f"  losses, first steps: {losses['trainer'][:3]}")
    for engine in ENGINES[1:]:
        worst = max(abs(a - b) / abs(a) for a, b in zip(ref, losses[engine], strict=True))
        print(f"  largest relative loss difference, {LABELS[engine].strip()} vs micrograd: "
              f"{worst:.1e} (must be <= 1e-9)")
        if not worst <= 1e-9:
            failed.append(f"{LABELS[engine].strip()}: losses differ from micrograd 0.1.0")
    if failed:
        sys.exit("FAIL: " + "; ".join(failed))


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
