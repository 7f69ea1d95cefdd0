"""The graph payload's optional columns: what a box says beyond its data and grad.

- `source`: the %%micrograd line that made each Value (sources.py), "" for none;
- `slope` / `check`: gradcheck's numerical slope and verdict ("ok" / "fail") per box;
- `edgeGrad`: per edge, what it sends back into its source Value's grad (local derivative x
  the grad of the op's output), so a Value used twice shows both parts of its grad;
- `notice`: one line for the status line (every grad still 0: the call that fills them in).
- `dataText` / `gradText` / `detail` (PyTorch graphs): what a tensor's box says instead of one
  number (its shape and first numbers, "" for a one-element tensor), and its hover's lines.

A column is left out when it would say nothing (absent = feature off, see js/graph/data.ts).
"""

from __future__ import annotations

import math
from typing import Any

from .sources import source_of

_NUMBER = (int, float)


def number(x: Any) -> float | str:
    """A float for JSON: NaN and infinities as the strings JavaScript's Number() understands."""
    x = float(x)
    if math.isfinite(x):
        return x
    return "NaN" if math.isnan(x) else ("Infinity" if x > 0 else "-Infinity")


def source_column(v: Any, graph: Any) -> list[str] | None:
    lines = ["" if r < 0 else source_of(graph.values[r]) for r in v.reps]
    return lines if any(lines) else None


def check_columns(v: Any, checks: Any) -> dict[str, list[Any]]:
    """slope and check per box, from a GradCheck of the same graph (ids from trace)."""
    by_id = checks.by_id()
    slope: list[Any] = []
    verdict: list[str] = []
    for r in v.reps:
        c = by_id.get(f"n{r}") if r >= 0 else None
        slope.append(None if c is None else number(c.slope))
        verdict.append("" if c is None or c.ok is None else ("ok" if c.ok else "fail"))
    return {"slope": slope, "check": verdict}


def tensor_columns(v: Any, graph: Any) -> dict[str, list[str]]:
    """dataText, gradText and detail per box, for boxes that are tensors (pytorch.read.TensorBox);
    {} for a Value graph. A column with nothing to say is left out."""
    values = graph.values
    if not values or not hasattr(values[0], "data_text"):
        return {}
    out: dict[str, list[str]] = {}
    for column, attribute in (("dataText", "data_text"), ("gradText", "grad_text"),
                              ("detail", "detail")):
        texts = ["" if r < 0 else getattr(values[r], attribute, "") for r in v.reps]
        if any(texts):
            out[column] = texts
    return out


def all_grads_zero(graph: Any) -> bool:
    return len(graph) > 1 and all(v.grad == 0 for v in graph.values)


REFRESH = "(then refresh() this widget)"


def zero_grad_notice(graph: Any, then: str = REFRESH) -> str:
    """The "every grad is 0" line when that is so (and the graph is more than a leaf), else "".

    `then` is what to do after the call (refresh the widget; a magic cell: run it again)."""
    if not all_grads_zero(graph):
        return ""
    root = graph.values[graph.roots[0]]
    name = getattr(root, "label", "") or "root"
    name = name if str(name).isidentifier() else "root"
    return f"Every grad is 0: call {name}.backward() to fill them in {then}."


def edge_grads(v: Any, graph: Any) -> list[Any] | None:
    """Per view edge (same order as v.edges): the part of its source box's grad it carries.

    For an edge out of a Value's box: the sum, over that Value's uses drawn in the target box,
    of d(use)/d(value) x use.grad. Edges out of folded boxes get None. None if no grad is set.
    """
    if all_grads_zero(graph) or len(graph) <= 1:
        return None
    cache: dict[int, dict[int, float]] = {}
    out: list[Any] = []
    for bc, bp in v.edges:
        c = v.reps[bc] if v.kinds[bc] == "value" else -1
        if c < 0:
            out.append(None)
            continue
        total = 0.0
        for p in graph.parents[c]:
            if v.owner[p] == bp:
                parts = cache.get(p)
                if parts is None:
                    parts = cache[p] = contributions(graph, p)
                total += parts.get(c, math.nan)
        out.append(number(total))
    return out


def contributions(graph: Any, p: int) -> dict[int, float]:
    """What node p's backward step adds to each child's grad, leaving every grad as it was.

    This engine's Values know their local derivatives; any other Value's own _backward() is
    run with its children's grads set to 0, read, and the grads put back.
    """
    from ..engine import Value

    value, kids = graph.values[p], graph.children[p]
    if type(value) is Value and value._custom is None:
        g = value.grad
        parts = dict.fromkeys(kids, 0.0)
        a, b = value._a, value._b
        for child, local in ((a, value._da), (b, value._db)):
            if child is not None:
                k = kids[0] if child is graph.values[kids[0]] else kids[-1]
                parts[k] += float(local * g)
        return parts
    backward = getattr(value, "_backward", None)
    if not callable(backward):
        return {}
    children = [graph.values[k] for k in kids]
    saved = [c.grad for c in children]
    try:
        for c in children:
            c.grad = 0
        backward()
        return {k: float(c.grad) for k, c in zip(kids, children, strict=True)}
    except Exception:  # a hand-written step that fails out of context: no numbers, no harm
        return {}
    finally:
        for c, grad in zip(children, saved, strict=True):
            c.grad = grad
