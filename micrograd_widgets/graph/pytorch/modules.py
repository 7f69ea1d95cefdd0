"""Which module of a PyTorch model made each node of an autograd graph, after the fact.

`module_groups(graph_nodes, children, leaves, model)` tags each node with its module's path
(`"0 (Linear)"`, `"encoder (Sequential)/encoder.0 (Linear)"`) so view() folds the graph by module
the way it folds our MLPs by layer and neuron. Nothing needs to be set up before the forward:

- a parameter belongs to the module that owns it (`named_modules()`, `recurse=False`);
- a node made only from one module's parameters (`W.t()`) belongs to that module, and so does
  the op that combines them with anything else (the `addmm` of a Linear);
- an op right after a module, matching the next parameterless module of the model (`Tanh`,
  `ReLU`, `Sigmoid`: `TanhBackward0`, ...), belongs to that module.

Anything else (the loss, ops written between modules) stays ungrouped.
"""

from __future__ import annotations

from typing import Any

from .ops import node_name


def module_groups(
    nodes: list[Any], children: list[tuple[int, ...]], leaves: dict[int, Any], model: Any,
) -> list[str | None]:
    """Each node's module path (None: made outside any module's own work)."""
    named = list(model.named_modules())
    path = {name: _path(name, named) for name, _ in named if name}
    owner_of_param: dict[int, str] = {}
    for name, module in named:
        for _, p in module.named_parameters(recurse=False):
            owner_of_param.setdefault(id(p), name)
    n = len(nodes)
    owner: list[str | None] = [None] * n
    param_side = [False] * n  # made from one module's parameters only
    for i in range(n):  # children before parents
        if i in leaves:
            owner[i] = owner_of_param.get(id(leaves[i]))
            param_side[i] = owner[i] is not None
            continue
        kids = children[i]
        sides = {owner[c] for c in kids if param_side[c]}
        if len(sides) == 1:
            owner[i] = next(iter(sides))
            # a one-input op of a parameter (W.t(), a view of it) is still the parameter
            param_side[i] = len(kids) == 1 and len(getattr(nodes[i], "next_functions", ())) == 1
    leaf_modules = [name for name, module in named if name and not list(module.children())]
    position = {name: k for k, name in enumerate(leaf_modules)}
    modules = dict(named)
    for i in range(n):
        if owner[i] is not None or i in leaves:
            continue
        before = {owner[c] for c in children[i] if owner[c] is not None}
        if len(before) != 1:
            continue
        k = position.get(next(iter(before)))
        if k is None or k + 1 >= len(leaf_modules):
            continue
        candidate = leaf_modules[k + 1]
        module = modules[candidate]
        has_params = any(True for _ in module.parameters(recurse=False))
        if not has_params and node_name(nodes[i]).lower().startswith(
                type(module).__name__.lower()):
            owner[i] = candidate
    return [None if o is None or o not in path else path[o] for o in owner]


def _path(name: str, named: list[tuple[str, Any]]) -> str:
    """'encoder.0' -> 'encoder (Sequential)/encoder.0 (Linear)'."""
    modules = dict(named)
    parts = name.split(".")
    out = []
    for k in range(len(parts)):
        prefix = ".".join(parts[: k + 1])
        module = modules.get(prefix)
        if module is not None:
            out.append(f"{prefix} ({type(module).__name__})")
    return "/".join(out)
