"""%load_ext micrograd_widgets in a real JupyterLab: a %%micrograd cell draws its graph, with the
names the cell assigned as the nodes' labels; a Value left as a cell's result draws too."""

from __future__ import annotations

import math

import pytest

pytestmark = pytest.mark.browser

CELLS = [
    "%load_ext micrograd_widgets",
    # the lecture's neuron, but nobody writes label=...: the magic names every Value
    "%%micrograd --backward\n"
    "from micrograd_widgets.engine import Value\n"
    "x1 = Value(2.0)\n"
    "w1 = Value(-3.0)\n"
    "x1w1 = x1 * w1\n"
    "b = Value(6.8813735870195432)\n"
    "n = x1w1 + b\n"
    "o = n.tanh()",
    "o",
]


def _records(page, graph_index: int) -> dict[str, tuple[str, str]]:
    """label -> (data text, grad text) of every Value box in the graph_index-th graph view."""
    rows = page.locator("[data-mgw='graph']").nth(graph_index).evaluate(
        """root => [...root.querySelectorAll('[data-node]')].map(
               g => [...g.querySelectorAll('text')].map(t => t.textContent))"""
    )
    assert all(len(row) == 3 for row in rows), rows
    records = {row[0]: (row[1], row[2]) for row in rows}
    assert len(records) == len(rows), f"labels are not unique: {rows}"
    return records


def test_micrograd_cell_draws_the_graph_with_auto_labels(lab):
    page = lab.run_notebook(CELLS, name="magic.ipynb")
    views = lab.wait_ready(page, "graph", count=2)
    assert lab.cell_errors(page) == []
    lab.screenshot(page, "magic_cell", views.nth(0))

    # computed independently of the widget: the lecture's neuron
    n = 2.0 * -3.0 + 6.8813735870195432
    o = math.tanh(n)
    dn = 1 - o * o
    expected = {
        "x1": (2.0, dn * -3.0),
        "w1": (-3.0, dn * 2.0),
        "x1w1": (-6.0, dn),
        "b": (6.8813735870195432, dn),
        "n": (n, dn),
        "o": (o, 1.0),
    }
    records = _records(page, 0)
    assert set(records) == set(expected)
    for label, (data, grad) in expected.items():
        assert records[label] == (f"data {data:.4f}", f"grad {grad:.4f}"), label

    # the cell that leaves `o` as its result: the same graph, drawn by the display printer
    assert _records(page, 1) == records
    lab.close(page)


def test_notebook_7_draws_the_magic_cell_and_plays_animate(lab):
    """The same extension in Notebook 7 (its own front end, served by the same server)."""
    cells = [*CELLS[:2], "%%micrograd --animate\np = o * x1"]
    name = lab.write_notebook(cells, "magic_nb7.ipynb")
    page = lab.open_notebook(name, app="notebook")  # waits for the kernel, not the indicator
    page.get_by_text("Run", exact=True).first.click()  # the menu bar: Run > Run All Cells
    page.get_by_text("Run All Cells", exact=True).first.click()
    graph = lab.wait_ready(page, "graph", timeout=90_000).first
    player = lab.wait_ready(page, "backprop", timeout=90_000).first
    assert lab.cell_errors(page) == []
    assert set(_records(page, 0)) == {"x1", "w1", "x1w1", "b", "n", "o"}  # the auto-labels
    assert graph.is_visible()

    # p = o * x1: after the seed and p's own step, o.grad = x1.data = 2, x1.grad = o.data
    player.locator("[data-action='step']").click()
    player.locator("[data-action='step']").click()
    assert player.get_attribute("data-step") == "2"
    o = math.tanh(2.0 * -3.0 + 6.8813735870195432)
    text = player.locator("[data-field='explanation']").inner_text()
    assert "o.grad += x1.data × p.grad = 2.0000 × 1.0000 = 2.0000" in text
    assert f"x1.grad += o.data × p.grad = {o:.4f} × 1.0000 = {o:.4f}" in text
    lab.screenshot(page, "magic_notebook7", player)
    lab.close(page)


# The README's neuron (10 Values) as a student types it: drawn, then played.
NEURON = (
    "from micrograd_widgets.engine import Value\n"
    "x1, x2 = Value(2.0), Value(0.0)\n"
    "w1, w2 = Value(-3.0), Value(1.0)\n"
    "b = Value(6.8813735870195432)\n"
    "n = x1*w1 + x2*w2 + b\n"
    "o = n.tanh()"
)
NEURON_CELLS = [
    "%load_ext micrograd_widgets",
    "%%micrograd --backward\n" + NEURON,
    "%%micrograd --animate\n" + NEURON,
]

# every [data-node] box's rectangle against the visible SVG area of its view (screen px)
_BOXES_OUTSIDE = """root => {
    const area = root.querySelector('.mgw-viewport').getBoundingClientRect();
    const out = [];
    for (const g of root.querySelectorAll('[data-node]')) {
        const r = g.getBoundingClientRect();
        if (r.left < area.left - 0.5 || r.right > area.right + 0.5 ||
            r.top < area.top - 0.5 || r.bottom > area.bottom + 0.5) {
            out.push(`${g.dataset.node} ${[r.left, r.right, r.top, r.bottom].map(Math.round)} ` +
                     `outside ${[area.left, area.right, area.top, area.bottom].map(Math.round)}`);
        }
    }
    return {count: root.querySelectorAll('[data-node]').length, out,
            width: Math.round(area.width), height: Math.round(area.height)};
}"""


def _assert_whole(view, what: str) -> dict:
    seen = view.evaluate(_BOXES_OUTSIDE)
    assert seen["count"] == 10, f"{what}: {seen}"
    assert seen["out"] == [], f"{what}: boxes cut off: {seen['out']}"
    return seen


def _run_neuron(lab, name: str, cell_width: int | None = None, sidebar: bool = True):
    page = lab.open_notebook(lab.write_notebook(NEURON_CELLS, name))
    if not sidebar:  # a projector set-up: the file browser folded away
        page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
        page.wait_for_function("() => window.jupyterapp.shell.leftCollapsed")
    if cell_width is not None:  # the widgets' cell area exactly this wide
        page.add_style_tag(content=(
            f".jp-OutputArea-output {{ width: {cell_width}px !important; "
            f"max-width: {cell_width}px !important; flex: none !important; }}"))
    lab.run_all(page)
    graph = lab.wait_ready(page, "graph").first
    player = lab.wait_ready(page, "backprop").first
    assert lab.cell_errors(page) == []
    return page, graph, player


@pytest.mark.parametrize(
    ("viewport", "cell_width", "shot"),
    [({"width": 1280, "height": 900}, 850, "neuron_850"),
     ({"width": 1024, "height": 768}, None, "neuron_1024x768")],
)
def test_tanh_neuron_starts_whole(lab, viewport, cell_width, shot):
    """Issue 14: the lecture's neuron opened with x1, x2, w1, w2 cut off on the left.

    At 1024x768 JupyterLab's file browser takes 40% of the width (the cell is 592 px: the neuron
    would need zoom 0.33, unreadable on a projector), so that page has it folded away, as a
    classroom set-up does; the cell is then ~900 px wide.
    """
    saved = lab.viewport
    lab.viewport = viewport
    try:
        page, graph, player = _run_neuron(lab, f"{shot}.ipynb", cell_width,
                                          sidebar=cell_width is not None)
    finally:
        lab.viewport = saved
    width = graph.evaluate("root => Math.round(root.getBoundingClientRect().width)")
    if cell_width is not None:
        assert abs(width - cell_width) <= 2, width
    graph.scroll_into_view_if_needed()
    _assert_whole(graph, f"graph widget at {width} px")
    lab.screenshot(page, shot, graph)
    player.scroll_into_view_if_needed()
    _assert_whole(player, f"player at {width} px")
    # and stays whole while it plays: the active box is in view, nothing jumps
    for _ in range(3):
        player.locator("[data-action='step']").click()
    _assert_whole(player, "player after 3 steps")
    lab.screenshot(page, f"{shot}_player", player)
    lab.close(page)


def test_animate_shows_the_source_line_of_the_op_it_steps_through(lab):
    page, _graph, player = _run_neuron(lab, "neuron_source.ipynb")
    source = player.locator("[data-field='source']")
    assert not source.is_visible()  # before the first step
    step = player.locator("[data-action='step']")
    step.click()  # the seed: o.grad = 1
    step.click()  # o = n.tanh(): its _backward
    page.wait_for_function("root => root.dataset.step === '2'", arg=player.element_handle())
    assert player.locator("[data-field='explanation']").inner_text().startswith("n.grad")
    assert source.inner_text() == "o = n.tanh()"
    step.click()  # n = ... + b: the line that made n
    page.wait_for_function("root => root.dataset.step === '3'", arg=player.element_handle())
    assert source.inner_text() == "n = x1*w1 + x2*w2 + b"
    lab.screenshot(page, "player_source_line", player)
    lab.close(page)


def test_gradcheck_cell_draws_the_check_at_once(lab):
    """%%micrograd --gradcheck: the widget comes with the check on and every box marked."""
    cells = ["%load_ext micrograd_widgets", "%%micrograd --backward --gradcheck\n" + NEURON]
    page = lab.run_notebook(cells, name="gradcheck_cell.ipynb")
    graph = lab.wait_ready(page, "graph").first
    assert lab.cell_errors(page) == []
    assert graph.locator("[data-action='gradcheck']").get_attribute("aria-pressed") == "true"
    marks = graph.evaluate("""root => [...root.querySelectorAll('[data-node]')]
        .map(g => g.dataset.gradcheck || '')""")
    assert len(marks) == 10 and set(marks) == {"ok"}, marks  # the engine's grads are right
    assert "all 10 grads agree" in graph.locator("[data-field='status']").inner_text()
    _assert_whole(graph, "neuron with slope cells")
    lab.screenshot(page, "neuron_gradcheck", graph)
    lab.close(page)
