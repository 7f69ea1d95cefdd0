"""TrainerWidget: train an MLP on 2-D data live, Playground style, on the micrograd engine.

Thin on purpose: the math is training.TrainingRun (and datasets); this module holds traits, a
background thread that calls ``run.step()`` while the kernel stays free, and the wiring that turns
the run's state into what the page draws (js/widgets/trainer.ts):

- ``grid`` (float32 scores, binary), ``curves`` (float32 columns, binary), ``weights`` (float32,
  binary) and small JSON traits, published at most ``UPDATE_RATE`` times per second (fewer if
  publishing would take more than ``UPDATE_SHARE`` of the time), each
  publication one ``hold_sync()`` message;
- the page sends actions (play, pause, step, reset, neuron) as messages and changes the knobs by
  setting traits; a knob that changes the problem or the network resets the model and says so.
"""

from __future__ import annotations

import base64
import math
import struct
import threading
import time
import zlib
from collections.abc import Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import anywidget
import numpy as np
import traitlets

from .. import graph as g
from ..datasets import DATASETS, from_arrays, make_dataset, train_test_split
from ..engine import Value
from ..training import (
    DEFAULT_LEARNING_RATE,
    DEFAULT_LEARNING_RATES,
    DEFAULT_SCHEDULE,
    LOSSES,
    SCHEDULES,
    Diverged,
    TrainingRun,
    data_limits,
    decision_grid,
    layer_weights,
)
from ._base import bundle
from ._base import save_html as _save_html

__all__ = ["CONTROLS", "TrainerWidget", "Diverged"]

UPDATE_RATE = 20.0  # page updates per second, at most, while training
# ... and fewer if they get slow (a big network's grid, a slow kernel): they may take this share
# of the training thread's time at most, so steps per second stay close to a bare loop's.
UPDATE_SHARE = 0.05
CURVE_POINTS = 600  # the curves send at most this many points (evenly picked from the history)
CUSTOM = "custom"  # the dataset name of the user's own (X, y)
ACTIVATIONS = ("relu", "tanh", "linear")
# Controls the page can hide (presentation mode hides PRESENTATION_HIDES unless told otherwise).
CONTROLS = (
    "dataset", "noise", "size", "split", "layers", "activation", "loss", "l2", "schedule",
    "learning_rate", "batch_size", "network", "curves",
)
PRESENTATION_HIDES = ("size", "split", "l2", "schedule", "loss")
MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 32

# Changing one of these starts a new model (the Playground's rule); the status says which.
_RESETTING = {
    "dataset": "dataset", "n": "size", "noise": "noise", "test_fraction": "train/test split",
    "hidden": "network shape", "activation": "activation", "loss": "loss", "l2": "L2",
    "schedule": "schedule", "seed": "seed",
}


def _number(name: str, value: object, low: float, high: float, *, low_open: bool = False) -> float:
    """A finite real within [low, high] (or (low, high]); ValueError naming `name` otherwise."""
    ok = (
        not isinstance(value, bool)
        and isinstance(value, Real)
        and math.isfinite(value)
        and (low < value if low_open else low <= value)
        and value <= high
    )
    if not ok:
        left = "(" if low_open else "["
        raise ValueError(f"{name} must be a number in {left}{low:g}, {high:g}], got {value!r}")
    return float(value)


def _integer(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not low <= value <= high:
        raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return int(value)


def _choice(name: str, value: object, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, allowed))}, got {value!r}")
    return str(value)


def _hidden(value: object) -> list[int]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValueError(f"hidden must be a list of neurons per hidden layer, got {value!r}")
    if len(value) > MAX_HIDDEN_LAYERS or any(
        isinstance(h, bool) or not isinstance(h, Integral) or not 1 <= h <= MAX_NEURONS
        for h in value
    ):
        raise ValueError(
            f"hidden must list at most {MAX_HIDDEN_LAYERS} layers, each a whole number of 1 to "
            f"{MAX_NEURONS} neurons, got {list(value)!r}"
        )
    return [int(h) for h in value]


def _learning_rate(value: object) -> float:
    return _number("learning_rate", value, 0.0, 100.0, low_open=True)


def _check_keywords(kwargs: dict[str, Any], known: list[str]) -> None:
    """Only widget traits (layout, ...) may pass through: a misspelt setting must not vanish."""
    import difflib

    for name in kwargs:
        if name.startswith("_") or name not in known:
            close = difflib.get_close_matches(name, [*TrainerWidget.SETTINGS, *known], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"TrainerWidget got an unexpected keyword argument {name!r}{hint}")


def _batch(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"batch_size must be None (full batch) or an integer >= 1, got {value!r}")
    return int(value)


class _Setting(traitlets.Any):
    """Any value, None included, goes to the widget's validator (traitlets' Any lets None by)."""

    allow_none = False


def _f32(array: np.ndarray) -> bytes:
    return np.ascontiguousarray(array, dtype="<f4").tobytes()


class TrainerWidget(anywidget.AnyWidget):
    """Train an MLP on a 2-D dataset and watch it learn: curves, decision boundary, network.

    Python API: ``step(n)`` trains synchronously; ``play()`` trains in a background thread (the
    kernel stays free) until ``pause()``; ``reset()`` starts a new model. ``learning_rate`` and
    ``batch_size`` may change at any time and apply from the next step; the other settings
    (dataset, n, noise, test_fraction, hidden, activation, loss, l2, schedule, seed) start a new
    model. ``history``, ``model``, ``X``/``y`` (training set), ``X_test``/``y_test``, ``figure()``.
    """

    _esm = bundle("trainer")
    # The constructor's own arguments (for "did you mean" on a misspelt one).
    SETTINGS = (
        "dataset", "hidden", "activation", "loss", "learning_rate", "batch_size", "l2", "seed",
        "n", "noise", "test_fraction", "schedule", "X", "y", "presentation", "hide", "resolution",
    )

    # -- settings (the page may set these too) -------------------------------------------------
    # Untyped traits: every value, from Python or the page, goes through the validators below,
    # which raise a ValueError naming the setting and what it allows (and convert the value).
    dataset = _Setting("moons").tag(sync=True)
    n = _Setting(100).tag(sync=True)
    noise = _Setting(0.1).tag(sync=True)
    test_fraction = _Setting(0.2).tag(sync=True)
    hidden = _Setting([16, 16]).tag(sync=True)
    activation = _Setting("relu").tag(sync=True)
    loss = _Setting("hinge").tag(sync=True)
    l2 = _Setting(1e-4).tag(sync=True)
    schedule = _Setting(DEFAULT_SCHEDULE).tag(sync=True)
    seed = _Setting(0).tag(sync=True)
    learning_rate = _Setting(DEFAULT_LEARNING_RATE).tag(sync=True)
    batch_size = traitlets.Any(None).tag(sync=True)  # None: full batch
    presentation = traitlets.Bool(False).tag(sync=True)
    hide = _Setting([]).tag(sync=True)

    # -- what the page shows (Python writes these) ---------------------------------------------
    playing = traitlets.Bool(False).tag(sync=True)
    step_count = traitlets.Int(0).tag(sync=True)
    steps_per_second = traitlets.Float(0.0).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    status_kind = traitlets.Unicode("info").tag(sync=True)  # info | reset | error
    metrics = traitlets.Dict().tag(sync=True)  # the last history entry (None where not known)
    curves = traitlets.Bytes(b"").tag(sync=True)  # float32 rows: step, train/test loss, accuracies
    grid = traitlets.Bytes(b"").tag(sync=True)  # float32 resolution^2 scores, row 0 = bottom
    resolution = traitlets.Int(100).tag(sync=True)
    extent = traitlets.List(traitlets.Float()).tag(sync=True)  # [x0, x1, y0, y1] of the grid
    points = traitlets.Dict().tag(sync=True)  # x, y, label (-1/1), test (0/1): sent on reset only
    weights = traitlets.Bytes(b"").tag(sync=True)  # float32, per layer: W (nout x nin) then b
    layer_sizes = traitlets.List(traitlets.Int()).tag(sync=True)  # [2, *hidden, 1]
    has_custom = traitlets.Bool(False).tag(sync=True)  # the user's own (X, y) can be chosen
    neuron_graph = traitlets.Dict().tag(sync=True)  # graph.payload() of the clicked neuron
    neuron_info = traitlets.Dict().tag(sync=True)  # layer, index, point, step, output
    # The front end counts the views it shows (ipywidgets does this once the count is a number):
    # when the last one goes (the cell is re-run or cleared, the notebook closed), training
    # pauses instead of running on, unseen, for the rest of the session.
    _view_count = traitlets.Int(0, allow_none=True).tag(sync=True)

    def __init__(
        self,
        dataset: str = "moons",
        hidden: Sequence[int] = (16, 16),
        activation: str = "relu",
        loss: str = "hinge",
        learning_rate: float | None = None,
        batch_size: int | None = None,
        l2: float = 1e-4,
        seed: int = 0,
        *,
        n: int = 100,
        noise: float | None = None,
        test_fraction: float = 0.2,
        schedule: str = DEFAULT_SCHEDULE,
        X: Any = None,
        y: Any = None,
        presentation: bool = False,
        hide: Sequence[str] | None = None,
        resolution: int = 100,
        **kwargs: Any,
    ) -> None:
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        _check_keywords(kwargs, self.trait_names())
        self._sync_lock = threading.RLock()  # one publication (or trait message) at a time
        if (X is None) != (y is None):
            raise ValueError("X and y must be given together (your own data), or neither")
        self._custom: tuple[np.ndarray, np.ndarray] | None = None
        if X is not None:
            self._custom = from_arrays(X, y)
            if dataset == "moons":
                dataset = CUSTOM
        allowed = (*DATASETS, CUSTOM) if self._custom is not None else tuple(DATASETS)
        if dataset == CUSTOM and self._custom is None:
            raise ValueError("dataset 'custom' needs your own points: pass X and y too")
        _choice("dataset", dataset, allowed)
        if noise is None:
            noise = _default_noise(dataset)
        if not isinstance(presentation, bool):
            raise ValueError(f"presentation must be True or False, got {presentation!r}")
        if hide is None:
            hide = PRESENTATION_HIDES if presentation else ()
        loss = _choice("loss", loss, tuple(LOSSES))
        if learning_rate is None:
            learning_rate = DEFAULT_LEARNING_RATES[loss]
        settings = {
            "dataset": dataset,
            "n": _integer("n", n, 4, 2000),
            "noise": _number("noise", noise, 0.0, 2.0),
            "test_fraction": _number("test_fraction", test_fraction, 0.0, 0.9),
            "hidden": _hidden(hidden),
            "activation": _choice("activation", activation, ACTIVATIONS),
            "loss": _choice("loss", loss, tuple(LOSSES)),
            "l2": _number("l2", l2, 0.0, 10.0),
            "schedule": _choice("schedule", schedule, tuple(SCHEDULES)),
            "seed": _integer("seed", seed, 0, 2**32 - 1),
            "learning_rate": _learning_rate(learning_rate),
            "batch_size": _batch(batch_size),
            "presentation": presentation,
            "hide": [_choice("hide", h, CONTROLS) for h in hide],
            "resolution": _integer("resolution", resolution, 10, 400),
            "has_custom": self._custom is not None,
        }
        self._restoring = False  # putting a refused setting back: not a change to act on
        self._last_publish = 0.0
        self._update_gap = 1.0 / UPDATE_RATE  # seconds between page updates while training
        self._rate_marks: list[tuple[float, int]] = []
        self._neuron_request: tuple[int, int, tuple[float, float]] | None = None
        self._run = self._new_run(settings)
        super().__init__(**settings, **kwargs)
        self._publish(full=True)
        self.observe(self._on_setting, names=list(_RESETTING))
        self.observe(self._on_knob, names=["learning_rate", "batch_size"])
        self.observe(self._on_view_count, names=["_view_count"])
        self.on_msg(self._on_message)
        if self.comm is not None:  # the front end closed the model (e.g. on a kernel change)
            self.comm.on_close(lambda _msg: self.close())

    # -- validation of settings set after construction (Python or the page) --------------------

    @traitlets.validate("dataset")
    def _v_dataset(self, p: dict) -> str:
        allowed = (*DATASETS, CUSTOM) if getattr(self, "_custom", None) is not None else DATASETS
        return _choice("dataset", p["value"], tuple(allowed))

    @traitlets.validate("n")
    def _v_n(self, p: dict) -> int:
        return _integer("n", p["value"], 4, 2000)

    @traitlets.validate("noise")
    def _v_noise(self, p: dict) -> float:
        return _number("noise", p["value"], 0.0, 2.0)

    @traitlets.validate("test_fraction")
    def _v_test_fraction(self, p: dict) -> float:
        return _number("test_fraction", p["value"], 0.0, 0.9)

    @traitlets.validate("hidden")
    def _v_hidden(self, p: dict) -> list[int]:
        return _hidden(p["value"])

    @traitlets.validate("activation")
    def _v_activation(self, p: dict) -> str:
        return _choice("activation", p["value"], ACTIVATIONS)

    @traitlets.validate("loss")
    def _v_loss(self, p: dict) -> str:
        return _choice("loss", p["value"], tuple(LOSSES))

    @traitlets.validate("l2")
    def _v_l2(self, p: dict) -> float:
        return _number("l2", p["value"], 0.0, 10.0)

    @traitlets.validate("schedule")
    def _v_schedule(self, p: dict) -> str:
        return _choice("schedule", p["value"], tuple(SCHEDULES))

    @traitlets.validate("seed")
    def _v_seed(self, p: dict) -> int:
        return _integer("seed", p["value"], 0, 2**32 - 1)

    @traitlets.validate("learning_rate")
    def _v_learning_rate(self, p: dict) -> float:
        return _learning_rate(p["value"])

    @traitlets.validate("batch_size")
    def _v_batch_size(self, p: dict) -> int | None:
        return _batch(p["value"])

    @traitlets.validate("hide")
    def _v_hide(self, p: dict) -> list[str]:
        return [_choice("hide", h, CONTROLS) for h in p["value"]]

    # -- the public API ------------------------------------------------------------------------

    @property
    def history(self) -> list[dict[str, Any]]:
        """One dict per step: step, loss, train_loss, test_loss, accuracy, test_accuracy,
        batch_accuracy, learning_rate and batch_size (the values that step used)."""
        return self._run.history

    @property
    def model(self) -> Any:
        """The MLP being trained (this package's nn.MLP)."""
        return self._run.model

    @property
    def run(self) -> TrainingRun:
        """The TrainingRun underneath (model, data, history)."""
        return self._run

    @property
    def X(self) -> np.ndarray:
        """Training points, shape (n_train, 2)."""
        return self._run.X

    @property
    def y(self) -> np.ndarray:
        """Training labels, -1/+1."""
        return self._run.y

    @property
    def X_test(self) -> np.ndarray:
        return self._run.X_test

    @property
    def y_test(self) -> np.ndarray:
        return self._run.y_test

    @property
    def is_playing(self) -> bool:
        """True while the background thread trains (not once it has been asked to stop)."""
        thread = self._thread
        return thread is not None and thread.is_alive() and not self._stop.is_set()

    def step(self, n: int = 1) -> list[dict[str, Any]]:
        """Train ``n`` steps now, in this thread (pauses a running thread first).

        Returns the new history entries. On divergence it stops, shows the message and raises
        ``Diverged``; ``reset()`` (or a new learning rate and reset) starts again.
        """
        n = _integer("step(n): n, the number of steps,", n, 0, 10**9)
        self.pause()
        entries = []
        try:
            for _ in range(n):
                entries.append(self._run.step())
                self._count_rate()
                if time.monotonic() - self._last_publish >= self._update_gap:
                    self._publish()
        except Diverged as e:
            self._publish(status=_diverged_text(e, self._run), status_kind="error")
            raise
        if self._run.stuck is not None:
            self._publish(status=_stuck_text(self._run), status_kind="error")
        else:
            self._publish()
        return entries

    def play(self) -> None:
        """Start training in a background thread (returns at once; no-op if already playing)."""
        if self.is_playing:
            return
        if self._run.diverged is not None:
            self._publish(status=self._run.diverged + " — press Reset.", status_kind="error")
            return
        if self.comm is None:
            raise RuntimeError("this TrainerWidget was closed; create a new one to train")
        old = self._thread
        if old is not None and old is not threading.current_thread():
            old.join()  # paused from the page, it may still be finishing its last step
        self._stop.clear()
        # the rate counts from now: a slow first step shows as such, not as 0 or the last run's
        self._rate_marks = [(time.monotonic(), self._run.steps)]
        self._thread = threading.Thread(target=self._loop, name="micrograd-trainer", daemon=True)
        with self._sync_lock, self.hold_sync():
            self.playing = True
            self.steps_per_second = 0.0
        self._thread.start()

    def pause(self) -> None:
        """Stop the background thread (within one step) and wait for it to finish."""
        thread = self._thread
        self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        if thread is None or thread is not threading.current_thread():
            self._thread = None
        if self.playing and self.comm is not None:
            self.playing = False

    def reset(self) -> None:
        """Stop training and start a new model (same seed: the same starting weights)."""
        self.pause()
        self._run.reset()
        self._publish(full=True, status="Reset: a new model, step 0.", status_kind="reset")

    def close(self) -> None:
        """Stop the training thread, then close the widget (its views disappear)."""
        self.pause()
        super().close()

    def neuron_graph_data(
        self,
        layer: int,
        index: int,
        point: Sequence[float] | None = None,
        expanded: Sequence[str] = (),
    ) -> dict[str, Any]:
        """The Value graph of one neuron for one input point, as graph.payload() plain data.

        ``layer`` counts hidden layers from 0 (the output neuron is layer ``len(hidden)``).
        Layers before it run on the scalar engine and enter as leaves labelled
        ``layer{k}[i]`` (inputs are ``x0``, ``x1``); the neuron itself is the model's own Neuron
        called on them, then ``backward()`` from its output, so grads read d(output)/d(node).
        The model's gradients are put back as they were. Also shown by the page.

        A neuron with many inputs starts with its weighted sum folded into one Σ box (the page
        opens it on a click: ``expanded`` lists the opened boxes).
        """
        sizes = [*self.hidden, 1]
        layer = _integer("layer", layer, 0, len(sizes) - 1)
        index = _integer("index", index, 0, sizes[layer] - 1)
        if point is None:
            point = tuple(float(v) for v in self._run.X[0])
        if len(point) != 2:
            raise ValueError(f"point must be two numbers (x, y), got {point!r}")
        px, py = (_number("point", float(v), -1e6, 1e6) for v in point)
        with self._run.lock:
            model = self._run.model
            inputs = [Value(px, label="x0"), Value(py, label="x1")]
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
                data = g.payload(shown, traced, rankdir="LR", version=len(expanded))
            finally:
                for p, grad in zip(params, saved, strict=True):
                    p.grad = grad
            info = {
                "layer": layer, "index": index, "point": [px, py], "step": self._run.steps,
                "output": float(out.data), "output_layer": layer == len(sizes) - 1,
                "root": traced.ids[traced.roots[0]],
                "expanded": sorted(expanded),
            }
        self._neuron_request = (layer, index, (px, py))
        with self._sync_lock, self.hold_sync():
            self.neuron_graph = data
            self.neuron_info = info
        return data

    def figure(self, resolution: int | None = None) -> Any:
        """A matplotlib Figure: loss and accuracy curves next to the decision boundary."""
        from matplotlib.figure import Figure

        res = self.resolution if resolution is None else _integer("resolution", resolution, 10, 400)
        with self._run.lock:
            hist = list(self._run.history)
            xlim, ylim = self._limits()
            grid = decision_grid(self._run.model, xlim, ylim, res)
        fig = Figure(figsize=(10, 3.6), layout="constrained")
        ax_loss, ax_acc, ax_map = fig.subplots(1, 3, width_ratios=[1, 1, 1.1])
        steps = [h["step"] for h in hist]
        for ax, keys, title in (
            (ax_loss, ("train_loss", "test_loss"), "loss"),
            (ax_acc, ("accuracy", "test_accuracy"), "accuracy"),
        ):
            for key, style in zip(keys, ("-", "--"), strict=True):
                vals = [np.nan if h[key] is None else h[key] for h in hist]
                if hist and not all(v is None for v in (h[key] for h in hist)):
                    ax.plot(steps, vals, style, label="test" if "test" in key else "train")
            ax.set_title(title)
            ax.set_xlabel("step")
            if hist:
                ax.legend(loc="best")
        limit = float(max(1.0, np.nanmax(np.abs(grid)))) if grid.size else 1.0
        ax_map.imshow(
            np.clip(grid, -limit, limit), origin="lower", extent=(*xlim, *ylim),
            cmap="RdBu", vmin=-limit, vmax=limit, aspect="auto", alpha=0.75,
        )
        ax_map.contour(
            np.linspace(*xlim, res), np.linspace(*ylim, res), grid, levels=[0.0], colors="k",
            linewidths=1,
        )
        for Xs, ys, marker, edge, name in (
            (self._run.X, self._run.y, "o", "white", "train"),
            (self._run.X_test, self._run.y_test, "s", "black", "test"),
        ):
            if len(Xs):
                ax_map.scatter(
                    Xs[:, 0], Xs[:, 1], c=np.where(ys > 0, "#1d4ed8", "#ea580c"), marker=marker,
                    edgecolors=edge, linewidths=0.8, s=28, label=name,
                )
        ax_map.set_xlim(*xlim)
        ax_map.set_ylim(*ylim)
        ax_map.set_title(f"decision boundary, step {self._run.steps}")
        ax_map.legend(loc="upper right", fontsize=8)
        return fig

    def save_html(self, path: str | Path, title: str = "micrograd trainer") -> Path:
        """A self-contained HTML snapshot (no kernel: it shows the state, it cannot train)."""
        return _save_html(self, path, title)

    def __repr__(self) -> str:
        last = self._run.history[-1] if self._run.history else None
        acc = "" if last is None else f", accuracy {last['accuracy']:.0%}"
        return (
            f"TrainerWidget({self.dataset}, hidden={list(self.hidden)}, {self.activation}, "
            f"{self.loss}: step {self._run.steps}{acc})"
        )

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """The widget view, plus a small PNG of the decision boundary for places that cannot
        run widgets (nbconvert, GitHub); JupyterLab picks the widget. Costs a few milliseconds
        (numpy + zlib, no matplotlib)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        try:
            png = base64.b64encode(self.snapshot_png()).decode("ascii")
            data = {**data, "image/png": png}
        except Exception:  # noqa: BLE001 - a fallback picture must never break display
            pass
        return data, metadata

    def snapshot_png(self, scale: int = 2) -> bytes:
        """PNG bytes: the decision-boundary heatmap (the page's colours) with the data points,
        train as discs with a white rim, test with a black rim."""
        scale = _integer("scale", scale, 1, 8)
        with self._run.lock:
            xlim, ylim = self._limits()
            grid = decision_grid(self._run.model, xlim, ylim, self.resolution)
        return _png(_heatmap_rgb(grid, scale, xlim, ylim, self._run))

    # -- the background thread ---------------------------------------------------------------

    def _loop(self) -> None:
        """Train until asked to stop; any error stops the thread and is shown on the page."""
        run, stop = self._run, self._stop
        try:
            stuck_before = run.stuck is not None  # the user pressed Play on anyway
            while not stop.is_set():
                run.step()
                self._count_rate()
                if run.stuck is not None and not stuck_before:
                    self._finish(_stuck_text(run), "error")
                    return
                if time.monotonic() - self._last_publish >= self._update_gap:
                    self._publish()
        except Diverged as e:
            self._finish(_diverged_text(e, run), "error")
        except Exception as e:  # noqa: BLE001 - shown to the user, the thread must end cleanly
            self._finish(f"Training stopped: {type(e).__name__}: {e}", "error")
        else:
            self._finish(None, None)

    def _finish(self, status: str | None, kind: str | None) -> None:
        if self.comm is None:  # closed meanwhile: nothing to show
            return
        extra: dict[str, Any] = {"playing": False}
        if status is not None:
            extra.update(status=status, status_kind=kind)
        try:
            self._publish(**extra)
        except Exception:  # noqa: BLE001 - closing races; the thread still ends
            pass

    def _count_rate(self) -> None:
        """Steps per second over the last second or so (what the page shows)."""
        now = time.monotonic()
        marks = self._rate_marks
        marks.append((now, self._run.steps))
        while len(marks) > 2 and now - marks[0][0] > 1.5:
            marks.pop(0)

    def _steps_per_second(self) -> float:
        marks = self._rate_marks
        if len(marks) < 2 or marks[-1][0] <= marks[0][0]:
            return 0.0
        return (marks[-1][1] - marks[0][1]) / (marks[-1][0] - marks[0][0])

    # -- publishing to the page ----------------------------------------------------------------

    def _limits(self) -> tuple[tuple[float, float], tuple[float, float]]:
        run = self._run
        return data_limits(np.concatenate([run.X, run.X_test]))

    def _publish(self, full: bool = False, **extra: Any) -> None:
        """Send the run's current state as one message (traits set inside hold_sync)."""
        started = time.monotonic()
        run = self._run
        with run.lock:
            hist = run.history
            last = hist[-1] if hist else None
            steps = run.steps
            layers = layer_weights(run.model)
            curves = _curve_rows(hist)
            xlim, ylim = self._limits()
            scores = decision_grid(run.model, xlim, ylim, self.resolution)
        flat = np.concatenate([np.concatenate([W.ravel(), b]) for W, b, _ in layers])
        state: dict[str, Any] = {
            "step_count": steps,
            "steps_per_second": round(self._steps_per_second(), 1),
            "metrics": _metrics(last, run),
            "curves": _f32(curves),
            "grid": _f32(scores),
            "weights": _f32(flat),
        }
        if full:
            state.update(
                extent=[*xlim, *ylim],
                points=_points(run),
                layer_sizes=[2, *run.hidden, 1],
                neuron_graph={},
                neuron_info={},
            )
        state.update(extra)
        if self.comm is None:
            return
        with self._sync_lock, self.hold_sync():
            for name, value in state.items():
                setattr(self, name, value)
        self._last_publish = done = time.monotonic()
        self._update_gap = max(1.0 / UPDATE_RATE, (done - started) / UPDATE_SHARE)

    # ipywidgets keeps "what to send" in shared fields; the trainer thread and the kernel's
    # thread (messages from the page) take turns through _sync_lock.
    def send_state(self, key: Any = None) -> None:
        with self._sync_lock:
            super().send_state(key)

    def _should_send_property(self, key: str, value: Any) -> bool:
        with self._sync_lock:
            return super()._should_send_property(key, value)

    # -- reacting to settings and the page -----------------------------------------------------

    def _settings(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*_RESETTING, "learning_rate", "batch_size")}

    def _new_run(self, s: dict[str, Any]) -> TrainingRun:
        if s["dataset"] == CUSTOM:
            if self._custom is None:
                raise ValueError("dataset 'custom' needs your own X and y")
            X, y = self._custom
        else:
            X, y = make_dataset(s["dataset"], n=s["n"], noise=s["noise"], seed=s["seed"])
        X_train, X_test, y_train, y_test = train_test_split(X, y, s["test_fraction"], s["seed"])
        if len(np.unique(y_train)) < 2:
            raise ValueError(
                f"test_fraction={s['test_fraction']:g} of {len(X)} points leaves "
                f"{len(X_train)} to train on, not enough for both classes: lower test_fraction "
                "or use more points (n)"
            )
        run = TrainingRun(
            X_train, y_train, X_test, y_test, hidden=s["hidden"], activation=s["activation"],
            loss=s["loss"], learning_rate=s["learning_rate"], batch_size=s["batch_size"],
            l2=s["l2"], schedule=s["schedule"], seed=s["seed"],
        )
        run.dataset = s["dataset"]
        return run

    def _on_setting(self, change: dict[str, Any]) -> None:
        """A setting that defines the problem or the network changed: start a new model."""
        if self._restoring:
            return
        if change["name"] in ("n", "noise") and self.dataset == CUSTOM:
            what = "size" if change["name"] == "n" else "noise"
            self._publish(status=f"The {what} applies to the generated datasets; your own "
                          "points stay as they are.", status_kind="info")
            return
        was_playing = self.is_playing
        self.pause()
        name, what = change["name"], _RESETTING[change["name"]]
        note = ""
        if name == "loss" and self.learning_rate == DEFAULT_LEARNING_RATES[change["old"]]:
            rate = DEFAULT_LEARNING_RATES[change["new"]]
            if rate != self.learning_rate:  # the old loss's usual rate: take the new one's
                self.learning_rate = rate
                note = f" Learning rate {rate:g}, what {change['new']} trains well at."
        try:
            self._run = self._new_run(self._settings())
        except ValueError as e:  # e.g. too few points left to train on: put the setting back
            self._restoring = True
            try:
                setattr(self, name, change["old"])
            finally:
                self._restoring = False
            self._publish(
                status=f"Kept the old {what}: {e}", status_kind="error", **{name: change["old"]}
            )
            if was_playing:
                self.play()
            return
        self._publish(
            full=True, status=f"Changed the {what}: the model was reset (step 0).{note}",
            status_kind="reset",
        )
        if was_playing:
            self.play()

    def _on_knob(self, change: dict[str, Any]) -> None:
        """learning_rate / batch_size: the run reads them at its next step (any thread)."""
        setattr(self._run, change["name"], change["new"])

    def _on_view_count(self, change: dict[str, Any]) -> None:
        """The last view went away while training: pause (nobody can see it or press Pause)."""
        if (change["old"] or 0) > 0 and not change["new"] and self.is_playing:
            self.pause()
            self._publish(
                status="Paused: the widget was no longer shown. Press Play to go on.",
                status_kind="info",
            )

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        try:
            if kind == "play":
                self.play()
            elif kind == "pause":
                # Don't wait here: the thread stops after its current step and then sets
                # playing=False itself, so a slow step (a big network) never blocks the kernel.
                self._stop.set()
            elif kind == "step":
                self.step(1)
            elif kind == "reset":
                self.reset()
            elif kind == "neuron":
                self.neuron_graph_data(
                    int(content["layer"]), int(content["index"]), content.get("point")
                )
            elif kind == "expand_neuron" and self._neuron_request is not None:
                layer, index, point = self._neuron_request
                opened = {*self.neuron_info.get("expanded", ()), str(content["key"])}
                self.neuron_graph_data(layer, index, point, sorted(opened))
            elif kind == "close_neuron":
                with self._sync_lock, self.hold_sync():
                    self.neuron_graph, self.neuron_info = {}, {}
        except Diverged:
            pass  # step() already showed the message
        except (ValueError, KeyError, TypeError) as e:
            self._publish(status=f"Could not do {kind!r}: {e}", status_kind="error")


NEURON_FOLD = 24  # a neuron graph above this many Values starts with its sum folded (Σ)


def _neuron_view(traced: g.Graph, expanded: frozenset[str]) -> g.View:
    """Everything for a small neuron; for a wide one, groups open and the + chain folded."""
    if len(traced) <= NEURON_FOLD:
        return g.view(traced, "none")
    groups = set()
    for group in traced.groups:
        parts = (group or "").split("/")
        groups.update("/".join(parts[: k + 1]) for k in range(len(parts)) if group)
    return g.view(traced, "auto", expanded=groups | expanded, threshold=NEURON_FOLD)


def _default_noise(dataset: str) -> float:
    if dataset == CUSTOM:
        return 0.0
    return float(DATASETS[dataset].__defaults__[1])  # (n, noise, seed, ...) in datasets.py


def _stuck_text(run: TrainingRun) -> str:
    return (
        f"Paused at step {run.steps}: {run.stuck}. Press Reset, then lower the learning rate "
        "or use a bigger batch."
    )


def _diverged_text(e: Diverged, run: TrainingRun) -> str:
    text = f"Paused: {e}. Lower the learning rate and press Reset."
    reach = float(np.abs(np.concatenate([run.X, run.X_test])).max())
    if reach > 10:  # the rates here suit points within a few units of 0
        text += f" Your points reach {reach:.3g}: scaling X to about -1…1 trains at these rates."
    return text


def _curve_rows(hist: list[dict[str, Any]]) -> np.ndarray:
    """(k, 5) float32: step, train loss, test loss, accuracy, test accuracy (NaN if no test set);
    at most CURVE_POINTS rows, evenly spread, always including the last step."""
    count = len(hist)
    if count == 0:
        return np.zeros((0, 5), dtype=np.float32)
    if count <= CURVE_POINTS:
        picked = hist
    else:
        idx = np.unique(np.linspace(0, count - 1, CURVE_POINTS).round().astype(int))
        picked = [hist[i] for i in idx]
    nan = float("nan")
    rows = [
        (h["step"], h["train_loss"], nan if h["test_loss"] is None else h["test_loss"],
         h["accuracy"], nan if h["test_accuracy"] is None else h["test_accuracy"])
        for h in picked
    ]
    return np.array(rows, dtype=np.float32)


def _metrics(last: dict[str, Any] | None, run: TrainingRun) -> dict[str, Any]:
    def clean(v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool):
            return v
        return v if v is None or (isinstance(v, float) and math.isfinite(v)) else None

    out = {k: clean(v) for k, v in (last or {}).items() if k != "batch_size"}
    out["batch_size"] = None if last is None else last["batch_size"]
    out["n_train"] = len(run.X)
    out["n_test"] = len(run.X_test)
    out["next_learning_rate"] = run.current_learning_rate()
    return out


def _points(run: TrainingRun) -> dict[str, list]:
    X = np.concatenate([run.X, run.X_test])
    y = np.concatenate([run.y, run.y_test])
    return {
        "x": [round(float(v), 6) for v in X[:, 0]],
        "y": [round(float(v), 6) for v in X[:, 1]],
        "label": [int(v) for v in y],
        "test": [0] * len(run.X) + [1] * len(run.X_test),
    }


# The page's colours (js/lib/trainerplot.ts): class -1 orange, +1 blue, the boundary white.
_NEGATIVE = np.array([234, 88, 12], dtype=np.float64)
_POSITIVE = np.array([29, 78, 216], dtype=np.float64)


def _heatmap_rgb(grid: np.ndarray, scale: int, xlim: tuple, ylim: tuple, run: TrainingRun):
    """uint8 (H, W, 3) image: scores coloured like the page, image row 0 at the top."""
    t = np.tanh(np.nan_to_num(grid[::-1].astype(np.float64)))[..., None]
    end = np.where(t < 0, _NEGATIVE, _POSITIVE)
    img = 255.0 + (end - 255.0) * np.abs(t) * 0.6  # SATURATION in trainerplot.ts
    img = np.repeat(np.repeat(img, scale, axis=0), scale, axis=1)
    h, w = img.shape[:2]
    r = 2 + scale
    yy, xx = np.mgrid[-r - 1 : r + 2, -r - 1 : r + 2]
    dist = np.hypot(xx, yy)
    for Xs, ys, rim in ((run.X, run.y, 255.0), (run.X_test, run.y_test, 0.0)):
        for (px, py), label in zip(Xs, ys, strict=True):
            cx = int(round((px - xlim[0]) / (xlim[1] - xlim[0]) * (w - 1)))
            cy = int(round((ylim[1] - py) / (ylim[1] - ylim[0]) * (h - 1)))
            for (dy, dx), d in np.ndenumerate(dist):
                x, y = cx + dx - r - 1, cy + dy - r - 1
                if 0 <= x < w and 0 <= y < h and d <= r + 1:
                    img[y, x] = (_POSITIVE if label > 0 else _NEGATIVE) if d <= r else rim
    return np.clip(img.round(), 0, 255).astype(np.uint8)


def _png(rgb: np.ndarray) -> bytes:
    """A minimal truecolour PNG (no filter, zlib) of a uint8 (H, W, 3) image."""
    h, w, _ = rgb.shape
    rows = np.hstack([np.zeros((h, 1), np.uint8), rgb.reshape(h, w * 3)])

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows.tobytes(), 6)) + chunk(b"IEND", b"")
    )
