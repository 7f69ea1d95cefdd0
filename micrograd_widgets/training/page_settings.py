"""The trainer's settings as the page offers them: what each allows, and the page's config.

One table (``SETTINGS``) of checks (validators.py): TrainerWidget's typed traits validate with them,
so its constructor, a setting changed later from Python and one changed from the page all take
the same path; ``config()`` sends the same lists and bounds to the page, which takes every
choice and limit from it. The math's own, wider bounds are TrainingRun's (run_arguments.py,
re-exported by run.py).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Any

from .datasets import DATASETS, REGRESSION_DATASETS, TASKS
from .features import FEATURES, check_features
from .losses import LOSSES
from .run_arguments import ACTIVATION_NAMES, ENGINES
from .schedules import DEFAULT_LEARNING_RATES, SCHEDULES
from .validators import BatchSize, Choice, Choices, Hidden, Integer, Number

__all__ = [
    "CONTROLS", "CUSTOM", "PRESENTATION_HIDES", "SETTINGS", "arguments", "check", "config",
    "unknown_keywords",
]

CUSTOM = "custom"  # the dataset name of the user's own (X, y)
UPDATE_RATE = 20.0  # page updates per second, at most, while training
MAX_HIDDEN_LAYERS = 6
MAX_NEURONS = 32
# Controls the page can hide (presentation mode hides PRESENTATION_HIDES unless told otherwise).
CONTROLS = (
    "dataset", "noise", "size", "split", "layers", "activation", "loss", "l2", "schedule",
    "learning_rate", "batch_size", "network", "curves", "engine", "features", "l1", "show_test",
    "discretize", "pens",
)
PRESENTATION_HIDES = ("size", "split", "l2", "l1", "schedule", "loss")
# the page's L2 and L1 menus (any number in range is ok from Python): TF Playground's rates up to
# 10, and the small ones micrograd's demo uses
L2_CHOICES = (0.0, 1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
L1_CHOICES = (0.0, 1e-4, 1e-3, 3e-3, 1e-2, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# The page's sliders: a part of each setting's range (the constructor takes all of it).
SLIDERS = {
    "n": {"min": 20, "max": 1000, "step": 10},
    "noise": {"min": 0.0, "max": 1.0, "step": 0.05},
    "test_fraction": {"min": 0.0, "max": 0.8, "step": 0.05},
    "learning_rate": {"min": 1e-4, "max": 10.0},  # log scale
}

# The constructor's arguments.
ARGUMENTS = (
    "dataset", "hidden", "activation", "loss", "learning_rate", "batch_size", "l2", "seed", "n",
    "noise", "test_fraction", "schedule", "engine", "X", "y", "presentation", "hide", "resolution",
    "features", "l1",
)
# Changing one of these starts a new model (the Playground's rule); the status names it so.
RESETTING = {
    "dataset": "dataset", "n": "size", "noise": "noise", "test_fraction": "train/test split",
    "hidden": "network shape", "activation": "activation", "loss": "loss", "l2": "L2",
    "l1": "L1", "schedule": "schedule", "seed": "seed", "features": "input features",
}
KNOBS = ("learning_rate", "batch_size", "engine")  # these apply from the next step

SETTINGS: dict[str, Any] = {
    # + CUSTOM when X, y were given; plane and gauss are regression (trained with mse)
    "dataset": Choice("dataset", (*DATASETS, *REGRESSION_DATASETS)),
    "n": Integer("n", 4, 2000),
    "noise": Number("noise", 0.0, 2.0),
    "test_fraction": Number("test_fraction", 0.0, 0.9),
    "hidden": Hidden("hidden", MAX_HIDDEN_LAYERS, MAX_NEURONS),
    "activation": Choice("activation", ACTIVATION_NAMES),
    "loss": Choice("loss", tuple(LOSSES)),
    "l2": Number("l2", 0.0, 10.0),
    "l1": Number("l1", 0.0, 10.0),
    "features": lambda value: list(check_features(value)),  # in FEATURES order
    "schedule": Choice("schedule", tuple(SCHEDULES)),
    "seed": Integer("seed", 0, 2**32 - 1),
    "learning_rate": Number("learning_rate", 0.0, 100.0, low_open=True),
    "batch_size": BatchSize(),
    "engine": Choice("engine", ENGINES),
    "hide": Choices("hide", CONTROLS),
    "resolution": Integer("resolution", 10, 400),
}


def config() -> dict[str, Any]:
    """What the page needs to build its controls (the interface's ``config`` trait)."""
    s = SETTINGS
    return {
        "datasets": list(s["dataset"].options),
        "custom": CUSTOM,
        "activations": list(s["activation"].options),
        "losses": list(s["loss"].options),
        "engines": list(s["engine"].options),
        "schedules": list(s["schedule"].options),
        "controls": list(CONTROLS),
        "presentation_hides": list(PRESENTATION_HIDES),
        "l2_choices": list(L2_CHOICES),
        "l1_choices": list(L1_CHOICES),
        "features": list(FEATURES),
        "tasks": dict(TASKS),
        "default_learning_rates": dict(DEFAULT_LEARNING_RATES),
        "limits": {
            "max_layers": s["hidden"].max_layers,
            "max_neurons": s["hidden"].max_neurons,
            "n_min": s["n"].low,
            "n_max": s["n"].high,
            "noise_max": s["noise"].high,
            "batch_max": s["n"].high,
            "learning_rate_min": s["learning_rate"].low,  # exclusive: a rate is > 0
            "learning_rate_max": s["learning_rate"].high,
            "l2_max": s["l2"].high,
            "l1_max": s["l1"].high,
            "test_fraction_min": s["test_fraction"].low,
            "test_fraction_max": s["test_fraction"].high,
            "resolution_min": s["resolution"].low,
            "resolution_max": s["resolution"].high,
            "updates_per_second": UPDATE_RATE,
        },
        "sliders": {name: dict(v) for name, v in SLIDERS.items()},
    }


def check(name: str, value: Any, has_custom: bool = False) -> Any:
    """The one check of a widget setting; 'custom' is a dataset once X and y were given."""
    if name == "dataset" and value == CUSTOM and has_custom:
        return CUSTOM
    return SETTINGS[name](value)


def rate_for_loss(rate: float, old_loss: str, new_loss: str) -> float:
    """The learning rate after a change of loss: the new loss's usual rate if the rate was the
    old one's usual, else the rate the user chose."""
    if old_loss in DEFAULT_LEARNING_RATES and rate == DEFAULT_LEARNING_RATES[old_loss]:
        return DEFAULT_LEARNING_RATES.get(new_loss, rate)
    return rate


def default_noise(dataset: str) -> float:
    if dataset == CUSTOM:
        return 0.0
    make = DATASETS.get(dataset) or REGRESSION_DATASETS[dataset]
    return float(make.__defaults__[1])  # (n, noise, seed, ...) in datasets.py


def arguments(args: dict[str, Any], has_custom: bool) -> dict[str, Any]:
    """TrainerWidget's arguments, completed and checked: your own points make the dataset
    'custom', a missing learning rate is the loss's usual one, a missing noise the dataset's,
    and presentation mode hides PRESENTATION_HIDES unless ``hide`` says otherwise."""
    a = dict(args)
    if has_custom and a["dataset"] == "moons":
        a["dataset"] = CUSTOM
    if a["dataset"] == CUSTOM and not has_custom:
        raise ValueError("dataset 'custom' needs your own points: pass X and y too")
    presentation = a.pop("presentation")
    if not isinstance(presentation, bool):
        raise ValueError(f"presentation must be True or False, got {presentation!r}")
    loss, dataset = check("loss", a["loss"]), check("dataset", a["dataset"], has_custom)
    if TASKS.get(dataset) == "regression":
        a["loss"] = loss = "mse"  # what a regression set trains with
    if a["learning_rate"] is None:
        a["learning_rate"] = DEFAULT_LEARNING_RATES[loss]
    if a["hide"] is None:
        a["hide"] = PRESENTATION_HIDES if presentation else ()
    if a["noise"] is None:
        a["noise"] = default_noise(dataset)
    return {
        **{name: check(name, value, has_custom) for name, value in a.items()},
        "presentation": presentation,
    }


def unknown_keywords(kwargs: dict[str, Any], known: Sequence[str]) -> None:
    """A TypeError for a keyword that is not a setting or widget trait (with a suggestion):
    a misspelt setting must not vanish."""
    for name in kwargs:
        if name.startswith("_") or name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise TypeError(f"TrainerWidget got an unexpected keyword argument {name!r}{hint}")
