"""Shared by the trainer tests: the training threads alive, a guard that none is left running,
and waiting on a state (never a fixed sleep)."""

from __future__ import annotations

import threading
import time

import pytest


def trainer_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "micrograd-trainer" and t.is_alive()]


@pytest.fixture(autouse=True)
def no_thread_leak():
    yield
    assert trainer_threads() == [], "a training thread was left running"


def wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.005)
