"""The static picture of a graph: the same scene the page draws, as SVG, PNG or a matplotlib
Figure, made headless (no browser, no Node, no `dot`), for every place that cannot run a widget:
GitHub, nbviewer, nbconvert, Jupyter Book, VS Code offline, PDF.

    pic = picture(payload)          # payload: graph.tracing.payload(); the scene is laid out here
    pic.svg(); pic.png(); pic.figure()

shapes.py turns the scene and the payload's text into shapes in the page's light colours;
svg.py, png.py and figure.py draw those shapes. Plain Python: nothing here knows of widgets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..layout.layered import RANKDIRS
from ..layout.scene import Scene, layout_scene
from ..layout.wire import scene_from_json
from .shapes import Drawing, drawing

__all__ = ["Picture", "picture", "picture_scene", "readable", "BUNDLE_WIDTH", "COLUMN_WIDTH",
           "MAX_PIXELS"]

PICTURE_BOXES = 400  # more boxes than this are drawn folded, as draw() folds by default
COLUMN_WIDTH = 900  # px: about the width a notebook's output gets on GitHub, nbviewer, in a PDF
MIN_ZOOM = 0.45  # below this, left-to-right is too small to read whole in such a column
SMALL = 200  # boxes: a graph this small may be pictured top to bottom
MAX_PIXELS = 4_000_000  # a PNG is scaled down to at most this many pixels
# the display bundle's PNG is at most this wide: twice a notebook column, sharp in a PDF page
# or on a high-DPI screen (a graph 6,000 px wide is shrunk to a column anyway, and a PNG of
# 4 million pixels took 0.3 s to draw and encode); save_png() and the SVG keep every pixel
BUNDLE_WIDTH = 2 * COLUMN_WIDTH


def picture_scene(payload: dict[str, Any], slopes: bool = False) -> Scene:
    """The scene to picture: one the payload carries already (the page's `scenes`), else laid
    out here. In the payload's rankdir; with none given (or "auto"), left to right unless that
    would be read at under MIN_ZOOM in a COLUMN_WIDTH column and top to bottom reads bigger
    (the page's rule, for a page of fixed width)."""
    rankdir = payload.get("rankdir")
    sent = [s for s in (_scene_from_json(j, payload, slopes) for j in payload.get("scenes") or ())
            if s]
    if sent:
        for scene in sent:
            if scene.rankdir == rankdir:
                return scene
        if rankdir not in RANKDIRS:
            return _choose(sent)
    if rankdir in RANKDIRS:
        return layout_scene(payload, rankdir, slopes)
    across = layout_scene(payload, "LR", slopes)
    if _zoom(across) >= MIN_ZOOM or len(payload["id"]) > SMALL:
        return across
    return _choose([across, layout_scene(payload, "TB", slopes)])


def _choose(scenes: list[Scene]) -> Scene:
    """Left to right if it reads at MIN_ZOOM or more in the column, else what reads biggest."""
    for scene in scenes:
        if scene.rankdir == "LR" and _zoom(scene) >= MIN_ZOOM:
            return scene
    return max(scenes, key=_zoom)


def _zoom(scene: Scene) -> float:
    return min(1.0, COLUMN_WIDTH / max(scene.width, 1.0))


def _scene_from_json(j: Any, payload: dict[str, Any], slopes: bool) -> Scene | None:
    """The Scene a payload's scene JSON (wire.scene_json() + "slopes") describes, if it was laid
    out with `slopes`; None for anything else (the picture is then laid out here)."""
    try:
        if bool(j.get("slopes")) != slopes:
            return None
        return scene_from_json(j, payload)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None


@dataclass
class Picture:
    """One graph's picture: `svg()`, `png(scale)` and `figure()` all draw `drawing`."""

    drawing: Drawing

    def svg(self) -> str:
        """A standalone SVG document (text as text, no script, nothing remote)."""
        from .svg import to_svg

        return to_svg(self.drawing)

    def png(self, scale: float = 1.0, width: float | None = None) -> bytes:
        """PNG bytes, `scale` pixels per px (1: the page's size at 100% zoom), never more than
        MAX_PIXELS pixels nor (if given) `width` pixels wide (a huge drawing comes out
        smaller)."""
        from .png import to_png

        if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not (
                math.isfinite(scale) and 0 < scale <= 8):
            raise ValueError(f"scale must be a number above 0 and at most 8, got {scale!r}")
        d = self.drawing
        most = math.sqrt(MAX_PIXELS / max(d.width * d.height, 1.0))
        if width is not None:
            most = min(most, width / max(d.width, 1.0))
        return to_png(d, min(float(scale), most))

    def figure(self) -> Any:
        """A matplotlib Figure of the picture (imports matplotlib)."""
        from .figure import to_figure

        return to_figure(self.drawing)


def picture(payload: dict[str, Any], scene: Scene | None = None, *, slopes: bool = False,
            caption: str = "", title: str = "") -> Picture:
    """The picture of a graph payload (graph.tracing.payload()), laid out here unless `scene`
    (laid out from the same payload, with the same `slopes`) is given.

    `slopes`: show the gradcheck slopes and verdicts (the payload's slope/check columns).
    `caption`: a line under the graph; `title`: what the picture is (SVG <title>)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("id"), list):
        raise ValueError("payload must be a graph payload dict (graph.payload()) with an 'id' list")
    slopes = bool(slopes) and payload.get("slope") is not None
    if scene is None:
        scene = picture_scene(payload, slopes)
    return Picture(drawing(payload, scene, slopes=slopes, caption=caption, title=title))


def readable(payload: dict[str, Any], graph: Any, most: int = PICTURE_BOXES
             ) -> tuple[dict[str, Any], str]:
    """What to picture of a widget's `payload` for `graph` (its trace, or a function that
    traces it when needed), and the caption.

    Up to `most` boxes, the payload as it is; above (collapse="none" on a big graph, a big
    player), the graph folded as draw() folds it by default, so the picture stays readable and
    its size bounded. The caption says how it is folded, like the page's status line."""
    from ..tracing import payload as make_payload
    from ..tracing import view

    total = int(payload.get("total", len(payload["id"])))
    if len(payload["id"]) <= most:
        folded = bool(payload.get("collapsed"))
        boxes = len(payload["id"])
        return payload, (f"{total:,} values · folded into {boxes:,} boxes" if folded else "")
    graph = graph() if callable(graph) else graph
    if graph is None:  # nothing to fold it with: drawn whole
        return payload, ""
    v = view(graph, "auto", threshold=most)
    shown = make_payload(v, graph, payload.get("rankdir", "LR"), edge_grads=False)
    return shown, (f"{total:,} values · folded into {len(v.keys):,} boxes for this picture "
                   "(the widget shows every one)")
