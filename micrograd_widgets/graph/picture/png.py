"""A Drawing as a PNG, with Pillow (which matplotlib depends on; no system library needed).

Drawn at twice the size and halved, so edges and frames come out anti-aliased (a big picture
at its own size: four times fewer pixels to draw and encode); the text is the page's monospace,
DejaVu Sans Mono, read from the font files matplotlib ships (so no fonts need be installed),
else Pillow's own default font.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .shapes import WHITE, Color, Curve, Drawing, Ellipse, Line, Polygon, Rect, Text

SUPERSAMPLE = 2
SUPERSAMPLED_PIXELS = 4_000_000  # bigger pictures are drawn at their size (text still smooth)
BASELINE = 0.35  # em below the middle of a line (as svg.py)
FONT_FILES = {  # (monospace, bold) -> a file in matplotlib's mpl-data/fonts/ttf
    (True, False): "DejaVuSansMono.ttf",
    (True, True): "DejaVuSansMono-Bold.ttf",
    (False, False): "DejaVuSans.ttf",
    (False, True): "DejaVuSans-Bold.ttf",
}


def _font_dir() -> Path | None:
    """matplotlib's bundled fonts, found without importing matplotlib (that takes a second)."""
    spec = find_spec("matplotlib")
    for place in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(place) / "mpl-data" / "fonts" / "ttf"
        if folder.is_dir():
            return folder
    return None


@lru_cache(maxsize=32)
def _font(size: int, monospace: bool, bold: bool) -> Any:
    from PIL import ImageFont

    folder = _font_dir()
    if folder is not None:
        try:
            return ImageFont.truetype(str(folder / FONT_FILES[monospace, bold]), size)
        except OSError:
            pass
    return ImageFont.load_default(size)


def _bezier(p0: tuple[float, float], seg: tuple, k: float) -> list[tuple[float, float]]:
    """Points along one cubic segment (scaled by k), enough for a smooth line."""
    (x0, y0), ((x1, y1), (x2, y2), (x3, y3)) = p0, seg
    steps = max(2, min(24, int(math.hypot(x3 - x0, y3 - y0) * k / 6)))
    out = []
    for j in range(1, steps + 1):
        t = j / steps
        u = 1 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        out.append(((a * x0 + b * x1 + c * x2 + d * x3) * k,
                    (a * y0 + b * y1 + c * y2 + d * y3) * k))
    return out


def _dashed_rect(draw: Any, box: tuple[float, float, float, float], color: Color, width: int,
                 dash: tuple[float, float], k: float) -> None:
    x0, y0, x1, y1 = box
    on, off = dash[0] * k, dash[1] * k
    for a, b, horizontal, fixed in ((x0, x1, True, y0), (x0, x1, True, y1),
                                    (y0, y1, False, x0), (y0, y1, False, x1)):
        t = a
        while t < b:
            e = min(b, t + on)
            line = [(t, fixed), (e, fixed)] if horizontal else [(fixed, t), (fixed, e)]
            draw.line(line, fill=color, width=width)
            t = e + off


def _draw(draw: Any, s: Any, k: float) -> None:
    if isinstance(s, Rect):
        box = (s.x * k, s.y * k, (s.x + s.width) * k, (s.y + s.height) * k)
        if s.fill:
            draw.rectangle(box, fill=s.fill)
        if s.stroke:
            width = max(1, round(s.stroke_width * k))
            if s.dash:
                _dashed_rect(draw, box, s.stroke, width, s.dash, k)
            else:
                half = width / 2  # centred on the edge, as SVG strokes are
                outer = (box[0] - half, box[1] - half, box[2] + half, box[3] + half)
                draw.rectangle(outer, outline=s.stroke, width=width)
    elif isinstance(s, Line):
        draw.line([(s.x1 * k, s.y1 * k), (s.x2 * k, s.y2 * k)], fill=s.stroke,
                  width=max(1, round(s.stroke_width * k)))
    elif isinstance(s, Ellipse):
        box = ((s.cx - s.rx) * k, (s.cy - s.ry) * k, (s.cx + s.rx) * k, (s.cy + s.ry) * k)
        draw.ellipse(box, fill=s.fill, outline=s.stroke, width=max(1, round(k)))
    elif isinstance(s, Curve):
        points = [(s.start[0] * k, s.start[1] * k)]
        start = s.start
        for seg in s.segments:
            points += _bezier(start, seg, k)
            start = seg[2]
        draw.line(points, fill=s.stroke, width=max(1, round(s.stroke_width * k)), joint="curve")
    elif isinstance(s, Polygon):
        draw.polygon([(x * k, y * k) for x, y in s.points], fill=s.fill)
    elif isinstance(s, Text):
        font = _font(max(1, round(s.size * k)), s.monospace, s.bold)
        anchor = "ms" if s.anchor == "middle" else "ls"
        draw.text((s.x * k, (s.y + BASELINE * s.size) * k), s.text, fill=s.color, font=font,
                  anchor=anchor)
    else:
        raise TypeError(f"unknown shape {type(s).__name__}")


def to_png(d: Drawing, scale: float = 1.0) -> bytes:
    """PNG bytes of the drawing, `scale` pixels per px of the scene."""
    from PIL import Image, ImageDraw

    if not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    drawn = d.width * d.height * (scale * SUPERSAMPLE) ** 2
    ss = SUPERSAMPLE if drawn <= SUPERSAMPLED_PIXELS else 1
    k = scale * ss
    size = (max(1, round(d.width * k)), max(1, round(d.height * k)))
    image = Image.new("RGB", size, WHITE)
    draw = ImageDraw.Draw(image)
    for s in d.shapes:
        _draw(draw, s, k)
    if ss > 1:
        image = image.reduce(ss)
    out = io.BytesIO()
    # a palette of 64 colours: the flat fills, the ink and the text's anti-aliasing fit, at a
    # third of the bytes of RGB and faster to encode (median cut takes 4x as long, same size)
    palette = image.quantize(colors=64, method=Image.Quantize.FASTOCTREE,
                             dither=Image.Dither.NONE)
    _exact_white(palette)
    palette.save(out, format="PNG")
    return out.getvalue()


def _exact_white(image: Any) -> None:
    """The octree rounds white to (254, 254, 254): put the background back to pure white."""
    colours = image.getpalette() or []
    brightest = max(range(len(colours) // 3), key=lambda i: sum(colours[3 * i:3 * i + 3]))
    if sum(colours[3 * brightest:3 * brightest + 3]) >= 3 * 248:
        colours[3 * brightest:3 * brightest + 3] = [255, 255, 255]
        image.putpalette(colours)
