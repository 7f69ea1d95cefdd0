"""A Drawing as a matplotlib Figure (`GraphWidget.figure()`): to add to a report, save as PDF,
or draw on further. One scene px is one figure pixel at the figure's 100 dpi."""

from __future__ import annotations

from typing import Any

from .shapes import Curve, Drawing, Ellipse, Line, Polygon, Rect, Text

DPI = 100
BASELINE = 0.35  # em below the middle of a line (as svg.py)


def _rgb(color: tuple[int, int, int] | None) -> Any:
    return "none" if color is None else tuple(c / 255 for c in color)


def to_figure(d: Drawing) -> Any:
    """A matplotlib Figure of the drawing (no pyplot: it is not registered with any backend)."""
    from matplotlib import patches
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath

    fig = Figure(figsize=(d.width / DPI, d.height / DPI), dpi=DPI, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, d.width)
    ax.set_ylim(d.height, 0)
    ax.set_axis_off()
    pt = 72 / DPI  # points per px
    for z, s in enumerate(d.shapes):
        if isinstance(s, Rect):
            ax.add_patch(patches.Rectangle(
                (s.x, s.y), s.width, s.height, facecolor=_rgb(s.fill), edgecolor=_rgb(s.stroke),
                linewidth=s.stroke_width * pt if s.stroke else 0, zorder=z,
                linestyle=(0, s.dash) if s.dash else "solid"))
        elif isinstance(s, Line):
            ax.plot([s.x1, s.x2], [s.y1, s.y2], color=_rgb(s.stroke),
                    linewidth=s.stroke_width * pt, zorder=z, solid_capstyle="butt")
        elif isinstance(s, Ellipse):
            ax.add_patch(patches.Ellipse((s.cx, s.cy), 2 * s.rx, 2 * s.ry, facecolor=_rgb(s.fill),
                                         edgecolor=_rgb(s.stroke), linewidth=pt, zorder=z))
        elif isinstance(s, Curve):
            vertices = [s.start] + [p for seg in s.segments for p in seg]
            codes = [MplPath.MOVETO] + [MplPath.CURVE4] * (3 * len(s.segments))
            ax.add_patch(patches.PathPatch(MplPath(vertices, codes), facecolor="none",
                                           edgecolor=_rgb(s.stroke),
                                           linewidth=s.stroke_width * pt, zorder=z))
        elif isinstance(s, Polygon):
            ax.add_patch(patches.Polygon(s.points, closed=True, facecolor=_rgb(s.fill),
                                         edgecolor="none", zorder=z))
        elif isinstance(s, Text):
            ax.text(s.x, s.y + BASELINE * s.size, s.text, fontsize=s.size * pt,
                    color=_rgb(s.color), ha="center" if s.anchor == "middle" else "left",
                    va="baseline", fontweight="bold" if s.bold else "normal",
                    family="DejaVu Sans Mono" if s.monospace else "DejaVu Sans", zorder=z,
                    usetex=False, parse_math=False)
        else:
            raise TypeError(f"unknown shape {type(s).__name__}")
    return fig
