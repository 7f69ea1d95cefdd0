"""The backprop player in a real JupyterLab and as a saved page opened offline from file://.

Expected numbers are the lecture's example worked out by hand: L = (a*b + c) * f with a=2, b=-3,
c=10, f=-2, so dL/dd = -2, dL/df = 4, dL/de = dL/dc = -2, dL/da = 6, dL/db = -4.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

SETUP = """\
from micrograd_widgets import animate_backward
from micrograd_widgets.engine import Value
a = Value(2.0, label='a'); b = Value(-3.0, label='b'); c = Value(10.0, label='c')
f = Value(-2.0, label='f')
e = a * b; e.label = 'e'
d = e + c; d.label = 'd'
L = d * f; L.label = 'L'
"""
FINAL = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0, "L": 1.0}
FRAMES = 8  # the seed, then one frame per node (7 nodes)


def boxes(player) -> dict[str, tuple[str, str]]:
    """label -> (data text, grad text) of every Value box in the player's graph."""
    rows = player.evaluate(
        """root => [...root.querySelectorAll('[data-node]')].map(
               g => [...g.querySelectorAll('text')].map(t => t.textContent))"""
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def active_label(player) -> str | None:
    return player.evaluate(
        """root => { const g = root.querySelectorAll('[data-node][data-active="true"]');
                     if (g.length > 1) throw new Error('more than one active node');
                     return g.length ? g[0].querySelector('text').textContent : null; }"""
    )


def pending_labels(player) -> list[str]:
    """Labels of the boxes drawn as not reached yet (dashed), sorted."""
    return player.evaluate(
        """root => [...root.querySelectorAll('[data-node][data-pending="true"]')]
                   .map(g => g.querySelector('text').textContent).sort()"""
    )


def explanation(player) -> str:
    return player.locator("[data-field='explanation']").inner_text()


def wait_step(page, player, k: int) -> None:
    page.wait_for_function(
        "([root, k]) => root.dataset.step === String(k)", arg=[player.element_handle(), k]
    )


def exercise(page, player, shots: str, lab) -> None:
    """Step, step back, keyboard, play to the end, reset: the same checks in Lab and offline."""
    assert player.get_attribute("data-step") == "0"
    assert player.get_attribute("data-total") == str(FRAMES)
    assert active_label(player) is None
    start = boxes(player)
    assert set(start) == set(FINAL)
    assert all(grad == "grad ?" for _, grad in start.values())  # nothing reached yet
    assert start["a"][0] == "data 2.0000" and start["L"][0] == "data -8.0000"

    player.locator("[data-action='step']").click()
    assert player.get_attribute("data-step") == "1"
    assert active_label(player) == "L"
    assert explanation(player).startswith("L.grad = 1")
    assert boxes(player)["L"][1] == "grad 1.0000"

    player.locator("[data-action='step']").click()
    assert player.get_attribute("data-step") == "2"
    assert active_label(player) == "L"
    text = explanation(player)
    assert "d.grad += f.data × L.grad = -2.0000 × 1.0000 = -2.0000" in text
    assert "f.grad += d.data × L.grad = 4.0000 × 1.0000 = 4.0000" in text
    now = boxes(player)
    assert now["d"][1] == "grad -2.0000" and now["f"][1] == "grad 4.0000"
    assert now["e"][1] == "grad ?"
    written = player.evaluate(
        """root => [...root.querySelectorAll('[data-written="true"]')]
                   .map(g => g.querySelector('text').textContent).sort()"""
    )
    assert written == ["d", "f"]
    running = player.evaluate(
        "root => [...root.querySelectorAll('[data-running=\"true\"]')].map(g => g.dataset.op)"
    )
    assert running == [player.evaluate(
        "root => root.querySelector('[data-node][data-active=\"true\"]').dataset.node")]
    assert pending_labels(player) == ["a", "b", "c", "e"]  # grads not reached yet
    lab.screenshot(page, f"{shots}_step2", player)

    player.locator("[data-action='back']").click()
    assert player.get_attribute("data-step") == "1"
    assert boxes(player)["d"][1] == "grad ?"
    assert explanation(player).startswith("L.grad = 1")

    # keyboard, once the player has focus: → steps, ← steps back
    player.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert player.get_attribute("data-step") == "4"
    assert active_label(player) == "d"
    assert "+ routes d.grad = -2.0000 to its inputs unchanged" in explanation(player)
    page.keyboard.press("ArrowLeft")
    assert player.get_attribute("data-step") == "3"
    assert active_label(player) == "f"
    assert explanation(player) == "f is a leaf: nothing to propagate (f.grad = 4.0000 is final)"

    # the scrubber jumps anywhere
    player.locator("[data-field='scrubber']").fill("6")
    assert player.get_attribute("data-step") == "6"
    assert active_label(player) == "e"
    assert "a.grad += b.data × e.grad = -3.0000 × -2.0000 = 6.0000" in explanation(player)
    lab.screenshot(page, f"{shots}_step6", player)

    # play to the end, fast
    player.locator("[data-field='speed']").select_option("16")
    player.locator("[data-action='play']").click()
    wait_step(page, player, FRAMES)
    page.wait_for_function("root => root.dataset.playing === 'false'", arg=player.element_handle())
    assert active_label(player) == "a"
    assert explanation(player) == "a is a leaf: nothing to propagate (a.grad = 6.0000 is final)"
    end = boxes(player)
    for label, grad in FINAL.items():
        assert end[label][1] == f"grad {grad:.4f}", label
    assert pending_labels(player) == []
    lab.screenshot(page, f"{shots}_end", player)

    player.locator("[data-action='reset']").click()
    assert player.get_attribute("data-step") == "0"
    assert all(grad == "grad ?" for _, grad in boxes(player).values())

    # space plays and pauses
    player.focus()
    page.keyboard.press(" ")
    page.wait_for_function("root => root.dataset.playing === 'true'", arg=player.element_handle())
    page.keyboard.press(" ")
    page.wait_for_function("root => root.dataset.playing === 'false'", arg=player.element_handle())


def test_player_in_jupyterlab(lab):
    page = lab.run_notebook([SETUP, "w = animate_backward(L)\nw"], name="backprop.ipynb")
    player = lab.wait_ready(page, "backprop").first
    assert lab.cell_errors(page) == []
    player.scroll_into_view_if_needed()
    exercise(page, player, "backprop_lab", lab)
    assert lab.dialogs(page) == []
    page.close()


def test_forward_pass_first(lab):
    page = lab.run_notebook([SETUP, "animate_backward(L, forward=True)"], name="forward.ipynb")
    player = lab.wait_ready(page, "backprop").first
    assert player.get_attribute("data-total") == str(7 + FRAMES)
    start = boxes(player)
    assert all(data == "data ?" for data, _ in start.values())
    for _ in range(3):
        player.locator("[data-action='step']").click()
    assert player.get_attribute("data-phase") == "forward"
    now = boxes(player)
    assert now["a"][0] == "data 2.0000" and now["b"][0] == "data -3.0000"
    assert now["e"][0] == "data -6.0000" and now["c"][0] == "data ?"
    assert explanation(player) == "e = a × b = 2.0000 × -3.0000 = -6.0000"
    assert active_label(player) == "e"
    assert pending_labels(player) == ["L", "c", "d", "f"]  # values not computed yet
    wrote = player.get_by_text("grads it just wrote")
    assert not wrote.is_visible()  # no grads in the forward pass: that legend item is hidden
    lab.screenshot(page, "backprop_forward", player)
    player.locator("[data-field='scrubber']").fill("8")
    assert player.get_attribute("data-phase") == "backward"
    assert wrote.is_visible()
    assert explanation(player).startswith("L.grad = 1")
    page.close()


def test_saved_player_works_offline(lab, tmp_path):
    from micrograd_widgets import animate_backward
    from micrograd_widgets.engine import Value

    scope: dict = {"Value": Value}
    exec(SETUP.split("\n", 2)[2], scope)  # the same graph, built here
    path = animate_backward(scope["L"]).save_html(tmp_path / "backprop.html")

    page = lab.new_page(offline=True)
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(path.as_uri())
    player = lab.wait_ready(page, "backprop").first
    exercise(page, player, "backprop_offline", lab)
    assert failed == []
    assert lab.dialogs(page) == []
    page.close()


def test_saved_mlp_player_ends_with_backwards_grads(lab, tmp_path):
    """A bigger graph (an MLP output, ~120 nodes): after End, every box shows backward()'s grad."""
    import random

    from micrograd_widgets import animate_backward
    from micrograd_widgets.engine import Value
    from micrograd_widgets.graph import trace
    from micrograd_widgets.nn import MLP

    random.seed(1)
    model = MLP(3, [4, 4, 1])
    out = model([Value(1.0), Value(-2.0), Value(0.5)])
    path = animate_backward(out).save_html(tmp_path / "mlp.html")
    graph = trace(out)
    for v in graph.values:
        v.grad = 0
    out.backward()  # the engine's own pass
    pairs = zip(graph.ids, graph.values, strict=True)
    expected = {node: f"grad {float(v.grad):.4f}" for node, v in pairs}

    page = lab.new_page(offline=True)
    page.goto(path.as_uri())
    player = lab.wait_ready(page, "backprop").first
    player.locator("[data-field='scrubber']").fill(str(len(graph.values) // 3))
    lab.screenshot(page, "backprop_mlp_third", player)
    player.focus()
    page.keyboard.press("End")
    assert player.get_attribute("data-step") == str(len(graph.values) + 1)
    shown = player.evaluate(
        """root => Object.fromEntries([...root.querySelectorAll('[data-node]')].map(
               g => [g.dataset.node, [...g.querySelectorAll('text')][2].textContent]))"""
    )
    assert shown == expected
    page.close()


BUGGY_PLAYER = """\
from micrograd_widgets import animate_backward
from micrograd_widgets.engine import Value

class Buggy(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else Buggy(other)
        out = Buggy(self.data + other.data, (self, other), '+')
        def _backward():
            self.grad = out.grad    # should be +=: a second use overwrites the first
            other.grad = out.grad
        out._backward = _backward
        return out

a = Buggy(3.0, label='a')
b = a + a; b.label = 'b'
animate_backward(b)
"""


def test_player_gradcheck_toggle_marks_the_buggy_add_and_keeps_the_step(lab):
    page = lab.run_notebook([BUGGY_PLAYER], name="player_gradcheck.ipynb")
    player = lab.wait_ready(page, "backprop").first
    assert lab.cell_errors(page) == []
    player.locator("[data-action='step']").click()
    page.wait_for_function("root => root.dataset.step === '1'", arg=player.element_handle())
    player.locator("[data-action='gradcheck']").click()
    page.wait_for_function(
        "root => root.dataset.state === 'ready' && "
        "root.querySelector('[data-gradcheck=\"fail\"]') !== null",
        arg=player.element_handle(), timeout=30_000)
    failing = player.evaluate("""root => [...root.querySelectorAll('[data-gradcheck="fail"]')]
        .map(g => g.querySelector('text').textContent)""")
    assert failing == ["a"]
    assert player.get_attribute("data-step") == "1"  # the re-sent graph kept the step
    assert player.locator("[data-action='gradcheck']").get_attribute("aria-pressed") == "true"
    lab.screenshot(page, "player_gradcheck", player)
    lab.close(page)
