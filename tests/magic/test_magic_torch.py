"""%%micrograd with PyTorch tensors: they get their variable names as labels, as Values do,
kept beside the tensors (nothing set on them), and the cell's top tensor is drawn."""

from __future__ import annotations

import pytest
from IPython.core.error import UsageError

from tests.magic.test_magics import close_new_widgets, loaded, micrograd_cell, shell  # noqa: F401
from tests.torch_or_skip import torch

LECTURE = """
import torch
x1 = torch.Tensor([2.0]).double(); x1.requires_grad = True
x2 = torch.Tensor([0.0]).double(); x2.requires_grad = True
w1 = torch.Tensor([-3.0]).double(); w1.requires_grad = True
w2 = torch.Tensor([1.0]).double(); w2.requires_grad = True
b = torch.Tensor([6.8813735870195432]).double(); b.requires_grad = True
x1w1 = x1 * w1
x2w2 = x2 * w2
x1w1x2w2 = x1w1 + x2w2
n = x1w1x2w2 + b
o = torch.tanh(n)
"""


def test_tensors_are_labelled_by_variable_name_and_the_top_one_drawn(loaded):  # noqa: F811
    torch.manual_seed(0)  # (and skips without torch)
    result = micrograd_cell(loaded, LECTURE)
    assert result.success
    widget = result.result
    assert widget.graph["label"] == ["x1", "w1", "x1w1", "x2", "w2", "x2w2", "x1w1x2w2", "b",
                                     "n", "o"]
    assert widget.graph["op"][-1] == "tanh"
    k = widget.graph["label"].index("x1w1")
    assert widget.graph["source"][k] == "x1w1 = x1 * w1"
    ns = loaded.user_ns
    assert not hasattr(ns["x1"], "label")  # the name is kept beside the tensor, not on it
    assert ns["x1"].grad is None
    assert widget.graph["grad"][0] == pytest.approx(-1.5, abs=1e-6)
    ns["o"].backward()  # the user's backward still works after the drawing
    assert ns["x1"].grad.item() == pytest.approx(-1.5, abs=1e-6)


def test_animate_plays_the_tensor_and_gradcheck_is_refused_by_name(loaded):  # noqa: F811
    torch.manual_seed(0)
    player = micrograd_cell(loaded, LECTURE, "--animate").result
    assert [f["kind"] for f in player.frames][:2] == ["seed", "op"]
    assert "x1.grad += w1.data × x1w1.grad = -3.0000 × 0.5000 = -1.5000" in "\n".join(
        f["text"] for f in player.frames)
    result = micrograd_cell(loaded, LECTURE, "--gradcheck")
    assert isinstance(result.error_in_exec, UsageError)
    assert "torch.autograd.gradcheck" in str(result.error_in_exec)
