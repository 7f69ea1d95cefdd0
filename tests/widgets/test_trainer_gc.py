"""TrainerWidget's training thread and Python's cyclic collector: each micrograd step pauses it
(process-wide, so the kernel's thread too); Pause, close, Reset, an error or a divergence in
the thread leave it exactly as the user had it, and cyclic garbage the kernel made meanwhile is
collected once training stops, on the collector's own schedule."""

from __future__ import annotations

import gc
import math
import weakref

import pytest

from micrograd_widgets.engine import Value
from micrograd_widgets.training import sgd
from micrograd_widgets.widgets.trainer import TrainerWidget
from tests.trainer_threads import no_thread_leak, trainer_threads, wait_for  # noqa: F401


@pytest.fixture(autouse=True)
def collector_as_it_was():
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


def state() -> tuple[bool, tuple[int, ...]]:
    return gc.isenabled(), gc.get_threshold()


def set_collector(enabled: bool) -> tuple[bool, tuple[int, ...]]:
    gc.set_threshold(650, 9, 11)  # not the defaults: restoring "the default" would not pass
    (gc.enable if enabled else gc.disable)()
    return state()


def play_a_few_steps(w: TrainerWidget, steps: int = 2) -> None:
    start = w.run.steps
    w.play()
    wait_for(lambda: w.run.steps >= start + steps)


@pytest.mark.parametrize("enabled", [True, False], ids=["collector on", "collector off"])
@pytest.mark.parametrize("stop", ["pause", "reset", "close", "page pause"])
def test_the_collector_is_as_before_after_stopping(enabled, stop):
    before = set_collector(enabled)
    w = TrainerWidget(n=60)
    play_a_few_steps(w)
    assert gc.isenabled() is enabled  # the user's switch, untouched while the thread trains
    if stop == "page pause":  # the page's button: the thread ends after its step by itself
        w._on_message(w, {"type": "pause"}, [])
        wait_for(lambda: not w.playing)  # set by the thread after its last step
    else:
        getattr(w, stop)()
    assert state() == before
    if stop != "close":
        w.close()
    assert state() == before


def test_two_trainers_playing_at_once_leave_it_as_before():
    before = set_collector(True)
    a, b = TrainerWidget(n=40), TrainerWidget(n=40, seed=1)
    play_a_few_steps(a)
    play_a_few_steps(b)
    a.pause()
    wait_for(lambda: b.run.steps >= 2)
    b.close()
    a.close()
    assert state() == before


def test_an_error_inside_a_step_in_the_thread(monkeypatch):
    before = set_collector(True)
    score, calls = sgd._score, []

    def breaks_in_the_third_step(model, row):
        calls.append(1)
        if len(calls) == 2 * 80 + 10:  # 80 training points a step
            raise RuntimeError("boom in the forward pass")
        return score(model, row)

    monkeypatch.setattr(sgd, "_score", breaks_in_the_third_step)
    w = TrainerWidget()
    w.play()
    wait_for(lambda: not w.is_playing)
    assert "boom in the forward pass" in w.status and w.run.steps == 2
    assert state() == before
    w.close()


def test_a_divergence_in_the_thread():
    before = set_collector(True)
    w = TrainerWidget(learning_rate=50, schedule="constant", loss="mse")
    w.play()
    wait_for(lambda: not w.is_playing)
    assert w.status_kind == "error" and "diverged" in w.status
    assert state() == before
    w.close()


def lecture_tanh(x: Value) -> Value:
    """tanh as the lecture writes an op: the closure refers to `out`, a reference cycle."""
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


def test_the_kernels_cyclic_garbage_is_collected_once_training_stops():
    set_collector(True)
    w = TrainerWidget(n=60)
    w.play()
    made = []
    while len(made) < 300 or w.run.steps < 3:  # the kernel works while the thread trains
        out = lecture_tanh(Value(0.1 * len(made)) * 2)
        out.backward()
        made.append(weakref.ref(out))
        del out
    w.pause()
    keep = []
    for _ in range(2_000):  # the collector's own schedule: no gc.collect()
        if all(ref() is None for ref in made):
            break
        keep.append([[i] for i in range(100)])
    if not all(ref() is None for ref in made):
        # a cycle that aged into the oldest generation waits for a full collection, which
        # Python schedules by the size of the whole heap (a long test session's is large):
        # the collector must be on, as it was, and the cycles collectable
        assert gc.isenabled() and gc.get_threshold()[0] > 0
        gc.collect()
    assert all(ref() is None for ref in made)
    w.close()
