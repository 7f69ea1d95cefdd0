"""`%load_ext micrograd_widgets`: the %%micrograd cell magic, and Values displayed as graphs.

Loading adds printers to the shell's formatters (never replaces a formatter): a `Value` gets a
mimebundle printer that adds the graph widget's view and a static SVG + PNG of its graph (unless
micrograd_widgets.options.static_pictures is off), while its text/plain stays its own repr, so
front ends without widgets (terminal IPython, jupyter console) show the text. Unloading removes
exactly what loading added and puts back whatever was registered before. The widgets the magic
returns carry their own text/plain line and pictures (widgets/_graph_static.py).

Widgets are imported on first use: loading the extension costs almost nothing.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from types import CodeType
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from ..graph.backprop import DEFAULT_MAX_NODES, GraphTooBigError
from ..graph.pytorch.read import is_tensor
from ..graph.tracing import COLLAPSE_MODES, HARD_LIMIT
from ..graph.walk import reachable
from .printers import MICROGRAD_VALUE, WIDGET_MIME, _Printer, count_values, top_values
from .rewrite import (  # noqa: F401 (is_value, values_in, assigned_names: long imported from here)
    HOOK,
    RESULT,
    AfterBinding,
    CellHook,
    assigned_names,
    cell_tree,
    ends_with_semicolon,
    has_top_level_await,
    is_value,
    known_values,
    parse_cell,
    statement_text,
    values_in,
)

NO_VALUE = (
    "%%micrograd: nothing to draw, the cell made no Value. End the cell with a Value "
    "(e.g. `loss`), assign one to a name, or pick one with --name VAR."
)

# ---------------------------------------------------------------------------- load / unload


def _rankdir(text: str) -> str:
    """--rankdir's value as draw() takes it: "auto", "LR" or "TB", in any letter case."""
    return "auto" if text.lower() == "auto" else text.upper()


def load(shell: Any) -> None:
    """Adds %%micrograd and the Value printers to `shell`; loading again changes nothing."""
    if _loaded(shell) is not None:
        return
    magics = MicrogradMagics(shell)
    magics.add_printers()
    shell.register_magics(magics)


def unload(shell: Any) -> None:
    """Removes %%micrograd and every printer `load` added, restoring what was there before."""
    magics = _loaded(shell)
    if magics is None:
        return
    manager = shell.magics_manager
    for table in manager.magics.values():
        for name, function in list(table.items()):
            if getattr(function, "__self__", None) is magics:
                del table[name]
    del manager.registry[type(magics).__name__]
    magics.remove_printers()


def _loaded(shell: Any) -> MicrogradMagics | None:
    return shell.magics_manager.registry.get(MicrogradMagics.__name__)


# ---------------------------------------------------------------------------- the magic


@magics_class
class MicrogradMagics(Magics):
    """%%micrograd, and the display printers, for one shell."""

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self._printers: list[_Printer] = []

    # -- display printers

    def add_printers(self) -> None:
        from ..engine import Value

        bundles = self.shell.display_formatter.mimebundle_formatter
        self._printers.append(_Printer(bundles, Value, self._value_bundle))
        self._printers.append(_Printer(bundles, MICROGRAD_VALUE, self._value_bundle))

    def remove_printers(self) -> None:
        while self._printers:
            self._printers.pop().remove()

    def _widgets_shown(self) -> bool:
        """False in text-only front ends (terminal IPython keeps only text/plain active)."""
        return "text/html" in self.shell.display_formatter.active_types

    def _value_bundle(self, value: Any) -> dict[str, Any] | None:
        """The graph widget's view and pictures for a displayed Value; text/plain stays the
        Value's repr."""
        if not self._widgets_shown():
            return None
        from .. import draw

        bundle = draw(value)._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if not data or WIDGET_MIME not in data:
            return None
        return {k: v for k, v in data.items() if k != "text/plain"}

    # -- %%micrograd

    @magic_arguments(name="%micrograd")
    @argument("--backward", action="store_true", help="call backward() on the root before drawing")
    @argument(
        "--animate",
        action="store_true",
        help="return the backprop player instead of the graph (it runs the backward pass itself)",
    )
    @argument(
        "--name",
        metavar="VAR",
        help="draw this variable (a Value, or a list/tuple/dict of Values) instead of guessing",
    )
    @argument(
        "--rankdir", type=_rankdir, choices=["auto", "LR", "TB"], default="auto",
        help=(
            "auto: left to right, or top to bottom where only that shows a small graph whole "
            "in the cell; LR: left to right; TB: top to bottom"
        ),
    )
    @argument(
        "--collapse",
        choices=list(COLLAPSE_MODES),
        default="auto",
        help=(
            "auto: fold big graphs by layer/neuron; groups: fold even small ones; "
            "none: draw every Value (the graph only)"
        ),
    )
    @argument(
        "--gradcheck",
        action="store_true",
        help=(
            "check backward(): run the cell again with each input Value nudged by h and draw "
            "the numerical slope beside each grad (implies --backward if no grad is set)"
        ),
    )
    @argument(
        "--no-labels",
        dest="labels",
        action="store_false",
        help="don't label each unlabelled Value with the name the cell assigns it to",
    )
    @cell_magic
    def micrograd(self, line: str, cell: str) -> Any:
        """Run the cell like any cell, then draw its Values' graph and return the widget.

        Draws the cell's last expression if it is a Value (or a list/tuple/dict of Values);
        otherwise every Value the cell assigns to a name that no other such Value depends on.
        Each Value assigned to a name and still unlabelled gets that name as its label, and
        remembers the line of the cell that made it (shown when hovering its box).
        """
        args = self._parse(line)
        ran = self._run(line, cell, args)
        if not ran.ok:
            return None  # the traceback is already shown, like any failing cell
        roots = self._roots(args, ran.last, ran.names, self.shell.user_ns)
        if not roots:
            if args.gradcheck:
                raise UsageError(NO_VALUE)
            print(NO_VALUE, file=sys.stderr)
            return None
        quiet = ends_with_semicolon(cell)  # `loss;` shows nothing, as in any cell
        if args.animate:
            root = _single(roots, "--animate")
            widget = self._player(root, args.rankdir)
            if args.gradcheck:
                widget._show_checks(self._check(ran, args, root))
            return None if quiet else widget
        if args.collapse == "none" and (size := count_values(roots)) > HARD_LIMIT:
            raise UsageError(
                f"--collapse none: the graph has {size:,} Values, more than the {HARD_LIMIT:,} "
                "the browser lays out one by one. Leave out --collapse to fold it by group."
            )
        checks = None
        if args.backward or args.gradcheck:
            root = _single(roots, "--gradcheck" if args.gradcheck else "--backward")
            if args.gradcheck and is_tensor(root):
                raise UsageError("--gradcheck checks micrograd Values; for a PyTorch tensor use "
                                 "torch.autograd.gradcheck (the graph shows torch's grads)")
            if not callable(getattr(root, "backward", None)):
                flag = "--gradcheck" if args.gradcheck else "--backward"
                raise UsageError(f"{flag}: {type(root).__name__} has no backward() method")
            if args.backward or all(v.grad == 0 for v in reachable([root]).values()):
                root.backward()
            if args.gradcheck:
                checks = self._check(ran, args, root)
        from .. import draw

        widget = draw(roots[0] if len(roots) == 1 else roots, rankdir=args.rankdir,
                      collapse=args.collapse)
        if checks is not None:
            widget._show_checks(checks)
        elif "notice" in widget.graph:  # every grad 0: the magic's own way to fill them in
            widget._then = "(or run the cell as %%micrograd --backward)"
            widget._publish()
        return None if quiet else widget

    def _player(self, root: Any, rankdir: str) -> Any:
        from .. import animate_backward

        try:
            return animate_backward(root, rankdir=rankdir)
        except GraphTooBigError:
            raise UsageError(
                f"--animate: the graph of {_name_of(root)} has more than "
                f"{DEFAULT_MAX_NODES:,} Values, too many to play node by node. Animate a "
                "smaller root with --name VAR (one neuron's output, one example's loss), or "
                "drop --animate to draw the whole graph folded."
            ) from None

    def _check(self, ran: _Ran, args: Any, root: Any) -> Any:
        """--gradcheck: the cell run again with each leaf nudged (see cell_gradcheck.py)."""
        from .cell_gradcheck import CellRunner, check_cell

        if ran.code is None:
            raise UsageError("--gradcheck: the cell could not be compiled to run again")

        def find_root(namespace: dict[str, Any]) -> Any:
            found = self._roots(args, namespace.get(RESULT), ran.names, namespace)
            return found[0] if len(found) == 1 else None

        runner = CellRunner(ran.code, ran.before, ran.known, find_root)
        return check_cell(runner, root, ran.hook.leaves)

    def _parse(self, line: str) -> Any:
        try:
            args = parse_argstring(self.micrograd, line)
        except UsageError as error:
            usage = " ".join(self.micrograd.parser.format_usage().replace("::", "").split())
            raise UsageError(f"%%micrograd: {error}\nusage: {usage}") from None
        if args.name is not None and not args.name.isidentifier():
            raise UsageError(f"--name expects a variable name, got {args.name!r}")
        return args

    def _run(self, line: str, cell: str, args: Any) -> _Ran:
        """Runs `cell` as the shell runs a cell: did it run, its last expression, what it binds.

        Errors are shown by the shell's own traceback machinery (`run_code`), and recorded on
        the running cell's result, so a failing %%micrograd cell fails like any cell. Line
        numbers count the %%micrograd line, so tracebacks point at the line as typed. After each
        statement that binds names the cell calls the hook (rewrite.AfterBinding, rewrite.CellHook):
        it labels the Values bound (unless --no-labels) and records the line that made them.
        """
        shell = self.shell
        outcome = getattr(shell.displayhook, "exec_result", None)
        shown = f"%%micrograd {line}".rstrip() + "\n" + cell
        filename = shell.compile.cache(shown, shell.execution_count, raw_code=shown)
        try:
            tree, source = parse_cell(shell, cell, filename)
            names = assigned_names(tree)
            if has_top_level_await(tree):
                raise UsageError(
                    "%%micrograd cannot run top-level `await`; run that in a cell of its own"
                )
            tree = AfterBinding(source).visit(tree)
            _keep_last_expression(tree, source)
            code = shell.compile(tree, filename, "exec")
        except SyntaxError as error:
            if args.gradcheck:  # one line, as for the other cells --gradcheck cannot check
                where = f" on line {error.lineno}" if error.lineno else ""
                raise UsageError(
                    f"--gradcheck: the cell has a SyntaxError{where} ({error.msg}); "
                    "fix it, then check it"
                ) from None
            shell.showsyntaxerror(filename)
            if outcome is not None:
                outcome.error_before_exec = error
            return _Ran(ok=False)
        ran = _Ran(ok=False, names=names, code=code, before=dict(shell.user_ns))
        ran.known = known_values(shell.user_ns)
        ran.hook = CellHook(label=args.labels, known=ran.known)
        shell.user_ns[HOOK] = ran.hook
        try:
            ran.ok = not _finish(shell.run_code(code, result=outcome))
            ran.last = shell.user_ns.get(RESULT)
            return ran
        finally:
            shell.user_ns.pop(RESULT, None)
            shell.user_ns.pop(HOOK, None)

    def _roots(self, args: Any, last: Any, names: list[str], ns: dict[str, Any]) -> list[Any]:
        """What to draw: --name VAR, else the last expression, else the cell's top Values."""
        if args.name is not None:
            if args.name not in ns:
                raise UsageError(f"--name {args.name}: no variable named {args.name!r}")
            roots = values_in(ns[args.name])
            if roots is None:
                kind = type(ns[args.name]).__name__
                article = "an" if kind[:1].lower() in "aeiou" else "a"
                raise UsageError(
                    f"--name {args.name}: {args.name} is {article} {kind}, "
                    "not a Value (or a list/tuple/dict of Values)"
                )
            return roots
        roots = values_in(last)
        if roots is not None:
            return roots
        assigned = {id(v): v for n in names for v in values_in(ns.get(n)) or ()}
        return top_values(list(assigned.values()))


@dataclass
class _Ran:
    """What running the cell gave: did it run, its last expression, the names it binds, and
    what --gradcheck needs to run it again (its code, the namespace before it, its hook)."""

    ok: bool
    last: Any = None
    names: list[str] = field(default_factory=list)
    code: CodeType | None = None
    before: dict[str, Any] = field(default_factory=dict)
    known: dict[int, Any] = field(default_factory=dict)
    hook: CellHook = field(default_factory=CellHook)


def _keep_last_expression(tree: ast.Module, source: str) -> None:
    """The cell's last expression is assigned to RESULT (and its Values get their line)."""
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body[-1]
        keep = ast.Assign(targets=[ast.Name(RESULT, ast.Store())], value=last.value)
        call = ast.Expr(ast.Call(ast.Name(HOOK, ast.Load()), [
            ast.Constant(statement_text(source, last)), ast.Constant(""),
            ast.Name(RESULT, ast.Load())], []))
        tree.body[-1:] = [ast.fix_missing_locations(ast.copy_location(node, last))
                          for node in (keep, call)]


def _single(roots: list[Any], flag: str) -> Any:
    if len(roots) != 1:
        raise UsageError(f"{flag} needs one root Value, the cell gave {len(roots)}; "
                         "pick one with --name VAR")
    return roots[0]


def _name_of(value: Any) -> str:
    label = getattr(value, "label", "")
    return str(label) if label else "the cell's Value"


def _finish(step: Any) -> Any:
    """`run_code` is a coroutine in IPython 8; a cell without `await` never suspends it."""
    if not hasattr(step, "send"):
        return step
    try:
        step.send(None)
    except StopIteration as done:
        return done.value
    step.close()  # not reached: has_top_level_await turned such cells away
    raise UsageError("%%micrograd cannot run top-level `await`; run that in a cell of its own")
