"""`make test-pythons`: the non-browser tests on the oldest and newest Python the package claims.

Each Python gets a venv (kept in ~/.cache/micrograd_widgets/, so a fresh clone reuses it; MGW_VENVS
moves it) with the package's dependencies and its `test-core` extra, read from pyproject.toml; the
tests import the package from this tree (the JS must be built: `make setup` does it). One Python
at a time (two runs side by side load the machine like a busy neighbour). PyTorch has no wheel for
these Pythons on this machine, so the tests that compare against it skip there, saying why
(tests/torch_or_skip.py).

    python scripts/test_pythons.py 3.10 3.13      # versions found in ~/.pyenv/versions or on PATH
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import tomllib  # the script runs on the main Python (3.11+), not the ones it tests

REPO = Path(__file__).resolve().parent.parent
# Needs a built package and tools only the main Python has (build, jupyter, Chromium).
PYTEST_ARGS = ["--ignore=tests/browser", "--ignore=tests/test_packaging.py", "-q", "-p",
               "no:cacheprovider"]


def find_python(version: str) -> Path | None:
    """The newest ~/.pyenv/versions/<version>.* interpreter, else python<version> on PATH."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(pyenv.glob(f"{version}.*/bin/python{version}"),
                   key=lambda p: [int(x) for x in p.parts[-3].split(".") if x.isdigit()])
    if found:
        return found[-1]
    on_path = shutil.which(f"python{version}")
    return Path(on_path) if on_path else None


def requirements() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["test-core"]]


VENVS = Path(os.environ.get("MGW_VENVS", Path.home() / ".cache" / "micrograd_widgets"))


def venv_for(version: str, python: Path) -> Path:
    """venv-<version> with today's requirements (pip does nothing when they are met)."""
    venv = VENVS / f"venv-{version}"
    if not (venv / "bin" / "python").exists():
        subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    log = venv / "pip-install.log"
    with open(log, "w") as out:
        pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                              "--disable-pip-version-check", *requirements()],
                             stdout=out, stderr=subprocess.STDOUT)
    if pip.returncode != 0:
        sys.exit(f"test-pythons: pip failed for Python {version}:\n{log.read_text()[-3000:]}")
    return venv


def main(versions: list[str]) -> int:
    missing = [v for v in versions if find_python(v) is None]
    if missing:
        print(f"test-pythons: Python {', '.join(missing)} not found in ~/.pyenv/versions or on "
              "PATH; install it (e.g. `pyenv install 3.13`): pyproject.toml claims it",
              file=sys.stderr)
        return 2
    failed = []
    for version in versions:
        started = time.monotonic()
        venv = venv_for(version, find_python(version))
        installed = time.monotonic()
        print(f"---- Python {version}: the tests that need no browser", flush=True)
        run = subprocess.run([str(venv / "bin" / "python"), "-m", "pytest", *PYTEST_ARGS],
                             cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        print(f"test-pythons: Python {version}: venv {installed - started:.0f} s, "
              f"tests {time.monotonic() - installed:.0f} s, exit {run.returncode}", flush=True)
        if run.returncode != 0:
            failed.append(version)
    if failed:
        print(f"test-pythons: failed on Python {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["3.10", "3.13"]))
