"""The trainer on the micrograd engine, this tree against an earlier commit's code, same run.

    python bench/bench_trainer_speed.py [--baseline REV] [--rounds 5] [--seconds 5]
                                        [--memory-steps 20] [--flat-steps 1000]

The baseline (default: c89e89c, the code before the collector was paused in the trainer's
step) is unpacked with ``git archive`` into a temporary folder (with this tree's built JS
copied in: the widget needs it, its speed does not depend on it), removed afterwards. Each
measurement runs in a fresh process (bench/trainer_worker.py) with PYTHONPATH set to one tree,
the two trees alternating in a rotated order each round:

1. steps per second of ``TrainerWidget()`` playing (moons, 100 points, 20% test, MLP
   2-16-16-1, full batch, micrograd engine), page updates sent through a JSON-encoding comm;
   the ratio is the median of each round's this/baseline;
2. a step's peak memory: the process's peak resident set after ``--memory-steps`` steps of the
   same run, over its resident set before the first step; must be within 10% of the baseline's;
3. (this tree only) the resident set every 100 of ``--flat-steps`` steps: it must stay flat,
   growing by less than one step's graph from the first sample to the last (a leaked graph a
   step would grow it by that much every step).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
TREE = HERE.parent
BASELINE = "c89e89c585b98012926d0c9b7c1f6759e45f9641"
MEMORY_TARGET = 1.10  # a step's peak at most 10% above the baseline's


def worker(tree: Path, *args: str) -> dict:
    path = os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))
    out = subprocess.run(
        [sys.executable, str(HERE / "trainer_worker.py"), *args], check=True,
        capture_output=True, text=True, cwd=tree, env={**os.environ, "PYTHONPATH": path},
    )
    return json.loads(out.stdout)


def _files_only(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, skipping links to absolute paths (a node_modules link that was
    committed by mistake: the engine does not need it, and the filter refuses it)."""
    if member.issym() and os.path.isabs(member.linkname):
        return None
    return tarfile.data_filter(member, path)


@contextmanager
def checkout(rev: str):
    """The baseline's files in a temporary folder, with this tree's built JS."""
    static = TREE / "micrograd_widgets" / "static"
    if not (static / "trainer.js").is_file():
        sys.exit("build the JS first (npm run build): the widget needs micrograd_widgets/static")
    folder = Path(tempfile.mkdtemp(prefix="mgw-baseline-"))
    try:
        archive = subprocess.run(["git", "-C", str(TREE), "archive", "--format=tar", rev],
                                 capture_output=True)
        if archive.returncode:
            sys.exit(f"cannot read the baseline {rev!r} from git (a shallow clone?): "
                     f"{archive.stderr.decode(errors='replace').strip()}")
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            try:
                tar.extractall(folder, filter=_files_only)
            except TypeError:  # a Python without extraction filters (our own repository)
                tar.extractall(folder)  # noqa: S202
        shutil.copytree(static, folder / "micrograd_widgets" / "static", dirs_exist_ok=True)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def alternate(trees: dict[str, Path], rounds: int, *args: str) -> dict[str, list[dict]]:
    names = list(trees)
    got: dict[str, list[dict]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % 2:] + names[: r % 2]:
            got[name].append(worker(trees[name], *args))
    return got


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="the commit to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0, help="of playing, per process")
    parser.add_argument("--memory-steps", type=int, default=20)
    parser.add_argument("--flat-steps", type=int, default=1000)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())} "
          f"({os.cpu_count()} cores); baseline {args.baseline[:12]}")
    ok = True
    with checkout(args.baseline) as old:
        trees = {"baseline": old, "this tree": TREE}
        played = alternate(trees, args.rounds, "play", str(args.seconds))
        rates = {name: [p["steps_per_second"] for p in runs] for name, runs in played.items()}
        ratios = [a / b for a, b in zip(rates["this tree"], rates["baseline"], strict=True)]
        print(f"widget playing, micrograd engine, moons full batch ({args.rounds} rounds of "
              f"{args.seconds:g} s each):")
        for name in trees:
            print(f"  {name:10s} {statistics.median(rates[name]):6.2f} steps/s")
        print(f"  this tree / baseline: {statistics.median(ratios):.2f}x "
              f"(median of the rounds' ratios; each: {', '.join(f'{r:.2f}' for r in ratios)})")

        memory = alternate(trees, 2, "memory", str(args.memory_steps))
        step_peak = {name: statistics.median(m["peak_mb"] - m["rss_before_mb"] for m in runs)
                     for name, runs in memory.items()}
        peak = {name: statistics.median(m["peak_mb"] for m in runs)
                for name, runs in memory.items()}
        grew = step_peak["this tree"] / step_peak["baseline"]
        ok &= grew <= MEMORY_TARGET
        print(f"a step's peak memory ({args.memory_steps} steps, over the resident set before "
              "the first):")
        for name in trees:
            print(f"  {name:10s} +{step_peak[name]:5.1f} MB (process peak {peak[name]:.1f} MB)")
        print(f"  this tree / baseline: {grew:.3f} (target <= {MEMORY_TARGET})")

    if args.flat_steps:
        samples = worker(TREE, "flat", str(args.flat_steps))["samples"]
        growth = samples[-1][1] - samples[0][1]
        flat = growth < step_peak["this tree"]
        ok &= flat
        print(f"resident set over {args.flat_steps} steps (this tree), MB at step: "
              + ", ".join(f"{k}: {mb:.1f}" for k, mb in samples))
        print(f"  grew {growth:+.1f} MB from step {samples[0][0]} to {samples[-1][0]} "
              f"(must be < one step's graph, {step_peak['this tree']:.1f} MB): "
              f"{'flat' if flat else 'GROWING'}")
    print(f"memory targets: {'PASS' if ok else 'FAIL'}")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
