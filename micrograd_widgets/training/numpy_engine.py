"""The same MLP math on numpy arrays: forward, backward, grids and the weights' flat layout.

micrograd computes one scalar at a time and builds a graph of every step. Here each layer is a
matrix: ``Z = A @ W.T + b``, ``A = act(Z)``, and backward is the chain rule a layer at a time,
``dZ = dA * act'``, ``dW = dZ.T @ A_prev``, ``db = sum(dZ)``, ``dA_prev = dZ @ W``: the same
numbers (to rounding) as ``Value.backward()`` on the scalar graph, hundreds of times faster.

A network's weights are one flat float64 array in the order of ``MLP.parameters()`` (layer by
layer, neuron by neuron, w0..w_nin-1 then b), with each layer's W and b views into it: reading
the Values is one ``np.fromiter``, writing them back one loop, and an SGD update one vector op.

Knows nothing of Values beyond reading and writing ``.data``, and nothing of widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "LOSS_TERMS",
    "Network",
    "dead_layer",
    "forward",
    "grid_points",
    "hidden_outputs",
    "split_layers",
]

# (W of shape (nout, nin), b of shape (nout,), each neuron's activation)
Layers = list[tuple[np.ndarray, np.ndarray, list[str]]]
Shapes = list[tuple[tuple[int, int], list[str]]]

# name -> (activation, its slope written in terms of its output a)
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], Any]]] = {
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: a > 0),  # the engine's slope at 0 is 0
    "tanh": (np.tanh, lambda a: 1.0 - a * a),
    "sigmoid": (lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)), lambda a: a * (1.0 - a)),
    "linear": (lambda z: z, lambda a: 1.0),
}

# loss name -> (each point's term, its derivative by the score); labels y are -1/+1
LOSS_TERMS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "hinge": (
        lambda s, y: np.maximum(0.0, 1.0 - y * s),
        lambda s, y: np.where(1.0 - y * s > 0, -y, 0.0),
    ),
    "mse": (lambda s, y: (s - y) ** 2, lambda s, y: 2.0 * (s - y)),
    "bce": (  # softplus(-y s) and its slope -y * sigmoid(-y s)
        lambda s, y: np.logaddexp(0.0, -y * s),
        lambda s, y: -y * (0.5 * (1.0 + np.tanh(-0.5 * y * s))),
    ),
}


def _activate(Z: np.ndarray, acts: list[str]) -> np.ndarray:
    first = acts[0]
    if acts.count(first) == len(acts):
        return ACTIVATIONS[first][0](Z)
    return np.column_stack([ACTIVATIONS[a][0](Z[:, j]) for j, a in enumerate(acts)])


def _slope(A: np.ndarray, acts: list[str]) -> Any:
    first = acts[0]
    if acts.count(first) == len(acts):
        return ACTIVATIONS[first][1](A)
    return np.column_stack(
        [np.broadcast_to(ACTIVATIONS[a][1](A[:, j]), len(A)) for j, a in enumerate(acts)]
    )


def split_layers(flat: np.ndarray, shapes: Shapes) -> Layers:
    """Cut the flat parameter array into each layer's W and b (views, not copies)."""
    return [
        (block[:, :-1], block[:, -1], acts)
        for block, (_, acts) in zip(_blocks(flat, shapes), shapes, strict=True)
    ]


# ---------------------------------------------------------------------------------------------
# forward for many points (grids, scoring whole datasets)

# Points per numpy pass. A 100x100 grid in one pass makes megabyte temporaries, and fresh large
# arrays cost page faults: in blocks of 1024 rows the grid takes about a third of the time. And
# OpenBLAS runs a product of m x k by k x n on several threads once m*n*k reaches 262,144: on a
# busy machine those threads wait for cores (a 6 x 32 network's grid took 0.4 s instead of
# 20 ms), so blocks stay below that for the widest layer.
BLOCK = 1024
_SINGLE_THREAD = 250_000


def forward(layers: Layers, points: Any) -> np.ndarray:
    """Scores of the network for many points: shape (m, nin) -> (m,), float64."""
    A = np.asarray(points, dtype=np.float64)
    nin = layers[0][0].shape[1]
    if A.ndim != 2 or A.shape[1] != nin:
        raise ValueError(f"points must have shape (m, {nin}), got shape {A.shape}")
    if layers[-1][0].shape[0] != 1:
        raise ValueError(
            f"the model must end in one neuron (a score), it has {layers[-1][0].shape[0]}"
        )
    block = min(BLOCK, max(16, _SINGLE_THREAD // max(W.size for W, _, _ in layers)))
    if len(A) <= block:
        return _forward_block(layers, A)
    out = np.empty(len(A))
    for start in range(0, len(A), block):
        out[start : start + block] = _forward_block(layers, A[start : start + block])
    return out


def _forward_block(layers: Layers, A: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b, acts in layers:
            Z = A @ W.T
            Z += b
            A = _activate(Z, acts)
    return A[:, 0]


def hidden_outputs(layers: Layers, points: Any) -> list[np.ndarray]:
    """Every hidden layer's activations for many points: one (m, nout) array per hidden layer
    (what each neuron computes, for its thumbnail map)."""
    A = np.asarray(points, dtype=np.float64)
    outs = []
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b, acts in layers[:-1]:
            Z = A @ W.T
            Z += b
            A = _activate(Z, acts)
            outs.append(A)
    return outs


def grid_points(
    xlim: tuple[float, float], ylim: tuple[float, float], resolution: int
) -> np.ndarray:
    """(resolution^2, 2) points of a grid, row by row from the bottom (y = ylim[0]) up."""
    gx, gy = np.meshgrid(
        np.linspace(xlim[0], xlim[1], resolution), np.linspace(ylim[0], ylim[1], resolution)
    )
    return np.column_stack([gx.ravel(), gy.ravel()])


def dead_layer(layers: Layers, X: Any) -> int | None:
    """The first hidden layer whose every neuron outputs exactly 0 on every point, if any."""
    A = np.asarray(X, dtype=np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        for k, (W, b, acts) in enumerate(layers[:-1]):
            A = _activate(A @ W.T + b, acts)
            if not A.any():
                return k
    return None


# ---------------------------------------------------------------------------------------------
# a network to train: the weights as arrays


class Network:
    """An MLP's weights as one flat array (``flat``), with per-layer views (``layers``).

    ``gradients(X, y, loss)`` is forward + backward for a batch; ``flat`` is what an SGD update
    changes. ``read(params)`` / ``write(params)`` copy from / into the model's Values, in the
    order of ``MLP.parameters()``.

    Each layer's block of ``flat`` is ``[W | b]`` (nout x (nin + 1)), so with a column of ones
    after its inputs a layer is one product, ``Z = [A | 1] @ block.T``, and its gradient one
    more, ``d[W | b] = dZ.T @ [A | 1]``: few numpy calls a step, which is what a step of a small
    network costs. The ``[A | 1]`` arrays are kept per batch size and reused.
    """

    def __init__(self, flat: np.ndarray, shapes: Shapes):
        self.flat = np.array(flat, dtype=np.float64)
        self.shapes = shapes
        self.layers = split_layers(self.flat, shapes)
        self.grad = np.zeros_like(self.flat)
        self._blocks = _blocks(self.flat, shapes)
        self._grad_blocks = _blocks(self.grad, shapes)
        # per layer: (activation, slope) when all its neurons share one, else its names
        self._acts = [
            ACTIVATIONS[acts[0]] if acts.count(acts[0]) == len(acts) else acts
            for _, acts in shapes
        ]
        self._inputs: dict[int, list[np.ndarray]] = {}
        self._scored: tuple | None = None  # (X, layer inputs, output) of the last scores()

    def changed(self) -> None:
        """The weights in ``flat`` changed: what ``scores`` kept no longer holds."""
        self._scored = None

    def read(self, params: Sequence[Any]) -> None:
        """Take the weights from the Values (someone may have changed them)."""
        self.flat[:] = np.fromiter((p.data for p in params), np.float64, len(params))
        self.changed()

    def write(self, params: Sequence[Any]) -> None:
        """Put the weights into the Values, so the model is the one trained here."""
        for p, v in zip(params, self.flat.tolist(), strict=True):
            p.data = v

    def _buffers(self, m: int) -> list[np.ndarray]:
        """Each layer's input with a column of ones, for a batch of m points."""
        bufs = self._inputs.get(m)
        if bufs is None:
            if len(self._inputs) > 8:
                self._inputs.clear()
            bufs = self._inputs[m] = [np.ones((m, nin + 1)) for (_, nin), _ in self.shapes]
        return bufs

    def _forward(self, X: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """Every layer's input (with its ones) and the last layer's output, for X."""
        bufs = self._buffers(len(X))
        bufs[0][:, :-1] = X
        last = len(self._blocks) - 1
        for k, block in enumerate(self._blocks):
            Z = bufs[k] @ block.T
            act = self._acts[k]
            if k == last:
                out = act[0](Z) if isinstance(act, tuple) else _activate(Z, act)
            elif isinstance(act, tuple):
                bufs[k + 1][:, :-1] = act[0](Z)
            else:
                bufs[k + 1][:, :-1] = _activate(Z, act)
        return bufs, out

    def scores(self, X: np.ndarray) -> np.ndarray:
        """The network's score for each point of X (m, nin) -> (m,). Every layer's values are
        kept until the weights change: ``gradients(..., rows=...)`` of points of this X starts
        from them instead of a forward pass of its own."""
        self._scored = None
        if len(X) > BLOCK:
            return forward(self.layers, X)
        with np.errstate(over="ignore", invalid="ignore"):
            bufs, out = self._forward(X)
        self._scored = (X, bufs, out)
        return out[:, 0].copy()

    def gradients(
        self, X: np.ndarray, y: np.ndarray, loss: str, rows: Any = None, of: Any = None
    ) -> tuple[float, np.ndarray]:
        """Forward and backward on a batch: returns (mean data loss, scores) and leaves
        d(loss)/d(parameter) in ``grad`` (the same layout as ``flat``). If the batch is
        ``of[rows]`` and the last ``scores(of)`` had these weights, its layers' values are used
        (the same numbers, one forward pass fewer)."""
        terms, dterms = LOSS_TERMS[loss]
        with np.errstate(over="ignore", invalid="ignore"):
            scored = self._scored
            if rows is not None and scored is not None and scored[0] is of:
                bufs = [b[rows] for b in scored[1]]
                out = scored[2][rows]
            else:
                bufs, out = self._forward(X)
            s = out[:, 0]
            m = len(s)
            data_loss = float(terms(s, y).sum() / m)
            G = (dterms(s, y) / m)[:, None]  # d(loss)/d(output of the last layer)
            for k in range(len(self._blocks) - 1, -1, -1):
                act = self._acts[k]
                A = out if k == len(self._blocks) - 1 else bufs[k + 1][:, :-1]
                dZ = G * (act[1](A) if isinstance(act, tuple) else _slope(A, act))
                np.matmul(dZ.T, bufs[k], out=self._grad_blocks[k])
                if k:
                    G = dZ @ self._blocks[k][:, :-1]
        return data_loss, s.copy()


def _blocks(flat: np.ndarray, shapes: Shapes) -> list[np.ndarray]:
    """Each layer's [W | b] block of the flat array (views)."""
    out, at = [], 0
    for (nout, nin), _ in shapes:
        out.append(flat[at : at + nout * (nin + 1)].reshape(nout, nin + 1))
        at += nout * (nin + 1)
    return out
