"""Which source line made a Value: a side table, kept weakly, filled in by the %%micrograd magic.

The engine stays as it is (no extra slot per Value): a Value made outside the magic costs
nothing and simply has no line. Entries go when their Value does (a weakref callback), so the
table never keeps a graph alive. Values that cannot be weakly referenced just get no line.
"""

from __future__ import annotations

import weakref
from typing import Any

_lines: dict[int, tuple[weakref.ref, str]] = {}


def remember(value: Any, line: str) -> bool:
    """Record `line` as the line that made `value` (unless one is recorded); True if recorded."""
    key = id(value)
    entry = _lines.get(key)
    if entry is not None and entry[0]() is value:
        return False
    try:
        ref = weakref.ref(value, lambda _ref, key=key: _forget(key, _ref))
    except TypeError:  # no __weakref__ slot: nothing to remember it by
        return False
    _lines[key] = (ref, line)
    return True


def source_of(value: Any) -> str:
    """The line that made `value` in a %%micrograd cell, or '' if none was recorded."""
    entry = _lines.get(id(value))
    if entry is None or entry[0]() is not value:
        return ""
    return entry[1]


def has_source(value: Any) -> bool:
    entry = _lines.get(id(value))
    return entry is not None and entry[0]() is value


def _forget(key: int, ref: weakref.ref) -> None:
    entry = _lines.get(key)
    if entry is not None and entry[0] is ref:
        del _lines[key]
