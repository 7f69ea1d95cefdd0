"""nn against micrograd 0.1.0: same initialisation, reprs, losses and gradients; groups."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest
from micrograd.engine import Value as MicrogradValue
from micrograd.nn import MLP as MicrogradMLP
from micrograd.nn import Layer as MicrogradLayer
from micrograd.nn import Neuron as MicrogradNeuron

from micrograd_widgets import engine
from micrograd_widgets.engine import Value, name_scope
from micrograd_widgets.nn import MLP, Layer, Module, Neuron
from tests.engine_shape import count_nodes, shape
from tests.torch_or_skip import torch


def build_both(make_ours, make_theirs, seed: int = 1337):
    random.seed(seed)
    ours = make_ours()
    random.seed(seed)
    theirs = make_theirs()
    return ours, theirs


def test_seeded_mlp_initialises_exactly_like_micrograd() -> None:
    ours, theirs = build_both(lambda: MLP(2, [16, 16, 1]), lambda: MicrogradMLP(2, [16, 16, 1]))
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert len(ours.parameters()) == 337
    # and no extra draws: the generator is left in the same state
    random.seed(1337)
    MLP(2, [16, 16, 1])
    after_ours = random.random()
    random.seed(1337)
    MicrogradMLP(2, [16, 16, 1])
    assert after_ours == random.random()


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (lambda: Neuron(3), lambda: MicrogradNeuron(3)),
        (lambda: Neuron(2, nonlin=False), lambda: MicrogradNeuron(2, nonlin=False)),
        (lambda: Layer(3, 2), lambda: MicrogradLayer(3, 2)),
        (lambda: Layer(2, 3, nonlin=False), lambda: MicrogradLayer(2, 3, nonlin=False)),
        (lambda: MLP(2, [16, 16, 1]), lambda: MicrogradMLP(2, [16, 16, 1])),
        (lambda: MLP(3, [4, 4, 1]), lambda: MicrogradMLP(3, [4, 4, 1])),
    ],
)
def test_reprs_and_parameters_match_micrograd(ours, theirs) -> None:
    a, b = build_both(ours, theirs)
    assert repr(a) == repr(b)
    assert [p.data for p in a.parameters()] == [p.data for p in b.parameters()]


def test_activation_choice_and_reprs() -> None:
    m = MLP(2, [4, 4, 1], activation="tanh")
    assert repr(m) == (
        "MLP of [Layer of [TanhNeuron(2), TanhNeuron(2), TanhNeuron(2), TanhNeuron(2)], "
        "Layer of [TanhNeuron(4), TanhNeuron(4), TanhNeuron(4), TanhNeuron(4)], "
        "Layer of [LinearNeuron(4)]]"
    )
    assert repr(Neuron(3, activation="linear")) == "LinearNeuron(3)"
    assert repr(Neuron(3, activation="tanh", nonlin=False)) == "LinearNeuron(3)"
    assert repr(Layer(2, 1, activation="tanh")) == "Layer of [TanhNeuron(2)]"
    assert Neuron(2, activation="linear").nonlin is False


@pytest.mark.parametrize("activation", ["relu", "tanh", "linear"])
def test_forward_and_gradients_match_torch(activation: str) -> None:
    random.seed(7)
    model = MLP(3, [4, 4, 1], activation=activation)
    x = [2.0, 3.0, -1.0]  # plain floats, as in the lecture
    out = model(x)
    out.backward()
    # the same network in torch, from our initial weights
    params = [
        torch.tensor(p.data, dtype=torch.float64, requires_grad=True) for p in model.parameters()
    ]
    act = {"relu": torch.relu, "tanh": torch.tanh, "linear": lambda t: t}[activation]
    it = iter(params)
    h = [torch.tensor(v, dtype=torch.float64) for v in x]
    for li, layer in enumerate(model.layers):
        nxt = []
        for _ in layer.neurons:
            w = [next(it) for _ in h]
            s = next(it)  # the bias comes after the weights in parameters()
            for wi, hi in zip(w, h, strict=True):
                s = s + wi * hi
            nxt.append(act(s) if li < len(model.layers) - 1 else s)
        h = nxt
    h[0].backward()
    assert math.isclose(out.data, h[0].item(), rel_tol=1e-12)
    for p, t in zip(model.parameters(), params, strict=True):
        assert math.isclose(p.grad, t.grad.item(), rel_tol=1e-12, abs_tol=1e-12)


def test_mlp_graph_has_micrograd_shape() -> None:
    ours, theirs = build_both(lambda: MLP(3, [4, 4, 1]), lambda: MicrogradMLP(3, [4, 4, 1]))
    x = [2.0, 3.0, -1.0]
    out_o, out_t = ours(x), theirs(x)
    assert shape(out_o) == shape(out_t) and count_nodes(out_o) == count_nodes(out_t)
    xs = [Value(1.0), Value(-0.5), Value(0.25)]
    xt = [MicrogradValue(1.0), MicrogradValue(-0.5), MicrogradValue(0.25)]
    assert shape(ours(xs)) == shape(theirs(xt))


def test_raw_float_inputs_give_the_same_graph_and_output_as_micrograd() -> None:
    ours, theirs = build_both(lambda: MLP(3, [4, 4, 1]), lambda: MicrogradMLP(3, [4, 4, 1]))
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]

    def loss(model, xs):  # the lecture's first training loop
        ypred = [model(x) for x in xs]
        return sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred, strict=True))

    for _ in range(5):
        lo, lt = loss(ours, xs), loss(theirs, xs)
        assert math.isclose(lo.data, lt.data, rel_tol=1e-12)
        ours.zero_grad()
        theirs.zero_grad()
        lo.backward()
        lt.backward()
        for po, pt in zip(ours.parameters(), theirs.parameters(), strict=True):
            assert math.isclose(po.grad, pt.grad, rel_tol=1e-9, abs_tol=1e-12)
            po.data += -0.05 * po.grad
            pt.data += -0.05 * pt.grad


def moons_data():
    from sklearn.datasets import make_moons

    np.random.seed(1337)
    X, y = make_moons(n_samples=100, noise=0.1)
    return X, y * 2 - 1


def moons_loss(model, X, y, value_type):
    """The lecture's demo loss: SVM max-margin + 1e-4 L2, and the accuracy."""
    inputs = [list(map(value_type, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = 1e-4 * sum(p * p for p in model.parameters())
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores, strict=True)]
    return data_loss + reg_loss, sum(accuracy) / len(accuracy)


def test_lecture_moons_demo_step_by_step_against_micrograd() -> None:
    X, y = moons_data()
    ours, theirs = build_both(lambda: MLP(2, [16, 16, 1]), lambda: MicrogradMLP(2, [16, 16, 1]))
    lecture = [0.8958441028683222, 1.7235905336972022, 0.742900631385113, 0.7705641260584201]
    for k in range(4):
        lo, acc_o = moons_loss(ours, X, y, Value)
        lt, acc_t = moons_loss(theirs, X, y, MicrogradValue)
        if k == 0:
            assert lo.data == 0.8958441028683222 and acc_o == 0.5  # printed in the lecture
        assert math.isclose(lo.data, lecture[k], rel_tol=1e-12)
        assert math.isclose(lo.data, lt.data, rel_tol=1e-12) and acc_o == acc_t
        ours.zero_grad()
        theirs.zero_grad()
        lo.backward()
        lt.backward()
        lr = 1.0 - 0.9 * k / 100
        for po, pt in zip(ours.parameters(), theirs.parameters(), strict=True):
            assert math.isclose(po.grad, pt.grad, rel_tol=1e-9, abs_tol=1e-12)
            po.data -= lr * po.grad
            pt.data -= lr * pt.grad


def test_zero_grad_and_parameters() -> None:
    model = MLP(2, [3, 1])
    model([1.0, -2.0]).backward()
    assert any(p.grad != 0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0 for p in model.parameters())
    assert Module().parameters() == []
    n = Neuron(2)
    assert n.parameters() == [*n.w, n.b]


def test_layer_returns_a_single_value_for_one_neuron() -> None:
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    out = Layer(2, 3)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3


def test_neuron_builds_the_lecture_graph() -> None:
    """b + w0*x0, then + w1*x1, ..., then the activation: each product a node of its own."""
    n = Neuron(2)
    x = [Value(1.5), Value(-2.0)]
    out = n(x)
    assert out._op == "ReLU"
    (s,) = out._prev
    left, w1x1 = s._prev
    b, w0x0 = left._prev
    assert (s._op, left._op, w1x1._op, w0x0._op) == ("+", "+", "*", "*")
    assert b is n.b and w0x0._prev == (n.w[0], x[0]) and w1x1._prev == (n.w[1], x[1])
    assert math.isclose(s.data, n.b.data + n.w[0].data * 1.5 - 2.0 * n.w[1].data, rel_tol=1e-15)


# ---- bad input ----


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: MLP(2, [4, 1], activation="softsign"), ValueError, "activation must be one of"),
        (lambda: Neuron(2, activation="ReLU"), ValueError, "activation must be one of"),
        (lambda: MLP(0, [4, 1]), ValueError, "nin must be a positive int, got 0"),
        (lambda: MLP(2, []), TypeError, "nouts must be a non-empty list"),
        (lambda: MLP(2, 4), TypeError, "nouts must be a non-empty list"),
        (lambda: MLP(2, [4, 0]), ValueError, r"nouts\[i\] must be a positive int, got 0"),
        (lambda: Layer(2, 2.5), ValueError, "nout must be a positive int, got 2.5"),
        (lambda: Neuron(True), ValueError, "nin must be a positive int"),
    ],
)
def test_bad_sizes_and_activations(make, error, message) -> None:
    with pytest.raises(error, match=message):
        make()


def test_bad_mlp_arguments_are_caught_before_any_weight_is_drawn() -> None:
    state = random.getstate()
    for bad in ({"nouts": [4, 0]}, {"activation": "gelu"}):
        with pytest.raises(ValueError):
            MLP(2, **{"nouts": [4, 1], **bad})
    assert random.getstate() == state


def test_wrong_number_of_inputs() -> None:
    with pytest.raises(ValueError, match=r"ReLUNeuron\(3\) takes 3 inputs, got 2"):
        Neuron(3)([1.0, 2.0])
    with pytest.raises(TypeError, match="must be an int or float, got str"):
        Neuron(2)([1.0, "x"])
    assert engine.current_scope() is None  # restored after the error


# ---- groups for the graph widget ----


def test_mlp_groups_parameters_and_computations_by_layer_and_neuron() -> None:
    model = MLP(2, [3, 1])
    x = [Value(0.5), Value(-1.0)]
    out = model(x)
    assert [p.label for p in model.layers[0].neurons[1].parameters()] == ["w0", "w1", "b"]
    for i, layer in enumerate(model.layers):
        for j, n in enumerate(layer.neurons):
            assert {p._group for p in n.parameters()} == {f"layer{i}/neuron{j}"}
    assert out._group == "layer1/neuron0" and out._op == "+"
    hidden = model.layers[0].neurons[2](x)
    assert hidden._group == "layer0/neuron2" and all(
        c._group == "layer0/neuron2" for c in hidden._prev
    )
    assert x[0]._group is None and (out * 2)._group is None
    assert engine.current_scope() is None


def test_groups_of_modules_built_on_their_own_or_in_a_scope() -> None:
    assert Neuron(2).b._group == "neuron"
    layer = Layer(2, 2)
    assert [n.b._group for n in layer.neurons] == ["neuron0", "neuron1"]
    with name_scope("model"):
        model = MLP(2, [2, 1])
    assert model.layers[1].neurons[0].w[0]._group == "model/layer1/neuron0"
    with name_scope("eval"):  # called elsewhere: its nodes still sit with its parameters
        out = model([1.0, 2.0])
        loss = out * out
    assert out._group == "model/layer1/neuron0" and loss._group == "eval"
    floats_in = Neuron(2)([1.0, 2.0])  # plain numbers are wrapped inside the neuron's group
    assert all(leaf._group == "neuron" for leaf in floats_in._prev[0]._prev[1]._prev)


def test_nonlin_can_be_switched_after_construction_like_micrograd() -> None:
    for cls in (Neuron, MicrogradNeuron):
        random.seed(3)
        n = cls(2)
        n.w[0].data, n.w[1].data = -1.0, 0.0
        n.nonlin = False
        assert n([1.0, 1.0]).data == -1.0
        n.nonlin = True
        assert n([1.0, 1.0]).data == 0
    tanh = Neuron(2, activation="tanh")
    tanh.nonlin = False
    tanh.nonlin = True
    assert repr(tanh) == "TanhNeuron(2)"


def test_inputs_may_be_any_iterable_like_micrograd() -> None:
    random.seed(5)
    ours = MLP(2, [3, 1])
    random.seed(5)
    theirs = MicrogradMLP(2, [3, 1])
    assert ours(x for x in (0.5, -1.0)).data == theirs(x for x in (0.5, -1.0)).data
    assert ours(np.array([0.5, -1.0])).data == theirs(np.array([0.5, -1.0])).data


def test_sizes_may_be_numpy_integers() -> None:
    assert len(MLP(np.int64(2), [np.int64(3), 1]).parameters()) == 3 * 3 + 4
