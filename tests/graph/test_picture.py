"""graph.picture: the static SVG, PNG and matplotlib Figure of a graph, drawn from its scene."""

from __future__ import annotations

import io
import random
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from micrograd_widgets.engine import Value
from micrograd_widgets.graph import trace
from micrograd_widgets.graph.layout.scene import layout_scene
from micrograd_widgets.graph.layout.wire import scene_json
from micrograd_widgets.graph.picture import MAX_PIXELS, picture, picture_scene, readable
from micrograd_widgets.graph.tracing import payload, view
from micrograd_widgets.nn import MLP

NS = "{http://www.w3.org/2000/svg}"


def neuron() -> Value:
    """The lecture's tanh neuron, after backward (grads known from the lecture)."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def payload_of(root: Value, collapse: str = "auto", rankdir: str = "LR") -> dict:
    g = trace(root)
    return payload(view(g, collapse), g, rankdir)


def texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(NS + "text")]


def test_the_svg_says_what_the_lecture_draws():
    svg = picture(payload_of(neuron())).svg()
    root = ET.fromstring(svg)
    assert root.tag == NS + "svg"
    shown = texts(svg)
    for label in ["x1", "x2", "w1", "w2", "b", "n", "o"]:
        assert label in shown
    # the lecture's numbers: x1.grad = w1.data * 0.5 = -1.5, w1.grad = x1.data * 0.5 = 1.0
    for cell in ["data 2.0000", "grad -1.5000", "grad 1.0000", "data 0.7071", "data 0.8814"]:
        assert cell in shown
    assert shown.count("*") == 2 and shown.count("+") == 2 and shown.count("tanh") == 1
    assert len(root.findall(f".//{NS}ellipse")) == 5  # one op node per op
    assert len([t for t in shown if t.startswith("grad ")]) == 10  # one record per Value


def test_the_svg_is_inert_and_self_contained():
    svg = picture(payload_of(neuron()), title="graph of o").svg()
    root = ET.fromstring(svg)
    tags = {el.tag.removeprefix(NS) for el in root.iter()}
    assert not tags & {"script", "foreignObject", "image", "a", "style", "use"}
    attributes = {k for el in root.iter() for k in el.attrib}
    assert not {"href", "{http://www.w3.org/1999/xlink}href", "id", "class", "style"} & attributes
    assert not any(k.startswith("on") for k in attributes)
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert root.find(NS + "title").text == "graph of o"


def test_labels_are_data_never_markup():
    nasty = '<script>alert("x")</script> & \x00\x1b]8;;'
    a = Value(1.0, label=nasty)
    c = a * Value(2.0, label="b")
    svg = picture(payload_of(c)).svg()
    root = ET.fromstring(svg)  # still well-formed XML: the control characters are gone
    assert root.find(f".//{NS}script") is None
    assert '<script>alert("x")</script> &   ]8;;' in texts(svg)


def test_the_page_light_colours():
    svg = picture(payload_of(neuron())).svg()
    root = ET.fromstring(svg)
    background = root.find(NS + "rect")
    assert background.get("fill") == "#ffffff"
    assert root.get("fill") == "#1f2328"  # the page's ink on white
    fills = {f for el in root.iter(NS + "rect") if (f := el.get("fill", "")).startswith("#")}
    # x1's grad is negative (red), w1's positive (blue): the page's colouring by grad
    assert any(f and int(f[1:3], 16) > int(f[5:7], 16) for f in fills)  # reddish
    assert any(f and int(f[5:7], 16) > int(f[1:3], 16) for f in fills)  # bluish


def test_the_png_is_the_same_picture_in_pixels():
    pic = picture(payload_of(neuron()))
    image = Image.open(io.BytesIO(pic.png())).convert("RGB")
    d = pic.drawing
    assert abs(image.width - d.width) <= 1 and abs(image.height - d.height) <= 1
    assert image.getpixel((1, 1)) == (255, 255, 255)
    colours = image.getcolors(maxcolors=1 << 16)
    dark = sum(n for n, (r, g, b) in colours if r + g + b < 200)
    assert dark > 500  # text and frames were drawn
    big = Image.open(io.BytesIO(pic.png(scale=2)))
    assert abs(big.width - 2 * d.width) <= 2
    with pytest.raises(ValueError, match="scale must be"):
        pic.png(scale=0)


def test_the_figure_draws_the_same_texts_at_one_pixel_per_px():
    pytest.importorskip("matplotlib")
    pic = picture(payload_of(neuron()))
    fig = pic.figure()
    assert tuple(fig.get_size_inches() * fig.dpi) == pytest.approx((pic.drawing.width,
                                                                   pic.drawing.height))
    drawn = sorted(t.get_text() for t in fig.axes[0].texts)
    assert drawn == sorted(texts(pic.svg()))


def test_folded_boxes_sums_and_caption():
    random.seed(0)
    model = MLP(2, [8, 1])
    loss = sum((model([Value(x), Value(-x)]) - 1) ** 2 for x in (0.1 * k for k in range(30)))
    loss.backward()
    g = trace(loss)
    p = payload(view(g, "groups"), g)
    shown, caption = readable(p, g)
    assert shown is p and caption.startswith(f"{len(g):,} values · folded into")
    svg = picture(shown, caption=caption).svg()
    words = texts(svg)
    in_neuron = sum(1 for x in g.groups if x == "layer0/neuron0")
    assert "layer0/neuron0" in words and f"{in_neuron:,} values" in words
    assert any(t.startswith("Σ ") and t.endswith(" terms") for t in words)
    assert 'stroke-dasharray="4 2"' in svg  # folded boxes are dashed, as on the page
    assert caption in words


def test_a_big_unfolded_graph_is_pictured_folded_and_stays_small():
    random.seed(0)
    out = MLP(3, [16, 16, 1])([Value(1.0), Value(-2.0), Value(0.5)])
    g = trace(out)
    whole = payload(view(g, "none"), g)
    assert len(whole["id"]) > 1000
    shown, caption = readable(whole, g)
    assert len(shown["id"]) <= 400 and "for this picture" in caption
    pic = picture(shown, caption=caption)
    assert len(pic.svg()) + len(pic.png()) < 300_000


def test_rankdir_is_obeyed_and_auto_picks_like_the_page():
    chain = Value(1.0, label="x")
    for k in range(12):
        chain = (chain * 1.5 + k).tanh()
    p = payload_of(chain, rankdir="TB")
    down = picture_scene(p)
    assert down.rankdir == "TB" and down.height > down.width
    across = picture_scene({**p, "rankdir": "LR"})
    assert across.rankdir == "LR" and across.width > across.height
    # "auto": left to right reads too small in a notebook column here, so top to bottom
    assert picture_scene({**p, "rankdir": "auto"}).rankdir == "TB"
    assert picture_scene({**payload_of(neuron()), "rankdir": "auto"}).rankdir == "LR"


def test_a_scene_the_payload_carries_is_used():
    p = payload_of(neuron())
    tb = layout_scene(p, "TB")
    sent = {**p, "rankdir": "auto", "scenes": [{**scene_json(tb), "slopes": False}]}
    assert picture_scene(sent).rankdir == "TB"  # only that one was sent: no layout here
    stale = {**p, "rankdir": "LR", "scenes": [{**scene_json(tb), "slopes": False}]}
    assert picture_scene(stale).rankdir == "LR"  # not the direction asked for: laid out


def test_huge_pictures_are_scaled_down_to_a_bounded_png():
    chain = Value(1.0)
    for _ in range(300):
        chain = chain * 1.01
    pic = picture(payload_of(chain, collapse="none"))
    image = Image.open(io.BytesIO(pic.png(scale=8)))
    assert image.width * image.height <= MAX_PIXELS * 1.01


def test_bad_payload_is_refused_clearly():
    with pytest.raises(ValueError, match="payload must be a graph payload"):
        picture({"nodes": []})
