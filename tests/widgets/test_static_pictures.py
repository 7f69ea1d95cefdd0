"""GraphWidget and BackpropWidget beyond a live front end: the SVG + PNG + text line in their
display bundle, to_svg() / save_png() / figure(), and the switch that turns the pictures off."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

import micrograd_widgets
from micrograd_widgets import animate_backward, draw
from micrograd_widgets.engine import Value

from ..graph.test_picture import neuron, texts

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SVG, PNG = "image/svg+xml", "image/png"
REPO = Path(__file__).resolve().parents[2]


def bundle(widget, **kwargs) -> dict:
    data = widget._repr_mimebundle_(**kwargs)
    return data[0] if isinstance(data, tuple) else data


@pytest.fixture
def pictures_on():
    before = micrograd_widgets.options.static_pictures
    micrograd_widgets.options.static_pictures = True
    yield
    micrograd_widgets.options.static_pictures = before


def test_the_graph_bundle_has_the_view_pictures_and_a_line(pictures_on):
    w = draw(neuron())
    data = bundle(w)
    assert set(data) == {WIDGET_MIME, SVG, PNG, "text/plain"}
    assert data[SVG] == w.to_svg()
    assert Image.open(io.BytesIO(base64.b64decode(data[PNG]))).format == "PNG"
    assert data["text/plain"] == ("graph of 10 Values; root o = 0.7071 "
                                  "(open in JupyterLab for the interactive view)")
    size = len(data[SVG].encode()) + len(base64.b64decode(data[PNG]))
    assert size < 60_000  # the budget for the neuron


def test_the_text_line_names_the_roots_and_says_when_folded(pictures_on):
    a, b = Value(2.0, label="a"), Value(3.0)
    c = a - b
    c.label = "c"
    assert bundle(draw(c))["text/plain"].startswith("graph of ")
    assert "; root c = -1.0000 (" in bundle(draw(c))["text/plain"]
    assert bundle(draw([a * b, a + b]))["text/plain"].startswith(
        "graph of 4 Values; roots 6.0000, 5.0000 (open in JupyterLab")
    import random

    from micrograd_widgets.nn import MLP

    random.seed(0)
    out = MLP(3, [4, 1])([Value(1.0), Value(2.0), Value(3.0)])
    line = bundle(draw(out, collapse="groups"))["text/plain"]
    assert "folded into" in line and "object at 0x" not in line


def test_the_player_pictures_its_graph_after_backward(pictures_on):
    o = neuron()
    player = animate_backward(o)
    for v in [o, *o._prev]:  # the Values change later: the picture is still the last step's
        v.grad = 0.0
    shown = texts(bundle(player)[SVG])
    assert "grad -1.5000" in shown and "grad 1.0000" in shown  # x1's and w1's, from the frames
    assert bundle(player)["text/plain"].startswith("backprop player of 10 Values; root o = ")


def test_gradcheck_on_shows_slopes_in_the_picture(pictures_on):
    w = draw(neuron(), gradcheck=True)
    shown = texts(w.to_svg())
    assert sum(t.startswith("slope ") for t in shown) >= 5
    assert 'stroke="#16a34a"' in w.to_svg()  # agreeing boxes framed green, as on the page


def test_refresh_updates_the_picture(pictures_on):
    a = Value(2.0, label="a")
    c = a * Value(-3.0, label="b")
    c.label = "c"
    w = draw(c)
    assert "grad 0.0000" in texts(w.to_svg()) and "grad -3.0000" not in texts(w.to_svg())
    c.backward()
    w.refresh()
    assert "grad -3.0000" in texts(w.to_svg())


def test_save_png_and_figure(tmp_path, pictures_on):
    w = draw(neuron())
    path = w.save_png(tmp_path / "neuron.png")
    assert path == (tmp_path / "neuron.png").resolve()
    image = Image.open(path)
    fig = w.figure()
    width, height = fig.get_size_inches() * fig.dpi
    assert abs(image.width - 2 * width) <= 2  # scale=2 by default: sharp on slides
    with pytest.raises(ValueError, match=r"path must end in \.png"):
        w.save_png(tmp_path / "neuron.svg")
    with pytest.raises(ValueError, match="scale must be"):
        w.save_png(tmp_path / "x.png", scale=-1)
    from matplotlib.figure import Figure

    assert isinstance(animate_backward(neuron()).figure(), Figure)


def test_the_switch_turns_the_pictures_off(pictures_on):
    micrograd_widgets.options.static_pictures = False
    data = bundle(draw(neuron()))
    assert SVG not in data and PNG not in data
    assert WIDGET_MIME in data and data["text/plain"].startswith("graph of 10 Values")
    with pytest.raises(TypeError, match="static_pictures must be True or False"):
        micrograd_widgets.options.static_pictures = "no"
    with pytest.raises(AttributeError):
        micrograd_widgets.options.static_picture = False  # a typo is an error, not a new name


def test_the_environment_variable_turns_them_off():
    code = ("import micrograd_widgets as m; from micrograd_widgets import draw; "
            "from micrograd_widgets.engine import Value; "
            "print(m.options.static_pictures, sorted(draw(Value(1.0))._repr_mimebundle_()[0]))")
    env = {**os.environ, "PYTHONPATH": str(REPO), "MICROGRAD_WIDGETS_STATIC_PICTURES": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True).stdout
    assert out.startswith("False") and "image/svg+xml" not in out


def test_include_and_exclude_are_honoured(pictures_on):
    w = draw(neuron())
    assert PNG not in bundle(w, exclude={PNG}) and SVG in bundle(w, exclude={PNG})
    assert SVG not in bundle(w, include={WIDGET_MIME, PNG, "text/plain"})


def test_a_failing_picture_never_breaks_the_display(pictures_on, monkeypatch):
    w = draw(neuron())

    def broken(self):
        raise RuntimeError("no fonts today")

    monkeypatch.setattr(type(w), "_picture", broken)
    with pytest.warns(UserWarning, match="no static picture"):
        data = bundle(w)
    assert WIDGET_MIME in data and SVG not in data


def test_the_svg_parses_and_names_itself(pictures_on):
    root = ET.fromstring(draw(neuron()).to_svg())
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert title == "graph of 10 Values; root o = 0.7071"


def test_a_wide_graphs_bundle_png_is_at_most_two_columns_wide_but_save_png_keeps_every_px(
        tmp_path, pictures_on):
    """An MLP forward pass drawn whole is ~6,000 px left to right: the notebook keeps a PNG
    1,800 px wide (twice a ~900 px column); save_png() at scale 1 is the page's full size."""
    import random

    from micrograd_widgets.graph.picture import BUNDLE_WIDTH
    from micrograd_widgets.nn import MLP

    random.seed(0)
    w = draw(MLP(3, [4, 4, 1])([Value(1.0), Value(-2.0), Value(0.5)]), collapse="none")
    kept = Image.open(io.BytesIO(base64.b64decode(bundle(w)["image/png"])))
    full = Image.open(w.save_png(tmp_path / "mlp.png", scale=1))
    assert full.width > 3 * BUNDLE_WIDTH
    assert BUNDLE_WIDTH - 2 <= kept.width <= BUNDLE_WIDTH
    assert abs(kept.height / kept.width - full.height / full.width) < 0.01
    small = Image.open(io.BytesIO(base64.b64decode(bundle(draw(neuron()))["image/png"])))
    assert small.width < BUNDLE_WIDTH  # a small graph's PNG is its page size, not stretched
