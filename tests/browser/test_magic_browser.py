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
