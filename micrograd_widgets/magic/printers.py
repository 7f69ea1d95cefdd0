"""What the extension adds to IPython's display formatters, and takes away again on unload: a
printer for one type on one formatter (`_Printer`); and how the magic counts and picks Values.
(What a widget shows where widgets can't run is the widget's own: widgets/_graph_static.py.)"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from ..graph.pytorch.read import count_nodes, is_tensor, top_tensors
from ..graph.walk import children_of, reachable

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MICROGRAD_VALUE = ("micrograd.engine", "Value")  # by name: micrograd need not be imported

class _Printer:
    """One printer added to one formatter for one type, and what it replaced, to put back.

    `key` is a class, or (module, name) for a class that may not be imported yet. IPython keeps
    name-registered printers aside until it first meets the class, then files them by class; so a
    by-name printer is looked for in both places when removed, and a class that is already
    imported is registered directly (an older printer filed by class would otherwise win).
    """

    def __init__(self, formatter: Any, key: type | tuple[str, str], printer: Callable) -> None:
        if isinstance(key, tuple):
            cls = getattr(sys.modules.get(key[0]), key[1], None)
            if isinstance(cls, type):
                key = cls
        self.formatter, self.key, self.printer = formatter, key, printer
        table = self._table()
        self.had_previous = self.key in table
        self.previous = table.get(self.key)
        if isinstance(self.key, tuple):
            formatter.for_type_by_name(*self.key, printer)
        else:
            formatter.for_type(self.key, printer)

    def _table(self) -> dict:
        by_name = isinstance(self.key, tuple)
        return self.formatter.deferred_printers if by_name else self.formatter.type_printers

    def remove(self) -> None:
        """Takes our printer out (unless someone replaced it since) and restores the old one."""
        table, ours = self._table(), False
        if table.get(self.key) is self.printer:
            del table[self.key]
            ours = True
        if isinstance(self.key, tuple):  # met since: now filed under the class
            for cls, printer in list(self.formatter.type_printers.items()):
                if (cls.__module__, cls.__name__) == self.key and printer is self.printer:
                    del self.formatter.type_printers[cls]
                    ours = True
        if ours and self.had_previous:
            table[self.key] = self.previous


def top_values(values: list[Any]) -> list[Any]:
    """The `values` that none of the others depend on (are not below another), in order."""
    if values and all(is_tensor(v) for v in values):
        return top_tensors(values)
    values = [v for v in values if not is_tensor(v)]
    below = reachable(c for v in values for c in children_of(v))
    return [v for v in values if id(v) not in below]


def count_values(roots: list[Any]) -> int:
    if roots and all(is_tensor(r) for r in roots):
        return count_nodes(roots)
    return len(reachable(roots))
