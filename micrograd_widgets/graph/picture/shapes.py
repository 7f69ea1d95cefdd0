"""A graph's scene as plain shapes, in the page's light colours: what js/graph/scene.ts draws.

`drawing(payload, scene)` turns the payload's text (labels, data, grad, op symbols, folded group
names and counts, Σ boxes, gradcheck slopes) and the scene's places and routes into a list of
rectangles, lines, ellipses, curves, arrowheads and text, in paint order. The SVG, PNG and
matplotlib back ends (svg.py, png.py, figure.py) each draw that list; none of them lays anything
out, so the three pictures agree with each other and with the page.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..layout.scene import Scene, has_op_node, head_text, is_record, record_cells, to_number

Color = tuple[int, int, int]
Point = tuple[float, float]

# The page's light colours (js/graph/style.ts fallbacks, js/common/colors.ts).
WHITE: Color = (255, 255, 255)
INK: Color = (31, 35, 40)  # text and frames (#1f2328)
MUTED: Color = (89, 99, 110)  # a folded box's count, the caption (#59636e)
EDGE: Color = (87, 96, 106)  # edges and arrowheads (#57606a)
FOLDED_FILL: Color = (243, 244, 246)  # dashed boxes (#f3f4f6)
OK: Color = (22, 163, 74)  # gradcheck agrees (#16a34a)
FAIL: Color = (220, 38, 38)  # gradcheck disagrees (#dc2626)
POSITIVE: Color = (37, 99, 235)  # grad > 0: blue
NEGATIVE: Color = (220, 38, 38)  # grad < 0: red
INVALID: Color = (128, 128, 128)  # nan / inf grad: grey

FONT_SIZE = 12.0  # px, the page's monospace
SUB_SIZE = 11.0  # px, a folded box's "N values"
CAPTION_SIZE = 12.0
CAPTION_HEIGHT = 22.0
ARROW_LENGTH = 7.0  # the page's marker: 7 x 7 px, tip at the end of the edge
ARROW_HALF_WIDTH = 3.5
DASH = (4.0, 2.0)  # a folded box's frame


@dataclass
class Rect:
    x: float  # top left
    y: float
    width: float
    height: float
    fill: Color | None
    stroke: Color | None
    stroke_width: float = 1.0
    dash: tuple[float, float] | None = None


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: Color = INK
    stroke_width: float = 1.0


@dataclass
class Ellipse:
    cx: float
    cy: float
    rx: float
    ry: float
    fill: Color = WHITE
    stroke: Color = INK


@dataclass
class Curve:
    """An edge: `start`, then cubic Bézier segments (control 1, control 2, end)."""

    start: Point
    segments: list[tuple[Point, Point, Point]]
    stroke: Color = EDGE
    stroke_width: float = 1.0


@dataclass
class Polygon:
    points: list[Point]
    fill: Color = EDGE


@dataclass
class Text:
    x: float  # centre of the text (or its left end with anchor="start")
    y: float  # the middle of the line: back ends put the baseline a little below
    text: str
    size: float = FONT_SIZE
    color: Color = INK
    bold: bool = False
    anchor: str = "middle"  # "middle" | "start"
    monospace: bool = True


Shape = Rect | Line | Ellipse | Curve | Polygon | Text


@dataclass
class Drawing:
    """Shapes in paint order on a white `width` x `height` px canvas, and what it shows."""

    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)
    title: str = ""  # one line saying what the picture is (the SVG's <title>, alt text)


def grad_fill(grad: float, scale: float) -> Color | None:
    """A box's fill for its grad, already laid over white (js/common/colors.ts gradColor):
    none for 0, grey for nan/inf, blue (+) or red (-) stronger with |grad| / the largest |grad|."""
    if not math.isfinite(grad):
        return _over_white(INVALID, 0.45)
    if grad == 0 or not scale > 0:
        return None
    t = min(1.0, math.sqrt(abs(grad) / scale))
    return _over_white(POSITIVE if grad > 0 else NEGATIVE, round((0.12 + 0.5 * t) * 1000) / 1000)


def _over_white(color: Color, alpha: float) -> Color:
    return tuple(round(255 + (c - 255) * alpha) for c in color)  # type: ignore[return-value]


def clean_text(text: str) -> str:
    """A label as one line of printable text: control characters (which XML forbids and fonts
    cannot draw) become spaces. Labels are data; escaping for SVG is svg.py's job."""
    return "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in str(text))


def edge_curve(points: list[Point], rankdir: str) -> tuple[Curve, Polygon] | None:
    """The page's edge path (js/graph/data.ts edgePath: leaves and enters along the rank axis)
    and its arrowhead at the end."""
    if len(points) < 2:
        return None
    segments = []
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        if rankdir == "TB":
            my = (ay + by) / 2
            segments.append(((ax, my), (bx, my), (bx, by)))
        else:
            mx = (ax + bx) / 2
            segments.append(((mx, ay), (mx, by), (bx, by)))
    (cx, cy), (tx, ty) = segments[-1][1], segments[-1][2]  # the tangent at the end
    dx, dy = tx - cx, ty - cy
    norm = math.hypot(dx, dy)
    if norm == 0:  # a degenerate last segment: point along the rank axis
        dx, dy, norm = (0.0, 1.0, 1.0) if rankdir == "TB" else (1.0, 0.0, 1.0)
    ux, uy = dx / norm, dy / norm
    bx, by = tx - ux * ARROW_LENGTH, ty - uy * ARROW_LENGTH
    head = Polygon([(tx, ty), (bx - uy * ARROW_HALF_WIDTH, by + ux * ARROW_HALF_WIDTH),
                    (bx + uy * ARROW_HALF_WIDTH, by - ux * ARROW_HALF_WIDTH)])
    return Curve(points[0], segments), head


def drawing(payload: dict[str, Any], scene: Scene, slopes: bool = False,
            caption: str = "", title: str = "") -> Drawing:
    """The shapes of `scene` (laid out from `payload`) with the payload's text.

    `slopes`: the gradcheck display is on (the scene was laid out with slopes too): slope cells
    under the grads, checked boxes framed green or red. `caption`: one line under the graph
    (how it was folded), "" for none."""
    n = len(payload["id"])
    if len(scene.boxes) != n:
        raise ValueError(f"scene has {len(scene.boxes)} boxes, the payload {n}")
    out = Drawing(scene.width, scene.height, title=title)
    shapes = out.shapes
    heads: list[Shape] = []  # drawn after every edge: what shares a paint stays together
    for points in list(scene.edge_points) + [p for p in scene.op_edge_points if p]:
        made = edge_curve(list(points), scene.rankdir)
        if made:
            shapes.append(made[0])
            heads.append(made[1])
    shapes.extend(heads)
    grads = [to_number(g) for g in payload.get("grad") or [None] * n]
    scale = max((abs(g) for g in grads if math.isfinite(g)), default=0.0)
    checks = payload.get("check") if slopes else None
    for i in range(n):
        verdict = checks[i] if checks else ""
        if is_record(payload, i):
            _record(shapes, payload, scene, i, grad_fill(grads[i], scale), slopes, verdict)
        else:
            _folded(shapes, payload, scene, i)
        op = scene.ops[i]
        if op is not None and has_op_node(payload, i):
            shapes.append(Ellipse(op.x, op.y, op.width / 2, op.height / 2))
            shapes.append(Text(op.x, op.y, clean_text(payload["op"][i])))
    if caption:
        out.height += CAPTION_HEIGHT
        shapes.append(Text(10, out.height - CAPTION_HEIGHT / 2, clean_text(caption),
                           CAPTION_SIZE, MUTED, anchor="start", monospace=False))
    return out


def _record(shapes: list[Shape], payload: dict[str, Any], scene: Scene, i: int,
            fill: Color | None, slopes: bool, verdict: str) -> None:
    """label | data | grad (| slope under the grad), as scene.ts draws a record box."""
    b = scene.boxes[i]
    x0, y0 = b.x - b.width / 2, b.y - b.height / 2
    folded = (payload.get("kind") or ["value"] * len(payload["id"]))[i] != "value"
    frame, width = INK, 1.0
    if verdict == "ok":
        frame, width = OK, 2.0
    elif verdict == "fail":
        frame, width = FAIL, 5.0
    base = FOLDED_FILL if folded else WHITE
    shapes.append(Rect(x0, y0, b.width, b.height, fill or base, None))
    cells = [clean_text(c) for c in record_cells(payload, i, slopes)]
    widths = scene.sizes[i].cells
    half = b.height / 2
    x = x0
    for c, text in enumerate(cells[:3]):
        if c > 0:
            shapes.append(Line(x, y0, x, y0 + b.height))
        y = y0 + (half / 2 if c == 2 and len(cells) > 3 else half)
        shapes.append(Text(x + widths[c] / 2, y, text))
        x += widths[c]
    if len(cells) > 3:  # the slope: the lower half of the grad's cell
        gx = x - widths[2]
        if verdict == "fail":
            shapes.append(Rect(gx, y0 + half, widths[2], half, FAIL, None))
        elif verdict == "ok":
            shapes.append(Rect(gx, y0 + half, widths[2], half, _over_white(OK, 0.14), None))
        shapes.append(Line(gx, y0 + half, gx + widths[2], y0 + half))
        shapes.append(Text(gx + widths[2] / 2, y0 + half * 1.5, cells[3],
                           color=WHITE if verdict == "fail" else INK, bold=verdict == "fail"))
    shapes.append(Rect(x0, y0, b.width, b.height, None, frame, width, DASH if folded else None))


def _folded(shapes: list[Shape], payload: dict[str, Any], scene: Scene, i: int) -> None:
    """A folded group or bundle of inputs: a dashed grey box, its name over its count."""
    b = scene.boxes[i]
    x0, y0 = b.x - b.width / 2, b.y - b.height / 2
    shapes.append(Rect(x0, y0, b.width, b.height, FOLDED_FILL, INK, 1.0, DASH))
    count = (payload.get("count") or [1] * len(payload["id"]))[i]
    shapes.append(Text(b.x, b.y - 8, clean_text(head_text(payload, i))))
    shapes.append(Text(b.x, b.y + 9, f"{int(count):,} values", SUB_SIZE, MUTED))
