"""The graph widget in a real JupyterLab + Chromium: counts, safety, big graphs, offline pages."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from .harness import Lab

pytestmark = pytest.mark.browser

SETUP = """\
import random, json
from micrograd_widgets import draw
from micrograd_widgets.engine import Value
from micrograd_widgets.nn import MLP
from micrograd_widgets.graph import trace
"""

MOONS = """\
import numpy as np
from sklearn.datasets import make_moons
np.random.seed(1337); random.seed(1337)
X, y = make_moons(n_samples=100, noise=0.1); y = y * 2 - 1
model = MLP(2, [16, 16, 1])
inputs = [list(map(Value, row)) for row in X]
scores = list(map(model, inputs))
losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
data_loss = sum(losses) * (1.0 / len(losses))
reg_loss = 1e-4 * sum(p * p for p in model.parameters())
loss = data_loss + reg_loss
print(f"MOONS={len(trace(loss))}")
"""


def _marker(text: str, name: str) -> str:
    match = re.search(rf"{name}=(\S+)", text)
    assert match, f"{name}= not printed; outputs were:\n{text}"
    return match.group(1)


def test_mlp_graph_counts_hover_click_fit_refresh(lab: Lab) -> None:
    page = lab.run_notebook([
        SETUP,
        "random.seed(0)\n"
        "model = MLP(3, [4, 4, 1])\n"
        "out = model([Value(1.0, label='x0'), Value(-2.0, label='x1'), Value(0.5, label='x2')])\n"
        "g = trace(out)\n"
        "print(f'NODES={len(g.nodes)} OPS={sum(1 for n in g.nodes if n[\"op\"])} "
        "OUT={out.data!r} OUTID={g.nodes[-1][\"id\"]}')",
        "w = draw(out)\nw",
    ])
    graph = lab.wait_ready(page, "graph")
    text = lab.output_text(page)
    nodes, ops = int(_marker(text, "NODES")), int(_marker(text, "OPS"))
    out_id, out_data = _marker(text, "OUTID"), float(_marker(text, "OUT"))
    assert graph.locator("[data-node]").count() == nodes
    assert graph.locator("[data-op]").count() == ops
    assert graph.locator("[data-group]").count() == 0
    lab.screenshot(page, "graph_mlp_notebook", graph)

    # hover: full precision data of the output node
    root_box = graph.locator(f"[data-node='{out_id}']")
    root_box.hover()
    tooltip = graph.locator(".mgw-tooltip")
    tooltip.wait_for(state="visible")
    shown = re.search(r"data (\S+)", tooltip.inner_text()).group(1)
    assert float(shown) == out_data
    lab.screenshot(page, "graph_mlp_hover", graph)

    # click: ancestors/descendants stay, unrelated boxes are dimmed; click again clears
    graph.locator("[data-action='fit']").click()  # the start view shows the output end only
    leaf = graph.locator("[data-node='n0']")
    leaf.click()
    dimmed = graph.locator(".mgw-box.mgw-dim").count()
    assert 0 < dimmed < nodes
    assert "mgw-dim" not in (root_box.get_attribute("class") or "")  # n0 feeds the output
    lab.screenshot(page, "graph_mlp_click", graph)
    leaf.click()
    assert graph.locator(".mgw-dim").count() == 0

    # zoom with the wheel, then Fit shows the whole graph again
    scene = graph.locator("g.mgw-scene")
    graph.locator("[data-action='fit']").click()
    fitted = scene.get_attribute("transform")
    box = graph.locator(".mgw-viewport").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(
        "([el, t]) => el.getAttribute('transform') !== t", arg=[scene.element_handle(), fitted]
    )
    graph.locator("[data-action='fit']").click()
    assert scene.get_attribute("transform") == fitted

    # refresh(): same SVG elements, new numbers
    page.evaluate("(id) => { document.querySelector(`[data-node='${id}']`).__mark = 1; }", out_id)
    assert "grad 0.0000" in (root_box.text_content() or "")
    lab.run_cell(page, "out.backward()\nw.refresh()")
    page.wait_for_function(
        "(id) => document.querySelector(`[data-node='${id}']`).textContent.includes('grad 1.0000')",
        arg=out_id,
    )
    mark = page.evaluate("(id) => document.querySelector(`[data-node='${id}']`).__mark", out_id)
    assert mark == 1
    colored = page.evaluate(
        "() => [...document.querySelectorAll('[data-mgw=graph] rect.mgw-fill')]"
        ".filter((r) => r.style.fill !== '').length"
    )
    assert colored > 0  # gradients now colour the boxes
    lab.screenshot(page, "graph_mlp_after_backward", graph)
    assert lab.cell_errors(page) == []
    lab.close(page)


def test_hostile_labels_stay_text(lab: Lab) -> None:
    hostile = "<img src=x onerror=alert(1)>"
    page = lab.run_notebook([
        SETUP,
        f"a = Value(1.0, label={hostile!r})\n"
        "b = Value(2.0, label='<script>alert(2)</script>')\n"
        "c = a * b; c.label = '</text><svg onload=alert(3)>'\n"
        "draw(c, rankdir='TB')",
    ])
    graph = lab.wait_ready(page, "graph")
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    assert graph.locator("img, script, foreignObject").count() == 0
    assert graph.locator("svg svg").count() == 0
    content = graph.inner_text()
    assert hostile in content and "<script>alert(2)</script>" in content
    assert lab.dialogs(page) == []
    lab.screenshot(page, "graph_hostile_labels", graph)
    lab.close(page)


def test_moons_graph_collapses_and_page_answers(lab: Lab) -> None:
    page = lab.run_notebook([SETUP, MOONS, "w = draw(loss)\nw"])
    graph = lab.wait_ready(page, "graph", timeout=60_000)
    total = int(_marker(lab.output_text(page), "MOONS"))
    assert total > 60_000
    start = time.perf_counter()
    assert page.evaluate("() => 1 + 1") == 2
    assert time.perf_counter() - start < 1.0  # the page is not frozen
    boxes = graph.locator("[data-node], [data-group]").count()
    assert 5 < boxes < 400
    status = graph.locator("[data-field='status']").inner_text()
    assert f"{total:,}" in status
    lab.screenshot(page, "graph_moons_collapsed", graph)

    # clicking a folded neuron asks Python to expand it; the view is redrawn with more boxes,
    # at the zoom the user had, with the opened neuron in the middle of the viewport
    graph.locator("[data-action='fit']").click()
    zoom = _scale(graph)
    group = graph.locator("[data-group^='layer1/neuron']").nth(5)
    name = group.get_attribute("data-group")
    group.click()
    page.wait_for_function(
        "(n) => document.querySelectorAll("
        "'[data-mgw=graph] [data-node], [data-mgw=graph] [data-group]').length > n"
        " && document.querySelector('[data-mgw=graph]').dataset.state === 'ready'",
        arg=boxes,
        timeout=30_000,
    )
    assert graph.locator(f"[data-group='{name}']").count() == 0
    assert graph.locator("[data-group^='sum:']").count() >= 100  # its 100 per-sample sums
    assert abs(_scale(graph) - zoom) < 1e-3
    fold = graph.locator(f"[data-action='collapse'][data-opened='{name}']")
    graph.scroll_into_view_if_needed()  # so the screenshot below does not scroll off the hover
    fold.hover()  # outlines and highlights what the opened neuron became
    inside = _union(page, "[data-mgw=graph] .mgw-nodes [data-highlight='true']")
    port = graph.locator(".mgw-viewport").bounding_box()
    assert inside is not None and inside["n"] > 100
    middle_x, middle_y = port["x"] + port["width"] / 2, port["y"] + port["height"] / 2
    assert inside["x0"] - 1 <= middle_x <= inside["x1"] + 1, (inside, port)
    assert inside["y0"] - 1 <= middle_y <= inside["y1"] + 1, (inside, port)
    frame = graph.locator("rect.mgw-opened-frame")
    assert frame.is_visible()
    lab.screenshot(page, "graph_moons_expanded", graph)
    assert frame.is_visible()  # still hovered: the screenshot shows the outline

    # its fold button puts the neuron back into one box, in view
    fold.click()
    graph.locator(f"[data-group='{name}']").wait_for(timeout=30_000)
    lab.wait_ready(page, "graph")
    assert graph.locator("[data-node], [data-group]").count() == boxes
    folded = graph.locator(f"[data-group='{name}']").bounding_box()
    port = graph.locator(".mgw-viewport").bounding_box()
    assert port["x"] <= folded["x"] and folded["x"] + folded["width"] <= port["x"] + port["width"]
    assert port["y"] <= folded["y"] and folded["y"] + folded["height"] <= port["y"] + port["height"]
    assert graph.locator(f"[data-opened='{name}']").count() == 0
    lab.screenshot(page, "graph_moons_folded_again", graph)
    assert lab.cell_errors(page) == []
    lab.close(page)


def _scale(graph) -> float:
    transform = graph.locator("g.mgw-scene").get_attribute("transform")
    return float(re.search(r"scale\(([-\d.]+)\)", transform).group(1))


def _union(page, selector: str) -> dict | None:
    """The screen rectangle around every element matching `selector`, and how many there are."""
    return page.evaluate(
        """(sel) => {
            const rs = [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect());
            if (!rs.length) return null;
            return { n: rs.length, x0: Math.min(...rs.map((r) => r.left)),
                     x1: Math.max(...rs.map((r) => r.right)),
                     y0: Math.min(...rs.map((r) => r.top)),
                     y1: Math.max(...rs.map((r) => r.bottom)) };
        }""",
        selector,
    )


def test_an_unrolled_loop_folds_by_position_and_opens_a_run(lab: Lab) -> None:
    page = lab.run_notebook([
        SETUP,
        "x, w, b = Value(0.5, label='x'), Value(0.9, label='w'), Value(0.1, label='b')\n"
        "for _ in range(3000):\n"
        "    x = (x * w + b).relu()\n"
        "print(f'LOOP={len(trace(x))}')\n"
        "draw(x)",
    ])
    graph = lab.wait_ready(page, "graph", timeout=30_000)
    total = int(_marker(lab.output_text(page), "LOOP"))
    runs = graph.locator("[data-group^='values n']")
    assert total == 9003 and 5 < runs.count() < 50
    assert f"{total:,}" in graph.locator("[data-field='status']").inner_text()
    lab.screenshot(page, "graph_loop_folded", graph)
    before = graph.locator("[data-node], [data-group]").count()
    runs.nth(runs.count() - 2).click()  # a run of 500 near the output
    page.wait_for_function(
        "(n) => document.querySelectorAll("
        "'[data-mgw=graph] [data-node], [data-mgw=graph] [data-group]').length > n + 400"
        " && document.querySelector('[data-mgw=graph]').dataset.state === 'ready'",
        arg=before,
        timeout=30_000,
    )
    start = time.perf_counter()
    assert page.evaluate("() => 1 + 1") == 2
    assert time.perf_counter() - start < 1.0
    in_view = page.evaluate(
        """() => {
            const port = document.querySelector('[data-mgw=graph] .mgw-viewport')
              .getBoundingClientRect();
            return [...document.querySelectorAll('[data-mgw=graph] [data-node]')]
              .map((e) => e.getBoundingClientRect())
              .filter((r) => r.right > port.left && r.left < port.right
                             && r.bottom > port.top && r.top < port.bottom).length;
        }"""
    )
    assert in_view >= 3  # part of the opened run, not the empty middle of a long chain
    lab.screenshot(page, "graph_loop_run_opened", graph)
    assert lab.cell_errors(page) == []
    lab.close(page)


def test_long_chain_starts_readable_and_centred_on_its_output(lab: Lab) -> None:
    page = lab.run_notebook([
        SETUP,
        "x = Value(0.5, label='x'); y = x\n"
        "for k in range(60):\n"
        "    y = (y * 1.01).tanh() if k % 2 else y + 0.5\n"
        "y.label = 'out'\n"
        "print(f'OUTID={trace(y).nodes[-1][\"id\"]}')\n"
        "draw(y)",
    ])
    graph = lab.wait_ready(page, "graph")
    out_id = _marker(lab.output_text(page), "OUTID")
    assert _scale(graph) >= 0.7  # box text stays readable
    port = graph.locator(".mgw-viewport").bounding_box()
    out = graph.locator(f"[data-node='{out_id}']").bounding_box()
    assert port["x"] <= out["x"] and out["x"] + out["width"] <= port["x"] + port["width"]
    assert port["y"] <= out["y"] and out["y"] + out["height"] <= port["y"] + port["height"]
    # what shows is centred across the viewport, which is no taller than the chain needs
    shown = page.evaluate(
        """() => {
            const port = document.querySelector('[data-mgw=graph] .mgw-viewport')
              .getBoundingClientRect();
            const rs = [...document.querySelectorAll('[data-mgw=graph] [data-node]')]
              .map((e) => e.getBoundingClientRect())
              .filter((r) => r.right > port.left && r.left < port.right);
            return { top: Math.min(...rs.map((r) => r.top)) - port.top,
                     bottom: port.bottom - Math.max(...rs.map((r) => r.bottom)) };
        }"""
    )
    assert abs(shown["top"] - shown["bottom"]) < 12, shown
    assert port["height"] < 200
    lab.screenshot(page, "graph_chain_start", graph)
    assert lab.cell_errors(page) == []
    lab.close(page)


def _saved_page(tmp_path: Path, big: bool) -> Path:
    import random

    from micrograd_widgets import draw
    from micrograd_widgets.engine import Value
    from micrograd_widgets.nn import MLP

    random.seed(0)
    model = MLP(3, [4, 4, 1])
    out = model([Value(1.0), Value(-2.0), Value(0.5)])
    if big:  # over the threshold: saved collapsed
        out = sum((model([Value(float(k)), Value(1.0), Value(-1.0)]) for k in range(6)), out)
    out.backward()
    return draw(out).save_html(tmp_path / ("big.html" if big else "small.html"))


def test_save_html_renders_offline(lab: Lab, tmp_path: Path) -> None:
    path = _saved_page(tmp_path, big=False)
    page = lab.new_page(offline=True)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    graph = lab.wait_ready(page, "graph")
    n = graph.locator("[data-node]").count()
    assert n > 50
    output = graph.locator(f"[data-node='n{n - 1}']")  # ids are children-first: the root is last
    assert "grad 1.0000" in (output.text_content() or "")
    assert all(u.startswith(("file:", "blob:", "data:")) for u in requests), requests
    lab.screenshot(page, "graph_saved_offline", graph)
    page.close()

    big = _saved_page(tmp_path, big=True)
    page = lab.new_page(offline=True)
    page.goto(big.as_uri())
    graph = lab.wait_ready(page, "graph")
    assert graph.locator("[data-group]").count() > 0
    graph.locator("[data-group]").first.click()
    hint = graph.locator(".mgw-hint")
    hint.wait_for(state="visible")
    assert "kernel" in hint.inner_text()
    lab.screenshot(page, "graph_saved_offline_collapsed", graph)
    page.close()


# micrograd's classic bug (issues #21, #64): `=` instead of `+=` in __add__'s backward
BUGGY = """\
from micrograd_widgets import draw
from micrograd_widgets.engine import Value

class Buggy(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else Buggy(other)
        out = Buggy(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad = out.grad    # the bug: a second use overwrites the first
            other.grad = out.grad
        out._backward = _backward
        return out

a = Buggy(3.0, label='a')
b = a + a; b.label = 'b'
c = b * Value(2.0, label='k'); c.label = 'c'
c.backward()
print(f"AGRAD={a.grad}")
w = draw(c)
w
"""


REUSED = """\
x = Value(2.0, label='x')
y = x * x + x; y.label = 'y'
y.backward()
print(f"XGRAD={x.grad}")
draw(y)
"""


def test_gradcheck_toggle_marks_the_buggy_add(lab: Lab) -> None:
    page = lab.run_notebook([BUGGY, REUSED], name="gradcheck.ipynb")
    graph = lab.wait_ready(page, "graph", count=2).first
    assert lab.cell_errors(page) == []
    assert float(_marker(lab.output_text(page), "AGRAD")) == 2.0  # the true value is 4
    toggle = graph.locator("[data-action='gradcheck']")
    assert toggle.get_attribute("aria-pressed") == "false"
    assert graph.locator("[data-gradcheck]").count() == 0
    toggle.click()
    # Python measures the slopes and re-sends the graph: wait for the marks
    page.wait_for_function(
        "root => root.querySelector('[data-gradcheck=\"fail\"]') !== null",
        arg=graph.element_handle(), timeout=30_000)
    a_id = graph.evaluate("""root => [...root.querySelectorAll('[data-node]')]
        .find(g => g.querySelector('text').textContent === 'a').dataset.node""")
    failing = graph.evaluate("""root => [...root.querySelectorAll('[data-gradcheck="fail"]')]
        .map(g => g.querySelector('text').textContent)""")
    assert failing == ["a"]
    a = graph.locator(f"[data-node='{a_id}']")
    assert "grad 2.0000" in a.text_content() and "slope 4.0000" in a.text_content()
    assert graph.locator("[data-gradcheck='ok']").count() >= 2  # b, k, c agree
    assert graph.locator("[data-action='gradcheck']").get_attribute("aria-pressed") == "true"
    status = graph.locator("[data-field='status']").inner_text()
    assert "disagree" in status and "a" in status
    # the failure stands out: a thick red frame
    stroke = a.locator("rect.mgw-frame").evaluate(
        "r => [getComputedStyle(r).stroke, getComputedStyle(r).strokeWidth]")
    red = [int(v) for v in stroke[0][stroke[0].index("(") + 1:-1].split(",")[:3]]
    assert stroke[1] == "5px" and red[0] > 150 and red[0] > 2 * max(red[1], red[2]), stroke
    # the slope cells widened the boxes: the small graph is still shown whole
    cut = graph.evaluate("""root => {
        const area = root.querySelector('.mgw-viewport').getBoundingClientRect();
        return [...root.querySelectorAll('[data-node]')].filter((g) => {
            const r = g.getBoundingClientRect();
            return r.left < area.left || r.right > area.right || r.top < area.top ||
                   r.bottom > area.bottom;
        }).map((g) => g.dataset.node);
    }""")
    assert cut == []
    lab.screenshot(page, "graph_gradcheck", graph)
    graph.locator("[data-action='gradcheck']").click()
    page.wait_for_function("root => root.querySelector('[data-gradcheck]') === null",
                           arg=graph.element_handle())

    # x feeds two ops (x * x and ... + x): its hover lists what each sends back, and the sum
    reused = lab.wait_ready(page, "graph", count=2).nth(1)
    x_grad = float(_marker(lab.output_text(page), "XGRAD"))
    assert x_grad == 5.0  # d(x*x + x)/dx = 2x + 1 at x = 2
    x_box = reused.locator("[data-node]").filter(has_text="data 2.0000").first
    x_box.scroll_into_view_if_needed()
    x_box.hover()
    tip = reused.locator(".mgw-tooltip")
    tip.wait_for(state="visible")
    text = tip.inner_text()
    assert "used 2 times" in text, text
    assert "+ 4.0000  via" in text and "+ 1.0000  via y (+)" in text, text
    assert "= 5.0000" in text, text
    lab.screenshot(page, "graph_reused_hover", reused)
    lab.close(page)
