"""Time backward() on a chain y = x*c*c*...*c of N nodes (c shared); prints JSON.

Usage: python bench/chain_worker.py N   (run by bench_engine.py, one process per size)
"""

from __future__ import annotations

import json
import sys
import time

from micrograd_widgets.engine import Value


def main() -> None:
    n = int(sys.argv[1])
    x, c = Value(1.0), Value(1.000001)
    y = x
    for _ in range(n - 2):  # n nodes in all: x, c and n - 2 products, each using the one before
        y = y * c
    t0 = time.perf_counter()
    y.backward()
    elapsed = time.perf_counter() - t0
    print(json.dumps({"backward": elapsed, "grad": x.grad, "expected_grad": 1.000001 ** (n - 2)}))


if __name__ == "__main__":
    main()
