"""The trainer's math, with no widget code: datasets, input features, losses, regularizers,
schedules, one SGD step on each engine (micrograd's Values, or numpy_engine.py's matrices),
scoring, the run (run.py: ``TrainingRun``), its settings (page_settings.py) and their checks
(validators.py, run_arguments.py), the cost envelope, the page's snapshot, the static picture,
the model as code, weights and pens.

Imports graph, nn and engine; never widgets or magic. The names below are the run's vocabulary,
gathered here so that ``from micrograd_widgets.training import TrainingRun, moons`` reads well.
"""

from .datasets import DATASETS, make_dataset, moons
from .losses import LOSSES, bce, hinge, mse
from .regularizers import l2_penalty
from .run import DIVERGENCE_FACTOR, HISTORY_LIMIT, TrainingRun, build_model
from .run_arguments import ACTIVATION_NAMES, ENGINES, TASKS
from .schedules import (
    DEFAULT_LEARNING_RATE,
    DEFAULT_LEARNING_RATES,
    DEFAULT_SCHEDULE,
    SCHEDULES,
    scheduled_learning_rate,
)
from .scoring import (
    accuracy,
    data_limits,
    dead_layer,
    decision_grid,
    evaluate,
    forward_numpy,
    layer_weights,
)
from .sgd import Diverged, numpy_sgd_step, sgd_step

__all__ = [
    "ACTIVATION_NAMES", "DATASETS", "DEFAULT_LEARNING_RATE", "DEFAULT_LEARNING_RATES",
    "DEFAULT_SCHEDULE", "DIVERGENCE_FACTOR", "ENGINES", "HISTORY_LIMIT", "LOSSES", "SCHEDULES",
    "TASKS", "Diverged", "TrainingRun", "accuracy", "bce", "build_model", "data_limits",
    "dead_layer", "decision_grid", "evaluate", "forward_numpy", "hinge", "l2_penalty",
    "layer_weights", "make_dataset", "moons", "mse", "numpy_sgd_step", "scheduled_learning_rate",
    "sgd_step",
]
