"""The trainer widget's outputs that need no kernel: a matplotlib figure, a PNG of the map (also
in the display bundle, for nbconvert and GitHub), a self-contained HTML page, the settings as a
dict and the trained network as a script. The pictures themselves are drawn by
micrograd_widgets.picture, the script by micrograd_widgets.codegen."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

from ..training import page_settings, picture
from ..training.codegen import mlp_to_code
from ..training.page_settings import CUSTOM
from ..training.validators import Integer
from ._base import save_html as _save_html


class StaticOutput:
    """Mixed into TrainerWidget (which has ``_run``, ``_custom``, ``_settings()`` and the
    setting traits)."""

    _run: Any
    _custom: Any
    resolution: int
    dataset: str
    hidden: list[int]
    _settings: Any

    @property
    def settings(self) -> dict[str, Any]:
        """The run's settings as a plain dict: ``TrainerWidget(**w.settings)`` rebuilds it (the
        same seed, data, network, features; your own points as X and y — points drawn in the
        page are split into train and test again by the seed)."""
        out = self._settings()
        out.update(resolution=self.resolution, hidden=list(self.hidden))
        if self.dataset == CUSTOM and self._custom is not None:
            out.update(X=self._custom[0].tolist(), y=self._custom[1].tolist())
        return out

    def to_code(self, points: Any = None) -> str:
        """A short runnable micrograd script of the trained network (its weights included) that
        prints its score at ``points`` (the first five training points by default)."""
        run = self._run
        with run.lock:
            shown = {k: v for k, v in self.settings.items() if k not in ("X", "y")}
            return mlp_to_code(
                run.model, run.features, run.activation, run.X[:5] if points is None else points,
                comment=f"TrainerWidget(**{shown!r})\nafter {run.steps} steps",
            )

    def figure(self, resolution: int | None = None) -> Any:
        """A matplotlib Figure: loss and accuracy curves next to the decision boundary."""
        res = self.resolution if resolution is None else resolution
        return picture.figure(self._run, page_settings.check("resolution", res))

    def snapshot_png(self, scale: int = 2) -> bytes:
        """PNG bytes of the decision-boundary map with the points (picture.snapshot_png)."""
        return picture.snapshot_png(self._run, self.resolution, Integer("scale", 1, 8)(scale))

    def save_html(self, path: str | Path, title: str = "micrograd trainer") -> Path:
        """A self-contained HTML snapshot (no kernel: it shows the state, it cannot train)."""
        return _save_html(self, path, title)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget view, plus a small PNG of the decision boundary for places that cannot
        run widgets (nbconvert, GitHub); JupyterLab picks the widget."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        try:
            data = {**data, "image/png": base64.b64encode(self.snapshot_png()).decode("ascii")}
        except Exception:  # noqa: BLE001 - a fallback picture must never break display
            pass
        return data, metadata
