"""The Python layered layout (graph/layout/) against today's JavaScript one (js/graph/layered.ts),
on the same graphs, in one run; and both layouts' edge crossings against Graphviz dot's.

    python bench/bench_layout.py

Graphs: the graph widget's layout input (boxes and op ellipses) of unfolded MLP forward passes
of ~100, ~1,000 and ~3,000 Values, the lecture's MLP(3, [4, 4, 1]) tanh loss over 4 samples, and
seeded random 25-30-op expressions. The JavaScript layout is bundled with esbuild (from
node_modules) into a temporary file and timed in node; skipped if node or esbuild is missing.
Crossings: every edge a straight segment between box centres, on every layout (needs `dot`).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from micrograd_widgets.engine import Value  # noqa: E402
from micrograd_widgets.graph.layout.layered import layered  # noqa: E402
from micrograd_widgets.nn import MLP  # noqa: E402
from tests.graph import layout_quality as q  # noqa: E402

JS = """
import { readFileSync } from "node:fs";
import { layered } from "%s";
const graphs = JSON.parse(readFileSync(process.argv[2], "utf8"));
const out = {};
for (const [name, g] of Object.entries(graphs)) {
  const nodes = g.sizes.map(([width, height]) => ({ width, height }));
  let best = Infinity, r = null;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    r = layered(nodes, g.from, g.to, { rankdir: "LR" });
    best = Math.min(best, performance.now() - t);
  }
  out[name] = { ms: best, centers: r.centers.map((c) => [c.x, c.y]) };
}
console.log(JSON.stringify(out));
"""


def mlp_forward(sizes: list[int]) -> Value:
    random.seed(0)
    return MLP(3, sizes)([Value(1.0), Value(-2.0), Value(0.5)])  # type: ignore[return-value]


JS_LAYOUT_COMMIT = "c89e89c"  # the last commit whose page laid graphs out (js/graph/layered.ts)


def run_js(graphs: dict) -> dict | None:
    esbuild = ROOT / "node_modules" / ".bin" / "esbuild"
    if not (shutil.which("node") and esbuild.exists()):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        layered_ts = Path(tmp) / "layered.ts"  # left the page (issue 19): taken from history
        try:
            layered_ts.write_text(subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{JS_LAYOUT_COMMIT}:js/graph/layered.ts"],
                capture_output=True, text=True, check=True).stdout)
        except (OSError, subprocess.CalledProcessError):
            return None  # not a git clone with that history
        src = Path(tmp) / "bench.ts"
        src.write_text(JS % layered_ts.as_posix())
        bundle = Path(tmp) / "bench.js"
        subprocess.run([str(esbuild), "--bundle", "--platform=node", "--log-level=warning",
                        str(src), f"--outfile={bundle}"], check=True)
        data = Path(tmp) / "graphs.json"
        data.write_text(json.dumps(graphs))
        out = subprocess.run(["node", str(bundle), str(data)], capture_output=True, text=True,
                             check=True).stdout
    return json.loads(out)


def main() -> None:
    cases = {
        "~100 Values": q.unfolded(mlp_forward([4, 4, 1])),
        "~1,000 Values": q.unfolded(mlp_forward([16, 16, 1])),
        "~3,000 Values": q.unfolded(mlp_forward([28, 28, 1])),
        "~5,000 Values": q.unfolded(mlp_forward([36, 36, 1])),
        "lecture MLP loss": q.unfolded(q.lecture_mlp_loss()),
    }
    for seed in range(3):
        size = random.Random(seed).randint(25, 30)
        root = q.random_expression(2000 + seed, size)
        cases[f"expression {seed} ({size} ops)"] = q.unfolded(root)
    graphs = {name: {"sizes": [(s.width, s.height) for s in inp.nodes],
                     "from": inp.edge_from, "to": inp.edge_to} for name, inp in cases.items()}
    js = run_js(graphs)
    dot = q.have_dot()
    print(f"{'graph':>24} {'boxes':>6} {'nodes':>6} {'python (s)':>11} {'cpu (s)':>8} "
          f"{'js (s)':>8} {'py/js':>6}  crossings: {'python':>6} {'js':>6} {'dot':>6} "
          f"{'py/dot':>7}")
    for name, inp in cases.items():
        g = graphs[name]
        best = cpu = float("inf")
        for _ in range(2):
            t = time.perf_counter()
            c = time.process_time()
            r = layered(g["sizes"], g["from"], g["to"])
            best = min(best, time.perf_counter() - t)
            cpu = min(cpu, time.process_time() - c)  # the unloaded estimate: CPU time
        ours = q.straight_crossings(r.centers, g["from"], g["to"])
        js_s = js[name]["ms"] / 1000 if js else float("nan")
        js_c = q.straight_crossings(js[name]["centers"], g["from"], g["to"]) if js else -1
        d = q.dot_crossings(inp) if dot and len(inp.nodes) < 6000 else -1  # dot: minutes
        ratio = f"{ours / d:.2f}" if d > 0 else "-"
        print(f"{name:>24} {len(inp.sizes):>6} {len(inp.nodes):>6} {best:>11.3f} {cpu:>8.3f} "
              f"{js_s:>8.3f} {best / js_s:>6.1f}  {'':>11}{ours:>6} {js_c:>6} {d:>6} "
              f"{ratio:>7}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(json.dumps({"target": "python layout of ~1,000 Values (boxes) <= 0.3 s; crossings "
                                "<= 1.1x dot's on the lecture MLP loss and 25-30-op expressions"}))


if __name__ == "__main__":
    main()
