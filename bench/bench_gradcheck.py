"""What a gradient check costs, against the forward + backward pass it checks.

    python bench/bench_gradcheck.py [--rounds 5]

gradcheck(root) replays the graph twice per checked node (every node of graphs up to 400
Values, only the leaves above), so its cost grows with nodes x checked nodes; this prints, per
graph, the median time of gradcheck(root) and of building the graph and calling backward()
once, measured in the same rounds, and their ratio:

- the lecture's tanh neuron (10 Values: what the toolbar toggle checks in a classroom);
- the lecture's MLP(3, [4, 4, 1]) loss on its 4 examples (394 Values, every node checked);
- a chain of 1,802 Values (x and y, and a constant leaf per step): near max_nodes=2000.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this tree's package first

from micrograd_widgets import gradcheck  # noqa: E402
from micrograd_widgets.engine import Value  # noqa: E402
from micrograd_widgets.graph import trace  # noqa: E402
from micrograd_widgets.nn import MLP  # noqa: E402


def neuron() -> Value:
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    return (x1 * w1 + x2 * w2 + Value(6.8813735870195432)).tanh()


def mlp_loss() -> Value:
    random.seed(1337)
    model = MLP(3, [4, 4, 1], activation="tanh")
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    return sum((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True))


def chain() -> Value:
    x, y = Value(0.5), Value(1.0)
    out = x
    for _ in range(600):  # 3 Values a step (the constant, *, +): 1,802 in all
        out = out * 0.999 + y
    return out


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    print(f"{'graph':<22} {'Values':>7} {'backward':>11} {'gradcheck':>11} {'ratio':>8}")
    for name, build in [("tanh neuron", neuron), ("MLP(3,[4,4,1]) loss", mlp_loss),
                        ("chain", chain)]:
        root = build()
        size = len(gradcheck(root).checks)
        passes, checks = [], []
        for _ in range(rounds):  # interleaved, so both see the same machine load
            passes.append(timed(lambda build=build: build().backward()))
            checks.append(timed(lambda root=root: gradcheck(root)))
        once, check = statistics.median(passes), statistics.median(checks)
        values = len(trace(root))
        print(f"{name:<22} {values:>7} {once * 1e3:>9.2f}ms {check * 1e3:>9.2f}ms "
              f"{check / once:>7.0f}x   ({size} checked)")


if __name__ == "__main__":
    main()
