"""The trainer's static pictures: a matplotlib figure (curves and decision boundary) and a small
PNG of the map for places that cannot run widgets. The same colours as the page
(js/trainer/plot.ts scoreColor): orange for class -1, blue for +1, white on the boundary,
grey where a score is NaN. Knows nothing of widgets."""

from __future__ import annotations

import io
from typing import Any

import numpy as np

from .run import TrainingRun
from .scoring import decision_grid

__all__ = ["NEGATIVE", "POSITIVE", "figure", "score_colors", "snapshot_png"]

NEGATIVE = (234, 88, 12)  # class -1
POSITIVE = (29, 78, 216)  # class +1
NAN_GREY = (160, 160, 160)
SATURATION = 0.6  # how far the strongest score goes from white towards its class colour


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def score_colors(grid: np.ndarray, regression: bool = False) -> np.ndarray:
    """uint8 (H, W, 3) colours of a score grid, rows as given: tanh squashes each score to
    [-1, 1] (regression: the value itself, clipped to [-1, 1], as the targets are coloured),
    0 is white, NaN grey."""
    scores = np.asarray(grid, dtype=np.float64)
    squash = (lambda v: np.clip(v, -1.0, 1.0)) if regression else np.tanh
    t = squash(np.nan_to_num(scores))[..., None]
    end = np.where(t < 0, np.array(NEGATIVE, float), np.array(POSITIVE, float))
    rgb = np.round(255.0 + (end - 255.0) * np.abs(t) * SATURATION)
    rgb[np.isnan(scores)] = NAN_GREY
    return rgb.astype(np.uint8)


def _map(run: TrainingRun, resolution: int):
    from .snapshot import limits

    with run.lock:
        xlim, ylim = limits(run)
        weights = run.weights()
        grid = decision_grid(
            run.model if weights is None else weights, xlim, ylim, resolution, run.features
        )
    return grid, xlim, ylim


def snapshot_png(run: TrainingRun, resolution: int, scale: int = 2) -> bytes:
    """PNG bytes: the map (``resolution * scale`` pixels square) with the data points, train
    as discs with a white rim, test with a black rim."""
    from PIL import Image, ImageDraw

    grid, xlim, ylim = _map(run, resolution)
    regression = run.task == "regression"
    img = Image.fromarray(score_colors(grid[::-1], regression), "RGB")  # image row 0 is the top
    size = resolution * scale
    img = img.resize((size, size), Image.Resampling.NEAREST)
    draw = ImageDraw.Draw(img)
    r = 2 + scale
    for X, y, rim in ((run.X, run.y, "white"), (run.X_test, run.y_test, "black")):
        cx = (X[:, 0] - xlim[0]) / (xlim[1] - xlim[0]) * (size - 1)
        cy = (ylim[1] - X[:, 1]) / (ylim[1] - ylim[0]) * (size - 1)
        fills = score_colors(y, True).tolist() if regression else None
        for k, (x0, y0, label) in enumerate(zip(cx.tolist(), cy.tolist(), y.tolist(), strict=True)):
            fill = tuple(fills[k]) if fills else POSITIVE if label > 0 else NEGATIVE
            draw.ellipse((x0 - r, y0 - r, x0 + r, y0 + r), fill=fill, outline=rim, width=1)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def figure(run: TrainingRun, resolution: int) -> Any:
    """A matplotlib Figure: loss and accuracy curves next to the decision boundary."""
    from matplotlib.figure import Figure

    with run.lock:
        hist = list(run.history)
    grid, xlim, ylim = _map(run, resolution)
    fig = Figure(figsize=(10, 3.6), layout="constrained")
    ax_loss, ax_acc, ax_map = fig.subplots(1, 3, width_ratios=[1, 1, 1.1])
    steps = [h["step"] for h in hist]
    regression = run.task == "regression"
    fit = (("r2", "test_r2"), "R^2") if regression else (("accuracy", "test_accuracy"), "accuracy")
    for ax, keys, title in ((ax_loss, ("train_loss", "test_loss"), "loss"), (ax_acc, *fit)):
        for key, style in zip(keys, ("-", "--"), strict=True):
            vals = [np.nan if h[key] is None else h[key] for h in hist]
            if hist and not all(h[key] is None for h in hist):
                ax.plot(steps, vals, style, label="test" if "test" in key else "train")
        ax.set_title(title)
        ax.set_xlabel("step")
        if hist:
            ax.legend(loc="best")
    ax_map.imshow(
        score_colors(grid, regression), origin="lower", extent=(*xlim, *ylim), aspect="auto",
        interpolation="nearest",
    )
    if not regression and np.isfinite(grid).any() and np.nanmin(grid) < 0 < np.nanmax(grid):
        ax_map.contour(
            np.linspace(*xlim, resolution), np.linspace(*ylim, resolution),
            np.ma.masked_invalid(grid), levels=[0.0], colors="k", linewidths=1,
        )
    for X, y, marker, edge, name in (
        (run.X, run.y, "o", "white", "train"),
        (run.X_test, run.y_test, "s", "black", "test"),
    ):
        if len(X):
            colors = (
                [_hex(tuple(c)) for c in score_colors(y, True).tolist()] if regression
                else np.where(y > 0, _hex(POSITIVE), _hex(NEGATIVE))
            )
            ax_map.scatter(
                X[:, 0], X[:, 1], c=colors,
                marker=marker, edgecolors=edge, linewidths=0.8, s=28, label=name,
            )
    ax_map.set_xlim(*xlim)
    ax_map.set_ylim(*ylim)
    ax_map.set_title(f"{'prediction' if regression else 'decision boundary'}, step {run.steps}")
    ax_map.legend(loc="upper right", fontsize=8)
    return fig
