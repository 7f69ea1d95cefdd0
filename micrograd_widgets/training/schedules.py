"""Learning rates: the defaults each loss trains well at, and the named schedules that decay a
base rate over the steps of a run (re-exported by run.py)."""

from __future__ import annotations

from collections.abc import Callable

# micrograd's demo: 1.0 decayed linearly to 0.1 over 100 steps. On moons (n=100) with
# MLP(2, [16, 16, 1]) it reaches >= 97% train accuracy within ~25 full-batch steps for every
# seed tried, and stays there; a constant rate oscillates more. bce trains well at it too;
# mse's gradients are larger and it diverges at 1.0 (0.1 works).
DEFAULT_LEARNING_RATE = 1.0
DEFAULT_SCHEDULE = "linear"
# What each loss trains well at on the datasets here (mse's gradient is 2(s - y), and the
# initial scores are several units away from the labels: at 0.3 and above it diverges on moons).
DEFAULT_LEARNING_RATES = {"hinge": 1.0, "bce": 1.0, "mse": 0.1}

# learning-rate schedules: f(base, k, decay_steps) -> learning rate for the update after k steps
SCHEDULES: dict[str, Callable[[float, int, int], float]] = {
    "constant": lambda base, k, decay_steps: base,
    # micrograd's demo: 1.0 - 0.9 * k / 100, then held at a tenth
    "linear": lambda base, k, decay_steps: base * (1.0 - 0.9 * min(k, decay_steps) / decay_steps),
    # a tenth after decay_steps, and it keeps shrinking
    "exponential": lambda base, k, decay_steps: base * 0.1 ** (k / decay_steps),
}


def scheduled_learning_rate(schedule: str, base: float, k: int, decay_steps: int = 100) -> float:
    """The learning rate for update number k (0-based) under a named schedule."""
    if schedule not in SCHEDULES:
        raise ValueError(
            f"schedule must be one of {', '.join(map(repr, SCHEDULES))}, got {schedule!r}"
        )
    return SCHEDULES[schedule](base, k, decay_steps)
