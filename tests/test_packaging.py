"""The sdist and the wheel install with no Node.js on PATH, and every widget's bundle loads.

Built as a packager builds (sdist from the tree, the wheel from that sdist), each installed in a
fresh venv with npm hidden. The venvs see this Python's packages (--system-site-packages) and
install with --no-deps and no build isolation, so the test downloads nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.packaging, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parent.parent
STATIC = REPO / "micrograd_widgets" / "static"
BUNDLES = ["graph", "backprop", "trainer", "page"]

# Run inside each venv, from an empty folder: the installed package, not this tree.
CHECK = """
import sys
from importlib.metadata import version
from pathlib import Path

import micrograd_widgets
from micrograd_widgets import BackpropWidget, GraphWidget, TrainerWidget, draw
from micrograd_widgets.engine import Value

package = Path(micrograd_widgets.__file__).parent
assert package.is_relative_to(sys.prefix), f"imported {package}, not the installed copy"
assert micrograd_widgets.__version__ == version("micrograd_widgets"), micrograd_widgets.__version__
static = package / "static"
for name in ("graph", "backprop", "trainer", "page"):
    assert (static / f"{name}.js").stat().st_size > 500, name
for cls, name in ((GraphWidget, "graph"), (BackpropWidget, "backprop"),
                  (TrainerWidget, "trainer")):
    assert str(cls._esm) == (static / f"{name}.js").read_text(encoding="utf-8"), name
page = Path("page.html")
draw(Value(2.0, label="a") * 3).save_html(page)
assert (static / "page.js").read_text(encoding="utf-8") in page.read_text(encoding="utf-8")
print("ok", micrograd_widgets.__version__)
"""


def _without_node() -> dict[str, str]:
    """This environment with only this Python's bin/ on PATH: no npm, no node (and no PYTHONPATH
    that would import a source tree instead of the installed copy)."""
    path = str(Path(sys.executable).parent)
    assert shutil.which("npm", path=path) is None and shutil.which("node", path=path) is None
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return {**env, "PATH": path}


def _run(cmd: list[str | Path], cwd: Path | None = None) -> str:
    run = subprocess.run([str(c) for c in cmd], cwd=cwd, env=_without_node(),
                         capture_output=True, text=True, timeout=300)
    shown = " ".join(map(str, cmd))
    assert run.returncode == 0, f"{shown}\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return run.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [f"{name}.js" for name in BUNDLES if not (STATIC / f"{name}.js").is_file()]
    assert not missing, f"build the JS first (`make setup` or `npm run build`): {missing}"
    out = tmp_path_factory.mktemp("dist")
    # `python -m build` makes the sdist, then the wheel from that sdist
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, REPO])
    return out


def _one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_sdist_carries_the_built_js_and_the_sources(dist: Path) -> None:
    with tarfile.open(_one(dist, "*.tar.gz")) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {f"micrograd_widgets/static/{name}.js" for name in BUNDLES} <= names
    assert {"js/build.mjs", "js/common/page.ts", "package.json", "package-lock.json"} <= names
    assert not any(name.startswith("node_modules/") for name in names)


def test_wheel_has_every_bundle_and_no_source_maps_or_local_paths(dist: Path) -> None:
    with zipfile.ZipFile(_one(dist, "*.whl")) as wheel:
        names = wheel.namelist()
        assert {f"micrograd_widgets/static/{name}.js" for name in BUNDLES} <= set(names)
        assert not [n for n in names if n.endswith(".map") or n.startswith(("js/", "tests/"))]
        local = [str(REPO), str(Path.home()) + os.sep]
        for name in names:
            text = wheel.read(name).decode("utf-8", errors="replace")
            assert "sourceMappingURL" not in text, name
            assert not [path for path in local if path in text], name


@pytest.mark.parametrize("kind", ["sdist", "wheel"])
def test_installs_without_node_and_every_bundle_loads(dist: Path, tmp_path: Path,
                                                      kind: str) -> None:
    archive = _one(dist, "*.tar.gz" if kind == "sdist" else "*.whl")
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--system-site-packages", venv])
    python = venv / "bin" / "python"
    # from the sdist, pip builds the wheel itself: the build hook must not look for npm
    _run([python, "-m", "pip", "install", "--no-deps", "--no-build-isolation", "-q",
          "--disable-pip-version-check", archive])
    work = tmp_path / "elsewhere"
    work.mkdir()
    assert _run([python, "-c", CHECK], cwd=work).startswith("ok ")
