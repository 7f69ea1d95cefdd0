"""One weight of an MLP by its place: read it, name it, set it (the trainer's weight editing).

A weight is found by ``(layer, neuron, input)``: ``layer`` counts from 0 at the first hidden
layer (the output neuron is layer ``len(hidden)``), ``neuron`` within that layer, and ``input``
the index of the input it multiplies (in layer 0 that input is a feature: x1, x2, x1^2, ...),
or ``"b"`` for the neuron's bias. Setting one writes the model's own ``Value.data``, so the next
score, the neuron's graph and a generated script all see it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Integral, Real

from ..engine import Value
from ..nn import MLP

__all__ = ["describe_weight", "set_weight", "weight_at"]

BIAS = "b"


def weight_at(model: MLP, layer: int, neuron: int, input: int | str) -> Value:
    """The parameter Value at (layer, neuron, input); ``input="b"`` is the bias."""
    if not isinstance(model, MLP):
        raise TypeError(f"model must be a micrograd_widgets.nn.MLP, got {type(model).__name__}")
    layer = _index("layer", layer, len(model.layers))
    neurons = model.layers[layer].neurons
    n = neurons[_index("neuron", neuron, len(neurons), f" in layer {layer}")]
    if input == BIAS:
        return n.b
    if isinstance(input, str):
        raise ValueError(f"input must be an input index or 'b' (the bias), got {input!r}")
    return n.w[_index("input", input, len(n.w), f" of neuron {neuron} in layer {layer}")]


def set_weight(model: MLP, layer: int, neuron: int, input: int | str, value: float) -> float:
    """Set one weight (or bias) to `value` and return what it was."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"value must be a finite number, got {value!r}")
    p = weight_at(model, layer, neuron, input)
    old = float(p.data)
    p.data = float(value)
    return old


def describe_weight(
    model: MLP, layer: int, neuron: int, input: int | str, features: Sequence[str] | None = None
) -> str:
    """The weight in words, for a hover tip: 'layer 0, neuron 3: w1 (from x2) = 0.5312'.

    Inputs of layer 0 are named by `features` (x1, x2, ... by default), later ones by the
    neuron they come from.
    """
    p = weight_at(model, layer, neuron, input)
    place = f"layer {layer}, neuron {neuron}"
    if input == BIAS:
        return f"{place}: bias b = {p.data:.4g}"
    if layer == 0:
        names = list(features) if features is not None else [f"x{i + 1}" for i in range(2)]
        source = names[input] if input < len(names) else f"input {input}"
    else:
        source = f"layer {layer - 1}, neuron {input}"
    return f"{place}: w{input} (from {source}) = {p.data:.4g}"


def _index(name: str, value: object, count: int, where: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value < count:
        raise ValueError(
            f"{name} must be an integer from 0 to {count - 1}{where}, got {value!r}"
        )
    return int(value)
