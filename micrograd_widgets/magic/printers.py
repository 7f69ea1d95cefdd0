"""What the extension adds to IPython's display formatters, and takes away again on unload: a
printer for one type on one formatter (`_Printer`), and the text a widget made by the magic shows
where widgets can't be shown (terminal IPython, jupyter console, nbconvert to text)."""

from __future__ import annotations

import sys
import weakref
from collections.abc import Callable
from typing import Any

from ..graph.torch_graph import count_nodes, describe_tensor, is_tensor, top_tensors
from ..graph.walk import children_of, reachable

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MICROGRAD_VALUE = ("micrograd.engine", "Value")  # by name: micrograd need not be imported

# What each widget the magic made shows as text: (what it is, the Values it draws).
_TEXT: weakref.WeakKeyDictionary[Any, tuple[str, list[Any]]] = weakref.WeakKeyDictionary()


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


def _widget_text(widget: Any, p: Any, cycle: bool) -> None:
    """text/plain for a widget the magic made: what it draws, for front ends without widgets."""
    if widget not in _TEXT:  # made elsewhere: what ipywidgets would show
        bundle = getattr(widget, "_repr_mimebundle_", None)  # None once the widget is closed
        data = bundle() if callable(bundle) else None
        data = data[0] if isinstance(data, tuple) else data
        p.text((data or {}).get("text/plain", repr(widget)))
        return
    what, roots = _TEXT[widget]
    size = count_values(roots)
    p.text(
        f"{type(widget).__name__}: {what} of {size} Value{'s' * (size != 1)}, "
        + "; ".join(describe(v) for v in roots[:3])
        + ("; ..." if len(roots) > 3 else "")
        + " (a Jupyter widget: open the notebook in JupyterLab or Notebook 7 to see it)"
    )


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


def describe(value: Any) -> str:
    """One Value like a box of the lecture's draw_dot: `label | data 2.0000 | grad 0.0000`."""
    if is_tensor(value):
        return describe_tensor(value)
    label = getattr(value, "label", "") or "Value"
    return f"{label} | data {float(value.data):.4f} | grad {float(value.grad):.4f}"
