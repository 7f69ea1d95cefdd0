"""Package-wide settings: the object `micrograd_widgets.options`.

    import micrograd_widgets
    micrograd_widgets.options.static_pictures = False   # no SVG/PNG beside the widget views

`static_pictures` (default True, or the environment variable MICROGRAD_WIDGETS_STATIC_PICTURES
set to 0/false/no/off): every graph, player and %%micrograd output also carries an SVG and a PNG
of its graph, for the places that cannot run widgets (GitHub, nbviewer, nbconvert, Jupyter Book,
VS Code offline, PDF). Turn it off for smaller notebooks. Imports nothing.
"""

from __future__ import annotations

import os

ENV = "MICROGRAD_WIDGETS_STATIC_PICTURES"
_OFF = {"0", "false", "no", "off"}
_ON = {"1", "true", "yes", "on", ""}


def _from_environment() -> bool:
    text = os.environ.get(ENV, "").strip().lower()
    if text in _OFF:
        return False
    if text not in _ON:
        import warnings

        warnings.warn(f"{ENV}={os.environ[ENV]!r} is not one of 1/0, true/false, yes/no, on/off; "
                      "static pictures stay on", stacklevel=2)
    return True


class Options:
    """The settings, checked when set (a typo'd name is an error, not a silent new attribute)."""

    __slots__ = ("_static_pictures",)

    def __init__(self) -> None:
        self._static_pictures = _from_environment()

    @property
    def static_pictures(self) -> bool:
        """Whether displays add image/svg+xml and image/png beside the widget view."""
        return self._static_pictures

    @static_pictures.setter
    def static_pictures(self, on: bool) -> None:
        if not isinstance(on, bool):
            raise TypeError(f"options.static_pictures must be True or False, got {on!r}")
        self._static_pictures = on

    def __repr__(self) -> str:
        return f"micrograd_widgets.options(static_pictures={self._static_pictures})"


options = Options()
