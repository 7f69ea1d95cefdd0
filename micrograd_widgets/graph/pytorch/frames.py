"""torch's backward, frame by frame, in the format graph/backprop.py records a Value graph's.

`record_tensor_backward(graph)` takes a TensorGraph (read.trace_tensors) and writes one
frame per node in the order torch ran them (`graph.order`: the ops as torch's engine called
them, each leaf's AccumulateGrad as soon as its last user ran), after the seed frame:

    {"node": "n2", "kind": "op", "writes": [["n0", 0.0, -1.5], ...],
     "text": "x1.grad += w1.data × x1*w1.grad = -3.0000 × 0.5000 = -1.5000"}

The numbers are what torch's own nodes sent (recorded by hooks), so the player's grads are
torch's. For one-element tensors and the ops micrograd knows (+ - * / neg ** tanh exp log
ReLU sigmoid) the text is the chain rule with the real numbers, checked against what torch
sent; for bigger tensors it says the shape and the mean of what was sent (the box's number).
"""

from __future__ import annotations

from typing import Any

from ..backprop import Recording, _close, _fmt, _formula, _forward_frame
from ..tracing import number
from .ops import shape_text


def record_tensor_backward(graph: Any) -> Recording:
    """The seed frame, then one frame per node in torch's order (see the module's doc)."""
    boxes = graph.values
    ids = {id(b): f"n{i}" for i, b in enumerate(boxes)}
    names = {id(b): graph.labels[i] or f"n{i}" for i, b in enumerate(boxes)}
    recording = Recording(ids=graph.ids)
    recording.forward = [_forward(b, ids, names) for b in boxes]
    root = boxes[graph.roots[0]]
    r, root_id = names[id(root)], ids[id(root)]
    seed = root.grad
    scalar = _is_scalar(root)
    recording.frames.append({
        "node": root_id,
        "kind": "seed",
        "writes": [[root_id, 0.0, number(seed)]],
        "text": (f"{r}.grad = 1 (base case: d{r}/d{r} = 1)" if scalar else
                 f"{r}.grad = ones of shape {shape_text(root.data_tensor.shape)} (torch seeds "
                 f"a tensor's backward with ones: the grads of sum({r}))"),
    })
    running = {id(b): 0.0 for b in boxes}
    for k, _ in enumerate(graph.roots):
        running[id(boxes[graph.roots[k]])] = boxes[graph.roots[k]].grad
    for i in graph.order:
        recording.frames.append(_frame(boxes[i], ids, names, running))
    return recording


def _is_scalar(box: Any) -> bool:
    t = box.data_tensor if box.data_tensor is not None else box.grad_tensor
    return t is not None and t.numel() == 1


def _frame(box: Any, ids: dict[int, str], names: dict[int, str],
           running: dict[int, float]) -> dict[str, Any]:
    node_id, o = ids[id(box)], names[id(box)]
    if not box._prev:
        return {
            "node": node_id, "kind": "leaf", "writes": [],
            "text": f"{o} is a leaf: torch's AccumulateGrad adds what arrived into {o}.grad "
                    f"({o}.grad = {_grad_text(box)} is final)",
        }
    sent: dict[int, float] = {}
    for child, part in zip(box._prev, box.parts, strict=False):
        sent[id(child)] = sent.get(id(child), 0.0) + part
    children = list(dict.fromkeys(box._prev))
    writes, lines = [], []
    for child in children:
        before = running[id(child)]
        after = before + sent.get(id(child), 0.0)
        running[id(child)] = after
        writes.append([ids[id(child)], number(before), number(after)])
        lines.append(_explain(box, child, before, after, names))
    if box._op == "+" and _is_scalar(box) and all("went from" not in ln for ln in lines):
        lines.insert(0, f"+ routes {o}.grad = {_fmt(box.grad)} to its inputs unchanged:")
    return {"node": node_id, "kind": "op", "writes": writes, "text": "\n".join(lines)}


def _explain(out: Any, child: Any, before: float, after: float, names: dict[int, str]) -> str:
    """The chain rule with numbers for a one-element op we know, checked against what torch
    sent; otherwise what arrived (for a tensor: its shape and mean)."""
    c = names[id(child)]
    if _is_scalar(out) and _is_scalar(child):
        formula = _torch_formula(out, child, names) or _formula(out, child, out.grad, names)
        if formula is not None and _close(after - before, formula[1], before, after):
            line = f"{c}.grad += {formula[0]} = {_fmt(formula[1])}"
            if before != 0:
                line += f"  (accumulates: {_fmt(before)} + {_fmt(formula[1])} = {_fmt(after)})"
            return line
        return f"{c}.grad went from {_fmt(before)} to {_fmt(after)} ({_torch_op(out)})"
    t = child.data_tensor if child.data_tensor is not None else child.grad_tensor
    shape = shape_text(t.shape) if t is not None else "?"
    return (f"{c}.grad += what {_torch_op(out)} sends back (a tensor of shape {shape}; "
            f"mean {_fmt(after - before)})")


def _torch_op(box: Any) -> str:
    from .ops import node_name

    return node_name(box.node)


def _torch_formula(out: Any, child: Any, names: dict[int, str]) -> tuple[str, float] | None:
    """Where torch differs from micrograd: a - b, a / b, -a, and ops with a constant operand
    (`x * 2`, `x + 1`: the constant has no box; torch saved it, or its alpha)."""
    from .ops import saved

    inputs = out.inputs
    o, g = names[id(out)], out.grad
    if out._op == "neg" and len(inputs) == 1:
        return f"-1 × {o}.grad = -1 × {_fmt(g)}", -g
    if _torch_op(out) == "RsubBackward1" and len(inputs) == 1:  # 1 - x: the 1 is not kept
        alpha = saved(out.node, "_saved_alpha")
        k = -(1 if alpha is None else alpha)
        return f"{_fmt_k(k)} × {o}.grad = {_fmt_k(k)} × {_fmt(g)}", k * g
    if len(inputs) != 2 or inputs[0] is inputs[1] or out._op not in ("+", "-", "*", "/"):
        return None
    k = 0 if inputs[0] is child else 1
    other = inputs[1 - k]
    if out._op in ("+", "-"):
        alpha = saved(out.node, "_saved_alpha")
        alpha = 1 if alpha is None else alpha
        sign = 1 if k == 0 else (alpha if out._op == "+" else -alpha)
        if sign == 1 and out._op == "+" and other is not None:
            return None  # micrograd's own line
        return f"{_fmt_k(sign)} × {o}.grad = {_fmt_k(sign)} × {_fmt(g)}", sign * g
    value = _operand(out, other, 1 - k, names)
    if value is None:
        return None
    other_name, other_data = value
    if out._op == "*":
        if other is not None:
            return None  # micrograd's own line
        return f"{other_name} × {o}.grad = {_fmt(other_data)} × {_fmt(g)}", other_data * g
    c = names[id(child)]
    if k == 0:
        if other_data == 0:
            return None
        return (f"(1 / {other_name}) × {o}.grad = (1 / {_fmt(other_data)}) × {_fmt(g)}",
                g / other_data)
    x = child.data
    if x == 0:
        return None
    return (f"-{other_name} / {c}.data² × {o}.grad = -{_fmt(other_data)} / {_fmt(x)}² × "
            f"{_fmt(g)}", -other_data / x**2 * g)


def _operand(out: Any, box: Any, k: int, names: dict[int, str]) -> tuple[str, float] | None:
    """An operand's name and number: its box's, or the constant torch saved for input k."""
    from .ops import saved

    if box is not None:
        return f"{names[id(box)]}.data", box.data
    value = saved(out.node, ("_saved_self", "_saved_other")[k])
    if value is None or value.numel() != 1:
        return None
    number_ = float(value.item())
    return _fmt_k(number_), number_


def _fmt_k(k: float) -> str:
    return str(int(k)) if float(k).is_integer() else _fmt(k)


def _grad_text(box: Any) -> str:
    return box.grad_text[5:] if box.grad_text else _fmt(box.grad)


def _forward(box: Any, ids: dict[int, str], names: dict[int, str]) -> dict[str, Any]:
    if _is_scalar(box) or box.data_tensor is None:
        return _forward_frame(box, ids, names)
    n = names[id(box)]
    args = ", ".join(names[id(c)] for c in box._prev)
    what = f"{box._op}({args})" if box._prev else "a leaf tensor"
    return {"node": ids[id(box)], "value": number(box.data),
            "text": f"{n} = {what}: {box.data_text[5:]}"}


def record_tensor(root: Any, names: Any = None, max_nodes: int | None = None,
                  ) -> tuple[Recording, Any]:
    """trace() of a tensor and its backward's frames; GraphTooBigError above `max_nodes`."""
    from ..backprop import GraphTooBigError
    from ..tracing import trace

    graph = trace(root, names=names)
    if max_nodes is not None and len(graph) > max_nodes:
        raise GraphTooBigError(
            f"this graph has more than {max_nodes:,} nodes, too many to play node by node. "
            "Animate a smaller root instead, use draw(root) to see the whole graph folded, "
            "or raise max_nodes."
        )
    return record_tensor_backward(graph), graph
