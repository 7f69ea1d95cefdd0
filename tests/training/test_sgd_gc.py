"""The trainer's micrograd step runs without Python's cyclic collector, and leaves it as it was.

Observed, not assumed: gc.callbacks record the collections, a spy on the forward pass marks
when the step is inside its graph, and with a first threshold of 1 the collector would
otherwise run on nearly every allocation. The numbers must not change: 20 steps with the pause
equal, exactly, 20 steps with the collector left alone.
"""

from __future__ import annotations

import contextlib
import gc
import math
import weakref

import numpy as np
import pytest

from micrograd_widgets import nn
from micrograd_widgets.engine import Value
from micrograd_widgets.training import Diverged, TrainingRun, build_model, sgd, sgd_step
from micrograd_widgets.training.datasets import moons


@pytest.fixture(autouse=True)
def collector_as_it_was():
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """'forward' each time the step scores a point (spy on sgd._score), 'gc' each time a
    collection starts, in the order they happen."""
    seen: list[str] = []
    score = sgd._score

    def spy(model, row):
        seen.append("forward")
        return score(model, row)

    def on_gc(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append("gc")

    monkeypatch.setattr(sgd, "_score", spy)
    gc.callbacks.append(on_gc)
    yield seen
    gc.callbacks.remove(on_gc)


def collections_inside_forward(seen: list[str]) -> int:
    first, last = seen.index("forward"), len(seen) - seen[::-1].index("forward")
    return seen[first:last].count("gc")


def state() -> tuple[bool, tuple[int, ...]]:
    return gc.isenabled(), gc.get_threshold()


def test_no_collection_inside_a_micrograd_step_and_the_collector_as_before_after(events):
    run = TrainingRun.from_dataset("moons", n=60)
    gc.set_threshold(1, 10, 10)
    before = state()
    run.step()
    assert events.count("forward") == len(run.X)
    assert collections_inside_forward(events) == 0
    assert state() == before
    events.clear()
    model = build_model()  # the same forward outside a step: the collector runs throughout
    for row in run._F.tolist():
        sgd._score(model, row)
    assert collections_inside_forward(events) > 0


def test_sgd_step_on_its_own_pauses_it_too(events):
    X, y = moons(n=40, seed=1)
    gc.set_threshold(1, 10, 10)
    before = state()
    sgd_step(build_model(), X, y)
    assert collections_inside_forward(events) == 0 and state() == before


def test_the_collector_comes_back_after_an_exception_inside_a_step(monkeypatch):
    run = TrainingRun.from_dataset("moons", n=60)
    score, calls = sgd._score, []

    def breaks_midway(model, row):
        calls.append(1)
        if len(calls) == 30:
            raise RuntimeError("a model that fails halfway through the batch")
        return score(model, row)

    monkeypatch.setattr(sgd, "_score", breaks_midway)
    gc.set_threshold(123, 4, 5)
    with pytest.raises(RuntimeError, match="halfway"):
        run.step()
    assert state() == (True, (123, 4, 5))


def test_the_collector_comes_back_after_a_diverged_step():
    run = TrainingRun.from_dataset("moons", loss="mse", learning_rate=50, schedule="constant")
    before = state()
    with pytest.raises(Diverged):
        run.train(50)
    assert state() == before


def test_a_collector_turned_off_stays_off_during_and_after(monkeypatch):
    run = TrainingRun.from_dataset("moons", n=40)
    score, during = sgd._score, []

    def spy(model, row):
        during.append(gc.isenabled())
        return score(model, row)

    monkeypatch.setattr(sgd, "_score", spy)
    gc.disable()
    run.train(2)
    assert not gc.isenabled() and set(during) == {False}


def test_the_numpy_engine_leaves_the_collector_alone(monkeypatch):
    calls: list[str] = []
    for name in ("set_threshold", "disable", "enable", "freeze", "unfreeze"):
        real = getattr(gc, name)

        def spy(*args, _name=name, _real=real):
            calls.append(_name)
            return _real(*args)

        monkeypatch.setattr(gc, name, spy)
    run = TrainingRun.from_dataset("moons", engine="numpy")
    run.train(20)
    assert calls == []
    run.engine = "micrograd"  # the spies do see the micrograd step's pause
    run.step()
    assert calls == ["set_threshold", "set_threshold"]


def micrograds_sum(b: Value, ws: list[Value], xs: list, group: str | None) -> Value:
    """A neuron's sum as micrograd writes it, through the Value operators (group: unused)."""
    return sum((wi * xi for wi, xi in zip(ws, xs, strict=True)), b)


@pytest.mark.parametrize("batch_size", [None, 8])
def test_twenty_steps_equal_the_steps_of_the_unchanged_path(monkeypatch, batch_size):
    """The reference: the collector left alone (on every allocation) and each neuron's sum
    written with the operators, as micrograd's nn does; the run: the trainer's own step."""

    def history() -> list[dict]:
        run = TrainingRun.from_dataset(
            "moons", n=50, test_fraction=0.2, batch_size=batch_size, l1=1e-3
        )
        run.train(20)
        return run.history

    paused = history()
    with monkeypatch.context() as m:
        m.setattr(sgd, "gc_paused", contextlib.nullcontext)
        m.setattr(nn, "_weighted_sum", micrograds_sum)
        reference = history()
    assert gc.isenabled()
    assert paused == reference
    assert all(math.isfinite(h["loss"]) for h in paused)


# ---- garbage with reference cycles, from code written the lecture's way ----


def lecture_sine(x: Value) -> Value:
    """sin as the lecture writes an op: the closure refers to `out`, so out is in a cycle."""
    out = Value(math.sin(x.data), (x,), "sin")

    def _backward():
        x.grad += math.cos(x.data) * out.grad

    out._backward = _backward
    return out


class SineHead:
    """A model with a hand-written op on top: every score (and its whole graph, which the
    cycle keeps alive) is garbage that only the cyclic collector can free."""

    def __init__(self) -> None:
        self.mlp = build_model()
        self.made: list[weakref.ref] = []

    def __call__(self, x):
        out = lecture_sine(self.mlp(x))
        self.made.append(weakref.ref(out))
        return out

    def parameters(self) -> list[Value]:
        return self.mlp.parameters()

    def zero_grad(self) -> None:
        self.mlp.zero_grad()


def test_cycles_made_by_hand_written_code_are_collected_once_training_stops():
    run = TrainingRun.from_dataset("moons", n=40, test_fraction=0.0)
    run.model = model = SineHead()
    run.train(3)
    assert len(run.history) == 3 and model.made
    keep = []
    for _ in range(500):  # the collector's own schedule: no gc.collect()
        if all(ref() is None for ref in model.made):
            break
        keep.append([[i] for i in range(200)])
    assert all(ref() is None for ref in model.made)
    assert np.isfinite(run.history[-1]["loss"])
