"""The static pictures where notebooks go, in Chromium with every http(s) request refused: the
nbconvert HTML of a notebook saved as JupyterLab saves it (no widget state), the README's recipe
for one saved with widget state, and a Sphinx + myst-nb site. And in JupyterLab itself, the live
widget, not the picture."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .. import publishing
from .harness import Lab

pytestmark = pytest.mark.browser

REMOTE = re.compile(r"^(https?|wss?)://")

# Every picture in the page, drawn: <img>s (nbconvert embeds SVG and PNG as data: URLs, myst-nb
# writes files) and inline SVGs (where a converter pastes them); for each, its kind, its size on
# screen and whether it decoded.
PICTURES = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg')) {
    if (!svg.querySelector('text')) continue;  // icons, not pictures
    const r = svg.getBoundingClientRect();
    out.push({kind: 'svg', width: r.width, height: r.height, ok: true});
  }
  for (const img of document.querySelectorAll('img')) {
    const r = img.getBoundingClientRect();
    const svg = img.src.startsWith('data:image/svg+xml') || img.src.endsWith('.svg');
    out.push({kind: svg ? 'svg' : 'png', width: r.width, height: r.height,
              ok: img.complete && img.naturalWidth > 0});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return publishing.execute(tmp_path_factory.mktemp("published"))


@pytest.fixture(scope="module")
def chromium(lab: Lab) -> Any:
    """The session's Chromium (one Playwright per process): the pages below open as files."""
    return lab.browser


def offline_pictures(browser: Any, page_file: Path) -> tuple[list[dict], list[str]]:
    """Opens `page_file` with every remote request refused; its pictures and what was refused."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    refused: list[str] = []

    def refuse(route: Any) -> None:
        refused.append(route.request.url)
        route.abort()

    context.route(REMOTE, refuse)
    page = context.new_page()
    try:
        page.goto(page_file.as_uri(), wait_until="load")
        pictures = page.evaluate(PICTURES)
    finally:
        context.close()
    return pictures, refused


def _shown(pictures: list[dict]) -> list[dict]:
    return [p for p in pictures if p["ok"] and p["width"] > 50 and p["height"] > 20]


def test_nbconvert_html_shows_every_picture_with_the_network_refused(published, chromium):
    plain, _ = published
    html = publishing.nbconvert_html(plain)
    pictures, refused = offline_pictures(chromium, html)
    assert refused, "nbconvert's page asks for its CDN scripts: the test must refuse them"
    shown = _shown(pictures)
    assert len([p for p in shown if p["kind"] == "svg"]) == publishing.GRAPH_OUTPUTS, pictures
    assert len([p for p in shown if p["kind"] == "png"]) == 1  # the trainer's map


def test_widget_state_saved_readme_recipe_brings_the_pictures_back(published, chromium):
    """With widget state saved, nbconvert puts the widget views first (their manager comes from
    a CDN, refused here): no pictures. The README's recipe clears that metadata."""
    _, with_state = published
    html = publishing.nbconvert_html(with_state)
    pictures, _ = offline_pictures(chromium, html)
    assert _shown(pictures) == []
    cleared = publishing.nbconvert_html(with_state, *publishing.CLEAR_WIDGET_STATE)
    pictures, _ = offline_pictures(chromium, cleared)
    assert len([p for p in _shown(pictures) if p["kind"] == "svg"]) == publishing.GRAPH_OUTPUTS


def test_sphinx_myst_nb_site_shows_every_picture_offline(published, chromium, tmp_path):
    plain, _ = published
    page = publishing.sphinx_site(plain, tmp_path / "site")
    pictures, _ = offline_pictures(chromium, page)
    shown = _shown(pictures)
    assert len([p for p in shown if p["kind"] == "svg"]) == publishing.GRAPH_OUTPUTS, pictures
    assert len([p for p in shown if p["kind"] == "png"]) == 1  # the trainer's map


LIVE_CELLS = [
    "from micrograd_widgets import draw, animate_backward\n"
    "from micrograd_widgets.engine import Value\n"
    "a = Value(2.0, label='a'); b = Value(-3.0, label='b'); c = a * b; c.label = 'c'\n"
    "c.backward()",
    "draw(c)",
    "animate_backward(c)",
]


def _no_picture_rendered(lab: Lab, page: Any) -> None:
    lab.wait_ready(page, "graph", timeout=90_000)
    lab.wait_ready(page, "backprop", timeout=90_000)
    assert page.locator("[data-mgw='graph'] [data-node]").count() == 3
    # an image/svg+xml output renders in .jp-RenderedSVG, a PNG in .jp-RenderedImage
    outputs = page.locator(".jp-OutputArea-output")
    assert outputs.locator(".jp-RenderedSVG, .jp-RenderedImage, img").count() == 0


def test_jupyterlab_shows_the_live_widget_not_the_picture(lab: Lab) -> None:
    page = lab.run_notebook(LIVE_CELLS)
    _no_picture_rendered(lab, page)
    lab.close(page)


def test_notebook_7_shows_the_live_widget_not_the_picture(lab: Lab) -> None:
    name = lab.write_notebook(LIVE_CELLS, "live_nb7.ipynb")
    page = lab.open_notebook(name, app="notebook")
    page.get_by_text("Run", exact=True).first.click()  # the menu bar: Run > Run All Cells
    page.get_by_text("Run All Cells", exact=True).first.click()
    _no_picture_rendered(lab, page)
    lab.close(page)
