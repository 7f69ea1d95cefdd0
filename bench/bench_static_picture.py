"""What the static pictures (SVG + PNG in each display bundle) cost: time and bytes.

    python bench/bench_static_picture.py [--rounds 3]

For each graph, in fresh Python processes (so imports count, as on a notebook's first display):
build the graph and the widget (with the scene the widget sends the page: laid out here, and
timed apart, if this tree's widgets do not send one yet), then time `widget._repr_mimebundle_()`
with the pictures on and with them off (micrograd_widgets.options.static_pictures = False); the
difference is what the pictures add to the display. Also the SVG and PNG bytes. Targets (issue
19): the lecture's tanh neuron <= ~0.2 s added and <= ~60 KB (SVG + PNG); the folded
65,818-Value moons loss <= ~1 s and <= 300 KB; a big graph drawn with collapse="none" stays
bounded.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

WORKER = r"""
import json, sys, time
sys.path.insert(0, {root!r})
case, pictures = sys.argv[1], sys.argv[2] == "on"
import micrograd_widgets
from micrograd_widgets import animate_backward, draw

sys.path.insert(0, {bench!r})
from graphs import mlp_forward, moons_loss
from tests.lecture_graphs import neuron

def mlp_1000():
    return mlp_forward([16, 16, 1], backward=True)

make = {{
    "neuron": lambda: draw(neuron()),
    "neuron player": lambda: animate_backward(neuron()),
    "moons folded": lambda: draw(moons_loss()),
    "mlp none": lambda: draw(mlp_1000(), collapse="none"),
}}[case]
widget = make()
layout = 0.0
if pictures and "scenes" not in widget.graph:  # the widgets send their scene (issue 19): as then
    from micrograd_widgets.graph.layout.wire import scene_json
    from micrograd_widgets.graph.picture import picture_scene
    t0 = time.perf_counter()
    scene = picture_scene(widget.graph)
    layout = time.perf_counter() - t0
    widget.graph = {{**widget.graph, "scenes": [{{**scene_json(scene), "slopes": False}}]}}
micrograd_widgets.options.static_pictures = pictures
t0, c0 = time.perf_counter(), time.process_time()
data, _ = widget._repr_mimebundle_()
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
import base64
svg = len(data.get("image/svg+xml", "").encode())
png = len(base64.b64decode(data.get("image/png", "")))
print(json.dumps({{"seconds": seconds, "cpu": cpu, "svg": svg, "png": png, "layout": layout,
                  "values": widget.graph.get("total", len(widget.graph["id"])),
                  "boxes": len(widget.graph["id"])}}))
"""

TARGETS = {"neuron": (0.2, 60), "neuron player": (0.2, 60), "moons folded": (1.0, 300),
           "mlp none": (None, None)}


def run(case: str, pictures: bool) -> dict:
    code = WORKER.format(root=str(ROOT), bench=str(ROOT / "bench"))
    out = subprocess.run([sys.executable, "-c", code, case, "on" if pictures else "off"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{'graph':>14} {'values':>7} {'boxes':>6} {'on (s)':>8} {'off (s)':>8} "
          f"{'added (s)':>9} {'CPU (s)':>7} {'SVG KB':>7} {'PNG KB':>7} {'layout (s)':>10}  target")
    for case in TARGETS:
        on, off = [], []
        for _ in range(args.rounds):  # alternate, so load on the machine hits both alike
            on.append(run(case, True))
            off.append(run(case, False))
        t_on = statistics.median(r["seconds"] for r in on)
        t_off = statistics.median(r["seconds"] for r in off)
        cpu = statistics.median(r["cpu"] for r in on) - statistics.median(r["cpu"] for r in off)
        r = on[-1]
        seconds, kb = TARGETS[case]
        target = f"<= {seconds} s, <= {kb} KB" if seconds else "bounded"
        print(f"{case:>14} {r['values']:>7,} {r['boxes']:>6} {t_on:>8.3f} {t_off:>8.3f} "
              f"{t_on - t_off:>9.3f} {cpu:>7.3f} {r['svg'] / 1000:>7.1f} {r['png'] / 1000:>7.1f} "
              f"{statistics.median(x['layout'] for x in on):>10.3f}  {target}")
    print("added = the display bundle with pictures minus without, in a fresh process (imports "
          "count), the scene already laid out as the widget sends it to the page; CPU = the same "
          "in this process's CPU time (what a loaded machine does not inflate); layout = that "
          "scene's layout (graph.scene, not part of the pictures' cost). Machine load now: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")


if __name__ == "__main__":
    main()
