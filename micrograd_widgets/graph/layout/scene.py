"""The scene: every box's size and place and every edge's route, from a graph payload.

The page (js/graph/) and the static pictures draw the same scene. Box sizes come from the page's
fixed monospace metrics (js/graph/data.ts: DEFAULT_METRICS, recordCells, boxSize, opSize); the
graph laid out is data.ts's layoutInput: one node per box, then one per op node (in box order);
payload edges go into the target's op node, then each op node -> its box.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .layered import RANKDIRS, Point, layered


@dataclass(frozen=True)
class Metrics:
    """The page's monospace text metrics in px (js/graph/data.ts DEFAULT_METRICS)."""

    char_width: float = 7.2
    line_height: float = 26
    pad: float = 6


METRICS = Metrics(char_width=7.2, line_height=26, pad=6)

NUMBER_CELL_CHARS = 14  # "data -123.4567": number cells never grow when values change
RECORD_KINDS = ("value", "sum")


@dataclass
class BoxSize:
    width: float
    height: float
    cells: list[float] = field(default_factory=list)  # record cell widths (empty for a group)


@dataclass
class Placed:
    x: float  # centre
    y: float
    width: float
    height: float


def to_number(x: Any) -> float:
    """A payload number (float, "NaN"/"Infinity"/"-Infinity", None) as a float (None -> nan)."""
    if x is None:
        return math.nan
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def fixed4(x: float) -> str:
    """Like the page's fixed4 (JavaScript toFixed(4), so Python's "%.4f" but ties away from 0)."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if abs(x) >= 1e21:  # toFixed gives the shortest representation there
        text = repr(x)
    else:
        text = str(Decimal(x).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    if (x < 0 or math.copysign(1.0, x) < 0) and not text.startswith("-"):
        text = "-" + text
    return text


def _column(payload: dict[str, Any], name: str, fill: Any) -> list[Any]:
    n = len(payload["id"])
    col = payload.get(name)
    if col is None:
        return [fill] * n
    if not isinstance(col, list) or len(col) != n:
        size = len(col) if isinstance(col, list) else type(col).__name__
        raise ValueError(f"graph payload column {name!r} has {size} entries, expected {n}")
    return col


def _text(x: Any) -> str:
    return "null" if x is None else str(x)


def _kind(payload: dict[str, Any], i: int) -> str:
    kinds = payload.get("kind")
    return "value" if kinds is None else kinds[i]


def head_text(payload: dict[str, Any], i: int) -> str:
    """The first cell of a box: a Value's label, "Σ 100 terms", a group's name, "inputs"."""
    kind = _kind(payload, i)
    label = _text(payload["label"][i]) if payload.get("label") is not None else ""
    if kind == "sum":
        terms = payload.get("terms")
        return f"Σ {_int_text(terms[i] if terms is not None else 0)} terms"
    if kind == "leaves":
        return label or "inputs"
    return label


def _int_text(x: Any) -> str:
    """A count as JavaScript's String() prints it (3, not 3.0)."""
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def record_cells(payload: dict[str, Any], i: int, slopes: bool = False) -> list[str]:
    """[label, "data 2.0000", "grad 0.0000"] (label may be ""), plus "slope ..." with `slopes`
    where gradcheck computed one (js/graph/data.ts recordCells)."""
    data = payload.get("data")
    grad = payload.get("grad")
    data_text = payload.get("dataText")  # a tensor's "data 64×16 [0.1234 …]" (PyTorch graphs)
    grad_text = payload.get("gradText")
    cells = [
        head_text(payload, i),
        (data_text[i] if data_text and data_text[i] else None)
        or f"data {fixed4(to_number(data[i] if data is not None else None))}",
        (grad_text[i] if grad_text and grad_text[i] else None)
        or f"grad {fixed4(to_number(grad[i] if grad is not None else None))}",
    ]
    slope = payload.get("slope")
    if slopes and slope is not None and slope[i] is not None:
        cells.append(f"slope {fixed4(to_number(slope[i]))}")
    return cells


def is_record(payload: dict[str, Any], i: int) -> bool:
    """Whether box i is drawn as a record (label | data | grad): Values and Σ sums."""
    return _kind(payload, i) in RECORD_KINDS


def has_op_node(payload: dict[str, Any], i: int) -> bool:
    """Value boxes with an op get a small op ellipse in front (like draw_dot)."""
    ops = payload.get("op")
    return _kind(payload, i) == "value" and ops is not None and _text(ops[i]) != ""


def cell_width(text: str, metrics: Metrics = METRICS, min_chars: int = 0) -> float:
    """Width of one record cell of `text` (at least `min_chars` characters wide)."""
    return max(min_chars, len(text)) * metrics.char_width + 2 * metrics.pad


def box_size(
    payload: dict[str, Any], i: int, metrics: Metrics = METRICS, slopes: bool = False
) -> BoxSize:
    """Box i's size as the page draws it (js/graph/data.ts boxSize)."""
    m = metrics
    if is_record(payload, i):
        cells_text = record_cells(payload, i, slopes)
        head, data, grad = cells_text[:3]
        slope = cells_text[3] if len(cells_text) > 3 else ""
        cells = [
            cell_width(head, m) if head else 2 * m.pad + m.char_width,
            cell_width(data, m, NUMBER_CELL_CHARS),
            max(cell_width(grad, m, NUMBER_CELL_CHARS),
                cell_width(slope, m, NUMBER_CELL_CHARS + 1) if slope else 0),
        ]
        height = 2 * m.line_height - 8 if slope else m.line_height
        return BoxSize(cells[0] + cells[1] + cells[2], height, cells)
    counts = payload.get("count")
    lines = [head_text(payload, i), f"{_int_text(counts[i] if counts is not None else 1)} values"]
    width = max(cell_width(t, m) for t in lines) + 2 * m.pad
    return BoxSize(width, 2 * m.line_height - 8, [])


def op_size(op: str, metrics: Metrics = METRICS) -> BoxSize:
    """An op ellipse's size (js/graph/data.ts opSize)."""
    return BoxSize(max(28, len(op) * metrics.char_width + 16), 24, [])


@dataclass
class LayoutInput:
    """The graph layered() lays out (js/graph/data.ts layoutInput)."""

    sizes: list[BoxSize]  # per payload box
    nodes: list[BoxSize]  # boxes, then op nodes
    edge_from: list[int]
    edge_to: list[int]
    op_index: list[int]  # per box: its op node's index in `nodes`, -1 for none


def payload_edges(payload: dict[str, Any]) -> tuple[list[int], list[int]]:
    n = len(payload["id"])
    flat = payload.get("edges") or []
    if len(flat) % 2:
        raise ValueError("graph payload 'edges' must come in (from, to) pairs")
    frm, to = [int(a) for a in flat[0::2]], [int(b) for b in flat[1::2]]
    for e, (a, b) in enumerate(zip(frm, to, strict=True)):
        if not (0 <= a < n and 0 <= b < n):
            raise ValueError(f"graph payload edge {e} ({a} -> {b}) points outside the {n} boxes")
    return frm, to


def layout_input(
    payload: dict[str, Any], metrics: Metrics = METRICS, slopes: bool = False
) -> LayoutInput:
    """One node per box, then one per op node; payload edges into the op nodes, then op -> box."""
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), list):
        raise ValueError("payload must be a graph payload dict (graph.payload()) with an 'id' list")
    n = len(payload["id"])
    for name in ("kind", "label", "op", "count", "terms", "data", "grad", "slope"):
        _column(payload, name, None)  # the lengths are checked here
    sizes = [box_size(payload, i, metrics, slopes) for i in range(n)]
    nodes = [BoxSize(s.width, s.height, []) for s in sizes]
    op_index = [-1] * n
    for i in range(n):
        if has_op_node(payload, i):
            op_index[i] = len(nodes)
            nodes.append(op_size(_text(payload["op"][i]), metrics))
    frm, to = payload_edges(payload)
    edge_from = list(frm)
    edge_to = [op_index[b] if op_index[b] >= 0 else b for b in to]
    for i in range(n):
        if op_index[i] >= 0:
            edge_from.append(op_index[i])
            edge_to.append(i)
    return LayoutInput(sizes, nodes, edge_from, edge_to, op_index)


@dataclass
class Scene:
    """Everything the page and the static pictures need to draw a graph, in px."""

    rankdir: str  # "LR" | "TB"
    width: float
    height: float
    boxes: list[Placed]  # per payload box: centre x, y, width, height
    sizes: list[BoxSize]  # per box: width, height, record cell widths
    ops: list[Placed | None]  # per box: its op ellipse, if it has one
    edge_points: list[list[Point]]  # per payload edge: from box -> the target's op node (or box)
    op_edge_points: list[list[Point] | None]  # per box: op node -> its box
    # per rank, where it starts and ends along the rank axis (layered.LayoutResult.ranks)
    ranks: list[tuple[float, float]] = field(default_factory=list)


def layout_scene(payload: dict[str, Any], rankdir: str = "LR", slopes: bool = False,
                 metrics: Metrics = METRICS) -> Scene:
    """Lays the payload's graph out in layers (like Graphviz dot), as js/graph/data.ts layoutGraph.

    `slopes`: boxes get their gradcheck slope cell (the gradcheck display is on)."""
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be 'LR' or 'TB', not {rankdir!r}")
    inp = layout_input(payload, metrics, slopes)
    n = len(inp.sizes)
    r = layered([(s.width, s.height) for s in inp.nodes], inp.edge_from, inp.edge_to, rankdir)

    def place(k: int) -> Placed:
        x, y = r.centers[k]
        return Placed(x, y, inp.nodes[k].width, inp.nodes[k].height)

    m0 = len(inp.edge_from) - sum(1 for k in inp.op_index if k >= 0)
    boxes: list[Placed] = []
    ops: list[Placed | None] = []
    op_edge_points: list[list[Point] | None] = []
    k = m0
    for i in range(n):
        boxes.append(place(i))
        if inp.op_index[i] >= 0:
            ops.append(place(inp.op_index[i]))
            op_edge_points.append(r.edges[k])
            k += 1
        else:
            ops.append(None)
            op_edge_points.append(None)
    return Scene(rankdir, r.width, r.height, boxes, inp.sizes, ops, r.edges[:m0], op_edge_points,
                 r.ranks)
