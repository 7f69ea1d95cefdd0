"""Training an MLP on 2-D data: the run a widget holds. Its parts live in modules of their own
(re-exported by the training package): learning-rate defaults and schedules in schedules.py,
the checks of a run's arguments and data in run_arguments.py, one SGD step on each engine in
sgd.py, the losses in losses.py, scoring many points with the weights in scoring.py.

Two engines do the learning. "micrograd" is the scalar engine, exactly micrograd's demo loop:
forward a batch of Values, backward, update. "numpy" is the same network as matrices
(numpy_engine.Network): the same numbers to rounding, hundreds of times faster. numpy also *reads*
the model's weights to score many points at once (a decision-boundary grid, the whole
train/test set after each step) without building graphs.

``TrainingRun`` bundles a model, its data and its history so that a widget can stay a thin layer:
it calls ``step()`` (from a background thread if it likes) and changes ``learning_rate`` /
``batch_size`` / ``engine`` between steps.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import envelope
from .datasets import (
    _check_seed,
    from_arrays,
    make_dataset,
    make_regression,
    task_of,
    train_test_split,
)
from .features import DEFAULT_FEATURES, check_features, feature_array
from .knobs import Knobs
from .losses import LOSS_CHECK
from .model import build_model
from .numpy_engine import Network
from .numpy_engine import dead_layer as _dead_layer
from .numpy_engine import forward as _forward
from .numpy_engine import split_layers as _split_layers
from .run_arguments import (
    ACTIVATION,
    DECAY_STEPS,
    ENGINE,
    HIDDEN,
    SCHEDULE,
    TASK,
    _check_test_set,
    _targets,
)
from .schedules import (
    DEFAULT_LEARNING_RATE,
    DEFAULT_SCHEDULE,
    scheduled_learning_rate,
)
from .scoring import (
    _layer_shapes,
    _ordered_parameters,
    _read,
    _scores,
    _split_loss_and_accuracy,
    _split_loss_and_r2,
    evaluate,
)
from .sgd import Diverged, _batch_rows, numpy_sgd_step, sgd_step
from .validators import Integer

__all__ = ["DIVERGENCE_FACTOR", "HISTORY_LIMIT", "TrainingRun", "build_model"]

# How often (in steps) a TrainingRun checks for a dead ReLU layer (see dead_layer).
DEAD_CHECK_EVERY = 10
DEAD_CHECK_EVERY_NUMPY = 100  # the numpy engine runs ~100x as many steps a second

# A TrainingRun also calls it divergence when the training loss grows this many times above
# its starting value (or above 1): by then the weights are exploding and the curves are useless.
DIVERGENCE_FACTOR = 1e6

# A history longer than this is thinned: its older half keeps every other entry (the curves keep
# their shape; thousands of steps a second would otherwise grow it without end).
HISTORY_LIMIT = 10_000


# ---------------------------------------------------------------------------------------------
# a training run: what a widget needs to hold


_SAME: Any = object()  # "the current value", for TrainingRun.cost


def _points(n: int, batch_size: int | None) -> int:
    return n if batch_size is None else min(batch_size, n)


class TrainingRun(Knobs):
    """A model, its data and its history; ``step()`` trains it one SGD update at a time.

    ``learning_rate`` (the schedule's base), ``batch_size`` (None = full batch; larger than the
    training set means full batch), ``l2`` and ``engine`` may change between steps, from any
    thread; each step reads them once and records what it used. Setting ``learning_rate``
    restarts the schedule: the very next step uses exactly the new rate (even if a step was
    under way when it was set), and the decay counts from there. ``step()`` and ``reset()``
    hold ``lock``, so a background thread can call ``step()`` in a loop while another resets.

    ``engine`` "micrograd" trains the model's Values; "numpy" trains the same weights as arrays
    (numpy_engine.Network) and writes them back into the Values whenever ``model`` is read, so the
    model is always the one trained. Switching keeps the weights and the step count. In
    micrograd mode a setting whose step would be too slow or too big (envelope.py) raises
    ``envelope.TooCostly`` (a ValueError) and is not applied.

    Each ``history`` entry is a dict:
    step (updates so far, from 1), loss (the minimised minibatch loss incl. L2, before the
    update: the demo's printed number), batch_accuracy, train_loss / test_loss and accuracy /
    test_accuracy (data loss and accuracy on the whole train / test set after the update;
    test ones None without a test set), learning_rate and batch_size (the values used).
    Past ``HISTORY_LIMIT`` entries the older half is thinned to every other entry.

    If the loss or the weights become NaN/infinite, or the training loss grows
    ``DIVERGENCE_FACTOR`` times above its start, ``step()`` raises ``Diverged`` and sets
    ``diverged`` to the message; the failed step is not recorded (the weights are put back as
    they were before it) and later steps raise again until ``reset()``. If a ReLU layer dies
    (``dead_layer``), ``stuck`` says so: steps still run, but nothing below it can learn.
    """

    def __init__(
        self,
        X: np.ndarray,
        y: np.ndarray,
        X_test: np.ndarray | None = None,
        y_test: np.ndarray | None = None,
        *,
        hidden: Sequence[int] = (16, 16),
        activation: str = "relu",
        loss: str = "hinge",
        learning_rate: float = DEFAULT_LEARNING_RATE,
        batch_size: int | None = None,
        l2: float = 1e-4,
        schedule: str = DEFAULT_SCHEDULE,
        decay_steps: int = 100,
        seed: int | None = 0,
        engine: str = "micrograd",
        l1: float = 0.0,
        features: Sequence[str] = DEFAULT_FEATURES,
        task: str = "classification",
    ):
        self.task = TASK(task)
        if self.task == "regression" and loss != "mse":
            raise ValueError(f"a regression task trains with loss 'mse', got loss={loss!r}")
        self.X, self.y = from_arrays(X, y) if self.task != "regression" else _targets(X, y)
        if (X_test is None) != (y_test is None):
            raise ValueError("X_test and y_test must be given together (or both left out)")
        self.X_test, self.y_test = _check_test_set(X_test, y_test, self.task)
        self.dataset: str | None = None  # the name, when made by from_dataset()
        self.features = check_features(features)
        self._set_data(self.X, self.y, self.X_test, self.y_test)
        self.hidden = tuple(HIDDEN(hidden))
        self.activation = ACTIVATION(activation)
        self.loss = LOSS_CHECK(loss)
        self.schedule = SCHEDULE(schedule)
        self.decay_steps = DECAY_STEPS(decay_steps)
        self.seed = _check_seed(seed)
        self._knobs = threading.Lock()  # held for a few assignments only, never for a step
        self._engine = ENGINE(engine)
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.l2 = l2
        self.l1 = l1
        self.cost()  # refuse a micrograd step too slow or too big before anything is built
        self.lock = threading.RLock()
        self.reset()

    @classmethod
    def from_dataset(
        cls,
        dataset: str = "moons",
        *,
        n: int | None = None,
        noise: float | None = None,
        test_fraction: float = 0.0,
        seed: int | None = 0,
        **kwargs: Any,
    ) -> TrainingRun:
        """Generate a named dataset (see ``datasets.DATASETS``), split it, and start a run."""
        regression = task_of(dataset) == "regression"
        make = make_regression if regression else make_dataset
        X, y = make(dataset, n=n, noise=noise, seed=seed)
        X_train, X_test, y_train, y_test = train_test_split(X, y, test_fraction, seed=seed)
        if regression:
            kwargs = {"loss": "mse", **kwargs, "task": "regression"}
        run = cls(X_train, y_train, X_test, y_test, seed=seed, **kwargs)
        run.dataset = dataset
        return run

    def _set_data(self, X: np.ndarray, y: Any, X_test: np.ndarray, y_test: Any) -> None:
        """The raw points (what the page draws) and the network's inputs, their features."""
        self.X, self.y, self.X_test, self.y_test = X, y, X_test, y_test
        self._X_all = feature_array(np.concatenate([X, X_test]), self.features)
        self._y_all = np.concatenate([y, y_test]).astype(np.float64)
        self._F = self._X_all[: len(X)]  # the training rows the network sees

    def set_data(
        self, X: np.ndarray, y: np.ndarray, X_test: np.ndarray, y_test: np.ndarray
    ) -> None:
        """New points mid-run (drawn in the page): the model and step count stay."""
        if self.task == "regression":
            X, y = _targets(X, y)
        else:
            X, y = np.asarray(X, np.float64), np.where(np.asarray(y) > 0, 1, -1).astype(np.int64)
        X_test, y_test = _check_test_set(X_test, y_test, self.task)
        if len(X) == 0:
            raise ValueError("at least one training point must stay")
        with self.lock:
            self._set_data(X, y, X_test, y_test)
            if self._net is not None:
                self._net.changed()

    @property
    def engine(self) -> str:
        """"micrograd" (the Values, as the lecture) or "numpy" (the same math as matrices)."""
        return self._engine

    @engine.setter
    def engine(self, value: str) -> None:
        value = ENGINE(value)
        self.cost(engine=value)
        with self.lock:
            if value == self._engine:
                return
            if value == "micrograd":
                self._sync_values()
                self._net = None
            self._engine = value

    def points_per_step(self) -> int:
        """How many points a step forwards (the batch size, at most the training set)."""
        return _points(len(self.X), self._batch_size)

    def cost(self, *, batch_size: Any = _SAME, engine: str | None = None) -> envelope.Cost:
        """The estimated cost of a step (with another batch size / engine if given); raises
        ``envelope.TooCostly`` if that step is too slow or too big for the micrograd engine."""
        batch = self._batch_size if batch_size is _SAME else batch_size
        sizes = (len(self.features), *self.hidden, 1)
        engine = self._engine if engine is None else engine
        return envelope.check(engine, _points(len(self.X), batch), sizes)

    # -- the model: Values, or arrays while numpy trains ------------------------------------

    @property
    def model(self) -> Any:
        """The MLP (this package's nn.MLP), with the weights trained so far in its Values."""
        if self._net is not None:
            with self.lock:
                self._sync_values()
        return self._model

    @model.setter
    def model(self, model: Any) -> None:
        with self.lock:
            self._model = model
            self._parameters_of = None
            self._net = None

    def _sync_values(self) -> None:
        """numpy's weights into the Values; whoever reads them may change them, so the next
        numpy step reads them back."""
        if self._net is not None and self._values_behind:
            self._net.write(self._parameters())
            self._values_behind = False
        self._arrays_behind = True

    def weights(self) -> list[tuple[np.ndarray, np.ndarray, list[str]]] | None:
        """The current weights per layer as ``layer_weights`` gives them (None: not an MLP)."""
        with self.lock:
            if self._net is not None and not self._arrays_behind:
                return _split_layers(self._net.flat.copy(), self._net.shapes)
            return self._layer_weights(self._parameters())

    def _network(self) -> Network:
        params = self._parameters()
        if self._shapes is None:
            raise ValueError("the numpy engine trains MLPs (layers of neurons), not this model")
        if self._net is None:
            self._net = Network(_read(params), self._shapes)
        elif self._arrays_behind:
            self._net.read(params)
        self._arrays_behind = False
        return self._net

    # -- training ---------------------------------------------------------------------------

    def current_learning_rate(self) -> float:
        """The learning rate the next step will use (the base after the schedule)."""
        start = self.steps if self._restart_schedule else self._schedule_start
        return scheduled_learning_rate(
            self.schedule, self.learning_rate, self.steps - start, self.decay_steps
        )

    def reset(self, seed: int | None = None) -> None:
        """Back to step 0: the model re-initialised from the seed (the same one unless given)."""
        with self.lock:
            if seed is not None:
                self.seed = _check_seed(seed)
            self._model = build_model(self.hidden, self.activation, self.seed, len(self.features))
            self._parameters_of: Any = None  # the model _parameters() last read
            self._net: Network | None = None  # numpy's copy of the weights, while it trains
            self._values_behind = False  # numpy trained since the Values were written
            self._arrays_behind = False  # the Values may have changed since numpy read them
            self.rng = np.random.default_rng(self.seed)
            self.steps = 0
            self.points_seen = 0  # training points forwarded so far (epochs * training set)
            self._schedule_start = 0
            self._restart_schedule = False
            self.history: list[dict[str, Any]] = []
            self.diverged: str | None = None
            self.stuck: str | None = None
            self.initial_loss = evaluate(self._model, self._F, self.y, self.loss)[0]

    def _read_knobs(self) -> tuple[float, int, float, float]:
        """The learning rate, points and L2 of the step about to run (restarting the schedule
        here if the rate was set since the last step began)."""
        with self._knobs:
            if self._restart_schedule:
                self._schedule_start = self.steps
                self._restart_schedule = False
            lr = scheduled_learning_rate(
                self.schedule, self._learning_rate, self.steps - self._schedule_start,
                self.decay_steps,
            )
        return lr, self.points_per_step(), self.l2, self.l1

    def step(self) -> dict[str, Any]:
        """One SGD update; appends to and returns the new history entry. Raises ``Diverged``."""
        with self.lock:
            if self.diverged is not None:
                raise Diverged(self.diverged + " — reset() to start again", step=self.steps)
            lr, used, l2, l1 = self._read_knobs()
            numpy = self._engine == "numpy"
            if numpy:
                net = self._network()
                before = net.flat.copy()
            else:
                params = self._parameters()
                before = _read(params)
            try:
                if numpy:
                    rows = _batch_rows(len(self.X), used, self.rng)
                    Xb, yb = self._F[rows], self._y_all[rows]  # train points come first
                    out = numpy_sgd_step(net, Xb, yb, lr, self.loss, l2, rows, self._X_all, l1)
                    self._values_behind = True
                    layers = net.layers
                else:
                    out = sgd_step(
                        self._model, self._F, self.y, used, lr, self.loss, l2, self.rng, l1
                    )
                    layers = self._layer_weights(params)
                train_loss, train_acc, test_loss, test_acc = self._score(layers, lr)
            except Diverged as e:
                if numpy:
                    net.flat[:] = before
                    net.changed()
                else:
                    for p, data in zip(params, before.tolist(), strict=True):  # as it was
                        p.data = data
                self.diverged = f"training diverged at step {self.steps + 1}: {e}"
                raise Diverged(self.diverged, step=self.steps + 1, loss=e.loss) from e
            self.steps += 1
            self.points_seen += used
            every = DEAD_CHECK_EVERY_NUMPY if numpy else DEAD_CHECK_EVERY
            if self.stuck is None and layers is not None and self.steps % every == 0:
                dead = _dead_layer(layers, self._F)
                if dead is not None:
                    self.stuck = (
                        f"every ReLU in hidden layer {dead} outputs 0 for every point (a dead "
                        "layer), so no gradient reaches the weights below it and the network "
                        "predicts one class"
                    )
            entry = {
                "step": self.steps,
                "loss": out["loss"],
                "batch_accuracy": out["accuracy"],
                "train_loss": train_loss,
                "accuracy": train_acc,
                "test_loss": test_loss,
                "test_accuracy": test_acc,
                "learning_rate": lr,
                "batch_size": used,
                "epoch": self.points_seen / len(self.X),
            }
            if self.task == "regression":  # R^2 in place of accuracy
                entry.update(batch_accuracy=None, accuracy=None, test_accuracy=None,
                             r2=train_acc, test_r2=test_acc)
            history = self.history
            history.append(entry)
            if len(history) > HISTORY_LIMIT:
                keep = HISTORY_LIMIT // 2
                history[:] = history[:-keep:2] + history[-keep:]
            return entry

    def _score(self, layers: list | None, lr: float) -> tuple[float, float, Any, Any]:
        """Loss and accuracy of the train and test sets after a step (one numpy forward over
        both); raises Diverged if the training loss is not finite or exploded."""
        X_all = self._X_all
        if self._engine == "numpy" and self._net is not None:
            s = self._net.scores(X_all)
        else:
            s = _scores(self._model, X_all) if layers is None else _forward(layers, X_all)
        split = _split_loss_and_r2 if self.task == "regression" else _split_loss_and_accuracy
        train_loss, train_acc, test_loss, test_acc = split(self.loss, s, self._y_all, len(self.X))
        if not math.isfinite(train_loss):
            raise Diverged(f"the loss became {train_loss} (learning rate {lr:g})")
        if train_loss > DIVERGENCE_FACTOR * max(1.0, self.initial_loss):
            raise Diverged(
                f"the loss exploded to {train_loss:.3g} from {self.initial_loss:.3g} "
                f"(learning rate {lr:g})",
                loss=train_loss,
            )
        return train_loss, train_acc, test_loss, test_acc

    # After every step the curves need the whole train and test sets scored with the new
    # weights; at batch size 1 that costs as much as a tenth of the step. The parameter list and
    # the layers' shapes are the same all run long, so they are read once per model.

    def _parameters(self) -> list[Any]:
        if self._parameters_of is not self._model:
            self._parameters_of = self._model
            try:
                self._params = _ordered_parameters(self._model)
                self._shapes: list | None = _layer_shapes(self._model)
            except (ValueError, AttributeError, TypeError, IndexError):  # not MLP-shaped
                self._params, self._shapes = self._model.parameters(), None
        return self._params

    def _layer_weights(self, params: list[Any]) -> list | None:
        """layer_weights(self.model) from one read of `params` (None: not MLP-shaped)."""
        return None if self._shapes is None else _split_layers(_read(params), self._shapes)

    def train(self, steps: int) -> list[dict[str, Any]]:
        """``steps`` updates in a row (stops early by raising ``Diverged``); their entries."""
        steps = Integer("steps", 0)(steps)
        return [self.step() for _ in range(steps)]
