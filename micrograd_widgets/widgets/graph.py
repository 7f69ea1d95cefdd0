"""GraphWidget: a Value graph drawn in the browser."""

from __future__ import annotations

from typing import Any

import anywidget
import traitlets

from ..graph import trace
from ._base import bundle


class GraphWidget(anywidget.AnyWidget):
    _esm = bundle("graph")
    graph = traitlets.Dict().tag(sync=True)

    def __init__(self, *roots: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._roots = roots
        self.refresh()

    def refresh(self) -> None:
        g = trace(*self._roots)
        self.graph = {"nodes": g.nodes, "edges": g.edges}


def draw(root: Any) -> GraphWidget:
    return GraphWidget(root)
