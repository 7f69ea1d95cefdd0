"""TrainerWidget, the Python side: the training thread, mid-run knobs, throttled and batched page
updates, the binary buffers, divergence, errors, figure(), the PNG fallback and neuron graphs.

The page itself is tested in tests/browser/test_trainer_browser.py and js/trainer/plot.test.ts.
Expected numbers come from independent computations (numpy on the weights, or by hand).
"""

from __future__ import annotations

import io
import json
import math
import time

import numpy as np
import pytest

from micrograd_widgets.training import Diverged, data_limits, decision_grid, layer_weights
from micrograd_widgets.widgets.trainer import UPDATE_RATE, TrainerWidget
from tests.trainer_threads import no_thread_leak, trainer_threads, wait_for  # noqa: F401


class Recorder:
    """Stands in for the kernel: records every comm message the widget sends (time, data, buffers)
    after a JSON round trip, as the kernel's session would serialise it."""

    def __init__(self, widget: TrainerWidget):
        self.messages: list[tuple[float, dict, list]] = []
        widget.comm.publish_msg = self.publish

    def publish(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        json.dumps(data, allow_nan=False)
        self.messages.append((time.monotonic(), data, list(buffers or [])))

    def updates(self) -> list[tuple[float, dict, list]]:
        return [m for m in self.messages if m[1] and m[1].get("method") == "update"]


# ---------------------------------------------------------------------------------------------
# defaults and synchronous training


def test_defaults_converge_on_moons_within_100_full_batch_steps():
    w = TrainerWidget()
    assert (w.dataset, w.hidden, w.activation, w.loss, w.l2, w.seed) == (
        "moons", [16, 16], "relu", "hinge", 1e-4, 0
    )
    assert w.batch_size is None  # full batch
    entries = w.step(100)
    assert len(entries) == 100 and w.step_count == 100
    assert all(e["batch_size"] == len(w.X) for e in entries)
    assert max(e["accuracy"] for e in entries) >= 0.97
    # the accuracy in history is what the model gets now, recomputed by hand with numpy
    scores = np.array([w.model(list(map(float, row))).data for row in w.X])
    assert np.mean((scores > 0) == (w.y > 0)) == pytest.approx(entries[-1]["accuracy"])
    for key in ("step", "loss", "test_loss", "accuracy", "learning_rate", "batch_size"):
        assert key in entries[-1]
    w.close()


def test_seed_makes_a_demo_repeatable():
    a, b = TrainerWidget(seed=3), TrainerWidget(seed=3)
    a.step(5)
    b.step(5)
    assert [h["loss"] for h in a.history] == [h["loss"] for h in b.history]
    assert np.array_equal(a.X, b.X)
    c = TrainerWidget(seed=4)
    assert not np.array_equal(a.X, c.X)
    for w in (a, b, c):
        w.close()


def test_user_arrays():
    X = [[0, 0], [1, 1], [0, 1], [1, 0], [2, 2], [-1, -1]]
    y = [0, 1, 0, 1, 1, 0]
    w = TrainerWidget(X=X, y=y, test_fraction=0.0)
    assert w.dataset == "custom" and w.has_custom
    assert sorted(map(tuple, w.X.tolist())) == sorted(map(tuple, np.array(X, float).tolist()))
    assert set(w.y.tolist()) == {-1, 1}
    w.dataset = "xor"  # the page can switch to a built-in dataset and back
    w.dataset = "custom"
    assert len(w.X) == 6
    w.close()


# ---------------------------------------------------------------------------------------------
# the background thread


def test_play_pause_reset_from_python():
    w = TrainerWidget(batch_size=8)
    w.play()
    assert w.playing and w.is_playing and len(trainer_threads()) == 1
    w.play()  # a second play is a no-op, not a second thread
    assert len(trainer_threads()) == 1
    wait_for(lambda: w.run.steps >= 5)
    w.pause()
    assert not w.playing and not w.is_playing and trainer_threads() == []
    stopped = w.run.steps
    time.sleep(0.2)
    assert w.run.steps == stopped == len(w.history) == w.step_count
    w.play()
    wait_for(lambda: w.run.steps >= stopped + 3)
    w.reset()  # stops the thread and starts a new model
    assert trainer_threads() == [] and not w.playing
    assert w.step_count == 0 and w.history == [] and w.status_kind == "reset"
    w.close()


def test_kernel_thread_stays_free_while_playing():
    w = TrainerWidget()
    w.play()
    started = time.monotonic()
    total = sum(i * i for i in range(10_000))  # the "kernel" runs other code meanwhile
    assert total > 0 and time.monotonic() - started < 1.0
    w.pause()
    w.close()


def test_mid_run_learning_rate_and_batch_size_are_recorded_in_history():
    w = TrainerWidget(schedule="constant", learning_rate=0.5, batch_size=4)
    w.play()
    wait_for(lambda: w.run.steps >= 5)
    w.learning_rate = 0.05  # as the page's slider would, while the thread trains
    w.batch_size = 16
    changed_at = w.run.steps
    wait_for(lambda: w.run.steps >= changed_at + 5)
    w.batch_size = None  # full batch
    wait_for(lambda: w.history[-1]["batch_size"] == len(w.X))
    w.pause()
    rates = [h["learning_rate"] for h in w.history]
    sizes = [h["batch_size"] for h in w.history]
    # each knob switches once, in order, and never goes back (applied from the next step)
    k = rates.index(0.05)
    assert set(rates[:k]) == {0.5} and set(rates[k:]) == {0.05}
    assert k in (changed_at, changed_at + 1)
    j = sizes.index(16)
    assert set(sizes[:j]) == {4} and j in (changed_at, changed_at + 1)
    assert sizes[-1] == len(w.X) and set(sizes[j:]) <= {16, len(w.X)}
    w.close()


def test_close_stops_the_thread():
    w = TrainerWidget(batch_size=4)
    w.play()
    wait_for(lambda: w.run.steps >= 2)
    w.close()
    assert trainer_threads() == []
    with pytest.raises(RuntimeError, match="closed"):
        w.play()


def slow_steps(w: TrainerWidget, seconds: float) -> list[float]:
    """Make each training step take `seconds` (a big network on many points); returns the
    times at which steps ended."""
    ended: list[float] = []

    def step():
        time.sleep(seconds)
        w.run.steps += 1
        ended.append(time.monotonic())
        return {}

    w.run.step = step
    return ended


def test_the_pages_pause_does_not_block_the_kernel_on_a_slow_step():
    w = TrainerWidget()
    ended = slow_steps(w, 0.6)
    w._on_message(w, {"type": "play"}, [])
    wait_for(lambda: len(ended) >= 1)
    time.sleep(0.15)  # well inside the second step
    started = time.monotonic()
    w._on_message(w, {"type": "pause"}, [])
    assert time.monotonic() - started < 0.3  # the kernel is free again at once
    assert not w.is_playing and w.playing  # stopping: the page still shows the step under way
    wait_for(lambda: not w.playing)  # the thread ends after its step and says so
    assert trainer_threads() == [] and len(ended) == 2
    # Play straight after Pause, while the last step still runs: a new thread, not a lost click
    w._on_message(w, {"type": "play"}, [])
    wait_for(lambda: len(ended) >= 3)
    w._on_message(w, {"type": "pause"}, [])
    w.noise = 0.2  # a reset while the paused thread finishes must not start it again
    assert trainer_threads() == [] and not w.playing and not w.is_playing
    w.close()


def test_steps_per_second_counts_from_play_so_a_slow_first_step_shows():
    w = TrainerWidget()
    w.steps_per_second = 42.0  # a previous run's figure must not linger
    ended = slow_steps(w, 0.25)
    w.play()
    assert w.steps_per_second == 0.0
    wait_for(lambda: len(ended) >= 1)
    wait_for(lambda: w.step_count == 1)
    assert 1.0 < w.steps_per_second <= 4.0  # one step in ~0.25 s
    w.close()


def test_losing_the_last_view_pauses_training():
    # Re-running the cell (or clearing it) removes the view; the front end then sends
    # _view_count 0. The thread must not train on, unseen, for the rest of the session.
    w = TrainerWidget(batch_size=4)
    w.set_state({"_view_count": 1})  # as the page does when it shows the widget
    w.play()
    wait_for(lambda: w.run.steps >= 2)
    w.set_state({"_view_count": 2})  # a second view, then one of the two goes: keep training
    w.set_state({"_view_count": 1})
    assert w.is_playing
    w.set_state({"_view_count": 0})
    assert trainer_threads() == [] and not w.playing
    assert "no longer shown" in w.status
    # never displayed (a script): the count stays 0 and play() trains as asked
    w.play()
    wait_for(lambda: w.run.steps >= 1)
    assert w.is_playing
    w.close()


def test_the_front_end_closing_the_comm_stops_the_thread():
    w = TrainerWidget(batch_size=4)
    w.play()
    wait_for(lambda: w.run.steps >= 2)
    w.comm._closed = True  # what the comm manager does on a comm_close from the page
    w.comm.handle_close({"content": {"data": {}}})
    assert trainer_threads() == [] and w.comm is None


def test_step_while_playing_pauses_then_steps():
    w = TrainerWidget(batch_size=4)
    w.play()
    wait_for(lambda: w.run.steps >= 2)
    entries = w.step(3)
    assert trainer_threads() == [] and not w.playing
    assert [e["step"] for e in entries] == [w.run.steps - 2, w.run.steps - 1, w.run.steps]
    assert w.step_count == w.run.steps
    w.close()


def test_changing_the_problem_resets_and_says_so_and_keeps_playing():
    w = TrainerWidget(batch_size=8)
    w.step(3)
    w.noise = 0.3
    assert w.run.steps == 0 and w.step_count == 0
    assert "noise" in w.status and "reset" in w.status and w.status_kind == "reset"
    w.play()
    wait_for(lambda: w.run.steps >= 2)
    w.hidden = [4]
    assert w.is_playing  # the new model trains on
    assert w.layer_sizes == [2, 4, 1] and "network shape" in w.status
    w.pause()
    # learning rate and batch size do not reset
    steps = w.run.steps
    w.learning_rate = 0.3
    w.batch_size = 2
    assert w.run.steps == steps
    w.close()


def test_page_messages_drive_the_same_api():
    w = TrainerWidget(batch_size=8)
    w._on_message(w, {"type": "step"}, [])
    assert w.step_count == 1
    w._on_message(w, {"type": "play"}, [])
    wait_for(lambda: w.run.steps >= 3)
    w._on_message(w, {"type": "pause"}, [])
    wait_for(lambda: trainer_threads() == [] and not w.playing)  # after the step under way
    w._on_message(w, {"type": "reset"}, [])
    assert w.step_count == 0
    w._on_message(w, {"type": "neuron", "layer": 9, "index": 0}, [])  # bad: says so, no raise
    assert w.status_kind == "error" and "layer" in w.status
    w.close()


def test_an_unexpected_error_in_the_thread_stops_it_and_is_shown():
    w = TrainerWidget()
    calls = []

    def broken():
        calls.append(1)
        raise RuntimeError("boom")

    w.run.step = broken
    w.play()
    wait_for(lambda: not w.is_playing)
    assert calls == [1] and not w.playing
    assert w.status_kind == "error" and "RuntimeError: boom" in w.status
    w.close()


# ---------------------------------------------------------------------------------------------
# divergence and bad arguments


def test_divergence_pauses_with_a_clear_message():
    w = TrainerWidget(learning_rate=50, schedule="constant", loss="mse")
    w.play()
    wait_for(lambda: not w.is_playing)
    assert not w.playing and w.status_kind == "error"
    assert "diverged" in w.status and "learning rate 50" in w.status and "Reset" in w.status
    assert all(math.isfinite(h["loss"]) for h in w.history)  # the failed step is not recorded
    with pytest.raises(Diverged):
        w.step(1)
    w.play()  # refuses, says so again
    assert not w.is_playing and "Reset" in w.status
    w.learning_rate = 0.05
    w.reset()
    w.step(3)
    assert w.step_count == 3 and w.status_kind == "reset"
    w.close()


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"dataset": "spirals"}, ["dataset", "'spiral'"]),
        ({"hidden": (16, 0)}, ["hidden", "1 to 32"]),
        ({"hidden": "16"}, ["hidden"]),
        ({"activation": "softsign"}, ["activation", "'relu'"]),
        ({"loss": "huber"}, ["loss", "'hinge'"]),
        ({"learning_rate": 0}, ["learning_rate", "(0"]),
        ({"learning_rate": float("nan")}, ["learning_rate"]),
        ({"batch_size": 0}, ["batch_size", "None"]),
        ({"batch_size": 2.5}, ["batch_size"]),
        ({"l2": -1}, ["l2"]),
        ({"seed": -1}, ["seed"]),
        ({"n": 1}, ["n", "4 to 2000"]),
        ({"noise": -0.1}, ["noise"]),
        ({"test_fraction": 1.0}, ["test_fraction"]),
        ({"schedule": "cosine"}, ["schedule", "'linear'"]),
        ({"hide": ["everything"]}, ["hide", "'dataset'"]),
        ({"presentation": "yes"}, ["presentation"]),
        ({"X": [[0, 0], [1, 1]]}, ["X and y"]),
        ({"X": [[0, 0, 0]], "y": [1]}, ["X must have shape"]),
        ({"dataset": "custom"}, ["dataset"]),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, words):
    with pytest.raises(ValueError) as info:
        TrainerWidget(**kwargs)
    for word in words:
        assert word in str(info.value)


def test_bad_values_set_later_raise_value_errors_too():
    w = TrainerWidget()
    with pytest.raises(ValueError, match="learning_rate"):
        w.learning_rate = -1.0
    with pytest.raises(ValueError, match="dataset"):
        w.dataset = "nope"
    with pytest.raises(ValueError, match="step|n must"):
        w.step(-1)
    with pytest.raises(ValueError, match="layer"):
        w.neuron_graph_data(5, 0)
    assert w.learning_rate == 1.0 and w.dataset == "moons"
    w.close()


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("batch_size", "full", ["batch_size", "None (full batch)"]),
        ("seed", None, ["seed", "integer"]),
        ("hidden", 16, ["hidden", "list"]),
        ("hidden", [8.0], ["hidden", "whole number"]),
        ("n", "100", ["n", "integer from 4"]),
        ("loss", 3, ["loss", "'hinge'"]),
        ("learning_rate", "fast", ["learning_rate"]),
    ],
)
def test_wrong_types_set_later_are_value_errors_naming_what_is_allowed(name, value, words):
    w = TrainerWidget()
    before = getattr(w, name)
    with pytest.raises(ValueError) as info:
        setattr(w, name, value)
    for word in words:
        assert word in str(info.value)
    assert getattr(w, name) == before
    w.close()


def test_numbers_of_any_real_type_are_accepted_and_converted():
    w = TrainerWidget(learning_rate=np.float32(0.5))
    w.learning_rate = np.float32(0.25)
    w.batch_size = np.int64(8)
    assert type(w.learning_rate) is float and w.batch_size == 8 and type(w.batch_size) is int
    w.close()


def test_a_misspelt_argument_is_an_error_not_silently_dropped():
    with pytest.raises(TypeError, match=r"'learning_rte' \(did you mean 'learning_rate'\?\)"):
        TrainerWidget(learning_rte=0.01)
    with pytest.raises(TypeError, match="'batchsize'"):
        TrainerWidget(batchsize=8)
    with pytest.raises(TypeError, match="'_esm'"):
        TrainerWidget(_esm="export default {}")


def test_a_setting_that_leaves_nothing_to_train_on_is_refused_and_put_back():
    with pytest.raises(ValueError, match=r"test_fraction=0\.9 of 10 points leaves 1 to train on"):
        TrainerWidget(n=10, test_fraction=0.9)
    w = TrainerWidget(n=20)
    w.step(2)
    w.test_fraction = 0.9
    assert w.test_fraction == 0.2 and len(w.X) == 16  # the trait agrees with the run again
    assert w.status_kind == "error" and "Kept the old train/test split" in w.status
    assert w.step_count == 2  # the run was not replaced
    w.n = 40  # later settings work as usual
    assert len(w.X) == 32 and w.step_count == 0
    w.close()


def test_each_loss_starts_at_a_learning_rate_it_trains_well_at():
    w = TrainerWidget(loss="mse")
    assert w.learning_rate == 0.1
    w.step(100)  # at hinge's 1.0 mse diverges within two steps
    assert w.history[-1]["accuracy"] >= 0.85
    w.loss = "hinge"  # still mse's usual rate: hinge's comes with it, and the status says so
    assert w.learning_rate == 1.0 and "Learning rate 1" in w.status
    w.learning_rate = 0.3
    w.loss = "mse"  # a rate the user chose stays
    assert w.learning_rate == 0.3 and "Learning rate" not in w.status
    assert TrainerWidget(loss="mse", learning_rate=0.02).learning_rate == 0.02
    w.close()


def test_a_dead_network_pauses_with_advice():
    # batch 1 at rate 1.0: with this seed the second layer's ReLUs all die within 40 steps
    w = TrainerWidget(batch_size=1, seed=0)
    w.play()
    wait_for(lambda: not w.is_playing)
    assert not w.playing and w.status_kind == "error"
    assert "dead layer" in w.status and "lower the learning rate" in w.status
    stuck_at = w.step_count
    assert stuck_at < 200 and w.history[-1]["accuracy"] == 0.5
    w.play()  # the user insists: it trains on (nothing will change, but it is their call)
    wait_for(lambda: w.step_count > stuck_at + 20)
    w.pause()
    w.reset()
    assert w.run.stuck is None
    w.close()


def test_own_data_far_from_zero_diverges_with_a_hint_to_scale_it():
    from micrograd_widgets.training.datasets import moons

    X, y = moons(n=100, seed=0)
    w = TrainerWidget(X=X * 10, y=y)
    with pytest.raises(Diverged):
        w.step(100)
    assert "scaling X to about -1…1" in w.status
    w.close()
    w = TrainerWidget(X=X, y=y, loss="mse", learning_rate=50.0, schedule="constant")
    with pytest.raises(Diverged):
        w.step(100)
    assert "scaling" not in w.status  # points near 0: the rate alone is to blame
    w.close()


def test_size_and_noise_leave_your_own_points_alone():
    from micrograd_widgets.training.datasets import moons

    X, y = moons(n=60, seed=2)
    w = TrainerWidget(X=X, y=y)
    w.step(3)
    w.n = 200
    w.noise = 0.5
    assert w.step_count == 3 and len(w.X) + len(w.X_test) == 60
    assert "your own points stay" in w.status
    with pytest.raises(ValueError, match="needs your own points: pass X and y"):
        TrainerWidget(dataset="custom")
    w.close()


def test_metrics_carry_the_step_number():
    w = TrainerWidget()
    w.step(3)
    assert w.metrics["step"] == 3 and w.metrics["batch_size"] == 80
    w.close()


# ---------------------------------------------------------------------------------------------
# what travels to the page


def test_updates_are_throttled_and_batched():
    w = TrainerWidget(batch_size=1, learning_rate=0.1)  # ~1000 steps/s: many more than updates
    rec = Recorder(w)
    w.play()

    def step_updates() -> list:
        return [m for m in rec.updates() if "step_count" in m[1]["state"]]

    # however busy the machine is: many steps, and updates keep coming while it trains
    wait_for(lambda: w.run.steps > 300 and len(step_updates()) >= 10, timeout=60.0)
    w.pause()
    updates = step_updates()
    times = [t for t, _, _ in updates]
    span = times[-1] - times[0]
    # at most UPDATE_RATE a second (plus the final one at pause), and each one carries the
    # step, the grid, the curves and the weights together: one message, not one per trait
    assert len(updates) <= UPDATE_RATE * span + 3
    gaps = np.diff(times[:-1])
    assert gaps.min() >= 0.8 / UPDATE_RATE
    for _, data, buffers in updates[:-1]:
        sent = set(data["state"]) | {path[0] for path in data["buffer_paths"]}
        assert {"step_count", "grid", "curves", "weights", "metrics"} <= sent
        assert len(buffers) == 4  # grid, curves, weights, neuron_maps (issue 13): binary
    # steps shown only go up
    shown = [d["state"]["step_count"] for _, d, _ in updates]
    assert shown == sorted(shown) and shown[-1] == w.run.steps
    w.close()


def test_slow_page_updates_are_sent_less_often_so_training_keeps_its_pace():
    w = TrainerWidget(batch_size=1, learning_rate=0.1)
    rec = Recorder(w)
    slow = rec.publish

    def publish_slowly(*args, **kwargs):  # a busy kernel: each message takes 20 ms to send
        time.sleep(0.02)
        slow(*args, **kwargs)

    w.comm.publish_msg = publish_slowly
    started = time.monotonic()
    w.play()
    wait_for(lambda: w.run.steps > 200, timeout=60.0)
    w.pause()
    span = time.monotonic() - started
    updates = [m for m in rec.updates() if "step_count" in m[1]["state"]]
    # >= 20 ms a message may take at most UPDATE_SHARE (5%) of the time: one every >= 0.4 s
    # (plus the first step's and the one at pause)
    assert 2 <= len(updates) <= span / 0.4 + 3
    w.close()


def test_a_very_slow_page_update_still_lets_the_page_hear_every_second_or_so():
    """A busy machine: one message takes a whole second to send. Backing off by UPDATE_SHARE
    alone would leave the page silent for 20 s; the gap is capped at MAX_UPDATE_GAP, and the
    first step after Play shows at once."""
    w = TrainerWidget(batch_size=1, learning_rate=0.1)
    rec = Recorder(w)
    slow = rec.publish

    def publish_very_slowly(*args, **kwargs):
        time.sleep(1.0)
        slow(*args, **kwargs)

    w.comm.publish_msg = publish_very_slowly
    w.play()
    shown = lambda: [m[1]["state"]["step_count"] for m in rec.updates()  # noqa: E731
                     if "step_count" in m[1]["state"]]
    wait_for(lambda: len(shown()) >= 1, timeout=10.0)
    wait_for(lambda: len(shown()) >= 4, timeout=30.0)  # ~2 s apart; 20 s apart uncapped
    w.pause()
    assert shown()[0] >= 1 and shown() == sorted(shown())
    w.close()


def test_grid_travels_as_a_binary_buffer_of_the_models_scores():
    w = TrainerWidget()
    rec = Recorder(w)
    w.step(7)
    _, data, buffers = rec.updates()[-1]
    paths = data["buffer_paths"]
    assert ["grid"] in paths and ["curves"] in paths and ["weights"] in paths
    assert "grid" not in data["state"]  # not a JSON list
    grid_buffer = bytes(buffers[paths.index(["grid"])])
    res = w.resolution
    grid = np.frombuffer(grid_buffer, dtype="<f4").reshape(res, res)
    xlim, ylim = data_limits(np.concatenate([w.X, w.X_test]))
    assert w.extent == pytest.approx([*xlim, *ylim])
    assert np.array_equal(grid, decision_grid(w.model, xlim, ylim, res))
    # one grid cell against the scalar engine: row i is y_i (bottom first), column j is x_j
    xs, ys = np.linspace(*xlim, res), np.linspace(*ylim, res)
    assert grid[10, 80] == pytest.approx(w.model([float(xs[80]), float(ys[10])]).data, abs=1e-5)
    # curves: rows of (step, train loss, test loss, accuracy, test accuracy)
    curves = np.frombuffer(bytes(buffers[paths.index(["curves"])]), dtype="<f4").reshape(-1, 5)
    assert curves[:, 0].tolist() == list(range(1, 8))
    assert curves[-1, 1] == pytest.approx(w.history[-1]["train_loss"], rel=1e-6)
    assert curves[-1, 4] == pytest.approx(w.history[-1]["test_accuracy"], rel=1e-6)
    # weights: per layer W (nout x nin) then b, in the model's order
    flat = np.frombuffer(bytes(buffers[paths.index(["weights"])]), dtype="<f4")
    layers = layer_weights(w.model)
    expected = np.concatenate([np.concatenate([W.ravel(), b]) for W, b, _ in layers])
    assert np.allclose(flat, expected, atol=1e-6)
    w.close()


def test_points_mark_train_and_test():
    w = TrainerWidget(n=50, test_fraction=0.2)
    p = w.points
    assert len(p["x"]) == 50 and sum(p["test"]) == 10 == len(w.X_test)
    assert p["x"][:40] == pytest.approx(w.X[:, 0].tolist(), abs=1e-6)
    assert p["label"][40:] == w.y_test.tolist()
    w.close()


def test_long_runs_send_a_bounded_curve():
    w = TrainerWidget(batch_size=1, schedule="constant", learning_rate=0.01)
    w.step(1500)
    rows = np.frombuffer(w.curves, dtype="<f4").reshape(-1, 5)
    assert len(rows) <= 600 and rows[0, 0] == 1 and rows[-1, 0] == 1500
    assert np.all(np.diff(rows[:, 0]) > 0)
    w.close()


# ---------------------------------------------------------------------------------------------
# neuron graphs


def test_neuron_graph_equals_a_direct_computation():
    w = TrainerWidget(hidden=(5, 6), seed=2)
    w.step(10)
    point = (0.3, -0.4)
    grads_before = [p.grad for p in w.model.parameters()]
    data = w.neuron_graph_data(1, 2, point)
    assert [p.grad for p in w.model.parameters()] == grads_before  # training grads untouched
    # independently: numpy on the weights
    (W0, b0, _), (W1, b1, _), _ = layer_weights(w.model)
    h = np.maximum(W0 @ np.array(point) + b0, 0.0)
    z = W1[2] @ h + b1[2]
    out = max(z, 0.0)
    by_label = dict(zip(data["label"], zip(data["data"], data["grad"], strict=True), strict=True))
    assert by_label["layer1[2]"][0] == pytest.approx(out, abs=1e-12)
    assert by_label["layer1[2]"][1] == 1.0
    active = 1.0 if z > 0 else 0.0
    for i in range(5):
        # inputs enter as leaves with the previous layer's outputs; their grad is w_i
        assert by_label[f"layer0[{i}]"][0] == pytest.approx(h[i], abs=1e-12)
        assert by_label[f"layer0[{i}]"][1] == pytest.approx(active * W1[2, i], abs=1e-12)
        assert by_label[f"w{i}"][1] == pytest.approx(active * h[i], abs=1e-12)
    assert w.neuron_info["layer"] == 1 and w.neuron_info["index"] == 2
    assert w.neuron_info["output"] == pytest.approx(out)
    assert w.neuron_info["point"] == list(point)
    w.close()


def test_wide_neuron_starts_folded_and_expands():
    w = TrainerWidget()  # 16 inputs per second-layer neuron
    data = w.neuron_graph_data(1, 0, (0.0, 0.0))
    assert "sum" in data["kind"] and len(data["id"]) < 30
    key = data["id"][data["kind"].index("sum")]
    w._on_message(w, {"type": "expand_neuron", "key": key}, [])
    assert "sum" not in w.neuron_graph["kind"]
    assert len(w.neuron_graph["id"]) > len(data["id"])
    small = w.neuron_graph_data(0, 0, (1.0, 2.0))  # 2 inputs: drawn in full
    assert set(small["kind"]) == {"value"} and {"x1", "x2", "w0", "w1", "b"} <= set(small["label"])
    w.close()


# ---------------------------------------------------------------------------------------------
# static output


def test_figure_shows_the_curves_and_the_boundary():
    from matplotlib.figure import Figure

    w = TrainerWidget()
    w.step(12)
    fig = w.figure()
    assert isinstance(fig, Figure)
    loss_ax, acc_ax, map_ax = fig.axes[:3]
    train = loss_ax.get_lines()[0]
    assert list(train.get_xdata()) == list(range(1, 13))
    assert list(train.get_ydata()) == pytest.approx([h["train_loss"] for h in w.history])
    assert len(acc_ax.get_lines()) == 2  # train and test
    assert map_ax.images and "step 12" in map_ax.get_title()
    w.close()


def test_png_fallback_in_the_mimebundle():
    import matplotlib.image as mpimg

    w = TrainerWidget()
    data, _ = w._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    import base64

    png = base64.b64decode(data["image/png"])
    img = mpimg.imread(io.BytesIO(png), format="png")
    assert img.shape[:2] == (2 * w.resolution, 2 * w.resolution)
    assert "TrainerWidget(moons" in data["text/plain"]
    w.close()


def test_save_html_snapshot(tmp_path):
    w = TrainerWidget()
    w.step(3)
    path = w.save_html(tmp_path / "trainer.html")
    text = path.read_text()
    assert '"$binary"' in text and "step_count" in text
    w.close()
