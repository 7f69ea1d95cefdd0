"""Training an MLP on 2-D data: schedules, one SGD step on each engine, and the run a widget
holds. The losses are in losses.py, scoring many points with the weights in scoring.py (both
re-exported here).

Two engines do the learning. "micrograd" is the scalar engine, exactly micrograd's demo loop:
forward a batch of Values, backward, update. "numpy" is the same network as matrices
(tensor.Network): the same numbers to rounding, hundreds of times faster. numpy also *reads*
the model's weights to score many points at once (a decision-boundary grid, the whole
train/test set after each step) without building graphs.

``TrainingRun`` bundles a model, its data and its history so that a widget can stay a thin layer:
it calls ``step()`` (from a background thread if it likes) and changes ``learning_rate`` /
``batch_size`` / ``engine`` between steps.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from . import envelope
from .checks import BatchSize, Choice, Hidden, Integer, Number
from .datasets import (
    _check_seed,
    as_points,
    from_arrays,
    make_dataset,
    make_regression,
    task_of,
    train_test_split,
)
from .features import DEFAULT_FEATURES, check_features, feature_array
from .losses import LOSS_CHECK, LOSSES, _loss_function, bce, hinge, mse
from .regularizers import l2_penalty, sgd_update, sgd_update_values
from .scoring import (  # re-exported: they were all training's once
    _layer_shapes,
    _ordered_parameters,
    _read,
    _score,
    _scores,
    _split_loss_and_accuracy,
    _split_loss_and_r2,
    accuracy,
    data_limits,
    dead_layer,
    decision_grid,
    evaluate,
    forward_numpy,
    layer_weights,
)
from .tensor import Network
from .tensor import dead_layer as _dead_layer
from .tensor import forward as _forward
from .tensor import split_layers as _split_layers

__all__ = [
    "DEFAULT_LEARNING_RATE",
    "DEFAULT_LEARNING_RATES",
    "DEFAULT_SCHEDULE",
    "DIVERGENCE_FACTOR",
    "ENGINES",
    "HISTORY_LIMIT",
    "LOSSES",
    "SCHEDULES",
    "Diverged",
    "TrainingRun",
    "accuracy",
    "bce",
    "build_model",
    "data_limits",
    "dead_layer",
    "decision_grid",
    "evaluate",
    "forward_numpy",
    "hinge",
    "l2_penalty",
    "layer_weights",
    "mse",
    "scheduled_learning_rate",
    "sgd_step",
]

# micrograd's demo: 1.0 decayed linearly to 0.1 over 100 steps. On moons (n=100) with
# MLP(2, [16, 16, 1]) it reaches >= 97% train accuracy within ~25 full-batch steps for every
# seed tried, and stays there; a constant rate oscillates more. bce trains well at it too;
# mse's gradients are larger and it diverges at 1.0 (0.1 works).
DEFAULT_LEARNING_RATE = 1.0
DEFAULT_SCHEDULE = "linear"
# What each loss trains well at on the datasets here (mse's gradient is 2(s - y), and the
# initial scores are several units away from the labels: at 0.3 and above it diverges on moons).
DEFAULT_LEARNING_RATES = {"hinge": 1.0, "bce": 1.0, "mse": 0.1}
# How often (in steps) a TrainingRun checks for a dead ReLU layer (see dead_layer).
DEAD_CHECK_EVERY = 10
DEAD_CHECK_EVERY_NUMPY = 100  # the numpy engine runs ~100x as many steps a second

# A TrainingRun also calls it divergence when the training loss grows this many times above
# its starting value (or above 1): by then the weights are exploding and the curves are useless.
DIVERGENCE_FACTOR = 1e6

ENGINES = ("micrograd", "numpy")
# A history longer than this is thinned: its older half keeps every other entry (the curves keep
# their shape; thousands of steps a second would otherwise grow it without end).
HISTORY_LIMIT = 10_000


class Diverged(ArithmeticError):
    """The loss or the weights became NaN/infinite (or exploded): reset before training on."""

    def __init__(self, message: str, step: int | None = None, loss: float | None = None):
        super().__init__(message)
        self.step = step
        self.loss = loss


# ---------------------------------------------------------------------------------------------
# learning-rate schedules: f(base, k, decay_steps) -> learning rate for the update after k steps


SCHEDULES: dict[str, Callable[[float, int, int], float]] = {
    "constant": lambda base, k, decay_steps: base,
    # micrograd's demo: 1.0 - 0.9 * k / 100, then held at a tenth
    "linear": lambda base, k, decay_steps: base * (1.0 - 0.9 * min(k, decay_steps) / decay_steps),
    # a tenth after decay_steps, and it keeps shrinking
    "exponential": lambda base, k, decay_steps: base * 0.1 ** (k / decay_steps),
}


def scheduled_learning_rate(schedule: str, base: float, k: int, decay_steps: int = 100) -> float:
    """The learning rate for update number k (0-based) under a named schedule."""
    if schedule not in SCHEDULES:
        raise ValueError(
            f"schedule must be one of {', '.join(map(repr, SCHEDULES))}, got {schedule!r}"
        )
    return SCHEDULES[schedule](base, k, decay_steps)


# ---------------------------------------------------------------------------------------------
# one step of stochastic gradient descent


# The math's own bounds (the widget's sliders have narrower ones: trainer_settings.py).
LEARNING_RATE = Number("learning_rate", 0.0, low_open=True)
L2 = Number("l2", 0.0)
L1 = Number("l1", 0.0)
TASKS = ("classification", "regression")
TASK = Choice("task", TASKS)
BATCH_SIZE = BatchSize()
ENGINE = Choice("engine", ENGINES)
SCHEDULE = Choice("schedule", tuple(SCHEDULES))
DECAY_STEPS = Integer("decay_steps", 1)
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid", "linear")  # what nn.MLP builds
ACTIVATION = Choice("activation", ACTIVATION_NAMES)
HIDDEN = Hidden()


def _batch_rows(n: int, batch_size: int | None, rng: np.random.Generator | None) -> Any:
    """The step's points of n: all in order (None or >= n: a slice), else a sample without
    replacement (an index array)."""
    if batch_size is None or batch_size >= n:
        return slice(0, n)
    rng = rng if rng is not None else np.random.default_rng()
    return rng.choice(n, batch_size, replace=False)


def _batch(
    X: np.ndarray, y: np.ndarray, batch_size: int | None, rng: np.random.Generator | None
) -> tuple[np.ndarray, np.ndarray]:
    rows = _batch_rows(len(X), batch_size, rng)
    return X[rows], y[rows]


def sgd_step(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int | None = None,
    learning_rate: float = DEFAULT_LEARNING_RATE,
    loss: str | Callable = "hinge",
    l2: float = 1e-4,
    rng: np.random.Generator | None = None,
    l1: float = 0.0,
) -> dict[str, float]:
    """Forward a minibatch, zero_grad, backward, update: one step of micrograd's demo loop.

    ``batch_size`` None (or >= len(X)) uses every point in order; otherwise a sample without
    replacement drawn with ``rng``. The L2 term ``l2 * sum(p*p)`` is added to the loss value and
    its gradient ``2*l2*p`` to each parameter's grad directly: the same update as building it into
    the graph, without two extra nodes per parameter; ``l1`` shrinks each weight toward 0 by
    ``learning_rate * l1`` after that update, stopping at 0 (regularizers.sgd_update_values; its
    ``l1 * sum|p|`` is added to the loss value). Returns the loss that was minimised (data +
    L2, before the update, as the demo prints it), the data loss, and the minibatch accuracy.
    Raises ``Diverged`` (leaving the weights untouched if the loss is already non-finite).
    """
    batch_size = BATCH_SIZE(batch_size)
    learning_rate = LEARNING_RATE(learning_rate)
    l2, l1 = L2(l2), L1(l1)
    loss_fn = _loss_function(loss)
    Xb, yb = _batch(X, y, batch_size, rng)
    rows, labels = np.asarray(Xb, dtype=np.float64).tolist(), np.asarray(yb).tolist()
    params = model.parameters()

    try:
        scores = [_score(model, row) for row in rows]
        data_loss = loss_fn(scores, labels)
        total = data_loss.data + (l2 * sum(p.data * p.data for p in params) if l2 else 0.0)
        if l1:
            total += l1 * sum(abs(p.data) for p in params)
        if not math.isfinite(total):
            raise Diverged(f"the loss became {total} (learning rate {learning_rate:g})", loss=total)
        model.zero_grad()
        data_loss.backward()
        if l1:
            sgd_update_values(params, learning_rate, l1, l2)
        else:
            for p in params:
                p.data -= learning_rate * (p.grad + 2.0 * l2 * p.data)
    except OverflowError as e:
        raise Diverged(f"a number overflowed ({e}) (learning rate {learning_rate:g})") from e
    if not math.isfinite(sum(p.data for p in params)):
        raise Diverged(f"the weights became infinite or NaN (learning rate {learning_rate:g})")
    correct = sum((yi > 0) == (si.data > 0) for si, yi in zip(scores, labels, strict=True))
    return {"loss": total, "data_loss": data_loss.data, "accuracy": correct / len(labels)}


def numpy_sgd_step(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    learning_rate: float,
    loss: str = "hinge",
    l2: float = 1e-4,
    rows: Any = None,
    of: Any = None,
    l1: float = 0.0,
) -> dict[str, float]:
    """``sgd_step`` on the numpy engine, for a batch already drawn: the same update and result.
    (``rows``/``of``: the batch is ``of[rows]``, see ``Network.gradients``.)

    Raises ``Diverged`` (the weights untouched if the loss is already non-finite).
    """
    yf = y if y.dtype == np.float64 else y.astype(np.float64)
    data_loss, s = net.gradients(X, yf, loss, rows, of)
    flat = net.flat
    total = data_loss + (l2 * float(flat @ flat) if l2 else 0.0)
    if l1:
        total += l1 * float(np.abs(flat).sum())
    if not math.isfinite(total):
        raise Diverged(f"the loss became {total} (learning rate {learning_rate:g})", loss=total)
    with np.errstate(over="ignore", invalid="ignore"):
        if l1:  # in place: each layer's W and b are views of flat
            flat[:] = sgd_update(flat, net.grad, learning_rate, l1, l2)
        elif l2:
            flat -= learning_rate * (net.grad + 2.0 * l2 * flat)
        else:
            flat -= learning_rate * net.grad
    net.changed()
    if not math.isfinite(float(flat.sum())):
        raise Diverged(f"the weights became infinite or NaN (learning rate {learning_rate:g})")
    correct = int(np.count_nonzero((yf > 0) == (s > 0)))
    return {"loss": total, "data_loss": data_loss, "accuracy": correct / len(yf)}


# ---------------------------------------------------------------------------------------------
# a training run: what a widget needs to hold


def build_model(
    hidden: Sequence[int] = (16, 16), activation: str = "relu", seed: int | None = 0, nin: int = 2
) -> Any:
    """``MLP(nin, [*hidden, 1], activation=...)`` initialised from ``random.seed(seed)``.

    Same draws as ``random.seed(seed); MLP(...)`` in the lecture, but the global ``random``
    state is restored afterwards, so building a model does not disturb the user's code.
    """
    from .nn import MLP

    hidden = HIDDEN(list(hidden))
    activation = ACTIVATION(activation)
    seed = _check_seed(seed)
    state = random.getstate()
    try:
        random.seed(seed)
        return MLP(nin, [*hidden, 1], activation=activation)
    finally:
        random.setstate(state)


def _targets(X: Any, y: Any, what: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Points and real-valued targets (regression): finite floats, one target per point."""
    Xa = as_points(X, f"X{what}")
    ya = np.array(y, dtype=np.float64)
    if ya.shape != (len(Xa),) or not (np.all(np.isfinite(Xa)) and np.all(np.isfinite(ya))):
        raise ValueError(
            f"X{what} and y{what} must be finite numbers, shapes (n, 2) and (n,), got "
            f"{Xa.shape} and {ya.shape}"
        )
    return Xa, ya


def _check_test_set(
    X_test: Any, y_test: Any, task: str = "classification"
) -> tuple[np.ndarray, np.ndarray]:
    if X_test is None or len(X_test) == 0:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64 if task != "regression" else float)
    if task == "regression":
        return _targets(X_test, y_test, "_test")
    Xt = np.asarray(X_test, dtype=np.float64)
    yt = np.asarray(y_test)
    if Xt.ndim != 2 or Xt.shape[1] != 2 or not np.all(np.isfinite(Xt)):
        raise ValueError(f"X_test must be finite numbers of shape (m, 2), got shape {Xt.shape}")
    if yt.shape != (len(Xt),) or not np.all(np.isin(yt, (-1, 0, 1))):
        raise ValueError(f"y_test must be {len(Xt)} labels, each -1/+1 (or 0/1)")
    return Xt, np.where(yt > 0, 1, -1).astype(np.int64)


_SAME: Any = object()  # "the current value", for TrainingRun.cost


def _points(n: int, batch_size: int | None) -> int:
    return n if batch_size is None else min(batch_size, n)


class TrainingRun:
    """A model, its data and its history; ``step()`` trains it one SGD update at a time.

    ``learning_rate`` (the schedule's base), ``batch_size`` (None = full batch; larger than the
    training set means full batch), ``l2`` and ``engine`` may change between steps, from any
    thread; each step reads them once and records what it used. Setting ``learning_rate``
    restarts the schedule: the very next step uses exactly the new rate (even if a step was
    under way when it was set), and the decay counts from there. ``step()`` and ``reset()``
    hold ``lock``, so a background thread can call ``step()`` in a loop while another resets.

    ``engine`` "micrograd" trains the model's Values; "numpy" trains the same weights as arrays
    (tensor.Network) and writes them back into the Values whenever ``model`` is read, so the
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

    # -- the knobs that may change mid-run --------------------------------------------------

    @property
    def learning_rate(self) -> float:
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value: float) -> None:
        rate = LEARNING_RATE(value)
        with self._knobs:  # the next step to start reads both together
            self._learning_rate = rate
            self._restart_schedule = True  # it decays from the next step

    @property
    def batch_size(self) -> int | None:
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value: int | None) -> None:
        value = BATCH_SIZE(value)
        if hasattr(self, "_batch_size"):
            self.cost(batch_size=value)
        self._batch_size = value

    @property
    def l2(self) -> float:
        return self._l2

    @l2.setter
    def l2(self, value: float) -> None:
        self._l2 = L2(value)

    @property
    def l1(self) -> float:
        return self._l1

    @l1.setter
    def l1(self, value: float) -> None:
        self._l1 = L1(value)

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
