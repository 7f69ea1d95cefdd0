"""Every node's data and grad in a PyTorch autograd graph, leaving the user's tensors alone.

`evaluate(nodes, edges, roots, leaves, torch)` returns, for each node of a graph read by
read.py, the tensor it computed (its data), the grad of that tensor, what it sent back
along each edge, and the order torch ran the nodes in:

- grads: `torch.autograd.grad(roots, leaves, retain_graph=True)` with hooks on the graph's nodes
  (`register_prehook` records each node's output grad as torch runs it, `register_hook` what it
  sends to each input); the hooks are removed afterwards. `autograd.grad` fills no `.grad`, and
  `retain_graph=True` keeps the graph, so a later `o.backward()` works as if we were never here.
- data: the root tensors, the tensors torch saved (`_saved_self`, `_saved_result`, ...: a saved
  tensor's `grad_fn` says whose output it is), and what is left replayed (ops.replay).
- after a `backward()` without `retain_graph`, torch has freed the saved tensors and refuses to
  run the graph again: we replay the forward on our own copies of the leaves and run that copy's
  backward instead (same ops, created in the same order, so torch runs them in the same order).
  What cannot be replayed is left unknown, and `Run.notice` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .ops import LEAF, can_replay, node_name, replay, saved, saved_tensors

FREED = (
    "torch freed this graph's saved values when backward() ran without retain_graph=True"
)


@dataclass
class Run:
    """What evaluate() learned, per node index (None where unknown)."""

    data: list[Any]
    grad: list[Any]
    parts: list[list[Any] | None]  # per node, per edge: the grad it sent to that input
    order: list[int]  # the non-leaf nodes in the order torch ran them
    replayed: bool = False  # grads from our replay of the forward (the graph was freed)
    notice: str = ""
    unknown_data: list[int] = field(default_factory=list)


def evaluate(
    nodes: list[Any], edges: list[list[tuple[int, int]]], roots: list[tuple[int, Any]],
    leaves: dict[int, Any], torch: Any, known: dict[int, Any] | None = None,
) -> Run:
    """Data and grad of every node.

    `edges[i]`: node i's inputs as (child index or -1 for a constant, output_nr), in
    next_functions order; `roots`: (node index, root tensor); `leaves`: index -> leaf tensor;
    `known`: index -> a tensor the user holds for that node (its data, exactly).
    """
    n = len(nodes)
    data: list[Any] = [None] * n
    for i, tensor in leaves.items():
        data[i] = tensor.detach()
    for i, tensor in (known or {}).items():
        data[i] = tensor.detach()
    for i, tensor in roots:
        data[i] = tensor.detach()
    _harvest_saved(nodes, data, torch)
    freed = ""  # why torch would not run the graph's backward again ("" if it did)
    try:
        grad, parts, order = _backward(nodes, roots, leaves, torch)
    except RuntimeError as error:
        text = str(error)
        freed = FREED if "second time" in text or "freed" in text else (
            "torch could not run this graph's backward (" + text.split("\n", 1)[0][:200] + ")")
    shapes = [_output_shape(node, grad[i] if not freed else None) for i, node in enumerate(nodes)]
    _replay_data(nodes, edges, data, shapes, torch)
    run = Run(data=data, grad=[None] * n, parts=[None] * n, order=[])
    if not freed:
        run.grad, run.parts, run.order = grad, parts, order
    else:
        _replay_backward(run, nodes, edges, roots, leaves, shapes, torch)
    run.unknown_data = [i for i in range(n) if data[i] is None]
    if freed and (run.unknown_data or not run.replayed):
        run.notice = (f"{freed}: showing what is still known (leaves' data and .grad; "
                      "'?' where torch kept nothing). Run the forward again, or call "
                      "backward(retain_graph=True), to see every number.")
    return run


def _harvest_saved(nodes: list[Any], data: list[Any], torch: Any) -> None:
    """Data from what the nodes saved: a saved tensor with a grad_fn is that node's output."""
    index = {id(node): i for i, node in enumerate(nodes)}
    for i, node in enumerate(nodes):
        result = saved(node, "_saved_result")
        if isinstance(result, torch.Tensor) and data[i] is None:
            data[i] = result.detach()
        for tensor in saved_tensors(node, torch):
            owner = index.get(id(tensor.grad_fn)) if tensor.grad_fn is not None else None
            if owner is not None and data[owner] is None:
                data[owner] = tensor.detach()


def _output_shape(node: Any, grad: Any) -> Any:
    """The shape of the node's output: its grad's, else the input metadata torch keeps."""
    if grad is not None:
        return tuple(grad.shape)
    try:
        return tuple(node._input_metadata[0].shape)
    except (AttributeError, IndexError, RuntimeError, TypeError):
        return None


def _replay_data(nodes: list[Any], edges: list[list[tuple[int, int]]], data: list[Any],
                 shapes: list[Any], torch: Any) -> None:
    """Fill in the data nobody saved by replaying each known op on its inputs' data."""
    with torch.no_grad():
        for i, node in enumerate(nodes):  # children before parents
            if data[i] is None and node_name(node) != LEAF:
                inputs = [data[c] if c >= 0 and nr == 0 else None for c, nr in edges[i]]
                out = replay(node, inputs, shapes[i], torch)
                if out is not None:
                    data[i] = out.detach()


def _backward(
    nodes: list[Any], roots: list[tuple[int, Any]], leaves: dict[int, Any], torch: Any,
) -> tuple[list[Any], list[list[Any] | None], list[int]]:
    """torch's backward from the roots with a hook on every node; the hooks are removed after."""
    n = len(nodes)
    grad: list[Any] = [None] * n
    parts: list[list[Any] | None] = [None] * n
    order: list[int] = []
    handles = []

    def before(i: int) -> Any:
        def hook(grad_outputs: Any) -> None:
            order.append(i)
            grad[i] = grad_outputs[0]
        return hook

    def after(i: int) -> Any:
        def hook(grad_inputs: Any, _grad_outputs: Any) -> None:
            parts[i] = list(grad_inputs)
        return hook

    try:
        for i, node in enumerate(nodes):
            if node is not None and node_name(node) != LEAF and hasattr(node, "register_prehook"):
                handles.append(node.register_prehook(before(i)))
                handles.append(node.register_hook(after(i)))
        outputs = [tensor for _, tensor in roots]
        seeds = [torch.ones_like(t) for t in outputs]
        leaf_items = sorted(leaves.items())
        inputs = [t for _, t in leaf_items]
        if inputs:
            found = torch.autograd.grad(outputs, inputs, grad_outputs=seeds, retain_graph=True,
                                        allow_unused=True)
            for (i, _), g in zip(leaf_items, found, strict=True):
                grad[i] = g
    finally:
        for handle in handles:
            handle.remove()
    for i, tensor in roots:  # a root's grad is its seed (a root also used inside: its sum)
        if grad[i] is None:
            grad[i] = torch.ones_like(tensor)
    return grad, parts, order


def _replay_backward(run: Run, nodes: list[Any], edges: list[list[tuple[int, int]]],
                     roots: list[tuple[int, Any]], leaves: dict[int, Any], shapes: list[Any],
                     torch: Any) -> None:
    """The graph was freed: replay the forward on copies of the leaves, and run that backward.

    Nodes are replayed in the order the user made them (`_sequence_nr`), so torch numbers the
    copies in the same order and runs their backward in the same order. If any op cannot be
    replayed, only the leaves' own `.grad` (filled by the user's backward) is shown.
    """
    n = len(nodes)
    copies: list[Any] = [None] * n
    with torch.enable_grad():
        for i, tensor in leaves.items():
            copies[i] = tensor.detach().clone().requires_grad_(True)
        ops = [i for i in range(n) if i not in leaves]
        ops.sort(key=lambda i: _sequence(nodes[i], i))
        for i in ops:
            if not can_replay(nodes[i]):
                break
            inputs = [copies[c] if c >= 0 and nr == 0 else None for c, nr in edges[i]]
            out = replay(nodes[i], inputs, shapes[i], torch)
            if out is None or out.grad_fn is None:
                break
            copies[i] = out
    if any(copies[i] is None for i in range(n)):
        for i, tensor in leaves.items():
            if tensor.grad is not None:
                run.grad[i] = tensor.grad.detach()
        return
    mapped = [None if i in leaves else copies[i].grad_fn for i in range(n)]
    copy_roots = [(i, copies[i]) for i, _ in roots]
    copy_leaves = {i: copies[i] for i in leaves}
    grad, parts, order = _backward(mapped, copy_roots, copy_leaves, torch)
    for i in range(n):
        mine = mapped[i]
        aligned = mine is not None and len(mine.next_functions) == len(edges[i])
        parts[i] = parts[i] if aligned else None
    for i in range(n):
        if run.data[i] is None:
            run.data[i] = copies[i].detach()
    run.grad, run.parts, run.order, run.replayed = grad, parts, order, True


def _sequence(node: Any, fallback: int) -> tuple[int, int]:
    try:
        return (int(node._sequence_nr()), fallback)
    except (AttributeError, RuntimeError, TypeError):
        return (fallback, fallback)
