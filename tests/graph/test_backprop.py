"""record_backward: frames that replay a real backward pass, with the lecture's chain-rule text.

Gradients are checked against each engine's own backward(); explanation numbers against values
worked out by hand or with the math module here, never against output of the code under test.
"""

from __future__ import annotations

import json
import math

import micrograd.engine as mg
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from micrograd_widgets.graph import trace
from micrograd_widgets.graph.backprop import GraphTooBigError, record_backward
from tests.lecture_value import LectureValue, lecture_expression, nodes_of

engine = pytest.importorskip("micrograd_widgets.engine")
Value = engine.Value


# ---- helpers -------------------------------------------------------------------------------------


def same(a, b):
    return a == b or (a != a and b != b)


def fresh_backward_grads(root, nodes):
    for v in nodes:
        v.grad = 0
    root.backward()
    return [v.grad for v in nodes]


def trace_ids(root):
    """Map each reachable node to its trace id, by matching trace's (label, data, op) order."""
    return {n["id"]: n for n in trace(root).nodes}


def frame_of(rec, node_id):
    (frame,) = [f for f in rec.frames if f["node"] == node_id and f["kind"] != "seed"]
    return frame


def id_by_label(root, label):
    (node,) = [n for n in trace(root).nodes if n["label"] == label]
    return node["id"]


def f4(x):
    return f"{x:.4f}"


# ---- random graphs: the same program built with each engine ----------------------------------

BASIC_OPS = ["add", "mul", "pow2", "pow3", "powm1", "neg", "sub", "div", "relu", "addc", "mulc"]
ALL_OPS = BASIC_OPS + ["tanh", "exp", "log", "sigmoid"]


def apply(op, a, b, c):
    if op == "add":
        return a + b
    if op == "mul":
        return a * b
    if op == "pow2":
        return a**2
    if op == "pow3":
        return a**3
    if op == "powm1":
        return a**-1
    if op == "neg":
        return -a
    if op == "sub":
        return a - b
    if op == "div":
        return a / b
    if op == "addc":
        return a + c
    if op == "mulc":
        return a * c
    return getattr(a, op)()  # relu, tanh, exp, log, sigmoid


def build(value_cls, program):
    leaves, steps = program
    pool = [value_cls(x) for x in leaves]
    for op, i, j, c in steps:
        pool.append(apply(op, pool[i % len(pool)], pool[j % len(pool)], c))
    return pool[-1]


def programs(ops):
    floats = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
    step = st.tuples(st.sampled_from(ops), st.integers(0, 50), st.integers(0, 50), floats)
    leaves = st.lists(floats, min_size=1, max_size=5)
    return st.tuples(leaves, st.lists(step, min_size=1, max_size=30))


def check_frames_reproduce_backward(root):
    nodes = nodes_of(root)
    try:
        expected = fresh_backward_grads(root, nodes)
    except (ZeroDivisionError, OverflowError):  # the engine's own backward fails: not our case
        assume(False)
    rec = record_backward(root)
    recorded = [v.grad for v in nodes]
    assert all(same(a, b) for a, b in zip(recorded, expected, strict=True))

    # Replaying only the frames' writes gives the same grads, and each write starts where the
    # previous write to that node left off (that is how += accumulation shows).
    state: dict[str, float] = {}
    for frame in rec.frames:
        for child, before, after in frame["writes"]:
            assert same(float(state.get(child, 0.0)), float(before))
            state[child] = after
    ids = {n["id"] for n in trace(root).nodes}
    assert set(state) == ids
    assert sorted(rec.ids) == sorted(ids)
    # every node gets one frame (plus the seed), in reverse topological order
    assert [f["node"] for f in rec.frames[1:]] == list(reversed(rec.ids))
    return rec, state


def run_program(value_cls, program):
    try:
        root = build(value_cls, program)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        assume(False)
    return root


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(programs(ALL_OPS))
def test_frames_reproduce_backward_this_engine(program):
    root = run_program(Value, program)
    rec, state = check_frames_reproduce_backward(root)
    values = {n["id"]: n for n in trace(root).nodes}
    assert set(values) == set(state)


def backward_visit_order(root):
    """The order the engine's own backward() calls _backward (spied on), as trace ids."""
    graph = trace(root)
    ids = {id(v): node_id for v, node_id in zip(graph.values, graph.ids, strict=True)}
    calls = []
    for v in graph.values:
        real = v._backward

        def spy(v=v, real=real):
            calls.append(ids[id(v)])
            real()

        v._backward = spy
    for v in graph.values:
        v.grad = 0
    root.backward()
    return calls


@SETTINGS
@given(programs(BASIC_OPS))
def test_frames_reproduce_backward_micrograd_010(program):
    root = run_program(mg.Value, program)
    rec, _ = check_frames_reproduce_backward(root)
    assert [f["node"] for f in rec.frames[1:]] == backward_visit_order(root)


@SETTINGS
@given(programs(["add", "mul", "pow2", "pow3", "powm1", "neg", "sub", "div", "addc", "mulc",
                 "tanh", "exp"]))
def test_frames_reproduce_backward_lecture_variant(program):
    root = run_program(LectureValue, program)
    rec, _ = check_frames_reproduce_backward(root)
    assert [f["node"] for f in rec.frames[1:]] == backward_visit_order(root)


# ---- explanation text, one op kind at a time -----------------------------------------------------


@pytest.mark.parametrize("cls", [Value, LectureValue])
def test_mul_and_add_text_match_the_lecture(cls):
    L = lecture_expression(cls)
    rec = record_backward(L)
    # By hand: dL/dd = f = -2, dL/df = d = 4, dL/de = dL/dc = -2 (plus routes it),
    # dL/da = b * dL/de = -3 * -2 = 6, dL/db = a * dL/de = 2 * -2 = -4.
    assert rec.frames[0]["kind"] == "seed"
    assert rec.frames[0]["text"].startswith("L.grad = 1")
    lines = frame_of(rec, id_by_label(L, "L"))["text"].splitlines()
    assert f"d.grad += f.data × L.grad = {f4(-2.0)} × {f4(1.0)} = {f4(-2.0)}" in lines
    assert f"f.grad += d.data × L.grad = {f4(4.0)} × {f4(1.0)} = {f4(4.0)}" in lines
    plus = frame_of(rec, id_by_label(L, "d"))["text"].splitlines()
    lines = plus
    assert f"e.grad += 1 × d.grad = 1 × {f4(-2.0)} = {f4(-2.0)}" in lines
    assert f"c.grad += 1 × d.grad = 1 × {f4(-2.0)} = {f4(-2.0)}" in lines
    lines = frame_of(rec, id_by_label(L, "e"))["text"].splitlines()
    assert "a.grad += b.data × e.grad = -3.0000 × -2.0000 = 6.0000" in lines
    assert "b.grad += a.data × e.grad = 2.0000 × -2.0000 = -4.0000" in lines
    for leaf in "abcf":
        frame = frame_of(rec, id_by_label(L, leaf))
        assert frame["kind"] == "leaf" and frame["writes"] == []
        assert frame["text"].startswith(f"{leaf} is a leaf: nothing to propagate")
    # what the leaves end with, worked out by hand above
    for leaf, grad in {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0}.items():
        text = frame_of(rec, id_by_label(L, leaf))["text"]
        assert text.endswith(f"({leaf}.grad = {f4(grad)} is final)")
    assert plus[0] == "+ routes d.grad = -2.0000 to its inputs unchanged:"


@pytest.mark.parametrize("cls", [Value, LectureValue])
def test_tanh_text_is_one_minus_t_squared(cls):
    x1, w1 = cls(2.0, label="x1"), cls(-3.0, label="w1")
    b = cls(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1w1"
    n = x1w1 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    rec = record_backward(o)
    t = math.tanh(2.0 * -3.0 + 6.8813735870195432)
    (line,) = frame_of(rec, id_by_label(o, "o"))["text"].splitlines()
    assert line == f"n.grad += (1 - o.data²) × o.grad = (1 - {f4(t)}²) × 1.0000 = {f4(1 - t * t)}"
    assert f4(1 - t * t) == "0.5000"


@pytest.mark.parametrize("cls", [Value, mg.Value, LectureValue])
def test_pow_text_is_k_x_to_the_k_minus_1(cls):
    x = cls(3.0)
    x.label = "x"
    y = x**2
    y.label = "y"
    z = y**-1
    z.label = "z"
    rec = record_backward(z)
    g = -1 * 9.0**-2  # dz/dy = -y^-2
    assert frame_of(rec, id_by_label(z, "z"))["text"] == (
        f"y.grad += -1·y.data^-2 × z.grad = -1 × 9.0000^-2 × 1.0000 = {f4(g)}"
    )
    assert frame_of(rec, id_by_label(z, "y"))["text"] == (
        f"x.grad += 2·x.data^1 × y.grad = 2 × 3.0000^1 × {f4(g)} = {f4(2 * 3.0 * g)}"
    )


def test_sin_text_says_cos_of_the_input():
    x = Value(0.5, label="x")
    s = x.sin()
    s.label = "s"
    y = s * 3.0
    y.label = "y"
    rec = record_backward(y)
    assert frame_of(rec, id_by_label(y, "s"))["text"] == (
        f"x.grad += cos(x.data) × s.grad = cos(0.5000) × 3.0000 = {f4(math.cos(0.5) * 3.0)}"
    )
    (forward,) = [f for f in rec.forward if f["node"] == id_by_label(y, "s")]
    assert forward["text"] == f"s = sin(x) = sin(0.5000) = {f4(math.sin(0.5))}"


def test_exp_log_sigmoid_relu_texts():
    x = Value(0.5, label="x")
    e = x.exp()
    e.label = "e"
    lg = e.log()
    lg.label = "l"
    s = lg.sigmoid()
    s.label = "s"
    r = s.relu()
    r.label = "r"
    rec = record_backward(r)
    ex, sg = math.exp(0.5), 1 / (1 + math.exp(-0.5))
    # r = relu(s) with s > 0 passes 1; s = sigmoid(l); l = log(e) = 0.5; e = exp(x)
    assert frame_of(rec, id_by_label(r, "r"))["text"] == (
        "s.grad += (r.data > 0) × r.grad = 1 × 1.0000 = 1.0000"
    )
    ds = sg * (1 - sg)
    assert frame_of(rec, id_by_label(r, "s"))["text"] == (
        f"l.grad += s.data·(1 - s.data) × s.grad = {f4(sg)} × (1 - {f4(sg)}) × 1.0000 = {f4(ds)}"
    )
    assert frame_of(rec, id_by_label(r, "l"))["text"] == (
        f"e.grad += (1 / e.data) × l.grad = (1 / {f4(ex)}) × {f4(ds)} = {f4(ds / ex)}"
    )
    assert frame_of(rec, id_by_label(r, "e"))["text"] == (
        f"x.grad += e.data × e.grad = {f4(ex)} × {f4(ds / ex)} = {f4(ds)}"
    )


def test_relu_of_a_negative_passes_zero():
    x = mg.Value(-1.5)
    r = x.relu()
    rec = record_backward(r)
    x_id = rec.ids[0]
    frame = rec.frames[1]
    assert frame["writes"] == [[x_id, 0.0, 0.0]]
    r_id = rec.ids[1]
    assert frame["text"] == f"{x_id}.grad += ({r_id}.data > 0) × {r_id}.grad = 0 × 1.0000 = 0.0000"


def test_unlabelled_nodes_are_named_by_their_trace_id():
    a, b = mg.Value(2.0), mg.Value(-3.0)
    c = a * b
    rec = record_backward(c)
    ids = {n["data"]: n["id"] for n in trace(c).nodes}
    lines = rec.frames[1]["text"].splitlines()
    a_id, b_id, c_id = ids[2.0], ids[-3.0], ids[-6.0]
    assert f"{a_id}.grad += {b_id}.data × {c_id}.grad = -3.0000 × 1.0000 = -3.0000" in lines
    assert f"{b_id}.grad += {a_id}.data × {c_id}.grad = 2.0000 × 1.0000 = 2.0000" in lines


def test_unknown_op_says_what_happened():
    x = LectureValue(0.5, label="x")
    y = x.cosh()
    y.label = "y"
    rec = record_backward(y)
    assert rec.frames[1]["text"] == f"x.grad went from 0.0000 to {f4(math.sinh(0.5))}"
    assert x.grad == math.sinh(0.5)


def test_familiar_name_with_unfamiliar_math_is_not_explained_wrongly():
    x = LectureValue(2.0, label="x")
    y = LectureValue(math.tanh(2.0), (x,), "tanh", "y")

    def odd_backward():  # claims to be tanh, but passes 3 × grad
        x.grad += 3 * y.grad

    y._backward = odd_backward
    rec = record_backward(y)
    assert rec.frames[1]["text"] == "x.grad went from 0.0000 to 3.0000"


# ---- accumulation ------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [Value, mg.Value, LectureValue])
def test_a_plus_a_routes_twice(cls):
    a = cls(3.0)
    a.label = "a"
    b = a + a
    b.label = "b"
    rec = record_backward(b)
    assert rec.frames[1]["text"].splitlines() == [
        "+ routes b.grad = 1.0000 to each input, and a is both:",
        "a.grad += 2 × b.grad = 2 × 1.0000 = 2.0000",
    ]
    assert a.grad == 2


@pytest.mark.parametrize("cls", [Value, mg.Value, LectureValue])
def test_a_times_a_is_two_a(cls):
    a = cls(3.0)
    a.label = "a"
    b = a * a
    b.label = "b"
    rec = record_backward(b)
    assert rec.frames[1]["text"] == "a.grad += 2 × a.data × b.grad = 2 × 3.0000 × 1.0000 = 6.0000"
    assert a.grad == 6


@pytest.mark.parametrize("cls", [Value, mg.Value, LectureValue])
def test_node_used_twice_accumulates_visibly(cls):
    # The lecture's e = (a + b) * (a * b), a = -2, b = 3. By hand: d = a*b = -6, s = a+b = 1,
    # de/dd = s = 1, de/ds = d = -6; de/da = b*1 + 1*(-6) = -3, de/db = a*1 + (-6) = -8.
    a, b = cls(-2.0), cls(3.0)
    a.label, b.label = "a", "b"
    d = a * b
    d.label = "d"
    s = a + b
    s.label = "s"
    e = s * d
    e.label = "e"
    rec = record_backward(e)
    a_id = id_by_label(e, "a")
    writes = [(f, w) for f in rec.frames for w in f["writes"] if w[0] == a_id]
    assert len(writes) == 2
    (_, first), (second_frame, second) = writes
    assert first[1] == 0 and second[1] == first[2]  # the second += starts from the first
    assert second[2] == -3.0 and a.grad == -3.0
    line = [ln for ln in second_frame["text"].splitlines() if ln.startswith("a.grad")][0]
    delta = second[2] - first[2]
    assert line.endswith(f"(accumulates: {f4(first[2])} + {f4(delta)} = {f4(-3.0)})")


# ---- idempotence, stale grads, the real pass ---------------------------------------------------


@pytest.mark.parametrize("cls", [Value, mg.Value, LectureValue])
def test_recording_twice_does_not_double_grads(cls):
    L = lecture_expression(cls)
    nodes = nodes_of(L)
    expected = fresh_backward_grads(L, nodes)
    L.backward()  # stale grads from an earlier pass: the recorder must start clean
    first = record_backward(L)
    assert [v.grad for v in nodes] == expected
    second = record_backward(L)
    assert [v.grad for v in nodes] == expected
    assert first.frames == second.frames


def test_runs_the_graphs_own_backward_functions():
    x = LectureValue(1.0, label="x")
    y = x * 2.0
    calls = []
    real = y._backward

    def spy():
        calls.append("y")
        real()

    y._backward = spy
    record_backward(y)
    assert calls == ["y"]


def test_ids_are_the_graph_trace_ids():
    L = lecture_expression(Value)
    rec = record_backward(L)
    nodes = trace_ids(L)
    for frame in rec.frames:
        assert frame["node"] in nodes
    for step in rec.forward:
        assert nodes[step["node"]]["data"] == step["value"]
    assert rec.frames[0]["node"] == [n["id"] for n in trace(L).nodes if n["label"] == "L"][0]


# ---- forward frames ------------------------------------------------------------------------------


def test_forward_frames_follow_topological_order_with_values():
    L = lecture_expression(Value)
    rec = record_backward(L)
    seen = set()
    edges = trace(L).edges
    order = [f["node"] for f in rec.forward]
    for node in order:
        assert all(src in seen for src, dst in edges if dst == node)  # children first
        seen.add(node)
    texts = {f["node"]: f["text"] for f in rec.forward}
    assert texts[id_by_label(L, "a")] == "a = 2.0000"
    assert texts[id_by_label(L, "e")] == "e = a × b = 2.0000 × -3.0000 = -6.0000"
    assert texts[id_by_label(L, "d")] == "d = e + c = -6.0000 + 10.0000 = 4.0000"
    assert texts[id_by_label(L, "L")] == "L = d × f = 4.0000 × -2.0000 = -8.0000"


# ---- big graphs -------------------------------------------------------------------------------


def chain(n):
    x = Value(0.5, label="x")
    out = x
    for i in range(n - 1):
        out = out * 1.0001 if i % 2 else out + 0.1
    return x, out


def test_big_graph_is_refused_before_anything_changes():
    x, root = chain(5000)
    x.grad = 7.0
    with pytest.raises(GraphTooBigError, match=r"more than 2,000 nodes.*smaller root"):
        record_backward(root)
    assert x.grad == 7.0  # nothing zeroed, nothing run


def test_deep_graph_needs_no_recursion_and_matches_backward():
    x, root = chain(6000)  # deeper than Python's recursion limit
    rec = record_backward(root, max_nodes=None)
    got = x.grad
    for v in nodes_of(root):
        v.grad = 0
    root.backward()
    assert got == x.grad
    assert len(rec.frames) == len(rec.ids) + 1


def test_frames_stay_small_on_a_60k_node_graph():
    # ~60k nodes: many products summed, like a loss over a dataset
    xs = [Value(i / 1000) for i in range(100)]
    total = Value(0.0)
    for k in range(200):
        for i in range(0, 100, 1):
            total = total + xs[i] * (k % 7 - 3)
    size = len(nodes_of(total))
    assert size > 59_000
    with pytest.raises(GraphTooBigError):
        record_backward(total)
    rec = record_backward(total, max_nodes=None)
    biggest = max(len(json.dumps(f, ensure_ascii=False)) for f in rec.frames)
    assert biggest < 400, biggest
    assert len(json.dumps(rec.frames[5000])) < 400


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="root must be a micrograd-like Value"):
        record_backward(3.0)
    with pytest.raises(ValueError, match="max_nodes must be a positive int or None"):
        record_backward(Value(1.0), max_nodes=0)


def test_single_leaf_root():
    x = Value(4.0, label="x")
    rec = record_backward(x)
    assert [f["kind"] for f in rec.frames] == ["seed", "leaf"]
    assert x.grad == 1


def test_non_finite_numbers_travel_as_json_safe_strings():
    x = Value(0.0, label="x")
    y = x**0.5  # slope at 0 is infinite
    rec = record_backward(y)
    json.dumps(rec.frames, allow_nan=False)
    assert rec.frames[1]["writes"][0][2] == "Infinity"
