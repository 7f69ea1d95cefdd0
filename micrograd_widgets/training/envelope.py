"""What a training step costs, estimated before it runs: the trainer's safe envelope.

The scalar engine makes a few Values per multiply-add: one step on ``points`` points through
layer sizes ``[nin, *hidden, 1]`` builds about ``points * sum(nout * (2 nin + 1))`` of them, then
walks them backwards. Time and memory grow with that count (and a little faster than linearly,
as the graph outgrows the CPU caches). A setting whose micrograd step would take more than
``MAX_SECONDS`` or build more than ``MAX_BYTES`` of graph is refused with ``TooCostly``, a
ValueError whose message says the cost and that the numpy engine runs the same step in
milliseconds. The numpy engine's steps are matrix products: cheap for every setting allowed.

The constants were measured here (Python 3.13, moons, sgd_step, tracemalloc's peak): 1.3-1.9 us
and ~200-250 bytes per Value up to ~50k Values a step, 3.2 us at ~470k.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MAX_BYTES", "MAX_SECONDS", "Cost", "TooCostly", "check", "micrograd_cost"]

MAX_SECONDS = 1.0  # a micrograd step may take about this long (Pause waits for it at most)
MAX_BYTES = 1 << 30  # ... and its graph may need about this much memory
SECONDS_PER_VALUE = 2e-6  # forward + backward, per Value, for small graphs
VALUES_DOUBLING = 1e6  # ... and per Value twice that at this many Values a step
BYTES_PER_VALUE = 250  # the Value, its floats, and backward()'s topological order
NUMPY_FLOPS = 1e9  # the numpy step: matrix products at about this rate ...
NUMPY_OVERHEAD = 60e-6  # ... plus its Python calls, per layer


class TooCostly(ValueError):
    """A setting whose micrograd step would be too slow or too big; ``cost_text`` says why."""

    def __init__(self, cost_text: str):
        super().__init__(
            f"{cost_text}. Use engine='numpy' (the same network and numbers as matrices), "
            "or fewer points, a smaller batch or a smaller network"
        )
        self.cost_text = cost_text


@dataclass(frozen=True)
class Cost:
    """The estimated cost of one training step."""

    points: int
    sizes: tuple[int, ...]  # layer sizes, inputs first
    values: int  # Values the micrograd step builds
    seconds: float  # micrograd's time for it
    bytes: int  # micrograd's memory for it
    numpy_seconds: float  # the numpy engine's time for the same step

    @property
    def too_costly(self) -> bool:
        return self.seconds > MAX_SECONDS or self.bytes > MAX_BYTES

    def text(self) -> str:
        hidden = ", ".join(map(str, self.sizes[1:-1]))
        return (
            f"one step of {self.points:,} points through ({hidden}) would take about "
            f"{_seconds(self.seconds)} with micrograd ({_count(self.values)} Values, "
            f"{_bytes(self.bytes)}); the numpy engine runs it in about "
            f"{_seconds(self.numpy_seconds)}"
        )


def micrograd_cost(points: int, sizes: Sequence[int]) -> Cost:
    """The cost of one step on ``points`` points through layers ``sizes`` ([nin, ..., 1])."""
    per_point = 4  # the loss term and its share of the mean
    flops = 0
    last = len(sizes) - 2
    for k, (nin, nout) in enumerate(zip(sizes[:-1], sizes[1:], strict=False)):
        # per neuron: a * and a + per input, the activation (not on the output), and on the
        # first layer the inputs wrapped as Values
        per_point += nout * (2 * nin + (k < last) + (nin if k == 0 else 0))
        flops += 6 * nin * nout  # forward, and backward's two products
    values = points * per_point
    seconds = values * SECONDS_PER_VALUE * (1 + values / VALUES_DOUBLING)
    numpy_seconds = points * flops / NUMPY_FLOPS + NUMPY_OVERHEAD * (len(sizes) - 1)
    return Cost(points, tuple(sizes), values, seconds, values * BYTES_PER_VALUE, numpy_seconds)


def check(engine: str, points: int, sizes: Sequence[int]) -> Cost:
    """The step's cost; raises TooCostly if ``engine`` is micrograd and it is too much."""
    cost = micrograd_cost(points, sizes)
    if engine == "micrograd" and cost.too_costly:
        raise TooCostly(cost.text())
    return cost


def _seconds(s: float) -> str:
    if s >= 1:
        return f"{s:.0f} s" if s >= 10 else f"{s:.1f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.0f} ms" if s >= 1e-2 else f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def _count(n: int) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.1f}M"
    if n >= 1e3:
        return f"{n / 1e3:.0f}k"
    return str(n)


def _bytes(b: int) -> str:
    if b >= 1 << 30:
        return f"{b / (1 << 30):.1f} GB"
    return f"{b / (1 << 20):.0f} MB"
