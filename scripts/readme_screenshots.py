"""Copy the browser tests' screenshots that the README shows into docs/img/, as small PNGs, and
write the static picture a shared notebook shows of the lecture's neuron (static_neuron.svg).

    python scripts/readme_screenshots.py      (after `pytest tests/browser`; `make screenshots`)

The pictures come from the real JupyterLab + Chromium runs, so the README shows what users get.
A 256-colour palette keeps each file small enough to commit. The SVG is what draw(o) puts in the
notebook for GitHub, nbviewer and Jupyter Book, made the same way (GraphWidget.to_svg()).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "browser" / "screenshots"
TARGET = ROOT / "docs" / "img"

# README picture -> the browser test's screenshot it is taken from
PICTURES = {
    "magic_cell.png": "neuron_850.png",  # the README's 10-Value neuron, whole at 850 px
    "backprop_player.png": "backprop_lab_step6.png",
    "trainer.png": "trainer_playing.png",
    "graph_moons_collapsed.png": "graph_moons_collapsed.png",
    "gradcheck.png": "graph_gradcheck.png",  # the 'self.grad =' bug on b = a + a, caught
    "player_source.png": "player_source_line.png",
    "trainer_dark.png": "dark_trainer.png",  # tests/browser/test_themes_browser.py, JupyterLab Dark
}


def static_picture() -> None:
    """The neuron's static picture, as a notebook keeps it beside the widget."""
    sys.path.insert(0, str(ROOT))
    from micrograd_widgets import draw
    from tests.lecture_graphs import neuron

    target = TARGET / "static_neuron.svg"
    target.write_text(draw(neuron()).to_svg(), encoding="utf-8")
    print(f"{target}: {target.stat().st_size / 1024:.0f} KB")


def main() -> int:
    static_picture()
    missing = [src for src in PICTURES.values() if not (SOURCE / src).exists()]
    if len(missing) == len(PICTURES):
        print(f"no screenshots in {SOURCE} (run pytest tests/browser first)")
        return 1
    TARGET.mkdir(parents=True, exist_ok=True)
    for name, src in PICTURES.items():
        if src in missing:  # that test did not run: the README keeps its current picture
            print(f"{TARGET / name}: kept ({src} missing: run its browser test to renew it)")
            continue
        with Image.open(SOURCE / src) as image:
            small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
            small.save(TARGET / name, optimize=True)
        print(f"{TARGET / name}: {(TARGET / name).stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
