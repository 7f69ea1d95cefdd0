"""The trainer on the micrograd engine, in a process of its own; prints JSON.

Usage: python bench/trainer_worker.py play SECONDS | memory STEPS | flat STEPS

Run by bench_trainer_speed.py with PYTHONPATH set to the tree to measure (this one, or a
checkout of an earlier commit), so only public names are used: TrainerWidget, TrainingRun.

- ``play``: ``TrainerWidget()`` (moons, 100 points, 20% test, MLP 2-16-16-1, full batch,
  micrograd) plays for SECONDS with its page updates sent through a comm that JSON-encodes
  them, as the kernel would; steps per second of playing.
- ``memory``: STEPS steps of the same run headless; the resident set before the first step and
  the process's peak after them (``ru_maxrss``): a step's peak.
- ``flat``: STEPS steps; the resident set every STEPS // 10 steps.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def rss_mb() -> float:
    """The resident set now, in MB (Linux /proc; else the peak so far)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * resource.getpagesize() / 2**20
    except OSError:
        return peak_mb()


def peak_mb() -> float:
    scale = 2**20 if sys.platform == "darwin" else 2**10  # bytes on macOS, KB on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def play(seconds: float) -> dict:
    from micrograd_widgets.widgets.trainer import TrainerWidget

    messages = []

    def publish(msg_type, data=None, metadata=None, buffers=None, **keys):
        json.dumps({"data": data, "metadata": metadata or {}}, allow_nan=False)
        messages.append(sum(len(bytes(b)) for b in buffers or []))

    widget = TrainerWidget()
    widget.comm.publish_msg = publish
    widget.step(1)  # a warm-up step, as a user's first click
    start, steps = time.perf_counter(), widget.run.steps
    widget.play()
    time.sleep(seconds)
    widget.pause()
    elapsed = time.perf_counter() - start
    done = widget.run.steps - steps
    widget.close()
    return {"steps_per_second": done / elapsed, "steps": done, "updates": len(messages)}


def _run():
    from micrograd_widgets.training import TrainingRun

    return TrainingRun.from_dataset("moons", n=100, test_fraction=0.2, seed=0)


def memory(steps: int) -> dict:
    run = _run()
    before = rss_mb()
    before_peak = peak_mb()
    run.train(steps)
    return {"rss_before_mb": before, "peak_before_mb": before_peak, "peak_mb": peak_mb()}


def flat(steps: int) -> dict:
    run = _run()
    every = max(1, steps // 10)
    samples = []
    for k in range(steps):
        run.step()
        if (k + 1) % every == 0:
            samples.append((k + 1, rss_mb()))
    return {"samples": samples, "loss": run.history[-1]["loss"]}


def main() -> None:
    mode, amount = sys.argv[1], sys.argv[2]
    modes = {"play": lambda: play(float(amount)), "memory": lambda: memory(int(amount)),
             "flat": lambda: flat(int(amount))}
    if mode not in modes:
        sys.exit(f"mode must be one of {', '.join(modes)}, got {mode!r}")
    print(json.dumps(modes[mode]()))


if __name__ == "__main__":
    main()
