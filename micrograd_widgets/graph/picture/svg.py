"""A Drawing as a standalone SVG document: text kept as text (searchable, selectable), no script,
no link, nothing loaded from anywhere. Plain string building: no dependency, and fast enough to
run on every display."""

from __future__ import annotations

from .shapes import INK, Color, Curve, Drawing, Ellipse, Line, Polygon, Rect, Shape, Text

MONOSPACE = "DejaVu Sans Mono, ui-monospace, Menlo, Consolas, monospace"
SANS = "DejaVu Sans, system-ui, Helvetica, Arial, sans-serif"
BASELINE = 0.35  # em below the middle of a line: where its baseline sits
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    """Text for XML content or a double-quoted attribute (labels are data, never markup)."""
    return str(text).translate(_XML)


def _n(x: float) -> str:
    """A coordinate, rounded to 0.1 px, without a trailing .0."""
    text = f"{x:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _hex(color: Color) -> str:
    return "#{:02x}{:02x}{:02x}".format(*color)


def _paint(fill: Color | None, stroke: Color | None, width: float = 1.0,
           dash: tuple[float, float] | None = None) -> str:
    out = f' fill="{_hex(fill)}"' if fill else ' fill="none"'
    if stroke:
        out += f' stroke="{_hex(stroke)}"'
        if width != 1:
            out += f' stroke-width="{_n(width)}"'
        if dash:
            out += f' stroke-dasharray="{_n(dash[0])} {_n(dash[1])}"'
    return out


def _shape(s: Shape) -> str:
    if isinstance(s, Rect):
        return (f'<rect x="{_n(s.x)}" y="{_n(s.y)}" width="{_n(s.width)}" '
                f'height="{_n(s.height)}"{_paint(s.fill, s.stroke, s.stroke_width, s.dash)}/>')
    if isinstance(s, Line):
        width = "" if s.stroke_width == 1 else f' stroke-width="{_n(s.stroke_width)}"'
        return (f'<path d="M{_n(s.x1)} {_n(s.y1)}L{_n(s.x2)} {_n(s.y2)}" '
                f'stroke="{_hex(s.stroke)}"{width}/>')
    if isinstance(s, Ellipse):
        return (f'<ellipse cx="{_n(s.cx)}" cy="{_n(s.cy)}" rx="{_n(s.rx)}" ry="{_n(s.ry)}"'
                f'{_paint(s.fill, s.stroke)}/>')
    if isinstance(s, Curve):
        d = f"M{_n(s.start[0])} {_n(s.start[1])}" + "".join(
            f"C{_n(a[0])} {_n(a[1])} {_n(b[0])} {_n(b[1])} {_n(c[0])} {_n(c[1])}"
            for a, b, c in s.segments)
        return f'<path d="{d}"/>'
    if isinstance(s, Polygon):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in s.points)
        return f'<polygon points="{points}"/>'
    if isinstance(s, Text):
        attrs = f'x="{_n(s.x)}" y="{_n(s.y + BASELINE * s.size)}"'
        if s.size != 12:
            attrs += f' font-size="{_n(s.size)}"'
        if s.color != INK:
            attrs += f' fill="{_hex(s.color)}"'
        if s.bold:
            attrs += ' font-weight="bold"'
        if s.anchor != "middle":
            attrs += f' text-anchor="{s.anchor}"'
        if not s.monospace:
            attrs += f' font-family="{SANS}"'
        return f"<text {attrs}>{escape(s.text)}</text>"
    raise TypeError(f"unknown shape {type(s).__name__}")


def to_svg(d: Drawing, display_width: float | None = None) -> str:
    """The SVG document. `display_width` (px) scales how big viewers show it (the drawing's own
    coordinates stay in the viewBox); None shows it at its natural size.

    Only presentation attributes, no <style>, ids or classes: nbconvert and others paste the SVG
    into their HTML page, where a style sheet or an id would reach beyond the picture."""
    scale = 1.0 if display_width is None else display_width / d.width
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{_n(d.width * scale)}" height="{_n(d.height * scale)}" '
        f'viewBox="0 0 {_n(d.width)} {_n(d.height)}" '
        f'font-family="{MONOSPACE}" font-size="12" text-anchor="middle" '
        f'fill="{_hex(INK)}">',
    ]
    if d.title:
        parts.append(f"<title>{escape(d.title)}</title>")
    parts.append(f'<rect width="{_n(d.width)}" height="{_n(d.height)}" fill="#ffffff"/>')
    group: type | None = None  # edges and arrowheads share their paint in one <g> per run
    for s in d.shapes:
        kind = type(s) if isinstance(s, (Curve, Polygon)) else None
        if kind is not group:
            if group is not None:
                parts.append("</g>")
            if kind is Curve:
                parts.append(f'<g fill="none" stroke="{_hex(s.stroke)}">')  # type: ignore[union-attr]
            elif kind is Polygon:
                parts.append(f'<g fill="{_hex(s.fill)}">')  # type: ignore[union-attr]
            group = kind
        parts.append(_shape(s))
    if group is not None:
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
