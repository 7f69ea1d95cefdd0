"""The knobs of a training run that may change between steps, from any thread: the learning
rate (restarting the schedule), the batch size (checked against the micrograd engine's cost),
and the L2 and L1 rates. Each is checked by its bound in run_arguments.py."""

from __future__ import annotations

from typing import Any

from .run_arguments import BATCH_SIZE, L1, L2, LEARNING_RATE


class Knobs:
    """TrainingRun's mid-run settings; the run provides ``_knobs`` (a lock) and ``cost()``."""

    _knobs: Any

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        rate = LEARNING_RATE(value)
        with self._knobs:  # the next step to start reads both together
            self._learning_rate = rate
            self._restart_schedule = True  # it decays from the next step

    @property
    def batch_size(self) -> int | None:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int | None) -> None:
        value = BATCH_SIZE(value)
        if hasattr(self, "_batch_size"):
            self.cost(batch_size=value)
        self._batch_size = value

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        self._l2 = L2(value)

    @property
    def l1(self) -> float:
        return self._l1

    @l1.setter
    def l1(self, value: float) -> None:
        self._l1 = L1(value)
