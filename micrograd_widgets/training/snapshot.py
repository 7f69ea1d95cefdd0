"""What the trainer's page shows, as plain data: curves, metrics, points, weights, the Value graph
of one neuron, and the sentences for a run that stopped. Knows nothing of widgets."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from .. import graph as g
from ..engine import Value
from .datasets import make_dataset, make_regression, task_of, train_test_split
from .features import feature_array, feature_values
from .numpy_engine import grid_points, hidden_outputs
from .run import TrainingRun
from .scoring import data_limits, decision_grid
from .validators import Integer, Number

__all__ = [
    "CURVE_POINTS",
    "NEURON_FOLD",
    "RateMeter",
    "curve_rows",
    "describe",
    "diverged_text",
    "flat_weights",
    "metrics",
    "neuron_graph",
    "neuron_maps",
    "new_run",
    "points",
    "state",
    "stuck_text",
]

CURVE_POINTS = 600  # the curves send at most this many points (evenly picked from the history)
NEURON_RESOLUTION = 20  # each hidden neuron's thumbnail map: this many cells a side
NEURON_FOLD = 24  # a neuron graph above this many Values starts with its sum folded (Σ)


def curve_rows(hist: list[dict[str, Any]]) -> np.ndarray:
    """(k, 5) float32: step, train loss, test loss, accuracy, test accuracy (NaN if no test set;
    R^2 and test R^2 for regression); at most CURVE_POINTS rows, evenly spread, always including
    the last step."""
    count = len(hist)
    if count == 0:
        return np.zeros((0, 5), dtype=np.float32)
    if count <= CURVE_POINTS:
        picked = hist
    else:
        idx = np.unique(np.linspace(0, count - 1, CURVE_POINTS).round().astype(int))
        picked = [hist[i] for i in idx]
    nan = float("nan")
    fit, test_fit = ("r2", "test_r2") if "r2" in hist[0] else ("accuracy", "test_accuracy")
    rows = [
        (h["step"], h["train_loss"], nan if h["test_loss"] is None else h["test_loss"],
         nan if h[fit] is None else h[fit], nan if h[test_fit] is None else h[test_fit])
        for h in picked
    ]
    return np.array(rows, dtype=np.float32)


def metrics(last: dict[str, Any] | None, run: TrainingRun) -> dict[str, Any]:
    """The last history entry as JSON-safe numbers (None where not known), with the data sizes
    and the learning rate the next step will use."""

    def clean(v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        return v if v is None or (isinstance(v, float) and math.isfinite(v)) else None

    out = {k: clean(v) for k, v in (last or {}).items() if k != "batch_size"}
    out["batch_size"] = None if last is None else last["batch_size"]
    out["n_train"] = len(run.X)
    out["n_test"] = len(run.X_test)
    out["task"] = run.task
    out.setdefault("epoch", 0.0)
    out["next_learning_rate"] = run.current_learning_rate()
    return out


def points(run: TrainingRun) -> dict[str, list]:
    """x, y, label (-1/1; the target for regression) and test (0/1) of every point, training
    points first."""
    X = np.concatenate([run.X, run.X_test])
    y = np.concatenate([run.y, run.y_test])
    return {
        "x": [round(float(v), 6) for v in X[:, 0]],
        "y": [round(float(v), 6) for v in X[:, 1]],
        "label": (
            [round(float(v), 6) for v in y] if run.task == "regression" else [int(v) for v in y]
        ),
        "test": [0] * len(run.X) + [1] * len(run.X_test),
    }


def flat_weights(layers: list[tuple[np.ndarray, np.ndarray, list[str]]]) -> np.ndarray:
    """Per layer W (nout x nin, row by row) then b, one float64 array."""
    return np.concatenate([np.concatenate([W.ravel(), b]) for W, b, _ in layers])


def limits(run: TrainingRun) -> tuple[tuple[float, float], tuple[float, float]]:
    """The extent of the map: every point, train and test, with a margin."""
    return data_limits(np.concatenate([run.X, run.X_test]))


def _f32(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array, dtype="<f4").tobytes()


def neuron_maps(
    layers: list, features: Sequence[str], xlim: tuple[float, float], ylim: tuple[float, float],
    resolution: int = NEURON_RESOLUTION,
) -> bytes:
    """uint8 maps of every hidden neuron's output over the plane (layer 0 first, then by index):
    resolution^2 values each, row 0 = bottom, round((clip(out, -1, 1) + 1) / 2 * 255)."""
    if not layers or len(layers) < 2:
        return b""
    points = feature_array(grid_points(xlim, ylim, resolution), features)
    outs = np.concatenate([A.T.ravel() for A in hidden_outputs(layers, points)])
    outs = np.nan_to_num(outs, nan=0.0, posinf=1.0, neginf=-1.0)
    return np.rint((np.clip(outs, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8).tobytes()


def state(run: TrainingRun, resolution: int, full: bool = False) -> dict[str, Any]:
    """The page's traits for the run as it is now: step, metrics and binary buffers (float32)
    of the curves, the map's scores and the weights; with ``full`` also what changes only with
    a new run (extent, points, layer sizes) and an emptied neuron panel."""
    with run.lock:
        hist = run.history
        layers = run.weights() or []
        xlim, ylim = limits(run)
        out: dict[str, Any] = {
            "step_count": run.steps,
            "metrics": metrics(hist[-1] if hist else None, run),
            "curves": _f32(curve_rows(hist)),
            "grid": _f32(decision_grid(layers or run.model, xlim, ylim, resolution, run.features)),
            "weights": _f32(flat_weights(layers)) if layers else b"",
            "neuron_maps": neuron_maps(layers, run.features, xlim, ylim),
        }
        if full:
            out.update(
                extent=[*xlim, *ylim], points=points(run), neuron_graph={}, neuron_info={},
                layer_sizes=[len(run.features), *run.hidden, 1], task=run.task,
            )
    return out


class RateMeter:
    """Steps and epochs per second over the last ``window`` seconds (what the page shows):
    ``mark(steps)`` after each step keeps a (time, steps) mark every 20th of a second."""

    def __init__(self, steps: int = 0, window: float = 1.5):
        self.window = window
        self.marks: list[tuple[float, int]] = [(time.monotonic(), steps)]

    def mark(self, steps: int) -> None:
        now = time.monotonic()
        marks = self.marks
        if len(marks) > 1 and now - marks[-1][0] < 0.05:
            marks[-1] = (now, steps)
            return
        marks.append((now, steps))
        while len(marks) > 2 and now - marks[0][0] > self.window:
            marks.pop(0)

    def rates(self, run: TrainingRun) -> tuple[float, float]:
        """(steps/s, epochs/s) at ``run``'s batch size; 0 until there are two marks."""
        marks = self.marks
        if len(marks) < 2 or marks[-1][0] <= marks[0][0]:
            return 0.0, 0.0
        steps = (marks[-1][1] - marks[0][1]) / (marks[-1][0] - marks[0][0])
        return steps, steps * run.points_per_step() / len(run.X)


def new_run(s: dict[str, Any], custom: tuple[np.ndarray, np.ndarray] | None) -> TrainingRun:
    """The run of a widget's settings: the dataset made (or the user's ``custom`` points),
    split, and a TrainingRun on it; a ValueError if the split leaves one class to train on,
    ``envelope.TooCostly`` if a micrograd step would be too costly."""
    regression = s["dataset"] != "custom" and task_of(s["dataset"]) == "regression"
    if s["dataset"] == "custom":
        X, y = custom  # type: ignore[misc]
    else:
        make = make_regression if regression else make_dataset
        X, y = make(s["dataset"], n=s["n"], noise=s["noise"], seed=s["seed"])
    X_train, X_test, y_train, y_test = train_test_split(X, y, s["test_fraction"], s["seed"])
    if not regression and len(np.unique(y_train)) < 2:
        raise ValueError(
            f"test_fraction={s['test_fraction']:g} of {len(X)} points leaves "
            f"{len(X_train)} to train on, not enough for both classes: lower test_fraction "
            "or use more points (n)"
        )
    keys = ("hidden", "activation", "loss", "learning_rate", "batch_size", "l2", "schedule",
            "seed", "engine", "l1", "features")
    run = TrainingRun(
        X_train, y_train, X_test, y_test, **{k: s[k] for k in keys},
        task="regression" if regression else "classification",
    )
    run.dataset = s["dataset"]
    return run


# ---------------------------------------------------------------------------------------------
# the Value graph of one neuron


def neuron_graph(
    run: TrainingRun,
    layer: int,
    index: int,
    point: Sequence[float] | None = None,
    expanded: Sequence[str] = (),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Value graph of one neuron for one input point: (graph.payload() data, info).

    ``layer`` counts hidden layers from 0 (the output neuron is layer ``len(hidden)``).
    Layers before it run on the scalar engine and enter as leaves labelled ``layer{k}[i]``
    (inputs are the run's features of the point: ``x1``, ``x2``, ``x1^2 = x1**2``, ...); the
    neuron itself is the model's own Neuron called on them,
    then ``backward()`` from its output, so grads read d(output)/d(node). The model's gradients
    are put back as they were. A neuron with many inputs starts with its weighted sum folded
    into one Σ box (``expanded`` lists the boxes opened since).
    """
    sizes = [*run.hidden, 1]
    layer = Integer("layer", 0, len(sizes) - 1)(layer)
    index = Integer("index", 0, sizes[layer] - 1)(index)
    if point is None:
        point = tuple(float(v) for v in run.X[0])
    if len(point) != 2:
        raise ValueError(f"point must be two numbers (x, y), got {point!r}")
    px, py = (Number("point", -1e6, 1e6)(float(v)) for v in point)
    with run.lock:
        model = run.model  # numpy's weights written into the Values first
        inputs = feature_values((px, py), run.features)
        for k in range(layer):
            outs = model.layers[k](inputs)
            outs = outs if isinstance(outs, list) else [outs]
            inputs = [Value(o.data, label=f"layer{k}[{i}]") for i, o in enumerate(outs)]
        neuron = model.layers[layer].neurons[index]
        params = neuron.parameters()
        saved = [p.grad for p in params]
        try:
            out = neuron(inputs)
            out.label = "out" if layer == len(sizes) - 1 else f"layer{layer}[{index}]"
            for p in params:
                p.grad = 0.0
            out.backward()
            traced = g.trace(out)
            shown = _neuron_view(traced, frozenset(expanded))
            data = g.payload(shown, traced, version=len(expanded))
        finally:
            for p, grad in zip(params, saved, strict=True):
                p.grad = grad
        info = {
            "layer": layer, "index": index, "point": [px, py], "step": run.steps,
            "output": float(out.data), "output_layer": layer == len(sizes) - 1,
            "root": traced.ids[traced.roots[0]],
            "expanded": sorted(expanded),
        }
    return data, info


def _neuron_view(traced: g.Graph, expanded: frozenset[str]) -> g.View:
    """Everything for a small neuron; for a wide one, groups open and the + chain folded."""
    if len(traced) <= NEURON_FOLD:
        return g.view(traced, "none")
    groups = set()
    for group in traced.groups:
        parts = (group or "").split("/")
        groups.update("/".join(parts[: k + 1]) for k in range(len(parts)) if group)
    return g.view(traced, "auto", expanded=groups | expanded, threshold=NEURON_FOLD)


# ---------------------------------------------------------------------------------------------
# sentences: what a run is, why it stopped


def describe(run: TrainingRun) -> str:
    """'moons, hidden=[16, 16], relu, hinge: step 12, accuracy 95%' (the widget's repr)."""
    last = run.history[-1] if run.history else None
    if last is None:
        acc = ""
    elif run.task == "regression":
        acc = "" if last.get("r2") is None else f", R^2 {last['r2']:.3f}"
    else:
        acc = f", accuracy {last['accuracy']:.0%}"
    return (
        f"{run.dataset}, hidden={list(run.hidden)}, {run.activation}, {run.loss}: "
        f"step {run.steps}{acc}"
    )


def stuck_text(run: TrainingRun) -> str:
    return (
        f"Paused at step {run.steps}: {run.stuck}. Press Reset, then lower the learning rate "
        "or use a bigger batch."
    )


def diverged_text(e: Exception, run: TrainingRun) -> str:
    text = f"Paused: {e}. Lower the learning rate and press Reset."
    reach = float(np.abs(np.concatenate([run.X, run.X_test])).max())
    if reach > 10:  # the rates here suit points within a few units of 0
        text += f" Your points reach {reach:.3g}: scaling X to about -1…1 trains at these rates."
    return text
