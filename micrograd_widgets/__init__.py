"""micrograd you can see: a micrograd engine, widgets that draw and animate it, an IPython magic.

The widgets are imported on first use, so `from micrograd_widgets.engine import Value` stays as
light as micrograd itself.
"""

from __future__ import annotations

from typing import Any

from ._options import options

__version__ = "0.1.0"

_LAZY = {
    "draw": ("micrograd_widgets.widgets.graph", "draw"),
    "GraphWidget": ("micrograd_widgets.widgets.graph", "GraphWidget"),
    "animate_backward": ("micrograd_widgets.widgets.backprop", "animate_backward"),
    "BackpropWidget": ("micrograd_widgets.widgets.backprop", "BackpropWidget"),
    "TrainerWidget": ("micrograd_widgets.widgets.trainer", "TrainerWidget"),
    "trace": ("micrograd_widgets.graph", "trace"),
    "gradcheck": ("micrograd_widgets.graph.gradcheck", "gradcheck"),
    "Value": ("micrograd_widgets.engine", "Value"),
    "MLP": ("micrograd_widgets.nn", "MLP"),
}

__all__ = [*_LAZY, "options", "load_ipython_extension", "unload_ipython_extension"]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'micrograd_widgets' has no attribute {name!r}")
    from importlib import import_module

    module, attribute = _LAZY[name]
    return getattr(import_module(module), attribute)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})  # so tab completion offers the lazily imported names


def load_ipython_extension(ipython: Any) -> None:
    """`%load_ext micrograd_widgets`: the %%micrograd magic and Values displayed as graphs."""
    from .magic import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    from .magic import unload

    unload(ipython)
