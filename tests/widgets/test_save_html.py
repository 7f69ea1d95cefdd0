"""page_html / save_html: one offline page, each bundle inlined once, user text kept as data."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from micrograd_widgets import animate_backward, draw
from micrograd_widgets.engine import Value
from micrograd_widgets.widgets._base import STATIC, _inline_script, _script_json, page_html

REPO = Path(__file__).resolve().parents[2]


def saved_views(page: str) -> list[dict]:
    return json.loads(re.search(r'id="mgw-states">(.*?)</script>', page, re.S).group(1))


def expression() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    return a * b + Value(10.0, label="c")


def test_each_bundle_is_inlined_once_and_every_widget_gets_a_view() -> None:
    root = expression()
    widgets = [draw(root), draw(root * 2), animate_backward(root)]
    page = page_html("three", ["<h2>hello</h2>", *widgets])
    graph_js = _script_json((STATIC / "graph.js").read_text(encoding="utf-8"))
    backprop_js = _script_json((STATIC / "backprop.js").read_text(encoding="utf-8"))
    assert page.count(graph_js) == 1 and page.count(backprop_js) == 1
    views = saved_views(page)
    assert [v["bundle"] for v in views] == [0, 0, 1]
    assert [v["state"]["_standalone"] for v in views] == [True, True, True]
    assert all(f'id="mgw-{i}"' in page for i in range(3))
    assert "<h2>hello</h2>" in page


def test_user_text_cannot_close_the_script_or_inject_markup() -> None:
    root = Value(1.0, label="</script><img src=x onerror=alert(1)>")
    page = page_html("<b>title</b>", [draw(root)])
    assert "<img src=x" not in page and "</script><img" not in page
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in page
    assert saved_views(page)[0]["state"]["graph"]["label"][0].startswith("</script>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_export_script_writes_one_offline_page(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nText with <script>alert(1)</script> in it."),
        nbformat.v4.new_code_cell("%load_ext micrograd_widgets\nfrom micrograd_widgets.engine "
                                  "import Value"),
        nbformat.v4.new_code_cell("%%micrograd\nx = Value(3.0)\ny = x * x\nprint('made', y.data)"),
    ]
    source = tmp_path / "small.ipynb"
    nbformat.write(notebook, source)
    out = tmp_path / "small.html"
    subprocess.run([sys.executable, str(REPO / "scripts" / "export_notebook.py"), str(source),
                    str(out)], check=True, capture_output=True, text=True, timeout=120)
    page = out.read_text(encoding="utf-8")
    assert "<h1>Title</h1>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert "made 9.0" in page
    views = saved_views(page)
    assert len(views) == 1 and views[0]["state"]["graph"]["label"][-1] == "y"


def test_export_script_refuses_a_failing_notebook(tmp_path: Path) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("1 / 0")]
    source = tmp_path / "bad.ipynb"
    nbformat.write(notebook, source)
    out = tmp_path / "bad.html"
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "export_notebook.py"),
                          str(source), str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "ZeroDivisionError" in run.stderr
    assert not out.exists()


def test_the_page_script_is_the_built_shim_and_cannot_close_its_tag() -> None:
    page = page_html("one", [draw(expression())])
    script = re.search(r'<script type="module">(.*?)</script>', page, re.S).group(1)
    assert script == (STATIC / "page.js").read_text(encoding="utf-8")  # js/common/page.ts, built
    assert _inline_script('s = "</script><b>"; t = "</SCRIPT>"') == \
        's = "<\\/script><b>"; t = "<\\/SCRIPT>"'
