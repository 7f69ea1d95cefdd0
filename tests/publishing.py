"""Where notebooks go: one notebook with every widget, executed headless as CI, papermill and
Jupyter Book do (nbclient), saved as JupyterLab saves by default (no widget state), then turned
into the pages people share: `jupyter nbconvert --to html`, and a Sphinx + myst-nb site (Jupyter
Book's engine). Used by tests/test_publishing.py (the files) and tests/browser/
test_publishing_browser.py (the same pages in Chromium with the network refused).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SVG, PNG = "image/svg+xml", "image/png"

CELLS = [
    "%load_ext micrograd_widgets\n"
    "from micrograd_widgets import animate_backward, draw, TrainerWidget\n"
    "from micrograd_widgets.engine import Value\n"
    "from micrograd_widgets.nn import MLP",
    # the lecture's neuron, drawn
    "x1 = Value(2.0, label='x1'); x2 = Value(0.0, label='x2')\n"
    "w1 = Value(-3.0, label='w1'); w2 = Value(1.0, label='w2')\n"
    "b = Value(6.8813735870195432, label='b')\n"
    "n = x1*w1 + x2*w2 + b; n.label = 'n'\n"
    "o = n.tanh(); o.label = 'o'\n"
    "o.backward()\n"
    "draw(o)",
    "animate_backward(o)",
    "%%micrograd\na = Value(2.0)\nb = Value(-3.0)\nc = Value(10.0)\nd = a*b + c",
    "%%micrograd --animate\nf = Value(-2.0)\nL = (Value(2.0)*Value(-3.0) + Value(10.0)) * f",
    "o",  # a Value shown by the extension's formatter
    "import random\nrandom.seed(0)\n"
    "draw(MLP(2, [3, 1])([Value(1.0), Value(-1.0)]), collapse='groups')",  # dashed folded boxes
    "TrainerWidget(hidden=(4,), seed=0)",  # the trainer's PNG of its map (it has no graph)
]
# The outputs above that draw a graph (the trainer's carries a PNG only).
GRAPH_OUTPUTS = 6
WIDGET_OUTPUTS = 7

# What a Sphinx + myst-nb (Jupyter Book) site needs to show the pictures: myst-nb puts widget
# views first, and those cannot render on a static site. (The README gives this line.)
MYST_NB_CONF = ('nb_mime_priority_overrides = '
                '[("*", "application/vnd.jupyter.widget-view+json", None)]')


# The README's recipe for a notebook saved with widget state: nbconvert drops the notebook's
# metadata (the widget state with it), so every output falls back to its pictures.
CLEAR_WIDGET_STATE = ("--ClearMetadataPreprocessor.enabled=True",)


def kernel_env() -> dict[str, str]:
    """The kernel imports this tree's package (not whatever is installed)."""
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": str(REPO) + (os.pathsep + path if path else ""),
            "MPLBACKEND": "Agg"}


def execute(folder: Path) -> tuple[Path, Path]:
    """Runs CELLS headless in a fresh kernel; writes the notebook as JupyterLab saves it by
    default (no widget state) and as nbclient saves it (widget state kept). Returns both paths."""
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    })
    nb.cells = [nbformat.v4.new_code_cell(source) for source in CELLS]
    saved_env = os.environ.copy()
    os.environ.update(kernel_env())
    try:
        NotebookClient(nb, timeout=180, kernel_name="python3",
                       resources={"metadata": {"path": str(folder)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
    with_state = folder / "with_state.ipynb"
    nbformat.write(nb, with_state)
    plain = copy.deepcopy(nb)
    plain.metadata.pop("widgets", None)  # JupyterLab's default: widget state is not saved
    published = folder / "published.ipynb"
    nbformat.write(plain, published)
    return published, with_state


def widget_outputs(notebook: Path) -> list[dict]:
    """Every output that carries a widget view, in order."""
    nb = nbformat.read(notebook, as_version=4)
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
            if WIDGET_MIME in out.get("data", {})]


def nbconvert_html(notebook: Path, *extra: str) -> Path:
    """`jupyter nbconvert --to html notebook` (the command people run), with `extra` options;
    the page is written next to the notebook (a new name per set of options)."""
    name = notebook.stem + ("_" + str(abs(hash(extra))) if extra else "")
    subprocess.run([sys.executable, "-m", "nbconvert", "--to", "html", *extra,
                    "--output", name, str(notebook)],
                   check=True, capture_output=True, text=True, env=kernel_env())
    return notebook.with_name(name + ".html")


def sphinx_site(notebook: Path, folder: Path, conf_line: str = MYST_NB_CONF) -> Path:
    """A Sphinx + myst-nb site of the notebook (outputs as saved, not run again); the page."""
    source = folder / "src"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(
        'project = "published"\nextensions = ["myst_nb"]\nnb_execution_mode = "off"\n'
        'html_theme = "alabaster"\n' + conf_line + "\n", encoding="utf-8")
    (source / "index.md").write_text(
        "# Published\n\n```{toctree}\n" + notebook.stem + "\n```\n", encoding="utf-8")
    (source / notebook.name).write_bytes(notebook.read_bytes())
    out = folder / "html"
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", str(source), str(out)],
                   check=True, capture_output=True, text=True, env=kernel_env())
    return out / f"{notebook.stem}.html"
