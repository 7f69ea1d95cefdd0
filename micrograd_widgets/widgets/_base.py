"""What every widget shares: where its built JS lives, and how it becomes a standalone page."""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

import anywidget

STATIC = Path(__file__).resolve().parent.parent / "static"


def bundle(name: str) -> Path:
    """Path of a built widget bundle; a clear error if the JS was never built."""
    path = STATIC / f"{name}.js"
    if not path.is_file():
        raise RuntimeError(
            f"micrograd_widgets: the JavaScript bundle {path.name!r} is missing from {STATIC}. "
            "Install the package with pip (it builds the JS), "
            "or run `npm install && npm run build`."
        )
    return path


def _jsonable_state(widget: anywidget.AnyWidget) -> dict[str, Any]:
    """The synced traits a view reads, with bytes as base64 so the page can rebuild DataViews."""
    skip = set(anywidget.AnyWidget.class_trait_names(sync=True)) | {"_esm", "_css", "_anywidget_id"}
    state: dict[str, Any] = {}
    for name in widget.keys:
        if name in skip:
            continue
        value = getattr(widget, name)
        if isinstance(value, (bytes, bytearray, memoryview)):
            state[name] = {"$binary": base64.b64encode(bytes(value)).decode("ascii")}
        else:
            state[name] = value
    return state


# The page's script is js/common/page.ts, built into static/page.js with the widget bundles: it
# imports each bundle once from a Blob URL (works from file://) and hands every view a model that
# serves its saved state (#mgw-states); send() goes nowhere there (views read `_standalone`).
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title}</title>
<style>
body {{ margin: 16px auto; max-width: 1100px; padding: 0 16px; font-family: system-ui, sans-serif;
        line-height: 1.5; color: #1f2328; background: #ffffff; }}
.mgw-widget {{ margin: 12px 0 28px; }}
pre.mgw-output {{ background: #f6f8fa; padding: 8px 12px; overflow-x: auto; }}
pre.mgw-code {{ background: #f6f8fa; border-left: 3px solid #d0d7de; padding: 8px 12px;
                overflow-x: auto; }}
/* the system's dark mode: the widgets follow it too (js/common/theme.ts) */
@media (prefers-color-scheme: dark) {{
  body {{ color: #e6e6e6; background: #111111; }}
  pre.mgw-output, pre.mgw-code {{ background: #1e1e1e; }}
  pre.mgw-code {{ border-left-color: #3d444d; }}
}}
</style>
</head>
<body>
{body}
<script type="application/json" id="mgw-bundles">{bundles}</script>
<script type="application/json" id="mgw-states">{states}</script>
<script type="module">{script}</script>
</body>
</html>
"""


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no '</script' or '<!--' can appear."""
    text = json.dumps(value, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _inline_script(source: str) -> str:
    """JavaScript safe between <script> tags: a '</script' in a string or regex cannot end them."""
    return re.sub(r"</(script)", r"<\\/\1", source, flags=re.IGNORECASE)


def page_html(title: str, blocks: list[anywidget.AnyWidget | str]) -> str:
    """One self-contained page: widgets rendered offline, between trusted HTML fragments.

    A string block is inserted as HTML, so callers escape any user text in it; each distinct
    bundle is inlined once however many widgets use it.
    """
    bundles: list[str] = []
    views: list[dict[str, Any]] = []
    body: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            body.append(block)
            continue
        esm = block._esm
        source = Path(esm).read_text(encoding="utf-8") if isinstance(esm, Path) else str(esm)
        if source not in bundles:
            bundles.append(source)
        body.append(f'<div class="mgw-widget" id="mgw-{len(views)}"></div>')
        views.append({
            "bundle": bundles.index(source),
            "state": {**_jsonable_state(block), "_standalone": True},
        })
    return _PAGE.format(
        title=html.escape(title),
        body="\n".join(body),
        bundles=_script_json(bundles),
        states=_script_json(views),
        script=_inline_script(bundle("page").read_text(encoding="utf-8")),
    )


def standalone_html(widget: anywidget.AnyWidget, title: str) -> str:
    """One self-contained HTML page rendering `widget` offline: bundle and state inlined."""
    return page_html(title, [widget])


def save_html(widget: anywidget.AnyWidget, path: str | Path, title: str) -> Path:
    """Writes standalone_html(widget) to `path` and returns the resolved path."""
    target = Path(path)
    if target.suffix.lower() not in {".html", ".htm"}:
        raise ValueError(f"path must end in .html or .htm, got {str(path)!r}")
    target.write_text(standalone_html(widget, title), encoding="utf-8")
    return target.resolve()
