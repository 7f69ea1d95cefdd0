"""TrainerWidget's engines and safe envelope, headless: the engine switch while playing, the
config the page builds its controls from, settings refused for their cost (from Python and from
the page, and "use numpy" applying them), every slider/constructor extreme, and a learning rate
set while playing being the very next step's rate."""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest

from micrograd_widgets.training import LOSSES, SCHEDULES
from micrograd_widgets.training.datasets import DATASETS
from micrograd_widgets.training.envelope import MAX_SECONDS, TooCostly, micrograd_cost
from micrograd_widgets.widgets.trainer import TrainerWidget
from tests.trainer_threads import no_thread_leak, trainer_threads, wait_for  # noqa: F401

# ---------------------------------------------------------------------------------------------
# the learning rate set while playing


def test_a_rate_set_while_playing_is_the_rate_of_the_very_next_step():
    # the linear schedule decays every step: a rate set while a step is under way must not
    # lose a decay step before it is used (0.0123 became 0.0121893)
    w = TrainerWidget(batch_size=8, seed=1)
    for rate in (0.0123, 0.0234, 0.0345):
        w.play()
        wait_for(lambda: w.run.steps >= 3)
        set_at = w.run.steps
        w.learning_rate = rate  # as the page's slider does, from the kernel's thread
        wait_for(lambda at=set_at: w.run.steps >= at + 4)
        w.pause()
        after = [h["learning_rate"] for h in w.history[set_at:]]
        used = [r for r in after if abs(r - rate) <= 0.1 * rate]
        assert used[0] == rate, after[:4]
        assert used[1] == pytest.approx(rate * (1 - 0.9 / 100), rel=1e-12)
        assert len(after) - len(used) <= 1  # at most the step under way used the old rate
    w.close()


# ---------------------------------------------------------------------------------------------
# engines


def test_engine_switch_while_playing_keeps_the_weights_and_the_count():
    w = TrainerWidget(batch_size=10, learning_rate=0.1, schedule="constant")
    assert w.engine == "micrograd"
    w.play()
    wait_for(lambda: w.run.steps >= 5)
    w.engine = "numpy"
    switched = w.run.steps
    assert w.is_playing and "numpy engine" in w.status
    wait_for(lambda: w.run.steps >= switched + 500)  # hundreds of steps a second now
    w.engine = "micrograd"
    back = w.run.steps
    wait_for(lambda: w.run.steps >= back + 3)
    w.pause()
    steps = [h["step"] for h in w.history]
    assert steps == list(range(1, w.run.steps + 1))  # one count, never restarted
    assert w.step_count == w.run.steps and w.run.engine == "micrograd"
    # the model read now is the trained one: its scores give the history's last accuracy
    scores = np.array([w.model(list(map(float, r))).data for r in w.X])
    assert np.mean((scores > 0) == (w.y > 0)) == pytest.approx(w.history[-1]["accuracy"])
    w.close()


def test_the_speed_is_published_in_steps_and_epochs():
    w = TrainerWidget(batch_size=10, engine="numpy", learning_rate=0.1)
    w.play()
    wait_for(lambda: w.steps_per_second > 0 and w.step_count > 200)
    with w._sync_lock:  # one publication sets both
        steps, epochs = w.steps_per_second, w.epochs_per_second
    w.pause()
    # epochs per second: steps per second x 10 points a step / 80 training points
    assert epochs == pytest.approx(steps * 10 / 80, rel=0.02, abs=0.2) and steps > 50
    wait_for(lambda: not w.playing)
    assert w.steps_per_second == 0.0 and w.epochs_per_second == 0.0  # idle: 0, as agreed
    w.close()


def test_a_clicked_neuron_in_numpy_mode_shows_the_current_weights():
    w = TrainerWidget(engine="numpy", hidden=(4,))
    w.step(30)
    data = w.neuron_graph_data(0, 1, (0.5, -0.5))
    W = w.run.weights()[0][0]
    by_label = dict(zip(data["label"], data["data"], strict=True))
    assert by_label["w0"] == pytest.approx(W[1, 0], abs=1e-12)
    assert by_label["w1"] == pytest.approx(W[1, 1], abs=1e-12)
    w.close()


def test_config_is_built_from_the_lists_python_validates_against():
    w = TrainerWidget(engine="numpy")
    c = w.config
    # issue 13: the regression sets and sigmoid join the lists
    assert c["datasets"] == [*DATASETS, "plane", "gauss"] and c["losses"] == list(LOSSES)
    assert c["schedules"] == list(SCHEDULES) and c["engines"] == ["micrograd", "numpy"]
    assert c["activations"] == ["relu", "tanh", "sigmoid", "linear"]
    limits = c["limits"]
    # each limit is what the setting accepts, and one past it is refused
    w.n = limits["n_max"]
    with pytest.raises(ValueError, match="n must"):
        w.n = limits["n_max"] + 1
    with pytest.raises(ValueError, match="hidden must"):
        TrainerWidget(hidden=[limits["max_neurons"] + 1])
    with pytest.raises(ValueError, match="hidden must"):
        TrainerWidget(hidden=[1] * (limits["max_layers"] + 1))
    with pytest.raises(ValueError, match="noise"):
        w.noise = limits["noise_max"] * 1.01
    with pytest.raises(ValueError, match="learning_rate"):
        w.learning_rate = limits["learning_rate_max"] * 1.01
    for l2 in c["l2_choices"]:
        w.l2 = l2
    w.close()


# ---------------------------------------------------------------------------------------------
# the envelope


def test_a_too_costly_setting_is_a_value_error_naming_the_cost_and_numpy():
    with pytest.raises(ValueError) as info:
        TrainerWidget(n=1000, hidden=(32, 32, 32))
    text = str(info.value)
    assert "800 points through (32, 32, 32)" in text and "Values" in text
    assert "engine='numpy'" in text and " s with micrograd" in text
    w = TrainerWidget(n=1000, hidden=(32, 32, 32), engine="numpy")  # the same, in numpy
    w.step(2)
    with pytest.raises(TooCostly, match="engine='numpy'"):
        w.engine = "micrograd"  # refused: it stays on numpy
    assert w.engine == "numpy" and w.run.engine == "numpy" and w.status_kind == "cost"
    w.close()


def test_a_refused_setting_leaves_the_run_as_it_was():
    w = TrainerWidget(n=1000, batch_size=100)
    w.step(3)
    run, weights = w.run, [p.data for p in w.model.parameters()]
    with pytest.raises(ValueError, match="engine='numpy'"):
        w.batch_size = None  # 800 points a step: about 2 s
    with pytest.raises(ValueError, match="engine='numpy'"):
        w.hidden = [32, 32, 32]
    assert w.batch_size == 100 and w.hidden == [16, 16] and w.run is run
    assert run.batch_size == 100 and w.step_count == 3
    assert [p.data for p in w.model.parameters()] == weights
    assert w.status_kind == "cost" and "Kept the old hidden" in w.status
    w.step(1)  # and it trains on as before
    assert w.history[-1]["batch_size"] == 100
    w.close()


def test_the_page_gets_the_cost_and_use_numpy_applies_the_refused_setting():
    w = TrainerWidget(n=1000, batch_size=100)
    w.set_state({"hidden": [32, 32, 32]})  # from the page: shown, not raised
    assert w.hidden == [16, 16] and w.status_kind == "cost"
    assert "would take about" in w.status and "numpy engine runs it" in w.status
    w._on_message(w, {"type": "use_numpy"}, [])
    assert w.engine == "numpy" and w.hidden == [32, 32, 32]
    assert w.run.hidden == (32, 32, 32) and w.run.engine == "numpy"
    w.set_state({"engine": "micrograd"})  # 100 points through (32, 32, 32): too slow there
    assert w.engine == "numpy" and w.status_kind == "cost"
    w.hidden = [16, 16]
    w.step(1)
    w.engine = "micrograd"  # 100 points through (16, 16) are fine on micrograd
    w.set_state({"batch_size": None})
    assert w.batch_size == 100 and w.status_kind == "cost"
    w._on_message(w, {"type": "use_numpy"}, [])
    assert w.engine == "numpy" and w.batch_size is None and w.run.batch_size is None
    assert w.step_count == 1  # the batch size applies at once, no reset
    w.close()


# Every extreme the constructor and the sliders allow, on the costly side: points (n, no test
# set), the widest and deepest network, full batch. Each either builds and steps in about the
# estimated time, or is refused with the message.
EXTREMES = [
    {"n": 2000, "test_fraction": 0.0},
    {"n": 1000, "test_fraction": 0.0},
    {"n": 2000, "test_fraction": 0.9},
    {"hidden": [32] * 6},
    {"hidden": [32] * 6, "batch_size": 1},
    {"hidden": [1, 1]},
    {"n": 4, "test_fraction": 0.0},
    {"n": 2000, "hidden": [32] * 6, "test_fraction": 0.0},
    {"n": 2000, "hidden": [32] * 6, "batch_size": 1},
    {"n": 400, "test_fraction": 0.0},
]


def step_seconds(w: TrainerWidget) -> float:
    started = time.perf_counter()
    w.step(1)
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def slowdown() -> dict[str, float]:
    """How much slower than its estimate a reference step runs on this machine right now (the
    default moons step, median of 5), per engine: the machine is shared and its load varies."""
    out = {}
    for engine in ("micrograd", "numpy"):
        w = TrainerWidget(engine=engine)
        cost = w.run.cost()
        estimate = cost.seconds if engine == "micrograd" else cost.numpy_seconds
        out[engine] = statistics.median(step_seconds(w) for _ in range(5)) / estimate
        w.close()
    return out


@pytest.mark.parametrize("engine", ["micrograd", "numpy"])
@pytest.mark.parametrize("kwargs", EXTREMES, ids=lambda k: ",".join(f"{a}={b}" for a, b in k.items()))  # noqa: E501
def test_every_extreme_applies_and_steps_in_time_or_is_refused(kwargs, engine, slowdown):
    try:  # a low rate: at 1.0 six ReLU layers blow up in one step (Diverged, not the point)
        w = TrainerWidget(engine=engine, learning_rate=0.01, **kwargs)
    except ValueError as e:
        assert engine == "micrograd" and "engine='numpy'" in str(e)
        return
    cost = w.run.cost()
    estimate = cost.seconds if engine == "micrograd" else cost.numpy_seconds
    assert engine == "numpy" or estimate <= MAX_SECONDS
    took = min(step_seconds(w) for _ in range(2))
    # loosely: within 3x of the estimate, at the speed the reference step ran just now (plus a
    # page update, whose grid is not in the estimate)
    assert took < slowdown[engine] * 3 * estimate + 0.05 * slowdown["numpy"], (took, estimate)
    # and Pause answers within about a second while it plays: it waits for the step under way at
    # most, so the bound is a step at this machine's speed (the larger of the envelope's second,
    # scaled by the reference step, and the step just measured: load changes between the two),
    # with room for a loaded machine
    w.play()
    wait_for(lambda: w.run.steps >= 4)
    started = time.perf_counter()
    w.pause()
    one_step = max(MAX_SECONDS * max(1.0, slowdown["micrograd"]), took)
    assert time.perf_counter() - started < 3 * one_step
    w.close()


def test_the_estimate_grows_with_points_and_network():
    small = micrograd_cost(80, (2, 16, 16, 1))
    assert not small.too_costly and 0.03 < small.seconds < 0.5
    assert micrograd_cost(800, (2, 16, 16, 1)).too_costly
    big = micrograd_cost(2000, (2, *[32] * 6, 1))
    assert big.too_costly and big.bytes > 1 << 30 and big.numpy_seconds < 0.5
