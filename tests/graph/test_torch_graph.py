"""trace() of a PyTorch tensor: the autograd graph as the same plain data as a Value graph.

Every number is checked against torch's own: a separate backward() on a twin graph built the
same way (leaf .grad), or retain_grad() on the twin's intermediates. Never against the code under
test. The user's tensors are checked untouched: .grad still None, the graph still usable.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from micrograd_widgets.graph import trace, view
from micrograd_widgets.graph.pytorch.ops import op_name
from tests.torch_or_skip import torch

NAMES = ("x1", "w1", "x1*w1", "x2", "w2", "x2*w2", "x1*w1 + x2*w2", "b", "n", "o")


def neuron(retain: bool = False):
    """The lecture's tanh neuron in PyTorch, exactly as the lecture types it."""
    x1 = torch.Tensor([2.0]).double()
    x1.requires_grad = True
    x2 = torch.Tensor([0.0]).double()
    x2.requires_grad = True
    w1 = torch.Tensor([-3.0]).double()
    w1.requires_grad = True
    w2 = torch.Tensor([1.0]).double()
    w2.requires_grad = True
    b = torch.Tensor([6.8813735870195432]).double()
    b.requires_grad = True
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = torch.tanh(n)
    if retain:
        for t in (x1w1, x2w2, s, n, o):
            t.retain_grad()
    return dict(zip(NAMES, (x1, w1, x1w1, x2, w2, x2w2, s, b, n, o), strict=True))


def torch_numbers():
    """Data and grad of each tensor of the neuron, from torch's own backward on a twin."""
    twin = neuron(retain=True)
    twin["o"].backward()
    return {k: (float(t.item()), float(t.grad.item())) for k, t in twin.items()}


def check_neuron(graph, expected):
    by_label = {node["label"]: node for node in graph.nodes}
    assert set(by_label) == set(NAMES)
    for name, (data, grad) in expected.items():
        assert abs(by_label[name]["data"] - data) <= 1e-12, name
        assert abs(by_label[name]["grad"] - grad) <= 1e-12, name


def test_the_neuron_shows_torchs_data_and_grads_before_and_after_the_users_backward():
    expected = torch_numbers()
    t = neuron()
    before = trace(t["o"], names=t)
    check_neuron(before, expected)
    assert [n["op"] for n in before.nodes] == ["", "", "*", "", "", "*", "+", "", "+", "tanh"]
    assert len(before.edges) == 9
    # nothing of the user's touched: no grad filled, no retain_grad, the graph still usable
    assert all(x.grad is None for x in t.values() if x.is_leaf)
    assert not any(x.retains_grad for x in t.values())
    t["o"].backward()  # the user's own backward, without retain_graph: torch frees the graph
    assert t["x1"].grad.item() == pytest.approx(-1.5, abs=1e-6)
    assert t["x1"].grad.item() == expected["x1"][1]
    after = trace(t["o"], names=t)  # drawn again after it: same numbers (replayed on copies)
    check_neuron(after, expected)
    assert after.notice == ""
    assert t["x1"].grad.item() == expected["x1"][1]  # not accumulated into by the replay


def test_drawing_twice_before_backward_leaves_the_graph_for_the_users_backward():
    t = neuron()
    trace(t["o"])
    trace(t["o"], names=t)
    t["o"].backward()
    assert t["x1"].grad.item() == pytest.approx(-1.5, abs=1e-6)
    assert t["w2"].grad.item() == 0.0


def test_same_ids_and_shape_as_the_micrograd_neuron():
    from micrograd_widgets.engine import Value

    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    mg = trace(o)
    t = neuron()
    tg = trace(t["o"])
    assert tg.edges == mg.edges
    assert [n["op"] for n in tg.nodes] == [n["op"] for n in mg.nodes]
    for a, c in zip(tg.nodes, mg.nodes, strict=True):
        assert a["data"] == pytest.approx(c["data"], abs=1e-6)
        assert a["grad"] == pytest.approx(c["grad"], abs=1e-6)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda x, y: x * y, "*"),
        (lambda x, y: x + y, "+"),
        (lambda x, y: x - y, "-"),
        (lambda x, y: x / y, "/"),
        (lambda x, y: -x, "neg"),
        (lambda x, y: torch.tanh(x), "tanh"),
        (lambda x, y: x**2, "**2"),
        (lambda x, y: x**0.5, "**0.5"),
        (lambda x, y: x.exp(), "exp"),
        (lambda x, y: x.log(), "log"),
        (lambda x, y: x.relu(), "ReLU"),
        (lambda x, y: x.sigmoid(), "sigmoid"),
        (lambda x, y: torch.nn.functional.mse_loss(x, y), "MseLossBackward0"),
        (lambda x, y: torch.addmm(x.reshape(1, 1), x.reshape(1, 1), y.reshape(1, 1)),
         "AddmmBackward0"),
        (lambda x, y: torch.atan2(x, y), "Atan2Backward0"),
    ],
)
def test_ops_read_the_micrograd_way_and_unknown_ops_keep_torchs_name(build, expected):
    x = torch.tensor([2.0], dtype=torch.double, requires_grad=True)
    y = torch.tensor([3.0], dtype=torch.double, requires_grad=True)
    out = build(x, y)
    assert op_name(out.grad_fn) == expected
    graph = trace(out)
    assert graph.nodes[graph.roots[0]]["op"] == expected
    # and the box's grads are torch's: d out / d x
    (gx,) = torch.autograd.grad(out, [x], retain_graph=True)
    assert graph.nodes[graph.index_of(_leaf_box(graph, x))]["grad"] == pytest.approx(
        float(gx.item()), abs=1e-12)


def _leaf_box(graph, tensor):
    return next(b for b in graph.values if getattr(b.node, "variable", None) is tensor)


def mlp_and_loss(seed: int = 0):
    torch.manual_seed(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(2, 16), torch.nn.Tanh(), torch.nn.Linear(16, 16), torch.nn.Tanh(),
        torch.nn.Linear(16, 1),
    )
    X, y = torch.randn(64, 2), torch.randn(64, 1)
    return model, torch.nn.functional.mse_loss(model(X), y)


def test_an_mlp_on_64_points_draws_fast_folds_by_module_and_leaves_p_grad_alone():
    from micrograd_widgets import draw

    draw(trace_warmup())  # imports (the widget module, torch's functions) are not the draw
    model, loss = mlp_and_loss()
    params = dict(model.named_parameters())
    start = time.perf_counter()
    widget = draw(loss, model=model, params=params)
    took = time.perf_counter() - start
    assert took < 2.0, f"draw took {took:.2f} s"  # loose: the speed is measured in bench/
    assert all(p.grad is None for p in model.parameters())
    payload = widget.graph
    groups = [k for k, kind in zip(payload["id"], payload["kind"], strict=True) if kind == "group"]
    assert sorted(groups) == ["0 (Linear)", "1 (Tanh)", "2 (Linear)", "3 (Tanh)", "4 (Linear)"]
    assert [op for op, kind in zip(payload["op"], payload["kind"], strict=True)
            if kind == "value"] == ["MseLossBackward0"]
    widget.expand("0 (Linear)")
    inside = {label for label, kind in zip(widget.graph["label"], widget.graph["kind"],
                                           strict=True) if kind == "value"}
    assert {"0.weight", "0.bias"} <= inside
    # every parameter's grad equals torch's own backward (on the user's graph, afterwards)
    graph = widget.trace
    loss.backward()
    for name, p in params.items():
        box = graph.values[graph.labels.index(name)]
        assert box.grad_tensor.shape == p.shape
        assert torch.equal(box.grad_tensor, p.grad), name
        assert box.grad == pytest.approx(float(p.grad.double().mean()), abs=1e-12)


def trace_warmup():
    x = torch.tensor([[1.0, 2.0]], requires_grad=True)
    return torch.nn.functional.linear(x, x).tanh().sum()


def test_a_tensor_box_shows_its_shape_and_first_numbers_and_the_hover_more():
    model, loss = mlp_and_loss()
    graph = trace(loss, params=dict(model.named_parameters()))
    w = graph.values[graph.labels.index("0.weight")]
    first = float(model[0].weight.detach()[0, 0])
    assert w.data_text == f"data 16×2 [{first:.4f} …]"
    assert w.grad_text.startswith("grad 16×2 [")
    assert "data: 16×2 float32, mean" in w.detail
    assert f"{float(model[0].weight.detach().double().min()):.4f}" in w.detail
    payload = view_payload(graph)
    k = payload["label"].index("0.weight")
    assert payload["dataText"][k] == w.data_text
    assert payload["detail"][k] == w.detail
    root = payload["id"].index(f"n{graph.roots[0]}")
    assert payload["dataText"][root] == ""  # a one-element tensor shows its number


def view_payload(graph):
    from micrograd_widgets.graph import payload

    return payload(view(graph, collapse="none"), graph)


def test_a_chain_of_10000_ops_draws_folded():
    from micrograd_widgets import draw

    x = torch.tensor(1.0, dtype=torch.double, requires_grad=True)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    widget = draw(y)
    assert widget.graph["total"] == 10_001
    assert widget.graph["collapsed"] and len(widget.graph["id"]) < 100
    leaf = widget.trace.values[0]
    (expected,) = torch.autograd.grad(y, [x], retain_graph=True)
    assert leaf.grad == pytest.approx(float(expected), rel=1e-12)
    assert x.grad is None


def test_after_a_freed_backward_what_cannot_be_replayed_is_unknown_and_said():
    x = torch.tensor([2.0], dtype=torch.double, requires_grad=True)
    y = torch.atan2(x * 3, x)  # atan2: an op we do not replay
    z = y + 1
    z.backward()
    graph = trace(z, names={"x": x, "z": z})
    assert "freed" in graph.notice and "retain_graph=True" in graph.notice
    by_label = {n["label"]: n for n in graph.nodes}
    assert by_label["x"]["data"] == 2.0
    assert by_label["x"]["grad"] == float(x.grad.item())  # the user's backward's, still known
    assert by_label["z"]["data"] == pytest.approx(float(z.item()))
    atan = next(b for b in graph.values if b._op == "Atan2Backward0")
    assert atan.grad_text == "grad ?" and "not known" in atan.detail
    from micrograd_widgets.graph import payload

    assert payload(view(graph), graph)["notice"] == graph.notice


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="no autograd graph"):
        trace(torch.tensor([1.0]))
    x = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="names must map names to tensors"):
        trace(x * 2, names={"x": 3})
    with pytest.raises(ValueError, match="model must be a torch.nn.Module"):
        trace(x * 2, model=object())
    from micrograd_widgets.engine import Value

    with pytest.raises(ValueError, match="for PyTorch tensors"):
        trace(Value(1.0), names={"x": x})


def test_torch_is_imported_only_when_a_tensor_arrives():
    code = (
        "import sys\n"
        "from micrograd_widgets.engine import Value\n"
        "from micrograd_widgets.graph import trace, view, payload\n"
        "from micrograd_widgets.graph.backprop import record_backward\n"
        "a = Value(2.0); b = a * a + a; b.backward()\n"
        "g = trace(b); payload(view(g), g); record_backward(b)\n"
        "print('torch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=_repo())
    assert out.stdout.strip() == "False"


def _repo():
    from pathlib import Path

    return str(Path(__file__).resolve().parents[2])
