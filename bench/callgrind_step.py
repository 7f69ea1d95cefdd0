"""Instructions of one trainer step on the micrograd engine, by phase, under valgrind's callgrind.

    python bench/callgrind_step.py [--baseline REV] [--phases step,forward,search,backward,free]

Times on a shared machine move with its load; instruction counts do not (to a few in 10,000),
so this is the profile to compare two versions of the engine with. The step is bench_engine's
(moons, 100 points, MLP(2, [16, 16, 1]), hinge + 1e-4 L2, full batch, ``TrainingRun.step()``,
two steps of warm-up first). Only the phase itself is counted: the worker runs it inside a call
to ``functools.reduce``, the one function callgrind is told to count in
(``--collect-atstart=no --toggle-collect=functools_reduce``). Phases:

- ``step``: ``TrainingRun.step()`` (forward, loss, backward, update, scoring, history);
- ``forward``: the 100 scores and the hinge loss, the graph the step builds;
- ``search``: ``loss._topo()``, backward's topological order of that graph;
- ``backward``: ``loss.backward()`` (the search, then the chain rule over every node);
- ``free``: dropping that graph after backward (reference counting frees it).

With ``--baseline REV`` the same phases are counted for that commit too (``git archive``, as
bench_trainer_speed.py does) and the ratios printed. Needs valgrind; about a minute a phase.
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import nullcontext
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHASES = ("step", "forward", "search", "backward", "free")


def run_phase(phase: str, data: str) -> None:
    """In the worker: build the step's graph as needed and run `phase` inside reduce()."""
    import gc

    import numpy as np

    from micrograd_widgets.training import TrainingRun
    from micrograd_widgets.training.losses import hinge
    from micrograd_widgets.training.scoring import _score

    arrays = np.load(data)
    X, y = arrays["X"], arrays["y"]
    run = TrainingRun(X, y, hidden=(16, 16), loss="hinge", learning_rate=1.0, l2=1e-4,
                      schedule="linear", decay_steps=100, seed=1337, engine="micrograd")
    run.step()
    run.step()
    model, rows, labels = run._model, X.tolist(), y.tolist()
    gc.disable()  # as in the trainer's step (gc_paused), for the phases run outside one

    def counted(f) -> None:
        functools.reduce(lambda _, __: f(), range(1), None)

    def forward():
        return hinge([_score(model, row) for row in rows], labels)

    if phase == "step":
        counted(run.step)
    elif phase == "forward":
        counted(forward)
    else:
        loss = forward()
        if phase == "search":
            counted(loss._topo)
        elif phase == "backward":
            counted(loss.backward)
        else:
            loss.backward()
            graph = [loss]
            del loss
            counted(graph.clear)


def count(tree: Path, phase: str, data: str) -> int:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    path = os.pathsep.join(filter(None, [str(tree), os.environ.get("PYTHONPATH")]))
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=no",
         "--toggle-collect=functools_reduce", "--callgrind-out-file=/dev/null",
         sys.executable, str(Path(__file__).resolve()), "--worker", phase, data],
        capture_output=True, text=True, cwd=tree, env={**os.environ, "PYTHONPATH": path},
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if out.returncode or not found:
        sys.exit(f"callgrind failed on {phase} in {tree}:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", help="a git revision to count too, e.g. integrate")
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_phase(*args.worker)
        return
    phases = args.phases.split(",")
    if unknown := set(phases) - set(PHASES):
        sys.exit(f"--phases: unknown {sorted(unknown)}; allowed: {', '.join(PHASES)}")
    sys.path.insert(0, str(HERE))
    import numpy as np
    from bench_trainer_speed import checkout
    from moons_worker import moons

    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "moons.npz")
        X, y = moons()
        np.savez(data, X=X, y=y)
        trees = {"this tree": HERE.parent}
        with checkout(args.baseline) if args.baseline else nullcontext() as base:
            if base is not None:
                trees[args.baseline] = base
            counts = {name: {p: count(tree, p, data) for p in phases}
                      for name, tree in trees.items()}
    print("instructions, one moons step on the micrograd engine (callgrind):")
    print(f"  {'phase':10s}" + "".join(f"{name:>18s}" for name in counts)
          + ("   this / baseline" if args.baseline else ""))
    for p in phases:
        row = [counts[name][p] for name in counts]
        ratio = f"   {row[0] / row[1]:.3f}" if len(row) == 2 else ""
        print(f"  {p:10s}" + "".join(f"{n / 1e6:17.1f}M" for n in row) + ratio)


if __name__ == "__main__":
    main()
