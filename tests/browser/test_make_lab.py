"""`make lab` starts JupyterLab on the tour, as root too, listening on 127.0.0.1 only.

The test runs the script the Makefile runs (scripts/lab.sh), with the arguments a headless
machine needs (no browser to open, a free port), and waits for the server to answer.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .harness import REPO, free_port, load_scale

SCRIPT = REPO / "scripts" / "lab.sh"


def test_the_makefile_runs_the_script() -> None:
    dry_run = subprocess.run(["make", "-n", "lab"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout
    assert "scripts/lab.sh" in dry_run


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as the kernel lists them) of sockets listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            address, _, hex_port = local.partition(":")
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.append(address)
    return found


def _answer(url: str) -> int | None:
    """The HTTP status at `url`, or None while nothing answers there."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_lab_serves_the_tour_on_loopback_only(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["bash", str(SCRIPT), "--no-browser", f"--ServerApp.port={port}",
             "--ServerApp.port_retries=0"],
            stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60 * load_scale()
        while (status := _answer(f"http://127.0.0.1:{port}/api/status")) is None:
            assert process.poll() is None, f"jupyter lab exited:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no answer on port {port}:\n{log.read_text()}"
            time.sleep(0.2)
        assert status in (200, 403), status  # 403: the API wants the token, as it should
        text = log.read_text()
        assert "Running as root is not recommended" not in text
        token = re.search(r"127\.0\.0\.1:\d+/lab[^\s]*\?token=(\w+)", text)
        assert token, text
        # it serves notebooks/ and opens the tour: the page a browser is sent to says so
        assert f"Serving notebooks from local directory: {REPO / 'notebooks'}" in text
        assert _answer(f"http://127.0.0.1:{port}/api/contents/tour.ipynb?token={token[1]}") == 200
        opened = [f.read_text() for f in (tmp_path / "runtime").glob("jpserver-*-open.html")]
        assert any(re.search(r"/lab/tree/tour\.ipynb\?token=", page) for page in opened), opened
        addresses = _listening(port)
        assert addresses, "nothing listens on the port"
        loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1 and ::1
        assert set(addresses) <= loopback, addresses
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
