"""The IPython extension, driven through real IPython shells, as IPython tests its own magics.

Every test gets a brand-new shell (IPython's test config: no colours, in-memory history), made
the global instance for the test and cleared afterwards, so no test can lean on state that an
earlier test left in a shared shell (loaded extensions, formatters, the user namespace).
"""

from __future__ import annotations

import atexit
import json
import subprocess
import sys
import textwrap
from typing import Any

import ipywidgets
import micrograd.engine
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.terminal.interactiveshell import TerminalInteractiveShell
from ipywidgets.widgets.widget import _instances as live_widgets
from traitlets.config import Config

import micrograd_widgets
from micrograd_widgets import load_ipython_extension, unload_ipython_extension
from micrograd_widgets.engine import Value

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

def _config() -> Config:
    """IPython's own test config (IPython.testing.tools.default_config), history in memory."""
    config = Config()
    config.TerminalInteractiveShell.colors = "nocolor"  # IPython 9 spells it lowercase (8 too)
    config.TerminalInteractiveShell.autocall = 0
    config.TerminalInteractiveShell.simple_prompt = True
    config.InteractiveShell.colors = "nocolor"
    config.HistoryManager.hist_file = ":memory:"
    return config


def _new_shell(cls: type[InteractiveShell], tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    # A shell installs itself as __main__ and may touch the interpreter hooks: put them back after.
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    monkeypatch.setattr(sys, "displayhook", sys.displayhook)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    # No global shell from elsewhere is visible to this test (and any is restored afterwards).
    for klass in (InteractiveShell, TerminalInteractiveShell):
        monkeypatch.setattr(klass, "_instance", None)
    shell = cls.instance(config=_config())
    atexit.unregister(shell.atexit_operations)
    return shell


@pytest.fixture
def shell(tmp_path, monkeypatch):
    shell = _new_shell(InteractiveShell, tmp_path, monkeypatch)
    yield shell
    shell.history_manager.end_session()
    InteractiveShell.clear_instance()


@pytest.fixture
def loaded(shell):
    assert run(shell, "%load_ext micrograd_widgets").success
    return shell


@pytest.fixture(autouse=True)
def close_new_widgets():
    before = set(live_widgets)
    yield
    for model_id in set(live_widgets) - before:
        live_widgets[model_id].close()


@pytest.fixture
def drawn(monkeypatch):
    """Records each draw(...) call the magic makes, and still returns the real widget."""
    from importlib import import_module

    module_name, attribute = micrograd_widgets._LAZY["draw"]
    module = import_module(module_name)
    real = getattr(module, attribute)
    calls: list[tuple[Any, dict[str, Any]]] = []

    def spy(root_or_roots, **kwargs):
        calls.append((root_or_roots, kwargs))
        return real(root_or_roots, **kwargs)

    monkeypatch.setattr(module, attribute, spy)
    return calls


def run(shell, cell: str):
    """Runs a cell as a front end does: stored in history, numbered, Out[n] and `_` filled."""
    return shell.run_cell(textwrap.dedent(cell).strip("\n") + "\n", store_history=True)


def micrograd_cell(shell, body: str, flags: str = ""):
    return run(shell, f"%%micrograd {flags}\n" + textwrap.dedent(body).strip("\n"))


def roots_of(call) -> list[Any]:
    root_or_roots, _ = call
    return list(root_or_roots) if isinstance(root_or_roots, (list, tuple)) else [root_or_roots]


def same(xs, ys) -> bool:
    return len(xs) == len(ys) and all(x is y for x, y in zip(xs, ys, strict=True))


def formatter_tables(shell) -> dict[str, tuple[dict, dict]]:
    """Every printer table of every formatter: what unloading must give back exactly."""
    display = shell.display_formatter
    formatters = dict(display.formatters)
    formatters["mimebundle"] = display.mimebundle_formatter
    formatters["ipython_display"] = display.ipython_display_formatter
    return {
        name: (dict(f.type_printers), dict(f.deferred_printers), dict(f.singleton_printers))
        for name, f in formatters.items()
    }


def widget_of(bundle: dict[str, Any]) -> ipywidgets.Widget:
    return live_widgets[bundle[WIDGET_MIME]["model_id"]]


# ---------------------------------------------------------------------------- load / unload


def test_loading_adds_the_cell_magic_and_unloading_removes_it(shell):
    assert shell.find_cell_magic("micrograd") is None
    assert run(shell, "%load_ext micrograd_widgets").success
    assert shell.find_cell_magic("micrograd") is not None
    assert run(shell, "%unload_ext micrograd_widgets").success
    assert shell.find_cell_magic("micrograd") is None
    assert "MicrogradMagics" not in shell.magics_manager.registry
    result = run(shell, "%%micrograd\nx = 1")
    assert not result.success  # IPython: cell magic not found
    assert "x" not in shell.user_ns


def test_unloading_restores_every_formatter_table_exactly(shell, monkeypatch):
    before = formatter_tables(shell)
    display_formatter = shell.display_formatter
    with monkeypatch.context() as not_imported:  # as if micrograd were imported after loading
        not_imported.delitem(sys.modules, "micrograd.engine")
        not_imported.delitem(sys.modules, "micrograd")
        run(shell, "%load_ext micrograd_widgets")
    assert ("micrograd.engine", "Value") in display_formatter.mimebundle_formatter.deferred_printers
    # Display both kinds of Value and a magic-made widget while loaded: IPython moves by-name
    # printers into its by-class table when it first meets the class; unload must find them.
    shell.display_formatter.format(Value(1.0))
    shell.display_formatter.format(micrograd.engine.Value(1.0))
    widget = micrograd_cell(shell, "a = Value(2.0) * Value(3.0)").result
    shell.display_formatter.format(widget)
    assert formatter_tables(shell) != before
    run(shell, "%unload_ext micrograd_widgets")
    assert formatter_tables(shell) == before
    assert shell.display_formatter is display_formatter
    assert WIDGET_MIME not in shell.display_formatter.format(Value(1.0))[0]


def test_unloading_puts_back_printers_registered_before_loading(shell):
    bundles = shell.display_formatter.mimebundle_formatter

    def theirs(obj):
        return {"text/html": "<b>theirs</b>"}

    def theirs_by_name(obj):
        return {"text/html": "<i>theirs by name</i>"}

    bundles.for_type(Value, theirs)
    # micrograd is imported here, so IPython files this by class at the first lookup below.
    bundles.for_type_by_name("micrograd.engine", "Value", theirs_by_name)
    assert bundles(micrograd.engine.Value(1.0))[0] == {"text/html": "<i>theirs by name</i>"}

    load_ipython_extension(shell)
    assert WIDGET_MIME in shell.display_formatter.format(Value(1.0))[0]
    assert WIDGET_MIME in shell.display_formatter.format(micrograd.engine.Value(1.0))[0]
    unload_ipython_extension(shell)

    assert bundles.lookup(Value(1.0)) is theirs
    assert bundles.lookup(micrograd.engine.Value(1.0)) is theirs_by_name


def test_unloading_leaves_a_printer_someone_registered_after_loading(shell):
    load_ipython_extension(shell)
    bundles = shell.display_formatter.mimebundle_formatter

    def later(obj):
        return {"text/html": "later"}

    bundles.for_type(Value, later)
    unload_ipython_extension(shell)
    assert bundles.lookup(Value(1.0)) is later


def test_loading_twice_is_harmless(shell):
    before = formatter_tables(shell)
    run(shell, "%load_ext micrograd_widgets")
    once = formatter_tables(shell)
    load_ipython_extension(shell)  # directly, past IPython's own "already loaded" check
    assert run(shell, "%load_ext micrograd_widgets").success
    assert formatter_tables(shell) == once
    run(shell, "%unload_ext micrograd_widgets")
    assert formatter_tables(shell) == before
    assert shell.find_cell_magic("micrograd") is None
    unload_ipython_extension(shell)  # unloading when not loaded: nothing to do
    assert formatter_tables(shell) == before


def test_reload_ext_keeps_one_working_copy(shell, drawn):
    before = formatter_tables(shell)
    run(shell, "%load_ext micrograd_widgets")
    assert run(shell, "%reload_ext micrograd_widgets").success
    cell = "from micrograd_widgets.engine import Value\nv = Value(3.0)"
    assert micrograd_cell(shell, cell).success
    assert same(roots_of(drawn[-1]), [shell.user_ns["v"]])
    assert WIDGET_MIME in shell.display_formatter.format(Value(1.0))[0]
    run(shell, "%unload_ext micrograd_widgets")
    assert formatter_tables(shell) == before


def test_extension_belongs_to_the_shell_it_was_loaded_into(shell, tmp_path):
    """A second shell (not the global one): loading there leaves the global shell alone."""
    other = InteractiveShell(config=_config())
    atexit.unregister(other.atexit_operations)
    try:
        before = formatter_tables(shell)
        load_ipython_extension(other)
        assert other.find_cell_magic("micrograd") is not None
        assert shell.find_cell_magic("micrograd") is None
        assert formatter_tables(shell) == before
        run(other, "%%micrograd\nfrom micrograd_widgets.engine import Value\nq = Value(1.0)")
        assert other.user_ns["q"].label == "q"
        assert "q" not in shell.user_ns
        unload_ipython_extension(other)
        assert other.find_cell_magic("micrograd") is None
    finally:
        other.history_manager.end_session()


def test_loading_imports_neither_widgets_nor_micrograd():
    code = textwrap.dedent(
        """
        import sys
        from IPython.core.interactiveshell import InteractiveShell
        from traitlets.config import Config
        config = Config()
        config.HistoryManager.hist_file = ":memory:"
        shell = InteractiveShell.instance(config=config)
        shell.run_line_magic("load_ext", "micrograd_widgets")
        assert shell.find_cell_magic("micrograd") is not None
        heavy = ["anywidget", "ipywidgets", "micrograd", "micrograd_widgets.widgets"]
        print([name for name in heavy if name in sys.modules])
        # micrograd imported after loading: its Values are drawn, and unloading forgets them
        from micrograd.engine import Value
        shown = shell.display_formatter.format(Value(1))[0]
        print("application/vnd.jupyter.widget-view+json" in shown)
        shell.run_line_magic("unload_ext", "micrograd_widgets")
        print(shell.display_formatter.format(Value(1))[0])
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    lines = out.stdout.strip().splitlines()
    expected = ["[]", "True", "{'text/plain': 'Value(data=1, grad=0)'}"]
    assert lines == expected, out.stdout + out.stderr


# ---------------------------------------------------------------------------- display of Values


@pytest.mark.parametrize("make", [Value, micrograd.engine.Value], ids=["engine", "micrograd"])
def test_a_value_result_displays_as_its_graph_with_a_text_fallback(loaded, drawn, make):
    v = make(2.0) * make(-3.0)
    loaded.user_ns["v"] = v
    result = run(loaded, "v")
    assert result.result is v and loaded.user_ns["_"] is v
    data, _ = loaded.display_formatter.format(v)
    assert data["text/plain"] == repr(v)  # front ends without widgets show the Value itself
    from micrograd_widgets import GraphWidget

    assert isinstance(widget_of(data), GraphWidget)
    assert same(roots_of(drawn[-1]), [v])


def test_without_the_extension_a_value_is_only_text(shell):
    data, _ = shell.display_formatter.format(Value(2.0))
    assert data == {"text/plain": repr(Value(2.0))}


# ---------------------------------------------------------------------------- running the cell


def test_the_cell_runs_like_any_cell(loaded, drawn, capsys):
    run(loaded, "41 + 1")
    result = micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        previous = _
        print("hello from the cell")
        listing = %who_ls
        c = Value(2.0) * Value(3.0)
        """,
    )
    assert result.success
    assert "hello from the cell" in capsys.readouterr().out
    assert loaded.user_ns["previous"] == 42  # `_` inside the cell is the previous output
    assert "c" in loaded.user_ns["listing"] or "previous" in loaded.user_ns["listing"]
    widget = result.result
    from micrograd_widgets import GraphWidget

    assert isinstance(widget, GraphWidget)
    assert loaded.user_ns["_"] is widget
    assert loaded.user_ns["Out"][result.execution_count] is widget
    assert loaded.history_manager.input_hist_raw[-1].startswith("%%micrograd")
    assert "__micrograd_widgets_last_expression__" not in loaded.user_ns


def test_a_failing_cell_shows_its_traceback_and_draws_nothing(loaded, drawn, capsys):
    result = micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(1.0)
        a / 0
        """,
    )
    out = capsys.readouterr().out
    assert not result.success and isinstance(result.error_in_exec, ZeroDivisionError)
    assert result.result is None and drawn == []
    assert "ZeroDivisionError" in out
    assert "----> 4 a / 0" in out  # line 4 counting the %%micrograd line, as typed
    assert "magic/magics.py" not in out and "run_cell_magic" not in out  # no extension frames
    assert loaded.user_ns["a"].data == 1.0  # lines before the error ran


def test_leading_blank_lines_keep_traceback_line_numbers_as_typed(loaded, drawn, capsys):
    setup = "from micrograd_widgets.engine import Value"
    result = run(loaded, f"%%micrograd\n\n\n{setup}\na = Value(1.0)\na / 0")
    assert not result.success and "----> 6 a / 0" in capsys.readouterr().out
    result = run(loaded, "%%micrograd\n\nx = Value(1.0)\ny = (x +")
    out = capsys.readouterr().out
    assert not result.success and "line 4" in out and "y = (x +" in out


def test_top_level_await_is_a_clear_error_before_anything_runs(loaded, drawn):
    with pytest.raises(UsageError, match="cannot run top-level `await`"):
        loaded.run_cell_magic(
            "micrograd", "", "ran = True\nimport asyncio\nawait asyncio.sleep(0)"
        )
    assert "ran" not in loaded.user_ns and drawn == []
    # awaits inside a function the cell defines are fine
    micrograd_cell(loaded, """
        from micrograd_widgets.engine import Value
        async def later():
            await later()
        v = Value(1.0)
        """)
    assert loaded.user_ns["v"].label == "v" and len(drawn) == 1


def test_a_syntax_error_is_shown_and_nothing_runs(loaded, drawn, capsys):
    result = micrograd_cell(loaded, "ran = True\nx = (1 +\n")
    out = capsys.readouterr().out
    # the shell's own report; Python 3.13 names an unfinished cell _IncompleteInputError,
    # a SyntaxError subclass, where earlier versions say SyntaxError
    assert not result.success and isinstance(result.error_before_exec, SyntaxError)
    assert f"{type(result.error_before_exec).__name__}: " in out
    assert "ran" not in loaded.user_ns and drawn == []


def test_a_cell_without_values_says_how_to_fix_it(loaded, drawn, capsys):
    result = micrograd_cell(loaded, "x = 1\nprint('no values here')")
    captured = capsys.readouterr()
    assert result.success and result.result is None and drawn == []
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert "no Value" in lines[0] and "--name VAR" in lines[0]


# ---------------------------------------------------------------------------- what gets drawn


def test_the_last_expression_is_drawn(loaded, drawn):
    micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = a * 3
        a + 1
        """,
    )
    (root,) = roots_of(drawn[-1])
    assert root.data == 3.0 and root.label == ""  # the expression, unnamed
    assert any(child is loaded.user_ns["a"] for child in root._prev)


@pytest.mark.parametrize(
    "expression, names",
    [("[a, b]", ["a", "b"]), ("(b, a)", ["b", "a"]), ("{'first': b, 'second': a}", ["b", "a"])],
    ids=["list", "tuple", "dict"],
)
def test_a_collection_of_values_as_last_expression(loaded, drawn, expression, names):
    micrograd_cell(
        loaded,
        f"""
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(5.0)
        {expression}
        """,
    )
    assert same(roots_of(drawn[-1]), [loaded.user_ns[n] for n in names])


def test_without_a_last_expression_the_top_assigned_values_are_drawn(loaded, drawn):
    loaded.user_ns["old"] = Value(100.0)  # made before the cell: not the cell's
    micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(-3.0)
        c = a * b + old
        d = c.tanh()
        e = Value(7.0)
        print("a last expression that is not a Value")
        """,
    )
    ns = loaded.user_ns
    assert same(roots_of(drawn[-1]), [ns["d"], ns["e"]])


def test_a_value_reachable_only_through_another_root_is_not_a_root(loaded, drawn):
    micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        x = Value(1.0)
        y = x + x
        z = (y * 2) * x
        w = Value(3.0)
        u = w.relu()
        """,
    )
    ns = loaded.user_ns
    assert same(roots_of(drawn[-1]), [ns["z"], ns["u"]])


def test_name_picks_the_variable_to_draw(loaded, drawn):
    micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = a * 2
        c = b + 1
        c
        """,
        flags="--name b",
    )
    assert same(roots_of(drawn[-1]), [loaded.user_ns["b"]])
    micrograd_cell(loaded, "pair = [a, c]", flags="--name pair")
    assert same(roots_of(drawn[-1]), [loaded.user_ns["a"], loaded.user_ns["c"]])


# ---------------------------------------------------------------------------- auto-labels


def test_a_rebound_name_labels_each_value_it_held(loaded, drawn):
    micrograd_cell(loaded, """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(-3.0)
        a = a * b
        x = Value(1.0)
        x += 1
        x *= 2
        """)
    ns = loaded.user_ns
    assert ns["a"].label == "a" and [v.label for v in ns["a"]._prev] == ["a", "b"]
    assert ns["x"].label == "x" and ns["x"]._prev[0].label == "x"
    assert ns["x"]._prev[0]._prev[0].label == "x"  # the first x, before both updates


def test_loop_variables_do_not_label_what_they_went_over(loaded, drawn):
    micrograd_cell(loaded, """
        from micrograd.nn import MLP
        import random
        random.seed(0)
        n = MLP(2, [3, 1])
        for p in n.parameters():
            p.grad = 0
        total = 0
        for w in n.layers[0].neurons[0].w:
            total = total + w
        """)
    ns = loaded.user_ns
    assert all(getattr(p, "label", "") in ("", None) for p in ns["n"].parameters())
    assert ns["total"].label == "total"


def test_a_list_of_values_assigned_to_a_name_is_drawn(loaded, drawn, capsys):
    micrograd_cell(loaded, """
        from micrograd_widgets.nn import MLP
        model = MLP(2, [3, 2])
        outs = model([1.0, 2.0])
        """)
    assert "nothing to draw" not in capsys.readouterr().err
    assert same(roots_of(drawn[-1]), loaded.user_ns["outs"])


def test_a_trailing_semicolon_shows_nothing_but_still_labels(loaded, drawn):
    result = micrograd_cell(loaded, """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = a * 3
        b;  # quiet, as in any cell
        """)
    assert result.success and result.result is None
    assert loaded.user_ns["b"].label == "b" and len(drawn) == 1


def test_rankdir_is_not_case_sensitive(loaded, drawn):
    micrograd_cell(loaded, "from micrograd_widgets.engine import Value\nv = Value(1.0) * 2",
                   flags="--rankdir tb")
    assert drawn[-1][1]["rankdir"] == "TB"


def test_assigned_values_get_their_names_and_user_labels_stay(loaded, drawn):
    micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(-3.0, label="mine")
        c = a * b
        d, (e, *rest) = c + a, (Value(1.0), Value(2.0), Value(3.0))
        f = g = e * 2
        h: Value = f + 1
        h += 1
        if (k := h * 2).data > 0:
            for m in [Value(5.0)]:
                pass
        holder = type("Holder", (), {})()
        holder.attribute = Value(9.0)
        def inner():
            local_value = Value(4.0)
            return local_value
        n = inner()
        o = a * b * c
        """,
    )
    ns = loaded.user_ns
    expected = {"a": "a", "b": "mine", "c": "c", "d": "d", "e": "e", "f": "f", "g": "f",
                "h": "h", "k": "k", "n": "n", "o": "o"}
    assert {name: ns[name].label for name in expected} == expected
    assert ns["m"].label == ""  # a loop's variable names no Value of its own
    assert ns["h"]._prev[0].label == "h"  # the h before `h += 1` was labelled when assigned
    assert [v.label for v in ns["rest"]] == ["", ""]  # in a list, not assigned to a name
    assert ns["holder"].attribute.label == ""  # an attribute, not a name
    assert ns["o"]._prev[0].label == ""  # the unnamed a * b in the middle stays unnamed


def test_auto_labels_reach_the_drawn_widget(loaded, drawn):
    widget = micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        weight_xq = Value(2.0)
        bias_zk = Value(1.0)
        output_vy = weight_xq * 3 + bias_zk
        """,
    ).result
    state = json.dumps(widget.get_state(), default=str)
    for label in ("weight_xq", "bias_zk", "output_vy"):
        assert label in state


def test_no_labels_leaves_values_unlabelled(loaded, drawn):
    micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(3.0, label="mine")
        c = a * b
        """,
        flags="--no-labels",
    )
    ns = loaded.user_ns
    assert (ns["a"].label, ns["b"].label, ns["c"].label) == ("", "mine", "")
    assert same(roots_of(drawn[-1]), [ns["c"]])


def test_micrograd_0_1_0_values_are_labelled_and_drawn(loaded, drawn):
    micrograd_cell(
        loaded,
        """
        from micrograd.engine import Value as MValue
        x = MValue(3.0)
        y = MValue(-2.0)
        z = (x * y).relu() + x ** 2
        """,
        flags="--backward",
    )
    ns = loaded.user_ns
    assert [ns[n].label for n in ("x", "y", "z")] == ["x", "y", "z"]
    assert same(roots_of(drawn[-1]), [ns["z"]])
    # relu(x*y) = 0 here, so dz/dx = 2x, dz/dy = 0: micrograd's own backward ran
    assert (ns["x"].grad, ns["y"].grad) == (6.0, 0)


def test_the_lecture_value_with_prev_and_op(loaded, drawn):
    # the lecture notebook's own class
    assert run(loaded, "from tests.lecture_value import LectureValue").success
    micrograd_cell(
        loaded,
        """
        x1 = LectureValue(2.0)
        w1 = LectureValue(-3.0, label="weight")
        n = x1 * w1 + LectureValue(6.8813735870195432)
        o = n.tanh()
        """,
        flags="--backward",
    )
    ns = loaded.user_ns
    assert [ns[k].label for k in ("x1", "w1", "n", "o")] == ["x1", "weight", "n", "o"]
    assert same(roots_of(drawn[-1]), [ns["o"]])
    # independent: do/dn = 1 - tanh(n)^2, dn/dx1 = w1
    import math

    dn = 1 - math.tanh(ns["n"].data) ** 2
    assert ns["x1"].grad == pytest.approx(dn * -3.0)
    assert ns["w1"].grad == pytest.approx(dn * 2.0)


# ---------------------------------------------------------------------------- flags


def test_backward_runs_backward_on_the_root_first(loaded, drawn):
    micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(-3.0)
        c = a * b + a
        """,
        flags="--backward",
    )
    ns = loaded.user_ns
    assert ns["c"].grad == 1.0
    assert ns["a"].grad == ns["b"].data + 1  # d(ab + a)/da
    assert ns["b"].grad == ns["a"].data


def test_without_backward_gradients_stay_zero(loaded, drawn):
    micrograd_cell(loaded, "from micrograd_widgets.engine import Value\na = Value(2.0)\nc = a * a")
    assert loaded.user_ns["a"].grad == 0


def test_backward_with_several_roots_is_a_clear_error(loaded, drawn, capsys):
    result = micrograd_cell(
        loaded, "from micrograd_widgets.engine import Value\na = Value(1.0)\nb = Value(2.0)",
        flags="--backward",
    )
    assert not result.success and drawn == []
    assert "--backward needs one root Value" in str(result.error_in_exec)
    assert "--name VAR" in str(result.error_in_exec)


@pytest.mark.parametrize("flags, expected", [
    ("", {"rankdir": "auto", "collapse": "auto"}),
    ("--rankdir TB", {"rankdir": "TB", "collapse": "auto"}),
    ("--rankdir Auto", {"rankdir": "auto", "collapse": "auto"}),
    ("--collapse none --rankdir LR", {"rankdir": "LR", "collapse": "none"}),
])
def test_layout_flags_reach_draw(loaded, drawn, flags, expected):
    micrograd_cell(loaded, "from micrograd_widgets.engine import Value\na = Value(1.0)", flags)
    assert drawn[-1][1] == expected


@pytest.mark.parametrize("flags, complaint", [
    ("--frobnicate", "unrecognized arguments: --frobnicate"),
    ("--rankdir XY", "invalid choice: 'XY'"),
    ("--collapse sometimes", "invalid choice: 'sometimes'"),
    ("--name", "expected one argument"),
    ("--name 3x", "--name expects a variable name"),
])
def test_bad_flags_are_usage_errors_and_the_cell_does_not_run(loaded, drawn, flags, complaint,
                                                              capsys):
    result = micrograd_cell(loaded, "ran = True", flags)
    err = capsys.readouterr().err
    assert not result.success and drawn == []
    assert type(result.error_in_exec).__name__ == "UsageError"
    assert complaint in str(result.error_in_exec)
    assert "ran" not in loaded.user_ns
    assert "UsageError" in err and complaint in err
    if "name expects" not in complaint:
        assert "usage: %%micrograd [--backward] [--animate] [--name VAR]" in err


def test_name_of_a_missing_variable_is_a_clear_error(loaded, drawn):
    result = micrograd_cell(loaded, "from micrograd_widgets.engine import Value\na = Value(1.0)",
                            flags="--name lossx")
    assert not result.success and drawn == []
    assert str(result.error_in_exec) == "--name lossx: no variable named 'lossx'"


@pytest.mark.parametrize(
    "value, kind", [("3.5", "a float"), ("[a, 1]", "a list"), ("[]", "a list"), ("7", "an int")]
)
def test_name_of_something_not_a_value_is_a_clear_error(loaded, drawn, value, kind):
    result = micrograd_cell(
        loaded, f"from micrograd_widgets.engine import Value\na = Value(1.0)\nthing = {value}",
        flags="--name thing",
    )
    assert not result.success and drawn == []
    assert str(result.error_in_exec) == (
        f"--name thing: thing is {kind}, not a Value (or a list/tuple/dict of Values)"
    )


def test_help_shows_every_option(loaded, capsys):
    run(loaded, "%%micrograd?")
    out = capsys.readouterr().out
    for option in ("--backward", "--animate", "--name VAR", "--rankdir", "--collapse",
                   "--no-labels"):
        assert option in out
    assert "%%micrograd [--backward]" in out


def test_animate_returns_the_backprop_player(loaded):
    try:
        from micrograd_widgets.widgets.backprop import BackpropWidget
    except ImportError as error:
        pytest.skip(f"the backprop player (issue 4) is not there yet: {error}")
    result = micrograd_cell(
        loaded,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(-3.0)
        c = a * b
        """,
        flags="--animate",
    )
    assert isinstance(result.result, BackpropWidget)
    assert loaded.user_ns["c"].label == "c"
    assert loaded.user_ns["a"].grad == -3.0  # the player ran the real backward pass


def test_animate_with_several_roots_is_a_clear_error(loaded):
    result = micrograd_cell(
        loaded, "from micrograd_widgets.engine import Value\na = Value(1.0)\nb = Value(2.0)",
        flags="--animate",
    )
    assert not result.success
    assert "--animate needs one root Value" in str(result.error_in_exec)


def test_animate_passes_rankdir_to_the_player(loaded):
    result = micrograd_cell(
        loaded, "from micrograd_widgets.engine import Value\na = Value(2.0)\nb = a * a",
        flags="--animate --rankdir TB",
    )
    assert result.success
    assert result.result.graph["rankdir"] == "TB"


# A sum of 2,600 terms x * k: 2,600 constants k, 2,600 products, 2,600 partial sums, x and the
# starting 0.0 make 7,802 Values, above both the player's and the browser layout's limits.
BIG_SUM = """
from micrograd_widgets.engine import Value
x = Value(0.5)
total = sum((x * k for k in range(2600)), Value(0.0))
"""


def test_animate_on_a_too_big_graph_is_one_clear_line(loaded, capsys):
    result = micrograd_cell(loaded, BIG_SUM, flags="--animate")
    err = capsys.readouterr().err
    assert not result.success and type(result.error_in_exec).__name__ == "UsageError"
    message = str(result.error_in_exec)
    assert message.startswith("--animate: the graph of total has more than 2,000 Values")
    assert "--name VAR" in message and "drop --animate" in message
    assert "Traceback" not in err and "magic/magics.py" not in err  # a usage line, not a crash
    assert loaded.user_ns["x"].grad == 0  # refused before any grad was touched


def test_collapse_none_on_a_too_big_graph_is_one_clear_line(loaded, drawn, capsys):
    result = micrograd_cell(loaded, BIG_SUM, flags="--collapse none")
    err = capsys.readouterr().err
    assert not result.success and drawn == []
    assert str(result.error_in_exec).startswith(
        "--collapse none: the graph has 7,802 Values, more than the 5,000"
    )
    assert "Traceback" not in err
    assert micrograd_cell(loaded, "total", flags="--collapse auto").success  # folded: fine


# ---------------------------------------------------------------------------- terminal IPython


@pytest.fixture
def terminal(tmp_path, monkeypatch):
    shell = _new_shell(TerminalInteractiveShell, tmp_path, monkeypatch)
    yield shell
    shell.history_manager.end_session()
    TerminalInteractiveShell.clear_instance()


def test_terminal_ipython_shows_text_and_builds_no_widget_for_values(terminal, capsys):
    assert run(terminal, "%load_ext micrograd_widgets").success
    run(terminal, "from micrograd_widgets.engine import Value\nv = Value(2.0) * Value(4.0)")
    before = set(live_widgets)
    capsys.readouterr()
    result = run(terminal, "v")
    assert result.success
    assert f"Out[{result.execution_count}]: Value(data=8.0, grad=0)" in capsys.readouterr().out
    assert set(live_widgets) == before


def test_terminal_ipython_micrograd_cell_prints_a_readable_line(terminal, capsys):
    run(terminal, "%load_ext micrograd_widgets")
    capsys.readouterr()
    result = micrograd_cell(
        terminal,
        """
        from micrograd_widgets.engine import Value
        a = Value(2.0)
        b = Value(4.0)
        c = a * b
        """,
        flags="--backward",
    )
    assert result.success
    out = capsys.readouterr().out
    assert f"Out[{result.execution_count}]: graph of 3 Values; root c = 8.0000 (open in " in out
    assert "JupyterLab" in out and "object at 0x" not in out
    assert terminal.user_ns["_"] is result.result


# ---------------------------------------------------------------------------- a real kernel


def test_in_a_kernel_values_are_widgets_and_a_failing_cell_is_an_error(tmp_path):
    """What a notebook front end receives: the widget view in the result, a failing
    %%micrograd cell reported as an error (so "run all" and nbclient stop there)."""
    from pathlib import Path

    import nbclient
    import nbformat

    cells = [
        "%load_ext micrograd_widgets",
        "from micrograd_widgets.engine import Value\nv = Value(2.0) * Value(3.0)\nv",
        "%%micrograd\nw = Value(1.0)\nw / 0",
        "print('not reached')",
    ]
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}})
    nb.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    client = nbclient.NotebookClient(
        nb, timeout=120, allow_errors=False,
        resources={"metadata": {"path": str(Path(__file__).resolve().parents[2])}},
    )
    with pytest.raises(nbclient.exceptions.CellExecutionError, match="ZeroDivisionError"):
        client.execute()
    (shown,) = nb.cells[1].outputs
    assert shown.output_type == "execute_result"
    assert WIDGET_MIME in shown.data and shown.data["text/plain"] == "Value(data=6.0, grad=0)"
    (error,) = nb.cells[2].outputs
    assert error.output_type == "error" and error.ename == "ZeroDivisionError"
    assert not any("run_cell_magic" in line or "magic/magics.py" in line
                   for line in error.traceback)
    assert nb.cells[3].outputs == []


def test_widgets_the_magic_did_not_make_keep_their_own_text(loaded):
    micrograd_cell(loaded, "from micrograd_widgets.engine import Value\na = Value(2.0)")
    from micrograd_widgets import draw

    other = draw(loaded.user_ns["a"])
    data, _ = loaded.display_formatter.format(other)
    own = other._repr_mimebundle_()
    own = own[0] if isinstance(own, tuple) else own  # (data, metadata) or data
    assert data["text/plain"] == own["text/plain"]
    other.close()
    assert loaded.display_formatter.format(other)[0]["text/plain"] == repr(other)


# ---- issue 14: --gradcheck and source lines

NEURON = """
from micrograd_widgets.engine import Value
x1 = Value(2.0); x2 = Value(0.0)
w1 = Value(-3.0); w2 = Value(1.0)
b = Value(6.8813735870195432)
n = x1*w1 + x2*w2 + b
o = n.tanh()
"""

BUGGY = """
from micrograd_widgets.engine import Value
class Buggy(Value):
    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")
        def _backward():
            self.grad = out.grad  # the bug: = instead of +=
            other.grad = out.grad
        out._backward = _backward
        return out
a = Buggy(3.0)
b = a + a
"""


def checks_of(widget) -> dict[str, str]:
    return dict(zip(widget.graph["label"], widget.graph["check"], strict=True))


def test_gradcheck_flag_checks_the_neuron_and_draws_the_slopes(loaded, drawn):
    result = micrograd_cell(loaded, NEURON, "--gradcheck")
    assert result.success
    w = result.result
    assert w.gradcheck is True
    assert same(roots_of(drawn[-1]), [loaded.user_ns["o"]])  # the first run's Values
    marks = checks_of(w)
    assert {marks[k] for k in ("x1", "x2", "w1", "w2", "b", "n", "o")} == {"ok"}
    slopes = dict(zip(w.graph["label"], w.graph["slope"], strict=True))
    assert slopes["x1"] == pytest.approx(-1.5) and slopes["w1"] == pytest.approx(1.0)
    assert loaded.user_ns["x1"].grad == pytest.approx(-1.5)  # backward() was run for it
    assert loaded.user_ns["o"].grad == 1.0


def test_gradcheck_flag_nudges_the_leaves_by_running_the_cell_again(loaded, drawn, capsys):
    cell = NEURON + "print('ran')\nruns.append(1)\n"
    loaded.user_ns["runs"] = []
    assert micrograd_cell(loaded, cell, "--gradcheck").success
    out = capsys.readouterr().out
    assert out.count("ran") == 1  # the re-runs' output is not shown
    # 1 run + 1 to see it gives the same numbers + 2 per input leaf (x1 x2 w1 w2 b)
    assert len(loaded.user_ns["runs"]) == 2 + 2 * 5


def test_gradcheck_flag_catches_the_equals_bug_exactly_at_a(loaded, drawn):
    result = micrograd_cell(loaded, BUGGY, "--gradcheck")
    assert result.success
    assert checks_of(result.result) == {"a": "fail", "b": "ok"}
    assert [c.label for c in result.result.checks.failures] == ["a"]


def test_gradcheck_flag_checks_an_op_written_by_hand(loaded, drawn):
    cell = """
    from micrograd_widgets.engine import Value
    def cube(v):
        out = Value(v.data ** 3, (v,), "cube")
        def _backward():
            v.grad += 3 * v.data ** 2 * out.grad
        out._backward = _backward
        return out
    x = Value(1.5)
    y = cube(x)
    """
    result = micrograd_cell(loaded, cell, "--gradcheck")
    assert result.success
    assert checks_of(result.result) == {"x": "ok", "y": "ok"}
    x = result.result.checks["x"]
    assert x.grad == pytest.approx(6.75) and x.slope == pytest.approx(6.75)


@pytest.mark.parametrize(("body", "message"), [
    ("x = Value(1.0) * (2 +", "--gradcheck: the cell has a SyntaxError on line 3"),
    ("x = 1.0\ny = [x, 2.0]", "nothing to draw, the cell made no Value"),
    ("import random\nx = Value(random.random())\ny = x * 2",
     "--gradcheck: the cell gives different numbers each time it runs (random numbers?)"),
])
def test_gradcheck_flag_errors_are_one_usage_line(loaded, drawn, capsys, body, message):
    result = micrograd_cell(loaded, "from micrograd_widgets.engine import Value\n" + body,
                            "--gradcheck")
    assert not result.success and drawn == []
    error = result.error_in_exec
    assert isinstance(error, UsageError) and message in str(error)
    assert "\n" not in str(error)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


def test_gradcheck_flag_accepts_a_seeded_cell(loaded, drawn):
    cell = """
    import random
    random.seed(0)
    from micrograd_widgets.engine import Value
    x = Value(random.uniform(-1, 1))
    y = (x * x).exp()
    """
    result = micrograd_cell(loaded, cell, "--gradcheck")
    assert result.success and set(checks_of(result.result).values()) == {"ok"}


def test_gradcheck_flag_with_animate_gives_a_checked_player(loaded):
    result = micrograd_cell(loaded, NEURON, "--gradcheck --animate")
    assert result.success
    w = result.result
    assert type(w).__name__ == "BackpropWidget" and w.gradcheck
    assert set(checks_of(w).values()) == {"ok"}
    assert w.graph["source"][w.graph["label"].index("o")] == "o = n.tanh()"


def test_values_remember_the_line_that_made_them(loaded, drawn):
    result = micrograd_cell(loaded, NEURON)
    lines = dict(zip(result.result.graph["label"], result.result.graph["source"], strict=True))
    assert lines["x1"] == "x1 = Value(2.0)"
    assert lines["x2"] == "x2 = Value(0.0)"  # the statement, not the whole line
    assert lines["n"] == "n = x1*w1 + x2*w2 + b"
    assert lines["o"] == "o = n.tanh()"
    sources = result.result.graph["source"]
    unlabelled = [s for s, label in zip(sources, result.result.graph["label"], strict=True)
                  if not label]
    assert set(unlabelled) == {"n = x1*w1 + x2*w2 + b"}  # the products and the inner sum


def test_values_made_elsewhere_have_no_line(loaded, drawn):
    run(loaded, "from micrograd_widgets.engine import Value\nold = Value(2.0, label='old')")
    result = micrograd_cell(loaded, "new = old * 3")
    lines = dict(zip(result.result.graph["label"], result.result.graph["source"], strict=True))
    assert lines == {"old": "", "": "new = old * 3", "new": "new = old * 3"}
    from micrograd_widgets import draw

    assert "source" not in draw(Value(1.0) * 2).graph


def test_source_lines_of_loops_and_the_last_expression(loaded, drawn):
    cell = """
    from micrograd_widgets.engine import Value
    total = Value(0.0)
    for k in range(3):
        total = total + k
    (total * 2).tanh()
    """
    result = micrograd_cell(loaded, cell)
    graph = result.result.graph
    root = len(graph["id"]) - 1  # trace numbers children first: the root is last
    assert graph["source"][root] == "(total * 2).tanh()"
    assert "total = total + k" in graph["source"]


def test_the_source_table_holds_no_value_alive(loaded):
    import gc
    import weakref

    from micrograd_widgets.graph import sources

    cell = "from micrograd_widgets.engine import Value\ntmp = Value(5.0) * 2\nkeep = Value(1.0)\n"
    micrograd_cell(loaded, cell + "keep")  # draws keep only: nothing but the namespace holds tmp
    tmp = loaded.user_ns["tmp"]
    made = [tmp, *tmp._prev]  # tmp, 5.0 and the constant 2
    assert sources.source_of(tmp) == "tmp = Value(5.0) * 2"
    refs = [weakref.ref(v) for v in made]
    keys = [id(v) for v in made]
    assert all(key in sources._lines for key in keys)
    del tmp, made
    run(loaded, "del tmp")
    gc.collect()
    assert all(r() is None for r in refs)
    assert not any(key in sources._lines for key in keys)  # their entries went with them


def test_gradcheck_flag_leaves_values_from_earlier_cells_as_they_were(loaded, drawn):
    run(loaded, "from micrograd_widgets.engine import Value\nold = Value(2.0, label='old')")
    old = loaded.user_ns["old"]
    result = micrograd_cell(loaded, "y = old * old\ny.backward()", "--gradcheck")
    assert result.success
    # the re-runs call y.backward() too, each into old.grad: put back after them
    assert old.grad == 4.0 and old.data == 2.0
    assert checks_of(result.result) == {"old": "ok", "y": "ok"}  # old: by replay, not nudged


def test_a_cell_drawn_before_backward_says_how_to_fill_the_grads(loaded, drawn):
    cell = "from micrograd_widgets.engine import Value\nL = Value(2.0) * 3"
    result = micrograd_cell(loaded, cell)
    notice = result.result.graph["notice"]
    assert notice == ("Every grad is 0: call L.backward() to fill them in "
                      "(or run the cell as %%micrograd --backward).")
    done = micrograd_cell(loaded, "M = Value(2.0) * 3", "--backward")
    assert "notice" not in done.result.graph


def test_after_binding_reaches_every_block_of_the_cell_and_no_function_body():
    import ast

    from micrograd_widgets.magic.rewrite import HOOK, AfterBinding

    source = textwrap.dedent("""
        a = 1
        try:
            b = 2
        except ValueError as error:
            c = 3
        finally:
            d = 4
        with open("x") as (e, f):
            g = 5
        match a:
            case 1:
                h = 6
        while (i := 0):
            pass
        def fn():
            j = 7
        class K:
            k = 8
    """)
    tree = AfterBinding(source).visit(ast.parse(source))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == HOOK]
    named = [[arg.value for arg in call.args[1::2]] for call in calls]
    texts = [call.args[0].value for call in calls]
    assert sorted(map(tuple, named)) == sorted(
        [("a",), ("b",), ("c",), ("d",), ("e", "f"), ("g",), ("h",), ("i",)])
    assert {"a = 1", "while (i := 0):", 'with open("x") as (e, f):'} <= set(texts)
    compile(ast.fix_missing_locations(tree), "<cell>", "exec")  # still valid code


def test_gradcheck_flag_closes_the_widgets_its_re_runs_make(loaded):
    before = set(live_widgets)
    cell = NEURON + "from micrograd_widgets import draw\nshown = draw(o)\n"
    assert micrograd_cell(loaded, cell, "--gradcheck").success
    made = [live_widgets[k] for k in set(live_widgets) - before]
    graphs = [w for w in made if type(w).__name__ == "GraphWidget"]
    assert len(graphs) == 2  # the cell's own draw(o) and the magic's graph, not 12 more
