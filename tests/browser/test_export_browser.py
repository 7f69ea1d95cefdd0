"""The exported tour (scripts/export_notebook.py) renders every widget from file://, offline."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .harness import REPO

pytestmark = pytest.mark.browser


def test_exported_tour_works_offline(lab, tmp_path: Path) -> None:
    out = tmp_path / "tour.html"
    subprocess.run([sys.executable, str(REPO / "scripts" / "export_notebook.py"),
                    str(REPO / "notebooks" / "tour.ipynb"), str(out)],
                   check=True, capture_output=True, text=True, timeout=300)
    page = lab.new_page(offline=True)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(out.as_uri())
    expected = page.locator(".mgw-widget").count()
    assert expected >= 6  # graphs, players and the trainer of the tour
    page.wait_for_function(
        f"document.querySelectorAll('[data-mgw][data-state=\"ready\"]').length === {expected}",
        timeout=30_000,
    )
    kinds = page.eval_on_selector_all("[data-mgw]", "els => els.map(e => e.dataset.mgw)")
    assert {"graph", "backprop", "trainer"} <= set(kinds)
    assert page.locator('[data-mgw][data-state="error"]').count() == 0
    # the player still plays with no kernel: one step forward shows the seed of the backward pass
    player = page.locator('[data-mgw="backprop"]').first
    player.locator('[data-action="step"]').click()
    assert player.get_attribute("data-step") == "1"
    assert failed == [] and errors == []
    lab.screenshot(page, "export_tour")
    page.close()
