"""What drawing a PyTorch graph costs, against the forward + backward pass it shows.

    python bench/bench_torch_graph.py [--rounds 5]

draw(tensor) reads the autograd graph, runs torch's backward on the side (autograd.grad with a
hook on every node) and replays what torch did not save, then folds and sends the picture. This
prints, per graph, the median time of draw() and of the user's own forward + backward() measured
in the same rounds, and their ratio:

- the lecture's tanh neuron (10 nodes);
- a 3-layer MLP, Sequential(Linear(2, 16), Tanh, Linear(16, 16), Tanh, Linear(16, 1)), its mse
  loss on 64 points, drawn with params= and model= (folded by module): the test's < 2 s case;
- a chain of 10,000 multiplications (folded into runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this tree's package first

import torch  # noqa: E402

from micrograd_widgets import draw  # noqa: E402


def neuron() -> tuple[torch.Tensor, dict]:
    def t(x: float) -> torch.Tensor:
        return torch.tensor([x], dtype=torch.double, requires_grad=True)

    x1, x2, w1, w2, b = t(2.0), t(0.0), t(-3.0), t(1.0), t(6.8813735870195432)
    return torch.tanh(x1 * w1 + x2 * w2 + b), {}


def mlp() -> tuple[torch.Tensor, dict]:
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16),
                                torch.nn.Tanh(), torch.nn.Linear(16, 1))
    X, y = torch.randn(64, 2), torch.randn(64, 1)
    loss = torch.nn.functional.mse_loss(model(X), y)
    return loss, {"params": dict(model.named_parameters()), "model": model}


def chain() -> tuple[torch.Tensor, dict]:
    y = x = torch.tensor(1.0, dtype=torch.double, requires_grad=True)
    for _ in range(10_000):
        y = y * 1.0001
    assert x.requires_grad
    return y, {}


def median_time(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    draw(neuron()[0])  # imports and first-call costs are not the draw
    print(f"{'graph':10} {'draw':>10} {'fwd+bwd':>10} {'ratio':>8}")
    for name, build in (("neuron", neuron), ("mlp 64", mlp), ("chain 10k", chain)):
        root, kwargs = build()
        drawn = median_time(lambda root=root, kwargs=kwargs: draw(root, **kwargs), rounds)

        def own(build: Callable = build) -> None:
            build()[0].backward()

        plain = median_time(own, rounds)
        print(f"{name:10} {drawn * 1e3:8.1f}ms {plain * 1e3:8.1f}ms {drawn / plain:7.1f}x")


if __name__ == "__main__":
    main()
