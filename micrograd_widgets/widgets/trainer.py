"""TrainerWidget: train an MLP on 2-D data live, Playground style, on micrograd or numpy.

Traits, a background thread, publishing and messages; nothing else. The math is in
training.TrainingRun (tensor, datasets), the settings' checks and the page's config in
page_settings, what the page draws in snapshot, the static pictures in picture.

The state goes to the page as one ``hold_sync()`` message (binary float32 buffers for the grid,
curves and weights) at most ``UPDATE_RATE`` times a second, fewer if publishing would take more
than ``UPDATE_SHARE`` of the time. The page sends actions as messages (play, pause, step, reset,
neuron, use_numpy) and settings as traits; a setting that changes the problem or the network
resets the model and says so; one whose micrograd step would cost too much is put back, and the
status says what it costs and offers the numpy engine.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Any

import anywidget
import numpy as np
import traitlets

from ..training import page_settings, snapshot
from ..training.datasets import TASKS, from_arrays
from ..training.envelope import TooCostly
from ..training.page_settings import CONTROLS, CUSTOM, UPDATE_RATE
from ..training.schedules import DEFAULT_SCHEDULE
from ..training.sgd import Diverged
from ..training.validators import Integer
from ._base import bundle
from ._trainer_edits import Edits
from ._trainer_static import StaticOutput

__all__ = ["CONTROLS", "UPDATE_RATE", "Diverged", "TrainerWidget"]

# Page updates may take this share of the training thread's time at most (a big network's
# grid, a slow kernel), so steps per second stay close to a bare loop's.
UPDATE_SHARE = 0.05
MAX_UPDATE_GAP = 1.0  # however slow one publish was (a busy machine), the page hears each second

_RESETTING = page_settings.RESETTING  # a change starts a new model (and says which)
_KNOBS = page_settings.KNOBS  # the run takes these at its next step


class Setting(traitlets.TraitType):
    """A synced setting, typed by its check in page_settings.SETTINGS: a value from the
    constructor, from Python later or from the page is converted or refused (a ValueError
    naming the setting and what it allows) in the same place."""

    def validate(self, obj: Any, value: Any) -> Any:
        return page_settings.check(self.name, value, obj._custom is not None)


class TrainerWidget(Edits, StaticOutput, anywidget.AnyWidget):
    """Train an MLP on a 2-D dataset and watch it learn: curves, decision boundary, network.

    Python API: ``step(n)`` trains synchronously; ``play()`` trains in a background thread (the
    kernel stays free) until ``pause()``; ``reset()`` starts a new model. ``learning_rate``,
    ``batch_size`` and ``engine`` ("micrograd" or "numpy": the same math as matrices, same
    numbers) may change at any time and apply from the next step; the other settings (dataset,
    n, noise, test_fraction, hidden, activation, loss, l2, schedule, seed) start a new model.
    In micrograd mode a setting whose step would take more than about a second is refused with
    a ValueError that says its cost. ``history``, ``model``, ``X``/``y`` (training set),
    ``X_test``/``y_test``, ``figure()``.
    """

    _esm = bundle("trainer")
    SETTINGS = page_settings.ARGUMENTS  # the constructor's (for "did you mean")

    # -- settings (the page may set these too) -------------------------------------------------
    dataset = Setting("moons").tag(sync=True)
    n = Setting(100).tag(sync=True)
    noise = Setting(0.1).tag(sync=True)
    test_fraction = Setting(0.2).tag(sync=True)
    hidden = Setting([16, 16]).tag(sync=True)
    activation = Setting("relu").tag(sync=True)
    loss = Setting("hinge").tag(sync=True)
    l2 = Setting(1e-4).tag(sync=True)
    l1 = Setting(0.0).tag(sync=True)
    features = Setting(["x1", "x2"]).tag(sync=True)  # the network's inputs, in FEATURES order
    show_test = traitlets.Bool(False).tag(sync=True)  # the map draws the test points too
    discretize = traitlets.Bool(False).tag(sync=True)  # the map shows sign(score) only
    schedule = Setting(DEFAULT_SCHEDULE).tag(sync=True)
    seed = Setting(0).tag(sync=True)
    learning_rate = Setting(1.0).tag(sync=True)
    batch_size = Setting(None).tag(sync=True)  # None: full batch
    engine = Setting("micrograd").tag(sync=True)  # or "numpy"
    presentation = traitlets.Bool(False).tag(sync=True)
    hide = Setting([]).tag(sync=True)
    resolution = Setting(100).tag(sync=True)
    config = traitlets.Dict().tag(sync=True)  # lists and limits for the page (page_settings)

    # -- what the page shows (Python writes these) ---------------------------------------------
    playing = traitlets.Bool(False).tag(sync=True)
    task = traitlets.Unicode("classification").tag(sync=True)  # or "regression" (the dataset's)
    neuron_maps = traitlets.Bytes(b"").tag(sync=True)  # uint8, each hidden neuron's output map
    neuron_resolution = traitlets.Int(snapshot.NEURON_RESOLUTION).tag(sync=True)
    step_count = traitlets.Int(0).tag(sync=True)
    steps_per_second = traitlets.Float(0.0).tag(sync=True)
    epochs_per_second = traitlets.Float(0.0).tag(sync=True)
    status = traitlets.Unicode("").tag(sync=True)
    status_kind = traitlets.Unicode("info").tag(sync=True)  # info | reset | error | cost
    metrics = traitlets.Dict().tag(sync=True)  # the last history entry (None where not known)
    curves = traitlets.Bytes(b"").tag(sync=True)  # float32 rows: step, train/test loss, accuracies
    grid = traitlets.Bytes(b"").tag(sync=True)  # float32 resolution^2 scores, row 0 = bottom
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
        self, dataset: str = "moons", hidden: Sequence[int] = (16, 16), activation: str = "relu",
        loss: str = "hinge", learning_rate: float | None = None, batch_size: int | None = None,
        l2: float = 1e-4, seed: int = 0, *, n: int = 100, noise: float | None = None,
        test_fraction: float = 0.2, schedule: str = DEFAULT_SCHEDULE, engine: str = "micrograd",
        X: Any = None, y: Any = None, presentation: bool = False,
        hide: Sequence[str] | None = None, resolution: int = 100,
        features: Sequence[str] = ("x1", "x2"), l1: float = 0.0, **kwargs: Any,
    ) -> None:
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        page_settings.unknown_keywords(kwargs, [*self.SETTINGS, *self.trait_names()])
        self._sync_lock = threading.RLock()  # one publication (or trait message) at a time
        if (X is None) != (y is None):
            raise ValueError("X and y must be given together (your own data), or neither")
        self._custom = None if X is None else from_arrays(X, y)
        given = {k: v for k, v in locals().items() if k in self.SETTINGS and k not in ("X", "y")}
        settings = page_settings.arguments(given, has_custom=self._custom is not None)
        self._restoring = False  # putting a refused setting back: not a change to act on
        self._from_page = False  # inside set_state: a refusal is shown, not raised
        self._refused: tuple[str, Any] | None = None  # what "use numpy" applies
        self._last_publish = 0.0
        self._update_gap = 1.0 / UPDATE_RATE  # seconds between page updates while training
        self._neuron_request: tuple[int, int, tuple[float, float]] | None = None
        self._run = snapshot.new_run(settings, self._custom)
        self._draw_rng = np.random.default_rng(settings["seed"])  # drawn points: train or test
        self._rate = snapshot.RateMeter()
        super().__init__(
            **settings, has_custom=self._custom is not None, config=page_settings.config(),
            **kwargs,
        )
        self._publish(full=True)
        self.observe(self._on_setting, names=list(_RESETTING))
        self.observe(self._on_knob, names=list(_KNOBS))
        self.observe(self._on_view_count, names=["_view_count"])
        self.on_msg(self._on_message)
        if self.comm is not None:  # the front end closed the model (e.g. on a kernel change)
            self.comm.on_close(lambda _msg: self.close())

    # -- the public API ------------------------------------------------------------------------

    history = property(lambda self: self._run.history, doc="One dict per step (see TrainingRun).")
    model = property(lambda self: self._run.model, doc="The MLP being trained (an nn.MLP).")
    run = property(lambda self: self._run, doc="The TrainingRun underneath.")
    X = property(lambda self: self._run.X, doc="Training points, shape (n_train, 2).")
    y = property(lambda self: self._run.y, doc="Training labels, -1/+1.")
    X_test = property(lambda self: self._run.X_test)
    y_test = property(lambda self: self._run.y_test)

    @property
    def is_playing(self) -> bool:
        """True while the background thread trains (not once it has been asked to stop)."""
        thread = self._thread
        return thread is not None and thread.is_alive() and not self._stop.is_set()

    def step(self, n: int = 1) -> list[dict[str, Any]]:
        """Train ``n`` steps now, in this thread (pauses a running thread first); returns the new
        history entries. On divergence it stops, shows the message and raises ``Diverged``."""
        n = Integer("step(n): n, the number of steps,", 0, 10**9)(n)
        self.pause()
        entries = []
        try:
            for _ in range(n):
                entries.append(self._run.step())
                self._rate.mark(self._run.steps)
                if time.monotonic() - self._last_publish >= self._update_gap:
                    self._publish()
        except Diverged as e:
            self._publish(status=snapshot.diverged_text(e, self._run), status_kind="error")
            raise
        if self._run.stuck is not None:
            self._publish(status=snapshot.stuck_text(self._run), status_kind="error")
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
        self._rate = snapshot.RateMeter(self._run.steps)
        self._thread = threading.Thread(target=self._loop, name="micrograd-trainer", daemon=True)
        with self._sync_lock, self.hold_sync():
            self.playing = True
            self.steps_per_second = self.epochs_per_second = 0.0
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
        self, layer: int, index: int, point: Sequence[float] | None = None,
        expanded: Sequence[str] = (),
    ) -> dict[str, Any]:
        """The Value graph of one neuron for one input point (snapshot.neuron_graph), shown in
        the page too: a neuron clicked there asks for it."""
        data, info = snapshot.neuron_graph(self._run, layer, index, point, expanded)
        self._neuron_request = (info["layer"], info["index"], tuple(info["point"]))
        self._show_neuron(data, info)
        return data

    def _show_neuron(self, data: dict[str, Any], info: dict[str, Any]) -> None:
        with self._sync_lock, self.hold_sync():
            self.neuron_graph, self.neuron_info = data, info

    def __repr__(self) -> str:
        return f"TrainerWidget({snapshot.describe(self._run)})"

    # -- the background thread ---------------------------------------------------------------

    def _loop(self) -> None:
        """Train until asked to stop; any error stops the thread and is shown on the page."""
        run, stop, why = self._run, self._stop, {}
        first = True  # the first step after Play shows at once: the counter moves when pressed
        try:
            stuck_before = run.stuck is not None  # the user pressed Play on anyway
            while not stop.is_set():
                run.step()
                self._rate.mark(run.steps)
                if run.stuck is not None and not stuck_before:
                    why = {"status": snapshot.stuck_text(run), "status_kind": "error"}
                    break
                if first or time.monotonic() - self._last_publish >= self._update_gap:
                    self._publish()
                    first = False
        except Diverged as e:
            why = {"status": snapshot.diverged_text(e, run), "status_kind": "error"}
        except Exception as e:  # noqa: BLE001 - shown to the user, the thread must end cleanly
            why = {"status": f"Training stopped: {type(e).__name__}: {e}", "status_kind": "error"}
        if self.comm is not None:  # else closed meanwhile: nothing to show
            try:
                self._publish(playing=False, steps_per_second=0.0, epochs_per_second=0.0, **why)
            except Exception:  # noqa: BLE001 - closing races; the thread still ends
                pass

    # -- publishing to the page ----------------------------------------------------------------

    def _publish(self, full: bool = False, **extra: Any) -> None:
        """Send the run's current state as one message (traits set inside hold_sync)."""
        started = time.monotonic()
        state = snapshot.state(self._run, self.resolution, full)
        steps, epochs = self._rate.rates(self._run) if self.is_playing else (0.0, 0.0)
        state.update(steps_per_second=round(steps, 1), epochs_per_second=round(epochs, 1))
        state.update(extra)
        if self.comm is None:
            return
        with self._sync_lock, self.hold_sync():
            for name, value in state.items():
                setattr(self, name, value)
        self._last_publish = done = time.monotonic()
        self._update_gap = min(MAX_UPDATE_GAP,
                               max(1.0 / UPDATE_RATE, (done - started) / UPDATE_SHARE))

    # ipywidgets keeps "what to send" in shared fields; the trainer thread and the kernel's
    # thread (messages from the page) take turns through _sync_lock.
    def send_state(self, key: Any = None) -> None:
        with self._sync_lock:
            super().send_state(key)

    def _should_send_property(self, key: str, value: Any) -> bool:
        with self._sync_lock:
            return super()._should_send_property(key, value)

    # -- reacting to settings and the page -----------------------------------------------------

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Settings from the page: a refused one is put back and shown, not raised."""
        self._from_page = True
        try:
            super().set_state(sync_data)
        except TooCostly:
            pass  # _refuse has shown it
        finally:
            self._from_page = False

    def _settings(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (*_RESETTING, *_KNOBS)}

    def _put_back(self, name: str, old: Any, status: str, kind: str) -> None:
        self._restoring = True
        try:
            setattr(self, name, old)
        finally:
            self._restoring = False
        self._publish(status=status, status_kind=kind, **{name: old})

    def _refuse(self, name: str, change: dict[str, Any], e: TooCostly) -> None:
        """A setting too costly for micrograd: put back, say what it costs, offer numpy (the
        page's button applies it with the numpy engine); raised again for the Python API."""
        self._refused = None if name == "engine" else (name, change["new"])
        self._put_back(name, change["old"], f"Kept the old {name}: {e.cost_text}.", "cost")
        if not self._from_page:
            raise e

    def _on_setting(self, change: dict[str, Any]) -> None:
        """A setting that defines the problem or the network changed: start a new model."""
        if self._restoring:
            return
        name, what = change["name"], _RESETTING[change["name"]]
        regression = TASKS.get(self.dataset) == "regression"
        if name == "loss" and regression and change["new"] != "mse":
            return self._put_back(name, change["old"], f"Kept the loss mse: {self.dataset} is a "
                                  "regression dataset, trained with mse.", "error")
        if name in ("n", "noise") and self.dataset == CUSTOM:
            self._publish(status=f"The {'size' if name == 'n' else 'noise'} applies to the "
                          "generated datasets; your own points stay as they are.",
                          status_kind="info")
            return
        was_playing = self.is_playing
        self.pause()
        try:
            note = ""
            if name == "loss":  # the old loss's usual rate: take the new one's
                old, new = change["old"], change["new"]
                rate = page_settings.rate_for_loss(self.learning_rate, old, new)
                if rate != self.learning_rate:
                    self.learning_rate = rate
                    note = f" Learning rate {rate:g}, what {new} trains well at."
            if name == "dataset" and regression and self.loss != "mse":
                rate = page_settings.rate_for_loss(self.learning_rate, self.loss, "mse")
                self._restoring = True
                try:
                    self.loss, self.learning_rate = "mse", rate
                finally:
                    self._restoring = False
                note = f" A regression dataset: loss mse, learning rate {rate:g}."
            try:
                self._run = snapshot.new_run(self._settings(), self._custom)
            except TooCostly as e:
                return self._refuse(name, change, e)
            except ValueError as e:  # e.g. too few points left to train on: put it back
                return self._put_back(name, change["old"], f"Kept the old {what}: {e}", "error")
            self._publish(
                full=True, status=f"Changed the {what}: the model was reset (step 0).{note}",
                status_kind="reset",
            )
        finally:
            if was_playing:
                self.play()

    def _on_knob(self, change: dict[str, Any]) -> None:
        """learning_rate / batch_size / engine: the run takes them at its next step."""
        if self._restoring:
            return
        name = change["name"]
        try:
            setattr(self._run, name, change["new"])
        except TooCostly as e:
            self._refuse(name, change, e)
            return
        if name == "engine":
            self._rate = snapshot.RateMeter(self._run.steps)  # a new speed to measure
            self._publish(status=f"Training with the {change['new']} engine from step "
                          f"{self._run.steps}.", status_kind="info")

    def _on_view_count(self, change: dict[str, Any]) -> None:
        """The last view went away while training: pause (nobody can see it or press Pause)."""
        if (change["old"] or 0) > 0 and not change["new"] and self.is_playing:
            self.pause()
            self._publish(
                status="Paused: the widget was no longer shown. Press Play to go on.",
                status_kind="info",
            )

    def _use_numpy(self) -> None:
        """The page's "Use numpy engine": switch, then apply the setting refused for its cost."""
        refused, self._refused = self._refused, None
        self.engine = "numpy"
        if refused is not None:
            setattr(self, *refused)

    def _expand_neuron(self, key: str) -> None:
        if self._neuron_request is not None:
            layer, index, point = self._neuron_request
            opened = {*self.neuron_info.get("expanded", ()), key}
            self.neuron_graph_data(layer, index, point, sorted(opened))

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        actions = {
            "play": self.play, "step": self.step, "reset": self.reset, "use_numpy": self._use_numpy,
            # Don't wait here: the thread stops after its current step and then sets
            # playing=False itself, so a slow step never blocks the kernel.
            "pause": self._stop.set,
            "neuron": lambda: self.neuron_graph_data(
                int(content["layer"]), int(content["index"]), content.get("point")
            ),
            "expand_neuron": lambda: self._expand_neuron(str(content["key"])),
            "close_neuron": lambda: self._show_neuron({}, {}),
            **self._edit_actions(content),
        }
        try:
            if kind in actions:
                actions[kind]()
        except Diverged:
            pass  # step() already showed the message
        except (ValueError, KeyError, TypeError) as e:
            self._publish(status=f"Could not do {kind!r}: {e}", status_kind="error")

