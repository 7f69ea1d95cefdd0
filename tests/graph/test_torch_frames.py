"""animate_backward on a tensor: frames in the order torch's engine runs the nodes, with its grads.

The order is observed independently: hooks on every node of the same graph while the user's own
backward() runs, after the player was made (which also shows the graph was left usable).
"""

from __future__ import annotations

import pytest

from micrograd_widgets.graph.pytorch.frames import record_tensor
from tests.graph.test_torch_graph import mlp_and_loss, neuron
from tests.torch_or_skip import torch


def torch_order(graph, root):
    """The node ids in the order torch runs them in a real backward() of `root`."""
    seen: list[str] = []

    def record(node_id: str):
        return lambda _grad_outputs: seen.append(node_id)

    handles = [b.node.register_prehook(record(f"n{i}")) for i, b in enumerate(graph.values)]
    try:
        root.backward()
    finally:
        for h in handles:
            h.remove()
    return seen


def test_the_neurons_frames_follow_torchs_order_with_torchs_grads():
    t = neuron()
    recording, graph = record_tensor(t["o"], names=t)
    frames = recording.frames
    assert frames[0]["kind"] == "seed" and frames[0]["writes"] == [[frames[0]["node"], 0.0, 1.0]]
    assert [f["node"] for f in frames[1:]] == torch_order(graph, t["o"])
    # each leaf's last written grad is what torch's backward put in its .grad
    final = {}
    for f in frames:
        for node, _before, after in f["writes"]:
            final[node] = after
    for name in ("x1", "w1", "x2", "w2", "b"):
        node = f"n{graph.labels.index(name)}"
        assert final[node] == pytest.approx(float(t[name].grad.item()), abs=1e-12)
    assert t["x1"].grad.item() == pytest.approx(-1.5, abs=1e-6)


def test_chain_rule_lines_carry_the_real_numbers():
    t = neuron()
    recording, graph = record_tensor(t["o"], names=t)
    text = {f["node"]: f["text"] for f in recording.frames[1:]}
    x1w1 = f"n{graph.labels.index('x1*w1')}"
    assert "x1.grad += w1.data × x1*w1.grad = -3.0000 × 0.5000 = -1.5000" in text[x1w1]
    assert "w1.grad += x1.data × x1*w1.grad = 2.0000 × 0.5000 = 1.0000" in text[x1w1]
    o = f"n{graph.labels.index('o')}"
    assert "n.grad += (1 - o.data²) × o.grad = (1 - 0.7071²) × 1.0000 = 0.5000" in text[o]
    assert "is a leaf" in text[f"n{graph.labels.index('x1')}"]


@pytest.mark.parametrize(("build", "line"), [
    (lambda a, b: a - b, "b.grad += -1 × out.grad = -1 × 1.0000 = -1.0000"),
    (lambda a, b: a / b, "b.grad += -a.data / b.data² × out.grad = -3.0000 / 2.0000² × 1.0000"),
    (lambda a, b: -a + 0 * b, "a.grad += -1 × n1.grad = -1 × 1.0000 = -1.0000"),
    (lambda a, b: -a + 0 * b, "b.grad += 0 × n3.grad = 0.0000 × 1.0000 = 0.0000"),
    (lambda a, b: 1 - a / 4 + b * 0.5, "a.grad += (1 / 4) × n1.grad = (1 / 4.0000) × -1.0000"),
    (lambda a, b: 1 - a / 4 + b * 0.5, "n1.grad += -1 × n2.grad = -1 × 1.0000 = -1.0000"),
])
def test_torch_only_ops_explained(build, line):
    a = torch.tensor(3.0, dtype=torch.double, requires_grad=True)
    b = torch.tensor(2.0, dtype=torch.double, requires_grad=True)
    out = build(a, b)
    recording, _ = record_tensor(out, names={"a": a, "b": b, "out": out})
    texts = "\n".join(f["text"] for f in recording.frames)
    assert line in texts


def test_an_mlp_plays_in_torchs_order_with_tensor_shapes():
    model, loss = mlp_and_loss()
    recording, graph = record_tensor(loss, names=dict(model.named_parameters()))
    assert "ones" not in recording.frames[0]["text"]  # the loss is a scalar
    order = torch_order(graph, loss)
    assert [f["node"] for f in recording.frames[1:]] == order
    texts = "\n".join(f["text"] for f in recording.frames)
    assert "0.weight.grad += what TBackward0 sends back (a tensor of shape 16×2; mean" in texts
    assert "(a tensor of shape 64×16; mean" in texts
    for name, p in model.named_parameters():
        box = graph.values[graph.labels.index(name)]
        assert torch.equal(box.grad_tensor, p.grad)


def test_animate_backward_takes_a_tensor_and_refuses_big_graphs_by_name():
    from micrograd_widgets import animate_backward
    from micrograd_widgets.graph.backprop import GraphTooBigError

    t = neuron()
    player = animate_backward(t["o"], names=t, forward=True)
    assert len(player.frames) == 11 and len(player.forward) == 10
    assert player.graph["label"][0] == "x1"
    assert all(x.grad is None for x in t.values() if x.is_leaf)
    x = torch.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(50):
        y = y * 2
    with pytest.raises(GraphTooBigError, match="too many to play"):
        animate_backward(y, max_nodes=20)
    player._show_checks()  # the toolbar's gradcheck: refused with the reason, not an error
    assert "torch.autograd.gradcheck" in player.notice and not player.gradcheck
