"""A PyTorch neuron in JupyterLab: drawn from its autograd graph with data and grad, and played.

Expected numbers are the lecture's neuron worked out by hand: n = 2·(-3) + 0·1 + 6.8814 = 0.8814,
o = tanh(n) = 0.7071, do/dn = 1 - o² = 0.5, so x1.grad = w1·0.5 = -1.5, w1.grad = x1·0.5 = 1,
x2.grad = w2·0.5 = 0.5, w2.grad = x2·0.5 = 0, b.grad = 0.5.
"""

from __future__ import annotations

import pytest

from tests.browser.test_backprop_browser import active_label, boxes, explanation, wait_step

pytestmark = pytest.mark.browser
torch = pytest.importorskip("torch", reason="PyTorch is not installed for this Python")

SETUP = """\
%load_ext micrograd_widgets
import torch
from micrograd_widgets import animate_backward
"""
NEURON = """\
%%micrograd
x1 = torch.Tensor([2.0]).double(); x1.requires_grad = True
x2 = torch.Tensor([0.0]).double(); x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double(); w1.requires_grad = True
w2 = torch.Tensor([1.0]).double(); w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double(); b.requires_grad = True
x1w1 = x1*w1
x2w2 = x2*w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = torch.tanh(n)
"""
DATA = {"x1": 2.0, "w1": -3.0, "x1w1": -6.0, "x2": 0.0, "w2": 1.0, "x2w2": 0.0,
        "x1w1x2w2": -6.0, "b": 6.8814, "n": 0.8814, "o": 0.7071}
GRAD = {"x1": -1.5, "w1": 1.0, "x1w1": 0.5, "x2": 0.5, "w2": 0.0, "x2w2": 0.5,
        "x1w1x2w2": 0.5, "b": 0.5, "n": 0.5, "o": 1.0}


def test_tensor_neuron_drawn_and_played(lab):
    page = lab.run_notebook(
        [SETUP, NEURON, "animate_backward(o)", "print(x1.grad); o.backward(); print(x1.grad)"],
        name="torch_neuron.ipynb",
    )
    graph = lab.wait_ready(page, "graph").first
    assert lab.cell_errors(page) == []
    shown = boxes(graph)
    assert set(shown) == set(DATA)
    for label in DATA:
        assert shown[label] == (f"data {DATA[label]:.4f}", f"grad {GRAD[label]:.4f}"), label
    ops = graph.evaluate("root => [...root.querySelectorAll('[data-op] text')]"
                         ".map(t => t.textContent).sort()")
    assert ops == ["*", "*", "+", "+", "tanh"]
    lab.screenshot(page, "torch_neuron", graph)

    player = lab.wait_ready(page, "backprop").first
    player.scroll_into_view_if_needed()
    assert player.get_attribute("data-total") == "11"  # the seed, then torch's 10 nodes
    player.locator("[data-action='step']").click()
    assert active_label(player) == "o" and explanation(player).startswith("o.grad = 1")
    player.locator("[data-action='step']").click()
    assert "n.grad += (1 - o.data²) × o.grad = (1 - 0.7071²) × 1.0000 = 0.5000" in explanation(
        player)
    assert boxes(player)["n"][1] == "grad 0.5000" and boxes(player)["x1"][1] == "grad ?"
    player.locator("[data-field='speed']").select_option("16")
    player.locator("[data-action='play']").click()
    wait_step(page, player, 11)
    end = boxes(player)
    for label, grad in GRAD.items():
        assert end[label][1] == f"grad {grad:.4f}", label
    assert active_label(player) == "w1"  # torch runs x1's AccumulateGrad, then w1's, last
    lab.screenshot(page, "torch_player", player)
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    assert any("None" in text and "-1.5000" in text for text in outputs)
    page.close()
