"""Any Value graph as plain data: the walk, trace/view, folding, columns, source lines, backprop
frames and gradcheck. Knows nothing of widgets; imports nn and engine only (and those lazily).

`trace(*roots)` is the entry point (tracing.py); walk.py reads any micrograd-like Value by duck
typing, fold.py folds big graphs, columns.py and sources.py add what a box says, backprop.py
records a backward pass frame by frame, gradcheck.py measures slopes to check grads.
"""

from .columns import number
from .fold import View
from .tracing import (
    COLLAPSE_MODES,
    HARD_LIMIT,
    THRESHOLD,
    Collapse,
    Graph,
    as_roots,
    live_values,
    payload,
    trace,
    view,
)

__all__ = [
    "COLLAPSE_MODES", "HARD_LIMIT", "THRESHOLD", "Collapse", "Graph", "View", "as_roots",
    "live_values", "number", "payload", "trace", "view",
]
