"""Where notebooks go: a notebook with every widget, executed headless (nbclient, as CI, papermill
and Jupyter Book do), keeps a picture and a readable line in every output; nbconvert's HTML and a
Sphinx + myst-nb site carry those pictures (tests/browser/test_publishing_browser.py opens the
same pages in Chromium with the network refused)."""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from . import publishing
from .publishing import PNG, SVG, WIDGET_MIME

nbconvert = pytest.importorskip("nbconvert", reason="the test extra installs nbconvert")

pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return publishing.execute(tmp_path_factory.mktemp("published"))


def test_every_widget_output_carries_its_pictures_and_a_line_of_text(published):
    plain, _ = published
    outputs = publishing.widget_outputs(plain)
    assert len(outputs) == publishing.WIDGET_OUTPUTS
    graphs, trainer = outputs[:-1], outputs[-1]
    assert len(graphs) == publishing.GRAPH_OUTPUTS
    for out in graphs:
        data = out["data"]
        assert {WIDGET_MIME, SVG, PNG, "text/plain"} <= set(data)
        ET.fromstring(data[SVG])  # well-formed
        assert base64.b64decode(data[PNG]).startswith(b"\x89PNG\r\n\x1a\n")
        assert "object at 0x" not in data["text/plain"]
    assert PNG in trainer["data"] and "object at 0x" not in trainer["data"]["text/plain"]
    texts = [out["data"]["text/plain"] for out in graphs]
    assert texts[0] == ("graph of 10 Values; root o = 0.7071 "
                        "(open in JupyterLab for the interactive view)")
    assert texts[1].startswith("backprop player of 10 Values; root o = 0.7071")
    assert texts[2].startswith("graph of 5 Values; root d = 4.0000")  # %%micrograd
    assert texts[3].startswith("backprop player of 7 Values; root L = -8.0000")  # --animate
    assert texts[4] == "Value(data=0.7071067811865477, grad=1)"  # a Value stays itself as text
    assert "folded into" in texts[5]


def test_the_pictures_say_what_the_page_shows(published):
    plain, _ = published
    svgs = [out["data"][SVG] for out in publishing.widget_outputs(plain)[:-1]]

    def texts(svg: str) -> list[str]:
        return ["".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")]

    neuron = texts(svgs[0])
    for cell in ["x1", "w1", "data 2.0000", "grad -1.5000", "data 0.7071", "tanh", "*", "+"]:
        assert cell in neuron
    assert texts(svgs[4]) == neuron  # the Value shown by the formatter is the same graph
    player = texts(svgs[3])  # L = (2 * -3 + 10) * f after backward: dL/df = 4, dL/d(2) = 6
    assert "grad 4.0000" in player and "grad 6.0000" in player and "grad -4.0000" in player
    folded = texts(svgs[5])
    assert "layer0/neuron0" in folded and any(t.endswith(" values") for t in folded)


def test_nbconvert_html_has_every_picture_and_no_widget_view(published):
    plain, _ = published
    page = publishing.nbconvert_html(plain).read_text(encoding="utf-8")
    assert len(re.findall(r'src="data:image/svg\+xml;base64,', page)) == publishing.GRAPH_OUTPUTS
    assert len(re.findall(r'src="data:image/png;base64,', page)) == 1  # the trainer's map
    assert "application/vnd.jupyter.widget-view+json" not in page


def test_nbconvert_with_widget_state_saved_needs_the_readme_recipe(published):
    _, with_state = published
    page = publishing.nbconvert_html(with_state).read_text(encoding="utf-8")
    assert 'src="data:image/' not in page  # the widget views win, and need their CDN
    assert page.count('<script type="application/vnd.jupyter.widget-view+json">') == (
        publishing.WIDGET_OUTPUTS)
    cleared = publishing.nbconvert_html(with_state, *publishing.CLEAR_WIDGET_STATE)
    page = cleared.read_text(encoding="utf-8")
    assert len(re.findall(r'src="data:image/svg\+xml;base64,', page)) == publishing.GRAPH_OUTPUTS


def test_sphinx_myst_nb_site_has_every_picture_with_the_readme_conf_line(published, tmp_path):
    pytest.importorskip("myst_nb", reason="the test extra installs myst-nb and sphinx")
    plain, _ = published
    page = publishing.sphinx_site(plain, tmp_path / "with")
    text = page.read_text(encoding="utf-8")
    images = [html.unescape(src) for src in re.findall(r'<img [^>]*src="([^"]+)"', text)]
    svgs = [src for src in images if src.endswith(".svg")]
    assert len(svgs) == publishing.GRAPH_OUTPUTS
    assert len([src for src in images if src.endswith(".png")]) == 1
    for src in images:
        assert (page.parent / src).is_file() and not src.startswith(("http:", "https:"))
    assert "application/vnd.jupyter.widget-view+json" not in text
    # without the line, myst-nb puts the widget views first: nothing a static site can show
    bare = publishing.sphinx_site(plain, tmp_path / "without", conf_line="")
    text = bare.read_text(encoding="utf-8")
    assert "application/vnd.jupyter.widget-view+json" in text and ".svg" not in text


def test_the_readme_gives_the_conf_line_and_the_recipe():
    readme = (publishing.REPO / "README.md").read_text(encoding="utf-8")
    assert publishing.MYST_NB_CONF in readme
    assert all(option in readme for option in publishing.CLEAR_WIDGET_STATE)
    assert "## Sharing and publishing notebooks" in readme
