"""What the graph widget and the backprop player show where no widget can run: an SVG and a PNG
of the graph beside the widget view in the display bundle (GitHub, nbviewer, nbconvert, Jupyter
Book, VS Code offline and PDF show those; JupyterLab, Notebook 7 and marimo show the widget), a
text/plain line saying what it is, and the same picture on demand: to_svg(), save_png(), figure().

The pictures are drawn by micrograd_widgets.graph.picture from the same scene as the page.
"""

from __future__ import annotations

import base64
import warnings
from pathlib import Path
from typing import Any

from .._options import options
from ..graph import picture as pictures
from ..graph.layout.scene import fixed4, to_number
from ..graph.picture.shapes import clean_text
from ..graph.walk import label_of

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SVG, PNG = "image/svg+xml", "image/png"
MOST_ROOTS = 3  # roots named in the text line


class StaticPicture:
    """Mixed into GraphWidget and BackpropWidget, which say what to picture (`_picture_input`)
    and what they are (`_what`)."""

    def _picture_input(self) -> tuple[dict[str, Any], Any, bool]:
        """(payload, its graph's trace or a function giving it, gradcheck shown): what the
        picture draws."""
        raise NotImplementedError

    def _what(self) -> tuple[str, list[Any], str]:
        """(what it is, e.g. "graph"; its roots; what to do for the live view)."""
        raise NotImplementedError

    # -- the picture

    def _picture(self) -> pictures.Picture:
        payload, graph, slopes = self._picture_input()
        shown, caption = pictures.readable(payload, graph)
        return pictures.picture(shown, slopes=slopes and shown is payload, caption=caption,
                                title=self._describe(with_hint=False))

    def to_svg(self) -> str:
        """The graph as a standalone SVG document, as the page draws it (light colours, text as
        text): what the notebook keeps beside the widget for places that cannot run widgets."""
        return self._picture().svg()

    def save_png(self, path: str | Path, scale: float = 2.0) -> Path:
        """Writes a PNG of the graph to `path` (ending in .png), `scale` pixels per px of the
        page (2: sharp on slides and high-DPI screens); returns the resolved path."""
        target = Path(path)
        if target.suffix.lower() != ".png":
            raise ValueError(f"path must end in .png, got {str(path)!r}")
        target.write_bytes(self._picture().png(scale))
        return target.resolve()

    def figure(self) -> Any:
        """A matplotlib Figure of the graph (to save as PDF, or put in a report)."""
        return self._picture().figure()

    # -- the display bundle

    def _describe(self, with_hint: bool = True) -> str:
        """One line: "graph of 10 Values; root o = 0.7071 (open in JupyterLab for the ...)"."""
        what, roots, hint = self._what()
        payload, _graph, _slopes = self._picture_input()
        total = int(payload.get("total", len(payload["id"])))
        text = f"{what} of {total:,} Value{'s' * (total != 1)}"
        if payload.get("collapsed"):
            text += f", folded into {len(payload['id']):,} boxes"
        named = [" = ".join(filter(None, [clean_text(label_of(r)), fixed4(to_number(r.data))]))
                 for r in roots]
        if len(named) > MOST_ROOTS:
            named = [*named[:MOST_ROOTS], "…"]
        if named:
            text += f"; root{'s' * (len(roots) != 1)} {', '.join(named)}"
        return f"{text} ({hint})" if with_hint else text

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget view, a text line, and (unless options.static_pictures is off) an SVG and
        a PNG of the graph; JupyterLab, Notebook 7 and marimo pick the widget."""
        bundle = super()._repr_mimebundle_(**kwargs)  # type: ignore[misc]
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        data = {**data, "text/plain": self._describe()}
        wanted = [m for m in (SVG, PNG) if _wanted(m, kwargs)]
        if wanted and options.static_pictures and _pictures_shown():
            try:
                data.update(picture_data(self._picture(), wanted))
            except Exception as error:  # noqa: BLE001 - a fallback picture never breaks display
                warnings.warn(f"micrograd_widgets: no static picture of this {type(self).__name__}"
                              f" ({type(error).__name__}: {error})", stacklevel=2)
        return data, metadata


def picture_data(picture: pictures.Picture, wanted: list[str] | None = None) -> dict[str, str]:
    """The picture's mimebundle entries: SVG text and base64 PNG."""
    out = {}
    for mime in wanted or [SVG, PNG]:
        if mime == SVG:
            out[SVG] = picture.svg()
        elif mime == PNG:
            out[PNG] = base64.b64encode(picture.png(width=pictures.BUNDLE_WIDTH)).decode("ascii")
    return out


def _wanted(mime: str, kwargs: dict[str, Any]) -> bool:
    include, exclude = kwargs.get("include"), kwargs.get("exclude")
    return (not include or mime in include) and not (exclude and mime in exclude)


def _pictures_shown() -> bool:
    """False in a front end that shows only text (terminal IPython): no picture to draw."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return True
    shell = get_ipython()
    formatter = getattr(shell, "display_formatter", None)
    return formatter is None or PNG in formatter.active_types or SVG in formatter.active_types
