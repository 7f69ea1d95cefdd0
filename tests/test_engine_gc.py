"""engine.gc_paused: Python's cyclic collector kept out of a block, and put back as it was.

What "paused" means is observed, not assumed: gc.callbacks record every collection, and with a
first threshold of 1 the collector would otherwise run on nearly every allocation.
"""

from __future__ import annotations

import gc
import math
import subprocess
import sys
import threading
import weakref

import pytest

from micrograd_widgets.engine import Value, gc_paused


@pytest.fixture(autouse=True)
def collector_as_it_was():
    """Each test may change the collector; it is put back for the next one."""
    enabled, threshold = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    (gc.enable if enabled else gc.disable)()


class Collections:
    """Counts the collections that start while it is on (any thread)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.count += 1

    def __enter__(self) -> Collections:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def churn(n: int = 5_000) -> list:
    """Allocate n containers that stay alive (the collector counts these)."""
    return [[i] for i in range(n)]


def lecture_sine(x: Value) -> Value:
    """An op written as the lecture writes them: the closure refers to `out`, a cycle."""
    out = Value(math.sin(x.data), (x,), "sin")

    def _backward():
        x.grad += math.cos(x.data) * out.grad

    out._backward = _backward
    return out


def test_the_collector_does_not_run_inside_and_runs_again_after():
    gc.set_threshold(1)
    with gc_paused():
        with Collections() as inside:
            churn()
    assert inside.count == 0
    assert gc.get_threshold()[0] == 1
    with Collections() as after:
        churn()
    assert after.count > 0


def test_the_threshold_comes_back_after_an_exception():
    gc.set_threshold(555, 7, 9)
    with pytest.raises(ZeroDivisionError):
        with gc_paused():
            churn(10)
            Value(1.0) / 0
    assert gc.get_threshold() == (555, 7, 9) and gc.isenabled()


def test_a_collector_turned_off_stays_off():
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()
    with pytest.raises(RuntimeError), gc_paused():
        raise RuntimeError
    assert not gc.isenabled()


def test_enabled_is_left_to_the_user_even_mid_block():
    """gc.disable() called while a block runs (another thread, say) is the user's: kept."""
    assert gc.isenabled()
    with gc_paused():
        gc.disable()
    assert not gc.isenabled()


def test_a_threshold_set_meanwhile_is_kept():
    gc.set_threshold(700)
    with gc_paused():
        gc.set_threshold(5_000)
    assert gc.get_threshold()[0] == 5_000


def test_nested_blocks_resume_only_at_the_outermost_end():
    gc.set_threshold(1)
    with gc_paused():
        with gc_paused():
            pass
        with Collections() as between:
            churn()
        assert between.count == 0
    assert gc.get_threshold()[0] == 1


def test_overlapping_blocks_in_two_threads_resume_only_when_both_end():
    """Two trainers stepping at once: the first to finish must not resume the collector."""
    gc.set_threshold(1)
    entered, first_done, second_may_end = (threading.Event() for _ in range(3))
    seen: dict[str, int] = {}

    def second() -> None:
        with gc_paused():
            entered.set()
            first_done.wait(10)
            with Collections() as during:
                churn()
            seen["after the first ended"] = during.count
            second_may_end.wait(10)

    thread = threading.Thread(target=second)
    with gc_paused():
        thread.start()
        assert entered.wait(10)
    first_done.set()
    second_may_end.set()
    thread.join(10)
    assert seen["after the first ended"] == 0
    assert gc.get_threshold()[0] == 1


def test_as_a_decorator():
    gc.set_threshold(1)

    @gc_paused()
    def step() -> int:
        with Collections() as inside:
            churn()
        return inside.count

    assert step() == 0 and gc.get_threshold()[0] == 1


def test_hand_written_cycles_made_inside_are_collected_after_without_gc_collect():
    gc.set_threshold(700)
    with gc_paused():
        a = Value(0.3)
        out = lecture_sine(a * 2)
        out.backward()
        assert a.grad == pytest.approx(2 * math.cos(0.6))
        dead = weakref.ref(out)
        del out, a
        assert dead() is not None  # a cycle: reference counting alone cannot free it
    keep = []
    for _ in range(200):  # the collector's own schedule, no gc.collect()
        keep.append(churn(100))
        if dead() is None:
            break
    assert dead() is None


def test_importing_the_package_leaves_the_collector_alone():
    code = (
        "import gc\n"
        "before = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())\n"
        "import micrograd_widgets.engine, micrograd_widgets.nn, micrograd_widgets.training\n"
        "import micrograd_widgets.widgets.trainer\n"
        "after = (gc.isenabled(), gc.get_threshold(), gc.get_freeze_count())\n"
        "assert before == after, (before, after)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
