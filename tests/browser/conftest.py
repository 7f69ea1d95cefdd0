"""Browser fixtures: one JupyterLab and one Chromium per test session (see harness.py for usage)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from .harness import CHROMIUM, Lab, start_browser, start_lab


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def lab(request: pytest.FixtureRequest) -> Iterator[Lab]:
    """A JupyterLab on 127.0.0.1 (free port, no token, temp root) driven by Debian's Chromium."""
    if not os.path.exists(CHROMIUM) or shutil.which("jupyter") is None:
        pytest.fail(f"browser tests need {CHROMIUM} and jupyterlab (run `make browser-deps setup`)")
    server = start_lab()
    pw, browser = start_browser()
    failed_before = request.session.testsfailed
    try:
        yield Lab(server, browser)
    finally:
        browser.close()
        pw.stop()
        failed = request.session.testsfailed > failed_before
        server.stop(keep_logs=failed)
        if failed:
            print(f"\nJupyterLab log kept at {server.log}:\n{server.log_tail(40)}")
