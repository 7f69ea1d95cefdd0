"""Frame rate of the backprop player on a ~200-node graph, in headless Chromium.

    python bench/bench_backprop_player.py [--hidden 4,4] [--seconds 4]

Builds a 200-node loss (two examples through MLP(3, [4, 4, 1]), squared error), saves the player
with save_html, opens it from file:// and measures:

- ready: page load to data-state="ready" (layout + first paint);
- step cost: the median time of one Step click (timeline move + repaint of every box), in-page;
- playing at 60 steps/s: requestAnimationFrame intervals while playing (fps, p95 frame time).

Target: 60 fps while playing (a frame every ~16.7 ms), i.e. a step costs well under 16 ms.
Also prints the recording time in Python and the frames' JSON size per frame.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from micrograd_widgets import animate_backward  # noqa: E402
from micrograd_widgets.engine import Value  # noqa: E402
from micrograd_widgets.nn import MLP  # noqa: E402
from tests.browser.harness import start_browser  # noqa: E402

FRAME_MS = 1000 / 60


def build_loss(hidden: list[int]) -> Value:
    random.seed(0)
    model = MLP(3, [*hidden, 1])
    xs = [[1.0, -2.0, 0.5], [0.0, 1.0, 0.5]]
    ys = [1.0, -1.0]
    preds = [model([Value(x) for x in row]) for row in xs]
    return sum(((p - y) ** 2 for p, y in zip(preds, ys, strict=True)), Value(0.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", default="4,4", help="hidden layer sizes, e.g. 4,4")
    parser.add_argument("--seconds", type=float, default=4.0)
    args = parser.parse_args()
    loss = build_loss([int(h) for h in args.hidden.split(",")])

    t0 = time.perf_counter()
    widget = animate_backward(loss, speed=60)
    record_ms = (time.perf_counter() - t0) * 1000
    nodes = len(widget.graph["id"])
    per_frame = len(json.dumps(widget.frames)) / len(widget.frames)
    path = widget.save_html(Path(tempfile.mkdtemp()) / "bench_backprop.html")

    pw, browser = start_browser()
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        t0 = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_selector("[data-mgw='backprop'][data-state='ready']", timeout=60_000)
        ready_ms = (time.perf_counter() - t0) * 1000

        step_ms = page.evaluate(
            """() => {
                const root = document.querySelector("[data-mgw='backprop']");
                const step = root.querySelector("[data-action='step']");
                const times = [];
                for (let k = 0; k < 100; k++) {
                  const t = performance.now();
                  step.click();
                  root.getBoundingClientRect();  // force style/layout, as a frame would
                  times.push(performance.now() - t);
                }
                root.querySelector("[data-action='reset']").click();
                times.sort((a, b) => a - b);
                return times[Math.floor(times.length / 2)];
            }"""
        )

        intervals = page.evaluate(
            """(seconds) => new Promise((resolve) => {
                const root = document.querySelector("[data-mgw='backprop']");
                root.querySelector("[data-action='play']").click();
                const out = [];
                let last = performance.now();
                const end = last + seconds * 1000;
                const frame = (now) => {
                  out.push(now - last);
                  last = now;
                  if (now < end && root.dataset.playing === "true") requestAnimationFrame(frame);
                  else resolve(out);
                };
                requestAnimationFrame(frame);
            })""",
            args.seconds,
        )
        steps_done = int(page.get_attribute("[data-mgw='backprop']", "data-step"))
    finally:
        browser.close()
        pw.stop()

    intervals = intervals[1:]
    mean = statistics.fmean(intervals)
    p95 = sorted(intervals)[int(0.95 * (len(intervals) - 1))]
    print(f"graph: {nodes} nodes, {len(widget.frames)} frames, {per_frame:.0f} B/frame (JSON)")
    print(f"record_backward + payload in Python: {record_ms:.1f} ms")
    print(f"ready in Chromium (file://): {ready_ms:.0f} ms")
    print(f"one step (median of 100 clicks): {step_ms:.2f} ms "
          f"= {step_ms / FRAME_MS:.2f} of a 60 fps frame budget")
    print(f"playing at 60 steps/s: {1000 / mean:.1f} fps mean, p95 frame {p95:.1f} ms, "
          f"{steps_done} steps in {len(intervals)} frames")


if __name__ == "__main__":
    main()
