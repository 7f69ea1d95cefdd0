"""A PyTorch tensor's autograd graph as the same plain data trace() makes of a Value graph.

`trace_tensors(roots, names=..., model=...)` walks `grad_fn` / `next_functions` from each root
(iteratively, with walk.walk: a chain of 10,000 ops is fine), one box per autograd node (an op's
output, or a leaf tensor behind its `AccumulateGrad`), numbered children before parents as
trace() numbers Values. Each box is a `TensorBox`: a Value-like object (`data`, `grad`, `_op`,
`label`, `_prev`, `_group`, `_backward`) holding what values.evaluate learned, so view(),
folding, payload() and the player treat it as they treat a Value. Boxes are a snapshot: the
graph of one forward pass, with the grads its backward gives (the user's tensors untouched).

torch is imported only when a tensor arrives (`is_tensor` looks at `sys.modules`), so it stays
an optional dependency. Names come from `names=` (name -> tensor, e.g.
`dict(model.named_parameters())`, as torchviz's `params=`), from the %%micrograd magic
(`name_tensor`), or are left empty (the box shows its id).
"""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import sources
from ..tracing import Graph
from ..walk import walk
from . import ops as torch_ops
from .values import evaluate


def is_tensor(obj: Any) -> bool:
    """A torch.Tensor (or nn.Parameter), without importing torch: if torch is not imported
    yet, nothing can be a tensor."""
    torch = sys.modules.get("torch")
    tensor = getattr(torch, "Tensor", None)
    return isinstance(tensor, type) and isinstance(obj, tensor)


# ---------------------------------------------------------------------------- names


_names: dict[int, tuple[weakref.ref, str]] = {}


def name_tensor(tensor: Any, name: str) -> bool:
    """Remember `name` for `tensor` (first name wins, as for Values); True if recorded.

    Kept weakly, beside the tensor rather than on it: nothing of the user's changes.
    """
    key = id(tensor)
    entry = _names.get(key)
    if entry is not None and entry[0]() is tensor:
        return False
    try:
        ref = weakref.ref(tensor, lambda _ref, key=key: _forget(key, _ref))
    except TypeError:
        return False
    _names[key] = (ref, str(name))
    return True


def tensor_name(tensor: Any) -> str:
    entry = _names.get(id(tensor))
    return entry[1] if entry is not None and entry[0]() is tensor else ""


def _forget(key: int, ref: weakref.ref) -> None:
    entry = _names.get(key)
    if entry is not None and entry[0] is ref:
        del _names[key]


def _named_tensors(names: Mapping[str, Any] | None) -> list[tuple[str, Any]]:
    """The names= mapping first (it wins), then the names the magic remembered."""
    out: list[tuple[str, Any]] = []
    for name, tensor in (names or {}).items():
        if not is_tensor(tensor):
            raise ValueError(
                f"names must map names to tensors (like dict(model.named_parameters())), "
                f"got {name!r}: {type(tensor).__name__}"
            )
        out.append((str(name), tensor))
    for entry in list(_names.values()):
        tensor = entry[0]()
        if tensor is not None:
            out.append((entry[1], tensor))
    return out


# ---------------------------------------------------------------------------- the boxes


class TensorBox:
    """One autograd node drawn as a Value: a snapshot of its data and grad (floats for the
    picture: the number itself for a one-element tensor, else the mean; the text columns
    say the shape and numbers)."""

    def __init__(self, node: Any, op: str, label: str) -> None:
        self.node = node  # the grad_fn (or AccumulateGrad) this box stands for
        self._op = op
        self.label = label
        self._prev: tuple[TensorBox, ...] = ()
        self.inputs: tuple[TensorBox | None, ...] = ()  # per next_functions entry; None: a constant
        self._group: str | None = None
        self.parts: list[float] = []  # per entry of _prev: what this node sent to it
        self.data = float("nan")
        self.grad = float("nan")
        self.data_tensor: Any = None
        self.grad_tensor: Any = None
        self.data_text = ""  # "" for a one-element tensor: the box shows the number
        self.grad_text = ""
        self.detail = ""  # the hover's extra lines

    def _backward(self) -> None:
        """What this node sent to each input, added to its grad (as a Value's _backward)."""
        for child, part in zip(self._prev, self.parts, strict=False):
            child.grad += part

    def __repr__(self) -> str:
        return f"TensorBox({self.label or torch_ops.node_name(self.node)}, op={self._op!r})"


class _LeafRoot:
    """A leaf tensor drawn on its own (it has no grad_fn): an AccumulateGrad stand-in."""

    next_functions: tuple = ()

    def __init__(self, tensor: Any) -> None:
        self.variable = tensor

    def name(self) -> str:
        return torch_ops.LEAF


# ---------------------------------------------------------------------------- trace


@dataclass(eq=False)
class TensorGraph(Graph):
    """A Graph of TensorBoxes, with what only a torch graph has: `order`, the node indices in
    the order torch's backward runs them; `notice`, what could not be known and why (''); and
    `replayed`, whether the grads come from our replay (the user's graph was freed)."""

    order: list[int] = field(default_factory=list)
    notice: str = ""
    replayed: bool = False


def trace_tensors(
    roots: tuple[Any, ...], names: Mapping[str, Any] | None = None, model: Any = None,
) -> Any:
    """The autograd graph behind `roots` (tensors) as a tracing.Graph of TensorBoxes."""
    # tens of thousands of small objects (boxes, hooks, replayed tensors) and none of them in a
    # cycle: the collector's passes over a big autograd graph only cost time (a third, at 10k)
    paused = gc.isenabled()
    gc.disable()
    try:
        return _trace_tensors(roots, names, model)
    finally:
        if paused:
            gc.enable()


def _trace_tensors(roots: tuple[Any, ...], names: Mapping[str, Any] | None, model: Any) -> Any:
    import torch

    root_nodes = [_root_node(r, k) for k, r in enumerate(roots)]
    found = walk(root_nodes, _children)
    nodes = found.values
    index = {id(node): i for i, node in enumerate(nodes)}
    edges = [[(index[id(c)] if c is not None else -1, nr) for c, nr in node.next_functions]
             for node in nodes]
    leaves = {i: node.variable for i, node in enumerate(nodes)
              if torch_ops.node_name(node) == torch_ops.LEAF and hasattr(node, "variable")}
    labels, known = _labels(nodes, leaves, names)
    root_pairs = [(found.roots[k], r) for k, r in enumerate(roots)]
    run = evaluate(nodes, edges, root_pairs, leaves, torch, known)
    boxes = [TensorBox(node, torch_ops.op_name(node), labels[i]) for i, node in enumerate(nodes)]
    for i, box in enumerate(boxes):
        real = [(c, k) for k, (c, _) in enumerate(edges[i]) if c >= 0]
        box._prev = tuple(boxes[c] for c, _ in real)
        box.inputs = tuple(boxes[c] if c >= 0 else None for c, _ in edges[i])
        sent = run.parts[i]
        box.parts = [_mean(sent[k]) if sent is not None and k < len(sent) else 0.0
                     for _, k in real]
        _fill(box, run.data[i], run.grad[i], i in leaves)
        line = sources.source_of(known[i]) if i in known else ""
        if line:  # the %%micrograd line that made the user's tensor
            sources.remember(box, line)
    groups = _groups(nodes, found.children, leaves, model)
    for box, group in zip(boxes, groups, strict=True):
        box._group = group
    return TensorGraph(
        values=boxes, children=found.children, labels=labels, ops=[b._op for b in boxes],
        groups=groups, roots=found.roots, notice=run.notice,
        order=_torch_order(run.order, found.children, leaves, len(nodes)),
        replayed=run.replayed,
    )


def _root_node(root: Any, k: int) -> Any:
    if root.grad_fn is not None:
        return root.grad_fn
    if root.requires_grad:
        return _LeafRoot(root)
    raise ValueError(
        f"roots[{k}] is a tensor with no autograd graph (no grad_fn, requires_grad=False): "
        "make its inputs with requires_grad=True before computing it"
    )


def _children(node: Any) -> tuple[Any, ...]:
    """Distinct input nodes, in next_functions order (the same input twice: once)."""
    kids = [c for c, _ in node.next_functions if c is not None]
    return tuple(dict.fromkeys(kids)) if len(kids) > 1 else tuple(kids)


def _labels(nodes: list[Any], leaves: dict[int, Any], names: Mapping[str, Any] | None,
            ) -> tuple[list[str], dict[int, Any]]:
    """Each node's name (names=, then the magic's), and the user's tensor for it if named."""
    by_leaf = {id(t): i for i, t in leaves.items()}
    by_node = {id(node): i for i, node in enumerate(nodes)}
    labels = [""] * len(nodes)
    known: dict[int, Any] = {}
    for name, tensor in _named_tensors(names):
        fn = tensor.grad_fn
        i = by_node.get(id(fn)) if fn is not None else by_leaf.get(id(tensor))
        if i is not None and not labels[i]:
            labels[i] = name
            known[i] = tensor
    return labels, known


def _groups(nodes: list[Any], children: list[tuple[int, ...]], leaves: dict[int, Any],
            model: Any) -> list[str | None]:
    if model is None:
        return [None] * len(nodes)
    if not callable(getattr(model, "named_modules", None)):
        raise ValueError(
            f"model must be a torch.nn.Module (with named_modules()), got {type(model).__name__}"
        )
    from .modules import module_groups

    return module_groups(nodes, children, leaves, model)


def _torch_order(order: list[int], children: list[tuple[int, ...]], leaves: dict[int, Any],
                 n: int) -> list[int]:
    """The nodes as torch's backward() runs them: the ops in the order recorded, each leaf's
    AccumulateGrad as soon as its last user has run (torch runs a ready AccumulateGrad first)."""
    users = [0] * n
    for p in range(n):
        if p not in leaves:
            for c in children[p]:
                users[c] += 1
    out: list[int] = []
    for p in order:
        out.append(p)
        for c in children[p]:
            users[c] -= 1
            if users[c] == 0 and c in leaves:
                out.append(c)
    return out


# ---------------------------------------------------------------------------- numbers


def _mean(tensor: Any) -> float:
    if tensor is None:
        return 0.0
    count = tensor.numel()
    if count == 1:
        return float(tensor.item())
    return float(tensor.detach().double().mean()) if count else 0.0


def _fill(box: TensorBox, data: Any, grad: Any, leaf: bool) -> None:
    """The box's numbers and texts from its data and grad tensors (None: unknown)."""
    box.data_tensor, box.grad_tensor = data, grad
    lines = []
    shape = None
    for what, tensor in (("data", data), ("grad", grad)):
        if tensor is None:
            text = f"{what} ?"
            lines.append(f"{what}: not known ({_why_unknown(what, leaf)})")
            value = float("nan")
        else:
            shape = tuple(tensor.shape)
            if tensor.numel() == 1:
                value, text = float(tensor.item()), ""
            else:
                flat = tensor.detach().double().flatten()
                value = _mean(tensor)
                head = flat[:8].tolist()
                text = f"{what} {torch_ops.summary(head, int(flat.numel()), shape)}"
                stats = (value, float(flat.min()), float(flat.max()))
                lines.append(torch_ops.detail(what, head, int(flat.numel()), stats, shape,
                                              str(tensor.dtype).replace("torch.", "")))
        setattr(box, what, value)
        setattr(box, f"{what}_text", text)
    name = torch_ops.node_name(box.node)
    op = f"torch: {name}" if name != torch_ops.LEAF else "torch: leaf tensor (AccumulateGrad)"
    if shape is not None:
        op += f", shape {torch_ops.shape_text(shape)}"
    box.detail = "\n".join([op, *lines])


def _why_unknown(what: str, leaf: bool) -> str:
    if what == "grad":
        return "torch freed the graph; backward(retain_graph=True) keeps it"
    return "torch keeps no copy of this op's output"


# ---------------------------------------------------------------------------- for the magic


def has_graph(obj: Any) -> bool:
    """A tensor that draws: it has a grad_fn, or is a leaf that requires grad."""
    return is_tensor(obj) and (obj.grad_fn is not None or bool(obj.requires_grad))


def _nodes_below(tensors: list[Any]) -> tuple[set[int], set[int]]:
    """ids of the autograd nodes under the tensors' own nodes, and of the leaves among them."""
    nodes: set[int] = set()
    leaves: set[int] = set()
    stack = [c for t in tensors if t.grad_fn is not None for c in _children(t.grad_fn)]
    while stack:
        node = stack.pop()
        if id(node) in nodes:
            continue
        nodes.add(id(node))
        variable = getattr(node, "variable", None)
        if variable is not None:
            leaves.add(id(variable))
        stack.extend(_children(node))
    return nodes, leaves


def top_tensors(tensors: list[Any]) -> list[Any]:
    """The tensors that none of the others is computed from, in order (the cell's results)."""
    nodes, leaves = _nodes_below(tensors)
    return [t for t in tensors
            if (id(t.grad_fn) not in nodes if t.grad_fn is not None else id(t) not in leaves)]


def count_nodes(tensors: list[Any]) -> int:
    """How many boxes the tensors' graph has (their nodes and everything below)."""
    nodes, _ = _nodes_below(tensors)
    own = {id(t.grad_fn) for t in tensors if t.grad_fn is not None}
    bare = {id(t) for t in tensors if t.grad_fn is None}
    return len(nodes | own) + len(bare)


def describe_tensor(tensor: Any) -> str:
    """One tensor as the magic's text line says a Value: `o | tanh | shape 1 | data 0.7071`."""
    label = tensor_name(tensor) or "tensor"
    op = torch_ops.op_name(tensor.grad_fn) if tensor.grad_fn is not None else "leaf"
    numbers = (f"data {float(tensor.detach().reshape(-1)[0]):.4f}" if tensor.numel() == 1
               else f"shape {torch_ops.shape_text(tensor.shape)}")
    return f"{label} | {op} | {numbers}"
