"""The widgets in JupyterLab Light and JupyterLab Dark, switched as a user does (the theme
command): axe-core finds nothing inside them, every SVG text reaches 4.5:1 and every line and box
edge 3:1 against what it is drawn on, the trainer's canvases redraw in the new theme without a
new step, and each curve's pixels stand out from the plot's background. Dark screenshots:
tests/browser/screenshots/dark_*.png.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from .harness import Lab, scaled

pytestmark = pytest.mark.browser

THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}

CELLS = [
    "from micrograd_widgets import TrainerWidget, animate_backward, draw\n"
    "from micrograd_widgets.engine import Value\nfrom micrograd_widgets.nn import MLP",
    # the lecture's expression with the gradient check on: teal ok frames, one red failure
    """\
class Buggy(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else Buggy(other)
        out = Buggy(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad = out.grad    # micrograd's classic bug: '=' for '+='
            other.grad = out.grad
        out._backward = _backward
        return out

a = Buggy(3.0, label='a')
b = a + a; b.label = 'b'
c = b * Value(-2.0, label='k'); c.label = 'c'
c.backward()
draw(c, gradcheck=True)""",
    # a network's loss folded by layer and neuron: the dashed boxes
    "m = MLP(2, [3, 1])\nloss = sum((m([x, -x]) - 1) ** 2 for x in (0.5, -1.0)); loss.backward()\n"
    "draw(loss, collapse='groups')",
    # the player a few steps in: a running node, grads just written, boxes not reached (dashed)
    "x1, x2 = Value(2.0, label='x1'), Value(0.0, label='x2')\n"
    "w1, w2 = Value(-3.0, label='w1'), Value(1.0, label='w2')\n"
    "n = x1 * w1 + x2 * w2 + Value(6.88, label='b'); n.label = 'n'\no = n.tanh(); o.label = 'o'\n"
    "animate_backward(o)",
    "t = TrainerWidget(dataset='xor', seed=0, n=120)\nt.step(40)\nt",
]

# In the page: every SVG text's colour and the colour under it (the shapes before it in its
# group, over the first opaque HTML background above the SVG), every frame, edge and neuron
# outline's stroke against that background. Opacity (the element's and its ancestors') counts.
MEASURE = """
(roots) => {
  const parse = (s) => {
    s = (s || '').trim();
    let m = /^rgba?\\(([^)]*)\\)$/.exec(s);
    if (m) {
      const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
      return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    }
    m = /^color\\(srgb ([^)]*)\\)$/.exec(s);
    if (m) {
      const p = m[1].split(/[\\s\\/]+/).filter(Boolean).map(Number);
      return {r: 255 * p[0], g: 255 * p[1], b: 255 * p[2], a: p.length > 3 ? p[3] : 1};
    }
    return null;
  };
  const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = (c) => 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  const over = (t, b) => ({r: t.r * t.a + b.r * (1 - t.a), g: t.g * t.a + b.g * (1 - t.a),
                           b: t.b * t.a + b.b * (1 - t.a), a: 1});
  const ratio = (f, b) => {
    const x = lum(over(f, b)), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const hex = (c) => '#' + [c.r, c.g, c.b]
    .map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const htmlBg = (node) => {
    const layers = [];
    for (let n = node; n; n = n.parentElement || (n.getRootNode && n.getRootNode().host)) {
      if (n instanceof SVGElement) continue;
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const opacity = (el) => {
    let o = 1;
    for (let n = el; n && n instanceof SVGElement; n = n.parentElement) {
      o *= Number(getComputedStyle(n).opacity);
    }
    return o;
  };
  const paint = (el, prop) => {
    const s = getComputedStyle(el);
    const c = parse(s[prop]);
    if (!c || c.a === 0) return null;
    const po = Number(prop === 'fill' ? s.fillOpacity : s.strokeOpacity);
    return {...c, a: c.a * po * opacity(el)};
  };
  const shown = (el) => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const texts = [], lines = [];
  for (const root of roots) {
    for (const t of root.querySelectorAll('svg text')) {
      if (!shown(t) || !t.textContent.trim()) continue;
      const fg = paint(t, 'fill');
      if (!fg) continue;
      let bg = htmlBg(t.ownerSVGElement);
      const tb = t.getBBox();
      const cx = tb.x + tb.width / 2, cy = tb.y + tb.height / 2;
      for (const s of t.parentNode.children) {
        if (s === t) break;
        if (!['rect', 'ellipse', 'circle'].includes(s.tagName)) continue;
        const b = s.getBBox();
        if (cx < b.x || cx > b.x + b.width || cy < b.y || cy > b.y + b.height) continue;
        const f = paint(s, 'fill');
        if (f) bg = over(f, bg);
      }
      texts.push({text: t.textContent, ratio: ratio(fg, bg), fg: hex(over(fg, bg)), bg: hex(bg)});
    }
    const edged = 'rect.mgw-frame, path.mgw-edge, svg.mgw-network rect, svg.mgw-network circle';
    for (const el of root.querySelectorAll(edged)) {
      if (!shown(el)) continue;
      const st = paint(el, 'stroke');
      if (!st) continue;
      const bg = htmlBg(el.ownerSVGElement);
      const g = el.closest('[data-node], [data-group], [data-op], [data-neuron]');
      const who = g ? Object.entries(g.dataset).map(([k, v]) => `${k}=${v}`).join(' ')
                    : el.getAttribute('class');
      lines.push({what: `${el.tagName}.${el.getAttribute('class') || ''} ${who}`,
                  ratio: ratio(st, bg), stroke: hex(over(st, bg)), bg: hex(bg)});
    }
  }
  return {texts, lines};
}
"""


def _lum(c: tuple[int, ...]) -> float:
    def lin(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])


def _contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    x, y = sorted((_lum(a), _lum(b)))
    return (y + 0.05) / (x + 0.05)


def _rgb(text: str) -> tuple[int, int, int]:
    r, g, b = (int(round(float(v))) for v in text[text.index("(") + 1:-1].split(",")[:3])
    return r, g, b


def _widgets(page: Any) -> Any:
    return page.locator("[data-mgw]")


def set_theme(page: Any, mode: str) -> None:
    """Switches JupyterLab's theme with its own command (what Settings > Theme runs) and waits
    until every widget and the trainer's canvases have followed."""
    page.evaluate(
        "(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})",
        THEMES[mode])
    page.wait_for_function(
        """(mode) => document.body.dataset.jpThemeLight === String(mode === 'light') &&
            [...document.querySelectorAll('[data-mgw]')]
              .every((r) => r.dataset.mgwTheme === mode) &&
            [...document.querySelectorAll('[data-mgw="trainer"] canvas')]
              .filter((c) => !c.classList.contains('mgw-thumb'))
              .every((c) => c.dataset.theme === mode)""",
        arg=mode, timeout=scaled(30_000),
    )


@pytest.fixture(scope="module")
def themed_page(lab: Lab) -> Iterator[Any]:
    page = lab.run_notebook(CELLS, name="themes.ipynb")
    page.set_viewport_size({"width": 1280, "height": 1800})
    try:
        lab.wait_ready(page, "graph", count=2)
        lab.wait_ready(page, "backprop")
        lab.wait_ready(page, "trainer")
        assert lab.cell_errors(page) == []
        # step until a grad was just written while other boxes are still to come
        player = page.locator("[data-mgw='backprop']")
        for k in range(1, 9):
            player.locator("[data-action='step']").click()
            page.wait_for_function(
                "(k) => document.querySelector('[data-mgw=\"backprop\"]')"
                ".dataset.step === String(k)",
                arg=k)
            written = player.locator("[data-written='true']").count()
            if written and player.locator("[data-pending='true']").count():
                break
        yield page
    finally:
        set_theme(page, "light")  # the settings outlive the page: leave Light for other tests
        lab.close(page)


@pytest.mark.parametrize("mode", ["dark", "light"])
def test_axe_finds_no_violation_inside_the_widgets(lab: Lab, themed_page: Any, mode: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = themed_page
    set_theme(page, mode)
    # axe-core 4.x bundled in the package (no network); JupyterLab's own chrome is not ours
    options = {"runOnly": ["wcag2a", "wcag2aa", "wcag21aa"], "resultTypes": ["violations"]}
    results = Axe().run(page, context={"include": [["[data-mgw]"]]}, options=options)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("mode", ["dark", "light"])
def test_svg_text_and_lines_reach_their_contrast(lab: Lab, themed_page: Any, mode: str) -> None:
    page = themed_page
    set_theme(page, mode)
    measured = _widgets(page).evaluate_all(MEASURE)
    texts, lines = measured["texts"], measured["lines"]
    assert len(texts) > 60 and len(lines) > 60, (len(texts), len(lines))
    low_text = [t for t in texts if t["ratio"] < 4.5]
    low_lines = [line for line in lines if line["ratio"] < 3]
    assert low_text == [], low_text[:10]
    assert low_lines == [], low_lines[:10]
    # the states the issue names are among what was measured
    kinds = " ".join(line["what"] for line in lines)
    states = ("gradcheck=fail", "gradcheck=ok", "pending=true", "written=true", "group=",
              "neuron=0:0")
    for state in states:
        assert state in kinds, state


def _canvas_pixels(canvas: Any) -> tuple[Counter[tuple[int, int, int]], tuple[int, int, int]]:
    from PIL import Image

    image = Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")
    counts = Counter(image.getdata())
    return counts, counts.most_common(1)[0][0]


def _near(counts: Counter[tuple[int, int, int]], color: tuple[int, int, int], tol: int = 10) -> int:
    return sum(n for c, n in counts.items() if max(abs(c[k] - color[k]) for k in range(3)) <= tol)


@pytest.mark.parametrize("mode", ["dark", "light"])
def test_curves_redraw_with_the_theme_and_stand_out(lab: Lab, themed_page: Any, mode: str) -> None:
    page = themed_page
    trainer = page.locator("[data-mgw='trainer']")
    step = trainer.locator("[data-field='step']").inner_text()
    set_theme(page, mode)  # waits for the canvases to say they drew in `mode`
    assert trainer.locator("[data-field='step']").inner_text() == step  # no new step did it
    for canvas in trainer.locator("canvas.mgw-curve").all():
        canvas.scroll_into_view_if_needed()
        colors = json.loads(canvas.get_attribute("data-colors"))
        counts, background = _canvas_pixels(canvas)
        assert (_lum(background) < 0.05) == (mode == "dark"), background
        for name, minimum in (("text", 4.5), ("train", 3.0), ("test", 3.0)):
            color = _rgb(colors[name])
            where = canvas.get_attribute("aria-label")
            assert _near(counts, color) >= 12, f"{name} {color} is not drawn on {where}"
            assert _contrast(color, background) >= minimum, (name, color, background)
    heatmap = trainer.locator("canvas.mgw-heatmap")
    counts, background = _canvas_pixels(heatmap)
    # the map's boundary (score 0) is the page's background
    assert (_lum(background) < 0.2) == (mode == "dark"), background


def test_dark_screenshots(lab: Lab, themed_page: Any) -> None:
    page = themed_page
    set_theme(page, "dark")
    graphs = page.locator("[data-mgw='graph']")
    lab.screenshot(page, "dark_graph_gradcheck", graphs.nth(0))
    lab.screenshot(page, "dark_graph_folded", graphs.nth(1))
    lab.screenshot(page, "dark_player", page.locator("[data-mgw='backprop']"))
    trainer = page.locator("[data-mgw='trainer']")
    trainer.scroll_into_view_if_needed()
    lab.screenshot(page, "dark_trainer", trainer)


def test_saved_page_follows_the_system_dark_mode(lab: Lab, tmp_path: Any) -> None:
    """The offline page has no --jp-* variables: prefers-color-scheme picks the palette, for the
    page around the widgets too; axe finds nothing on the whole page."""
    from axe_playwright_python.sync_playwright import Axe

    from micrograd_widgets import TrainerWidget, animate_backward
    from micrograd_widgets.engine import Value

    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = a * b + a
    out.label = "out"
    trainer = TrainerWidget(dataset="xor", seed=0, n=80)
    trainer.step(10)
    paths = [tmp_path / "player.html", tmp_path / "trainer.html"]
    animate_backward(out).save_html(paths[0])
    trainer.save_html(paths[1])
    for mode in ("dark", "light"):
        for path in paths:
            page = lab.new_page(offline=True, color_scheme=mode)
            try:
                page.goto(path.as_uri())
                page.wait_for_function(
                    "() => document.querySelector('[data-mgw][data-state=\"ready\"]')",
                    timeout=scaled(30_000))
                assert page.locator("[data-mgw]").get_attribute("data-mgw-theme") == mode
                body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
                assert (_lum(_rgb(body)) < 0.05) == (mode == "dark"), body
                options = {"runOnly": ["wcag2a", "wcag2aa"], "resultTypes": ["violations"]}
                results = Axe().run(page, options=options)
                assert results.violations_count == 0, results.generate_report()
                if mode == "dark":
                    lab.screenshot(page, f"dark_saved_{path.stem}")
            finally:
                page.close()
