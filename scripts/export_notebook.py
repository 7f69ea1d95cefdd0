"""Export a notebook's widgets as one self-contained HTML page that works offline.

    python scripts/export_notebook.py notebooks/tour.ipynb export/tour.html

Runs the notebook's code cells in an in-process IPython shell (so `%load_ext` and `%%micrograd`
work), then writes one page with the notebook's text, its code, what it printed, its matplotlib
figures (inline PNG) and every widget a cell returned (bundles inlined via save_html's page).
The widgets show their state at the end of the run; nothing on the page loads from the network.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import os
import sys
from pathlib import Path

import nbformat

os.environ.setdefault("MPLBACKEND", "Agg")


def markdown_to_html(source: str) -> str:
    """The notebook's Markdown as HTML, raw HTML in it escaped (mistune ships with nbconvert)."""
    import mistune

    return str(mistune.create_markdown(escape=True)(source))


def figures_as_html() -> list[str]:
    import matplotlib.pyplot as plt

    images = []
    for number in plt.get_fignums():
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png", dpi=80, bbox_inches="tight")
        data = base64.b64encode(buffer.getvalue()).decode("ascii")
        images.append(f'<img alt="figure" src="data:image/png;base64,{data}">')
    plt.close("all")
    return images


def _widget_row(obj: object) -> bool:
    """An ipywidgets HBox whose children are all anywidgets (the tour's graphs side by side)."""
    import anywidget
    import ipywidgets

    children = getattr(obj, "children", ())
    return isinstance(obj, ipywidgets.HBox) and bool(children) and all(
        isinstance(c, anywidget.AnyWidget) for c in children)


def export(notebook_path: Path, out_path: Path) -> Path:
    import anywidget
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    from micrograd_widgets.widgets._base import page_html

    notebook = nbformat.read(notebook_path, as_version=4)
    shell = InteractiveShell.instance()
    # Results are collected below, not printed as "Out[n]: ..." into the captured text.
    shell.displayhook.write_output_prompt = lambda: None
    shell.displayhook.write_format_data = lambda *args, **kwargs: None
    os.chdir(notebook_path.resolve().parent)
    blocks: list[object] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            blocks.append(markdown_to_html(cell.source))
            continue
        if cell.cell_type != "code":
            continue
        blocks.append(f'<pre class="mgw-code">{html.escape(cell.source)}</pre>')
        with capture_output(display=False) as captured:
            result = shell.run_cell(cell.source, store_history=True)
        if not result.success:
            sys.stderr.write(captured.stdout + captured.stderr)
            raise SystemExit(f"{notebook_path}: a cell failed; nothing was written")
        printed = captured.stdout.strip()
        if printed:
            blocks.append(f'<pre class="mgw-output">{html.escape(printed)}</pre>')
        blocks.extend(figures_as_html())
        if isinstance(result.result, anywidget.AnyWidget):
            blocks.append(result.result)
        elif _widget_row(result.result):  # an HBox of our widgets: side by side on the page
            blocks.append('<div style="display:grid;grid-template-columns:1fr 1fr;gap:16px">')
            blocks.extend(result.result.children)
            blocks.append("</div>")
        elif result.result is not None:
            blocks.append(f'<pre class="mgw-output">{html.escape(repr(result.result))}</pre>')
    out_path.parent.mkdir(parents=True, exist_ok=True)
    title = notebook_path.stem
    out_path.write_text(page_html(f"micrograd_widgets: {title}", blocks), encoding="utf-8")
    return out_path.resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("out", type=Path, help="the .html file to write")
    args = parser.parse_args()
    if args.out.suffix.lower() not in {".html", ".htm"}:
        parser.error(f"out must end in .html, got {str(args.out)!r}")
    out = args.out.resolve()
    print(export(args.notebook, out))


if __name__ == "__main__":
    main()
