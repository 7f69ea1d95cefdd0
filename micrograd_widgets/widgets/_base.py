"""What every widget shares: where its built JS lives, and how it becomes a standalone page."""

from __future__ import annotations

import base64
import html
import json
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


# The page imports the bundle from a Blob URL (works from file://) and hands it a model that
# serves the saved state; the view cannot tell it is not in a notebook, except send() goes nowhere.
_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body {{ margin: 16px; font-family: system-ui, sans-serif; }}</style>
</head>
<body>
<main id="mgw-root"></main>
<script type="application/json" id="mgw-state">{state}</script>
<script type="application/json" id="mgw-esm">{esm}</script>
<script type="module">
const read = (id) => JSON.parse(document.getElementById(id).textContent);
const raw = read("mgw-state");
const state = {{}};
for (const [key, value] of Object.entries(raw)) {{
  if (value && typeof value === "object" && "$binary" in value) {{
    const bytes = Uint8Array.from(atob(value["$binary"]), (c) => c.charCodeAt(0));
    state[key] = new DataView(bytes.buffer);
  }} else {{
    state[key] = value;
  }}
}}
const listeners = new Map();
const model = {{
  get: (name) => state[name],
  set: (name, value) => {{
    state[name] = value;
    for (const cb of listeners.get("change:" + name) ?? []) cb();
  }},
  save_changes: () => {{}},
  on: (event, cb) => listeners.set(event, [...(listeners.get(event) ?? []), cb]),
  off: (event, cb) => {{
    if (!event) return listeners.clear();
    listeners.set(event, (listeners.get(event) ?? []).filter((f) => cb && f !== cb));
  }},
  send: () => {{}},
}};
const url = URL.createObjectURL(new Blob([read("mgw-esm")], {{ type: "text/javascript" }}));
const mod = await import(url);
const widget = mod.default ?? mod;
await widget.render({{ model, el: document.getElementById("mgw-root") }});
</script>
</body>
</html>
"""


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element: no '</script' or '<!--' can appear."""
    text = json.dumps(value, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def standalone_html(widget: anywidget.AnyWidget, title: str) -> str:
    """One self-contained HTML page rendering `widget` offline: bundle and state inlined."""
    esm = widget._esm
    source = Path(esm).read_text(encoding="utf-8") if isinstance(esm, Path) else str(esm)
    return _PAGE.format(
        title=html.escape(title),
        state=_script_json({**_jsonable_state(widget), "_standalone": True}),
        esm=_script_json(source),
    )


def save_html(widget: anywidget.AnyWidget, path: str | Path, title: str) -> Path:
    """Writes standalone_html(widget) to `path` and returns the resolved path."""
    target = Path(path)
    if target.suffix.lower() not in {".html", ".htm"}:
        raise ValueError(f"path must end in .html or .htm, got {str(path)!r}")
    target.write_text(standalone_html(widget, title), encoding="utf-8")
    return target.resolve()
