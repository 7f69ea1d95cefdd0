"""mlp_to_code: the script, run in a fresh interpreter, prints the model's own scores."""

from __future__ import annotations

import ast
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from micrograd_widgets.nn import MLP
from micrograd_widgets.training.codegen import mlp_to_code
from micrograd_widgets.training.datasets import moons
from micrograd_widgets.training.features import FEATURES, feature_array, feature_values
from micrograd_widgets.training.regularizers import sgd_update_values

TREE = Path(__file__).resolve().parents[2]


def run_script(code: str, tmp_path: Path) -> list[tuple[float, float, float]]:
    """Run the script with a fresh python (this tree's package on the path); parse its scores."""
    script = tmp_path / "network.py"
    script.write_text(code)
    env = {**os.environ, "PYTHONPATH": str(TREE)}
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    rows = []
    for line in done.stdout.splitlines():
        call, score = line.split(" = ")
        x1, x2 = call.removeprefix("score(").removesuffix(")").split(", ")
        rows.append((float(x1), float(x2), float(score)))
    return rows


def scores_here(model: MLP, features, points) -> list[float]:
    return [model(feature_values(p, features)).data for p in np.asarray(points).tolist()]


def trained_model(features, hidden, activation, steps=15, seed=0) -> tuple[MLP, np.ndarray]:
    """A small network trained a little on moons (weights no longer round numbers)."""
    X, y = moons(n=24, seed=seed)
    random.seed(seed)
    model = MLP(len(features), [*hidden, 1], activation=activation)
    for _ in range(steps):
        scores = [model(feature_values(p, features)) for p in X.tolist()]
        margins = [(1 + -yi * si).relu() for si, yi in zip(scores, y.tolist(), strict=True)]
        loss = sum(margins) * (1 / len(X))
        model.zero_grad()
        loss.backward()
        sgd_update_values(model.parameters(), 0.3, 0.0, 1e-4)
    return model, X


def test_the_script_prints_the_trained_models_scores(tmp_path):
    features = FEATURES  # every feature, sin included
    model, X = trained_model(features, (6, 4), "tanh")
    points = X[:10]
    code = mlp_to_code(model, features, "tanh", points)
    printed = run_script(code, tmp_path)
    expected = scores_here(model, features, points)
    assert [[a, b] for a, b, _ in printed] == points.tolist()
    got = [s for _, _, s in printed]
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert got == expected  # in fact bit for bit: every weight's repr reads back exactly


def test_the_script_prints_what_the_numpy_forward_scores_on_the_features(tmp_path):
    # the trainer scores (map, metrics) with numpy on the feature columns: the same numbers
    from micrograd_widgets.training import forward_numpy

    features = ("x1", "x2", "x1^2", "x1*x2", "sin(x2)")
    model, X = trained_model(features, (5, 5), "relu", steps=8, seed=2)
    printed = run_script(mlp_to_code(model, features, "relu", X[:8]), tmp_path)
    numpy_scores = forward_numpy(model, feature_array(X[:8], features))
    np.testing.assert_allclose([s for _, _, s in printed], numpy_scores, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "features, hidden, activation",
    [
        (("x1", "x2"), (8, 8), "relu"),
        (("x1^2", "x2^2", "x1*x2"), (5,), "linear"),
        (("x2",), (), "relu"),
    ],
)
def test_other_networks_and_features(tmp_path, features, hidden, activation):
    model, X = trained_model(features, hidden, activation, steps=5, seed=1)
    printed = run_script(mlp_to_code(model, features, activation, X[:6]), tmp_path)
    assert [s for _, _, s in printed] == pytest.approx(
        scores_here(model, features, X[:6]), rel=1e-12, abs=1e-12
    )


def test_awkward_floats_and_numpy_weights_read_back_exactly(tmp_path):
    random.seed(2)
    model = MLP(2, [3, 1])
    awkward = [1 / 3, -0.0, 5e-324, 1e-300, -123456789.123456789, 2.0**-1074 * 3]
    for p, w in zip(model.parameters(), awkward * 3, strict=False):
        p.data = np.float64(w)  # what a numpy engine may write back into Value.data
    code = mlp_to_code(model, ("x1", "x2"), points=[[0.25, -0.5]])
    assert "np.float64" not in code
    namespace: dict = {}
    exec(compile(code.replace("print(", "(lambda *a: None)("), "<script>", "exec"), namespace)
    rebuilt = namespace["model"]
    assert [p.data for p in rebuilt.parameters()] == [float(p.data) for p in model.parameters()]
    (row,) = run_script(code, tmp_path)
    assert row[2] == scores_here(model, ("x1", "x2"), [[0.25, -0.5]])[0]


def test_a_non_finite_weight_is_written_as_float_nan(tmp_path):
    random.seed(3)
    model = MLP(2, [2, 1])
    model.layers[0].neurons[0].w[0].data = math.nan
    model.layers[1].neurons[0].b.data = -math.inf
    code = mlp_to_code(model, ("x1", "x2"), points=[[0.5, 0.5]])
    assert "float('nan')" in code and "float('-inf')" in code
    (row,) = run_script(code, tmp_path)
    assert math.isnan(row[2]) or row[2] == -math.inf


def test_a_neuron_switched_to_another_activation_stays_switched(tmp_path):
    model, X = trained_model(("x1", "x2"), (4, 3), "relu", steps=3)
    model.layers[0].neurons[2].activation = "tanh"
    model.layers[1].neurons[0].nonlin = False  # micrograd's switch: linear
    code = mlp_to_code(model, ("x1", "x2"), None, X[:5])  # activation read from the model
    assert 'activation="relu"' in code
    printed = run_script(code, tmp_path)
    assert [s for _, _, s in printed] == scores_here(model, ("x1", "x2"), X[:5])


def test_the_script_imports_only_the_engine_and_nn_and_is_short_and_tidy():
    model, X = trained_model(("x1", "x2", "sin(x2)"), (16, 16), "relu", steps=1)
    code = mlp_to_code(model, ("x1", "x2", "sin(x2)"), "relu", X[:3], comment="moons, seed 0")
    tree = ast.parse(code)
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert imported == {"micrograd_widgets.engine", "micrograd_widgets.nn"}
    assert max(len(line) for line in code.splitlines()) <= 100
    assert code.startswith("# moons, seed 0\n")
    # 337 parameters: about four to a line, and a screenful of code around them
    assert len(code.splitlines()) < 40 + len(model.parameters()) / 3


def test_without_points_the_script_only_rebuilds_the_model(tmp_path):
    model, _ = trained_model(("x1", "x2"), (3,), "tanh", steps=1)
    assert run_script(mlp_to_code(model, ("x1", "x2")), tmp_path) == []


def test_a_comment_cannot_break_out_into_code(tmp_path):
    model, _ = trained_model(("x1", "x2"), (2,), "relu", steps=1)
    sneaky = 'ok\nimport sys; sys.exit(3)\r"""\nprint("hi")\u2028raise SystemExit(4)'
    code = mlp_to_code(model, ("x1", "x2"), points=[[0.0, 0.0]], comment=sneaky)
    assert len(run_script(code, tmp_path)) == 1  # it ran to the end and printed one score
    head = code.split('"""')[0].splitlines()
    assert all(line.startswith("#") for line in head)


@pytest.mark.parametrize(
    "kwargs, error, words",
    [
        ({"features": ("x1", "x2", "x1^2")}, ValueError, "reads 2 inputs but 3 features"),
        ({"features": ("x1", "x3")}, ValueError, "unknown feature 'x3'"),
        ({"activation": "sigmoidal"}, ValueError, "activation must be one of 'relu'"),
        ({"points": [1.0, 2.0]}, ValueError, "points must have shape (n, 2)"),
        ({"points": [[1.0, "a"]]}, ValueError, "points must be numeric"),
        ({"points": [[1.0, math.nan]]}, ValueError, "finite"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs, error, words):
    random.seed(0)
    model = MLP(2, [3, 1])
    args = {"features": ("x1", "x2"), **kwargs}
    with pytest.raises(error) as info:
        mlp_to_code(model, **args)
    assert words in str(info.value)


def test_only_an_mlp_with_one_output():
    with pytest.raises(TypeError, match="model must be a micrograd_widgets.nn.MLP"):
        mlp_to_code(object(), ("x1", "x2"))
    with pytest.raises(ValueError, match="one score per point"):
        mlp_to_code(MLP(2, [3, 2]), ("x1", "x2"))
    model = MLP(2, [3, 1])
    model.layers[0].neurons[1].activation = "gelu"
    with pytest.raises(ValueError, match="neuron 1 of layer 0 has activation 'gelu'"):
        mlp_to_code(model, ("x1", "x2"))
