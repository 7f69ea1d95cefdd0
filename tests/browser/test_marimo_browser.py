"""The three widgets in marimo (`marimo run`, on 127.0.0.1, in Chromium) through mo.ui.anywidget:
the graph draws and zooms, the player steps, the trainer plays and pauses.

marimo's anywidget bridge drops binary buffers sent from the page to Python, so every message a
view sends must be plain JSON: the last test checks the front end's sources for that.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator

import pytest

from .harness import REPO, Lab, scaled, start_marimo
from .test_whole_browser import _SEEN, WHOLE_ZOOM

pytestmark = pytest.mark.browser

APP = '''
import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import marimo as mo

    from micrograd_widgets import TrainerWidget, animate_backward, draw
    from micrograd_widgets.engine import Value
    return TrainerWidget, Value, animate_backward, draw, mo


@app.cell
def _(Value, draw, mo):
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    e = a * b; e.label = "e"
    d = e + Value(10.0, label="c"); d.label = "d"
    L = d * Value(-2.0, label="f"); L.label = "L"
    graph = mo.ui.anywidget(draw(L))
    graph
    return (L,)


@app.cell
def _(L, animate_backward, mo):
    player = mo.ui.anywidget(animate_backward(L))
    player
    return


@app.cell
def _(TrainerWidget, mo):
    trainer = mo.ui.anywidget(TrainerWidget(dataset="xor", seed=0))
    trainer
    return


if __name__ == "__main__":
    app.run()
'''


@pytest.fixture(scope="module")
def marimo_page(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    pytest.importorskip("marimo", reason="marimo is a test extra: pip install -e '.[test]'")
    app = tmp_path_factory.mktemp("marimo") / "widgets_app.py"
    app.write_text(textwrap.dedent(APP), encoding="utf-8")
    server = start_marimo(app)
    page = lab.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server.url, wait_until="domcontentloaded")
        for kind in ("graph", "backprop", "trainer"):
            lab.wait_ready(page, kind, timeout=60_000)
        yield page
        assert errors == []
    except Exception:
        print(f"\nmarimo log:\n{server.log_tail(40)}")
        raise
    finally:
        page.close()
        server.stop()


def assert_whole(view, what: str) -> None:
    """Issue 19: every box inside the viewport at a legible zoom in marimo's column."""
    seen = view.evaluate(_SEEN)
    assert seen["count"] == 7 and seen["out"] == [], f"{what}: {seen}"
    assert seen["zoom"] >= WHOLE_ZOOM - 1e-3, f"{what}: {seen}"


def test_graph_is_ready_and_zooms(lab: Lab, marimo_page) -> None:
    page = marimo_page
    graph = page.locator("[data-mgw='graph']")
    labels = graph.evaluate(
        "root => [...root.querySelectorAll('[data-node]')]"
        ".map(g => g.querySelector('text').textContent).sort()"
    )
    assert labels == sorted(["a", "b", "c", "d", "e", "f", "L"])
    assert_whole(graph, "L graph in marimo's column")
    scene = graph.locator("g.mgw-scene")
    before = scene.get_attribute("transform")
    box = graph.locator(".mgw-viewport").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -400)
    page.wait_for_function(
        "([el, t]) => el.getAttribute('transform') !== t", arg=[scene.element_handle(), before],
        timeout=scaled(10_000),
    )
    lab.screenshot(page, "marimo_graph", graph)


def test_player_step_advances(lab: Lab, marimo_page) -> None:
    player = marimo_page.locator("[data-mgw='backprop']")
    player.scroll_into_view_if_needed()
    assert player.get_attribute("data-step") == "0"
    assert_whole(player, "L player in marimo's column")
    player.locator("[data-action='step']").click()
    player.locator("[data-action='step']").click()
    assert player.get_attribute("data-step") == "2"
    assert "L.grad" in player.locator("[data-field='explanation']").inner_text()


def _step(trainer) -> int:
    return int(trainer.locator("[data-field='step']").inner_text().replace(",", ""))


def test_trainer_plays_and_pauses(lab: Lab, marimo_page) -> None:
    page = marimo_page
    trainer = page.locator("[data-mgw='trainer']")
    trainer.scroll_into_view_if_needed()
    assert _step(trainer) == 0
    trainer.locator("[data-action='play']").click()  # a message from the page to Python
    page.wait_for_function(
        "root => Number(root.querySelector('[data-field=\"step\"]').textContent"
        ".replace(/,/g, '')) >= 5",
        arg=trainer.element_handle(), timeout=scaled(30_000),
    )
    trainer.locator("[data-action='pause']").click()
    page.wait_for_function("root => root.dataset.playing === 'false'",
                           arg=trainer.element_handle(), timeout=scaled(30_000))
    stopped = _step(trainer)
    # Python's thread has stopped: one more Step from the page moves the counter by exactly one
    trainer.locator("[data-action='step']").click()
    page.wait_for_function(
        "([root, k]) => Number(root.querySelector('[data-field=\"step\"]').textContent"
        ".replace(/,/g, '')) > k",
        arg=[trainer.element_handle(), stopped], timeout=scaled(30_000),
    )
    assert _step(trainer) == stopped + 1
    lab.screenshot(page, "marimo_trainer", trainer)


def test_widgets_follow_marimo_dark_mode(lab: Lab, marimo_page) -> None:
    """marimo's dark theme (here from its ?theme=dark, on a system that prefers dark): no --jp-*
    variables there, so the widgets read marimo's mark on <body> and take the dark palette."""
    page = lab.new_page(color_scheme="dark")
    try:
        page.goto(marimo_page.url.split("?")[0] + "?theme=dark", wait_until="domcontentloaded")
        for kind in ("graph", "backprop", "trainer"):
            lab.wait_ready(page, kind, timeout=60_000)
        themes = page.locator("[data-mgw]").evaluate_all(
            "roots => roots.map((r) => r.dataset.mgwTheme)")
        assert themes == ["dark"] * 3
        trainer = page.locator("[data-mgw='trainer']")
        trainer.scroll_into_view_if_needed()
        page.wait_for_function(
            "root => [...root.querySelectorAll('canvas.mgw-curve')]"
            ".every((c) => c.dataset.theme === 'dark')",
            arg=trainer.element_handle(), timeout=scaled(10_000))
        # text light on dark: the graph's boxes, the trainer's words
        lum = page.locator("[data-mgw]").evaluate_all(r"""roots => roots.map((r) => {
            const c = getComputedStyle(r.querySelector('.mgw-graphview, .mgw-bar') || r).color;
            const [R, G, B] = c.match(/[\d.]+/g).map(Number);
            return (R + G + B) / 3;
        })""")
        assert all(v > 180 for v in lum), lum
        lab.screenshot(page, "marimo_dark_trainer", trainer)
        lab.screenshot(page, "marimo_dark_graph", page.locator("[data-mgw='graph']"))
    finally:
        page.close()


def _send_calls(source: str) -> list[str]:
    """The argument lists of every `.send(...)` call in a TypeScript source."""
    calls = []
    for match in re.finditer(r"\.send\(", source):
        depth, start = 1, match.end()
        for i in range(start, len(source)):
            depth += {"(": 1, ")": -1}.get(source[i], 0)
            if depth == 0:
                calls.append(source[start:i])
                break
    return calls


def _top_level_args(args: str) -> int:
    depth, count = 0, 1 if args.strip() else 0
    for ch in args:
        depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(ch, 0)
        count += ch == "," and depth == 0
    return count


def test_no_view_sends_binary_buffers_to_python() -> None:
    """marimo drops buffers sent from the page: every send() carries only a JSON message."""
    sources = [p for p in (REPO / "js").rglob("*.ts") if not p.name.endswith(
        (".test.ts", ".fixture.ts", ".d.ts"))]
    calls = {(p.name, args) for p in sources for args in _send_calls(p.read_text("utf-8"))}
    assert calls, "found no send() calls: the check itself is broken"
    with_buffers = [(name, args) for name, args in calls if _top_level_args(args) > 1]
    assert with_buffers == []
