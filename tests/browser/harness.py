"""Drive a real JupyterLab with Debian's Chromium (Playwright, sync API); shared by browser tests.

How to use it from a test in tests/browser/ (the fixtures live in conftest.py):

    import pytest
    pytestmark = pytest.mark.browser

    def test_my_widget(lab):                      # `lab` is a Lab (one JupyterLab per session)
        page = lab.run_notebook([
            "from micrograd_widgets import draw\\nfrom micrograd_widgets.engine import Value",
            "w = draw(Value(2.0, label='a') * 3)\\nw",
        ])                                        # written, opened, all cells run; returns the Page
        lab.wait_ready(page, "graph")             # [data-mgw="graph"][data-state="ready"]
        assert lab.cell_errors(page) == []        # tracebacks shown in outputs, if any
        lab.screenshot(page, "my_case")           # tests/browser/screenshots/my_case.png
        lab.close(page)                           # and shuts its kernel down

    def test_offline(lab):                        # no JupyterLab: file:// and no network
        page = lab.new_page(offline=True)
        page.goto(path.as_uri())

Waits are on states (the app started, the kernel connected and idle, every prompt numbered,
data-state="ready"), never on sleeps; their deadlines stretch with the machine's load
(`load_scale()`), so a busy CI machine is slower but not red. `lab.open_notebook(name,
app="notebook")` opens Notebook 7 instead of JupyterLab (same server, same waits).
`lab.dialogs(page)` lists alert/confirm texts the page raised (they are dismissed).
`lab.run_cell(page, code)` appends and runs one more cell (returns its output text);
`lab.output_text(page)` is all output text (print markers, parse them). Outside pytest (bench/), use
`start_lab()` / `start_browser()` and `Lab(...)` directly, closing them yourself.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
REPO = Path(__file__).resolve().parents[2]


def load_scale() -> float:
    """How much longer than on an idle machine to wait: 1 idle, up to 4 with every core busy.

    MGW_TIMEOUT_SCALE=<x> sets it. A deadline is a guard against a hang, not a speed test: on a
    shared CI machine (another process on one of two cores) JupyterLab, the kernel and Chromium
    all run slower, and a wait sized for an idle machine fails for no fault of the code.
    """
    if os.environ.get("MGW_TIMEOUT_SCALE"):
        return max(1.0, float(os.environ["MGW_TIMEOUT_SCALE"]))
    try:
        busy = os.getloadavg()[0] / (os.cpu_count() or 1)
    except OSError:
        busy = 0.0
    return min(4.0, 1.0 + 1.5 * max(0.0, busy))


def scaled(timeout_ms: float) -> float:
    """A Playwright timeout (ms) stretched by load_scale()."""
    return timeout_ms * load_scale()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A running `jupyter lab` process on 127.0.0.1 with no token, serving `root`."""

    process: subprocess.Popen[bytes]
    url: str
    root: Path
    log: Path
    home: Path

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, keep_logs: bool = False) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        if not keep_logs:
            shutil.rmtree(self.home, ignore_errors=True)


def start_lab(timeout: float = 90.0) -> LabServer:
    """Starts JupyterLab in a temporary directory and waits until its API answers."""
    home = Path(tempfile.mkdtemp(prefix="mgw-lab-"))
    root = home / "notebooks"
    settings = home / "settings"
    (settings / "@jupyterlab" / "apputils-extension").mkdir(parents=True)
    root.mkdir()
    # No news/update pop-ups over the screenshots.
    notification = settings / "@jupyterlab" / "apputils-extension" / "notification"
    notification.with_suffix(".jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    port = free_port()
    env = {
        **os.environ,
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    log = home / "jupyterlab.log"
    cmd = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True", f"--ServerApp.root_dir={root}",
        "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
        "--JupyterNotebookApp.expose_app_in_browser=True",  # window.jupyterapp in Notebook 7
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI often run as root
        cmd.append("--allow-root")
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    server = LabServer(process, f"http://127.0.0.1:{port}", root, log, home)
    timeout *= load_scale()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter lab exited early:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/api/status", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop(keep_logs=True)
    raise RuntimeError(f"jupyter lab did not start in {timeout:.0f}s:\n{server.log_tail()}")


@dataclass
class MarimoServer:
    """A running `marimo run <app>` on 127.0.0.1 (the app read-only, as a student sees it)."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_marimo(app: Path, timeout: float = 60.0) -> MarimoServer:
    """Runs `marimo run app` headless on a free loopback port; waits until it answers."""
    port = free_port()
    log = app.with_suffix(".log")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    cmd = [sys.executable, "-m", "marimo", "run", str(app), "--host", "127.0.0.1",
           "--port", str(port), "--headless", "--no-token", "--no-sandbox"]
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   cwd=app.parent, stdin=subprocess.DEVNULL)
    server = MarimoServer(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout * load_scale()
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"marimo exited early:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(f"{server.url}/health", timeout=2) as r:
                if r.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"marimo did not start in {timeout:.0f}s:\n{server.log_tail()}")


def start_browser() -> tuple[Any, Any]:
    """(playwright, browser): Debian's Chromium, headless. Stop with browser.close(); pw.stop()."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    return pw, browser


def notebook_json(cells: list[str]) -> dict[str, Any]:
    """A v4 notebook of code cells with python3 kernelspec metadata (so Lab never asks)."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        },
        "cells": [
            {"cell_type": "code", "id": f"cell{i}", "metadata": {}, "source": src,
             "outputs": [], "execution_count": None}
            for i, src in enumerate(cells)
        ],
    }


@dataclass
class Lab:
    """One JupyterLab server plus one Chromium; each test opens its own page(s)."""

    server: LabServer
    browser: Any
    viewport: dict[str, int] = field(default_factory=lambda: {"width": 1280, "height": 900})
    _dialogs: dict[int, list[str]] = field(default_factory=dict)
    _count: int = 0

    def new_page(self, offline: bool = False, color_scheme: str | None = None) -> Any:
        """A fresh page (own context). offline=True blocks every http(s)/ws request;
        color_scheme="dark" emulates a system in dark mode (prefers-color-scheme)."""
        options: dict[str, Any] = {"viewport": self.viewport}
        if color_scheme:
            options["color_scheme"] = color_scheme
        context = self.browser.new_context(**options)
        if offline:
            context.route("**/*", lambda route: route.abort()
                          if route.request.url.startswith(("http:", "https:", "ws:", "wss:"))
                          else route.continue_())
            context.set_offline(True)
        page = context.new_page()
        texts: list[str] = []
        self._dialogs[id(page)] = texts

        def on_dialog(dialog: Any) -> None:
            texts.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("close", lambda _page: _close_quietly(context))
        return page

    def close(self, page: Any) -> None:
        """Closes the page and shuts down every kernel session (tests run one at a time)."""
        page.close()
        with urllib.request.urlopen(f"{self.server.url}/api/sessions", timeout=10) as r:
            sessions = json.load(r)
        for session in sessions:
            req = urllib.request.Request(
                f"{self.server.url}/api/sessions/{session['id']}", method="DELETE"
            )
            urllib.request.urlopen(req, timeout=30).close()

    def dialogs(self, page: Any) -> list[str]:
        return self._dialogs.get(id(page), [])

    def write_notebook(self, cells: list[str], name: str | None = None) -> str:
        self._count += 1
        name = name or f"test_{self._count}.ipynb"
        (self.server.root / name).write_text(json.dumps(notebook_json(cells)), encoding="utf-8")
        return name

    def open_notebook(self, name: str, app: str = "lab", timeout: float = 60_000) -> Any:
        """Opens a notebook in JupyterLab (app="lab") or Notebook 7 (app="notebook") and waits
        until its kernel is connected and idle, so that a Run All that follows reaches it."""
        page = self.new_page()
        path = {"lab": "lab/tree", "notebook": "notebooks"}[app]
        page.goto(f"{self.server.url}/{path}/{name}?reset", wait_until="domcontentloaded")
        page.wait_for_function("() => window.jupyterapp?.shell", timeout=scaled(timeout))
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=scaled(timeout))
        self.wait_kernel_idle(page, timeout)
        return page

    @staticmethod
    def wait_kernel_idle(page: Any, timeout: float = 60_000) -> None:
        """Waits until the open notebook's kernel is connected and idle.

        Not the toolbar's execution indicator: it says data-status="idle" before any kernel is
        connected, and cells run then are dropped ("Session has no kernel") - what made the
        Notebook 7 magic test wait 90 s for a graph on a loaded machine.
        """
        page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                const ctx = w && w.sessionContext;
                const kernel = ctx && ctx.isReady && ctx.session && ctx.session.kernel;
                return Boolean(kernel) && kernel.connectionStatus === 'connected' &&
                       kernel.status === 'idle';
            }""",
            timeout=scaled(timeout),
        )

    def run_all(self, page: Any, timeout: float = 120_000) -> None:
        """Runs every cell and waits until all have finished."""
        page.set_default_timeout(scaled(timeout))
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                const status = w && w.sessionContext && w.sessionContext.kernelDisplayStatus;
                const prompts = [...document.querySelectorAll('.jp-Notebook .jp-InputPrompt')];
                return status === 'idle' && prompts.length > 0 &&
                       prompts.every((p) => /\\[\\d+\\]/.test(p.textContent));
            }""",
            timeout=scaled(timeout),
        )

    def run_cell(self, page: Any, code: str, timeout: float = 60_000) -> str:
        """Appends a code cell to the open notebook, runs it, and returns its output text."""
        page.evaluate(
            """async (code) => {
                const app = window.jupyterapp;
                const nb = app.shell.currentWidget.content;
                nb.activeCellIndex = nb.widgets.length - 1;
                await app.commands.execute('notebook:insert-cell-below');
                nb.activeCell.model.sharedModel.setSource(code);
                await app.commands.execute('notebook:run-cell');
            }""",
            code,
        )
        page.wait_for_function(
            """() => {
                const w = window.jupyterapp.shell.currentWidget;
                const cells = w.content.widgets;
                const last = cells[cells.length - 1];
                return w.sessionContext.kernelDisplayStatus === 'idle' &&
                       /\\[\\d+\\]/.test(last.node.querySelector('.jp-InputPrompt').textContent);
            }""",
            timeout=scaled(timeout),
        )
        return page.evaluate(
            """() => { const cells = window.jupyterapp.shell.currentWidget.content.widgets;
                       const out = cells[cells.length - 1].node.querySelector('.jp-OutputArea');
                       return out ? out.innerText : ''; }"""
        )

    @staticmethod
    def output_text(page: Any) -> str:
        """All output text of the open notebook (print() a marker in a cell and parse it here)."""
        return "\n".join(page.locator(".jp-OutputArea-output").all_inner_texts())

    def run_notebook(self, cells: list[str], name: str | None = None) -> Any:
        """Writes, opens and runs a notebook of code cells; returns the Playwright Page."""
        page = self.open_notebook(self.write_notebook(cells, name))
        self.run_all(page)
        return page

    def wait_ready(self, page: Any, mgw: str, count: int = 1, timeout: float = 30_000) -> Any:
        """Waits for `count` views [data-mgw=mgw] in data-state="ready"; returns their locator.

        Looks inside shadow roots too (marimo puts each widget in one), as Playwright's locators do.
        """
        page.wait_for_function(
            """([m, n]) => {
                let found = 0;
                const walk = (root) => {
                    found += root.querySelectorAll(`[data-mgw='${m}'][data-state='ready']`).length;
                    for (const el of root.querySelectorAll('*')) {
                        if (el.shadowRoot) walk(el.shadowRoot);
                    }
                };
                walk(document);
                return found >= n;
            }""",
            arg=[mgw, count],
            polling=100,
            timeout=scaled(timeout),
        )
        return page.locator(f"[data-mgw='{mgw}']")

    @staticmethod
    def cell_errors(page: Any) -> list[str]:
        """Texts of stderr outputs (tracebacks and warnings) in the open notebook."""
        return page.locator("[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()

    @staticmethod
    def screenshot(page: Any, name: str, locator: Any = None) -> Path:
        """Saves tests/browser/screenshots/<name>.png (of `locator` if given) for review."""
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        (locator or page).screenshot(path=str(path))
        return path


def _close_quietly(context: Any) -> None:
    """Close a page's context; at shutdown the browser may already be gone, which is fine."""
    try:
        context.close()
    except Exception:  # noqa: BLE001 - Playwright's TargetClosedError: nothing left to close
        pass
