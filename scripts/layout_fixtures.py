"""Write the graphs js/graph/layered.quality.test.ts lays out, as the graph widget's payloads.

    python scripts/layout_fixtures.py          # -> js/graph/fixtures/*.json

The lecture's graphs: the tanh neuron (10 Values), the 7-Value L, MLP(3, [4, 4, 1])'s loss on
the lecture's four samples folded as draw() folds it and with one neuron opened, and a random
expression (seeded). Inputs of a test, so they are committed; rerun this when payload() changes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from micrograd_widgets import graph as g
from micrograd_widgets.engine import Value
from micrograd_widgets.nn import MLP

OUT = Path(__file__).resolve().parents[1] / "js" / "graph" / "fixtures"


def neuron() -> Value:
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    s = x1w1 + x2w2
    s.label = "x1*w1 + x2*w2"
    n = s + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def lecture_l() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c, f = Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    return L


def mlp_loss() -> Value:
    random.seed(1337)
    model = MLP(3, [4, 4, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    preds = [model(x) for x in xs]
    loss = sum(((p - y) ** 2 for p, y in zip(preds, ys, strict=True)), Value(0.0))
    loss.label = "loss"
    loss.backward()
    return loss


def random_expression(seed: int = 7, size: int = 40) -> Value:
    rng = random.Random(seed)
    pool = [Value(round(rng.uniform(-2, 2), 2), label=f"x{k}") for k in range(8)]
    for _ in range(size):
        a, b = rng.sample(pool, 2)
        op = rng.choice(["+", "*", "tanh"])
        out = a.tanh() if op == "tanh" else (a + b if op == "+" else a * b)
        pool.append(out)
    root = sum(pool[-8:], Value(0.0))
    root.backward()
    return root


def write(
    name: str, root: Value, collapse: g.Collapse = "auto", expand: tuple[str, ...] = ()
) -> None:
    graph = g.trace(root)
    v = g.view(graph, collapse)
    if expand:
        v = g.view(graph, collapse, v.expanded | set(expand))
    OUT.mkdir(parents=True, exist_ok=True)
    data = g.payload(v, graph)
    (OUT / f"{name}.json").write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"{name}: {len(data['id'])} boxes, {len(data['edges']) // 2} edges, {len(graph)} Values")


if __name__ == "__main__":
    write("neuron", neuron())
    write("lecture_l", lecture_l())
    write("mlp_loss_folded", mlp_loss(), "groups")
    write("mlp_loss_opened", mlp_loss(), "groups", ("layer1/neuron2",))
    write("random_expression", random_expression())
