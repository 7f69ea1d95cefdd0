"""A trained MLP as a short, runnable micrograd script: take the result out of the widget.

``mlp_to_code(model, features, activation, points)`` writes a script that imports only
`micrograd_widgets.engine` and `micrograd_widgets.nn`, rebuilds the network with its weights
written in (each float's repr, which reads back as exactly the same float), computes the
features of a point as Values, and prints the network's score for each of the given points:
the same numbers the model gives here, to the last bit.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..nn import ACTIVATIONS, MLP
from .datasets import as_points
from .features import DEFAULT_FEATURES, check_features, feature_code

__all__ = ["mlp_to_code"]

_WIDTH = 99  # the longest line written (ruff's 100 with room)


def mlp_to_code(
    model: MLP,
    features: Iterable[str] = DEFAULT_FEATURES,
    activation: str | None = None,
    points: Any = None,
    comment: str = "",
) -> str:
    """The source of a Python script that rebuilds `model` and prints its score at each point.

    `features` are the names the model's inputs were made from (see `features.FEATURES`);
    `activation` the one its hidden layers were built with (None: read it from the model; a
    neuron whose activation was changed later is set back to it in the script). `points` are
    raw points (x1, x2), shape (n, 2); none gives a script that only rebuilds the model.
    `comment` (e.g. the settings of the run) goes into the script as comment lines.
    """
    names = check_features(features)
    layers = _layers_of(model, len(names))
    if activation is None:
        activation = layers[0][0].activation if len(layers) > 1 else "relu"
    if activation not in ACTIVATIONS:
        raise ValueError(
            f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, got {activation!r}"
        )
    rows = _points(points)
    sizes = [len(layer) for layer in layers]

    lines = [f"# {line}".rstrip() for line in comment.splitlines()]
    lines += [
        f'"""A network trained with micrograd_widgets: MLP({len(names)}, {sizes}), {activation}.',
        "",
        f"Its inputs are the features {', '.join(names)} of a point (x1, x2). Running this",
        "rebuilds it with its trained weights and prints its score at each point below.",
        '"""',
        "",
        "from micrograd_widgets.engine import Value",
        "from micrograd_widgets.nn import MLP",
        "",
        "# the trained parameters: PARAMETERS[layer][neuron] = [w0, w1, ..., b]",
        "PARAMETERS = [",
    ]
    for i, layer in enumerate(layers):
        kind = "linear output" if i == len(layers) - 1 else activation
        plural = "s" if len(layer) > 1 else ""
        lines.append(f"    [  # layer {i}: {len(layer)} {kind} neuron{plural}")
        for neuron in layer:
            lines += _number_list([*(w.data for w in neuron.w), neuron.b.data], indent=8)
        lines.append("    ],")
    lines += [
        "]",
        "",
        f'model = MLP({len(names)}, {sizes}, activation="{activation}")',
        *_activation_fixes(model, activation),
        "for layer, rows in zip(model.layers, PARAMETERS):",
        "    for neuron, row in zip(layer.neurons, rows):",
        "        for p, value in zip(neuron.parameters(), row):",
        "            p.data = value",
        "",
        "",
        "def features(x1, x2):",
        f'    """The network\'s inputs at the point (x1, x2): {", ".join(names)}."""',
        '    x1, x2 = Value(x1, label="x1"), Value(x2, label="x2")',
        f"    return [{', '.join(feature_code(names))}]",
    ]
    if rows:
        lines += ["", "", "POINTS = ["]
        lines += [f"    ({_number(x1)}, {_number(x2)})," for x1, x2 in rows]
        lines += [
            "]",
            "for x1, x2 in POINTS:",
            "    score = model(features(x1, x2))",
            '    print(f"score({x1!r}, {x2!r}) = {score.data!r}")',
        ]
    return "\n".join(lines) + "\n"


def _layers_of(model: object, nin: int) -> list[list[Any]]:
    """The model's neurons, layer by layer, checked to fit the features and to give one score."""
    if not isinstance(model, MLP):
        raise TypeError(f"model must be a micrograd_widgets.nn.MLP, got {type(model).__name__}")
    layers = [list(layer.neurons) for layer in model.layers]
    inputs = len(layers[0][0].w)
    if inputs != nin:
        raise ValueError(
            f"the model reads {inputs} inputs but {nin} features were given; pass the features "
            "it was trained on"
        )
    if len(layers[-1]) != 1:
        raise ValueError(f"the model must output one score per point, it has {len(layers[-1])}")
    return layers


def _activation_fixes(model: MLP, activation: str) -> list[str]:
    """Lines setting each neuron whose activation differs from what MLP(...) gives it."""
    lines = []
    for i, layer in enumerate(model.layers):
        built = "linear" if i == len(model.layers) - 1 else activation
        for j, neuron in enumerate(layer.neurons):
            if neuron.activation not in ACTIVATIONS:
                raise ValueError(
                    f"neuron {j} of layer {i} has activation {neuron.activation!r}; allowed: "
                    + ", ".join(map(repr, ACTIVATIONS))
                )
            if neuron.activation != built:
                lines.append(f'model.layers[{i}].neurons[{j}].activation = "{neuron.activation}"')
    return (["# neurons whose activation was changed after the model was built", *lines]
            if lines else [])


def _points(points: Any) -> list[tuple[float, float]]:
    if points is None:
        return []
    P = as_points(points, "points")
    if not np.all(np.isfinite(P)):
        raise ValueError("points must contain only finite numbers")
    return [(a, b) for a, b in P.tolist()]


def _number(x: float) -> str:
    """Python source for the float x that reads back as exactly x (non-finite ones too)."""
    x = float(x)  # numpy floats' repr is 'np.float64(...)': not for a script without numpy
    return repr(x) if math.isfinite(x) else f"float({str(x)!r})"


def _number_list(values: Iterable[float], indent: int) -> list[str]:
    """A list literal of numbers, one or more lines of at most _WIDTH characters, with a comma."""
    text = ", ".join(_number(v) for v in values)
    wrapped = textwrap.wrap(
        text, width=_WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False
    )
    lines = [" " * (indent + 1) + line for line in wrapped]
    lines[0] = " " * indent + "[" + lines[0][indent + 1 :]
    lines[-1] += "],"
    return lines
