"""`%load_ext micrograd_widgets`: the %%micrograd cell magic, and Values displayed as graphs.

Loading adds printers to the shell's formatters (never replaces a formatter): a `Value` gets a
mimebundle printer that adds the graph widget's view, while its text/plain stays its own repr, so
front ends without widgets (terminal IPython, jupyter console) show the text. Unloading removes
exactly what loading added and puts back whatever was registered before.

Widgets are imported on first use: loading the extension costs almost nothing.
"""

from __future__ import annotations

import ast
import io
import sys
import tokenize
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, cell_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from .backprop import DEFAULT_MAX_NODES, GraphTooBigError
from .graph import COLLAPSE_MODES, HARD_LIMIT, children_of, is_value_like

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
MICROGRAD_VALUE = ("micrograd.engine", "Value")  # by name: micrograd need not be imported
_RESULT = "__micrograd_widgets_last_expression__"  # where the cell's last expression lands, briefly
_LABEL = "__micrograd_widgets_label__"  # the labelling function the cell calls, while it runs
NO_VALUE = (
    "%%micrograd: nothing to draw, the cell made no Value. End the cell with a Value "
    "(e.g. `loss`), assign one to a name, or pick one with --name VAR."
)

# What each widget the magic made shows as text: (what it is, the Values it draws).
_TEXT: weakref.WeakKeyDictionary[Any, tuple[str, list[Any]]] = weakref.WeakKeyDictionary()


# ---------------------------------------------------------------------------- load / unload


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


class _Printer:
    """One printer added to one formatter for one type, and what it replaced, to put back.

    `key` is a class, or (module, name) for a class that may not be imported yet. IPython keeps
    name-registered printers aside until it first meets the class, then files them by class; so a
    by-name printer is looked for in both places when removed, and a class that is already
    imported is registered directly (an older printer filed by class would otherwise win).
    """

    def __init__(self, formatter: Any, key: type | tuple[str, str], printer: Callable) -> None:
        if isinstance(key, tuple):
            cls = getattr(sys.modules.get(key[0]), key[1], None)
            if isinstance(cls, type):
                key = cls
        self.formatter, self.key, self.printer = formatter, key, printer
        table = self._table()
        self.had_previous = self.key in table
        self.previous = table.get(self.key)
        if isinstance(self.key, tuple):
            formatter.for_type_by_name(*self.key, printer)
        else:
            formatter.for_type(self.key, printer)

    def _table(self) -> dict:
        by_name = isinstance(self.key, tuple)
        return self.formatter.deferred_printers if by_name else self.formatter.type_printers

    def remove(self) -> None:
        """Takes our printer out (unless someone replaced it since) and restores the old one."""
        table, ours = self._table(), False
        if table.get(self.key) is self.printer:
            del table[self.key]
            ours = True
        if isinstance(self.key, tuple):  # met since: now filed under the class
            for cls, printer in list(self.formatter.type_printers.items()):
                if (cls.__module__, cls.__name__) == self.key and printer is self.printer:
                    del self.formatter.type_printers[cls]
                    ours = True
        if ours and self.had_previous:
            table[self.key] = self.previous


# ---------------------------------------------------------------------------- the magic


@magics_class
class MicrogradMagics(Magics):
    """%%micrograd, and the display printers, for one shell."""

    def __init__(self, shell: Any) -> None:
        super().__init__(shell)
        self._printers: list[_Printer] = []

    # -- display printers

    def add_printers(self) -> None:
        from .engine import Value

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
        """The graph widget's view for a displayed Value; text/plain stays the Value's repr."""
        if not self._widgets_shown():
            return None
        from . import draw

        bundle = draw(value)._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        return {WIDGET_MIME: data[WIDGET_MIME]} if data and WIDGET_MIME in data else None

    def _remember_text(self, widget: Any, what: str, roots: list[Any]) -> None:
        """So a front end without widgets shows a line about the graph, not the widget's traits."""
        _TEXT[widget] = (what, roots)
        plain = self.shell.display_formatter.formatters["text/plain"]
        if not any(p.key is type(widget) and p.formatter is plain for p in self._printers):
            self._printers.append(_Printer(plain, type(widget), _widget_text))

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
        "--rankdir", type=str.upper, choices=["LR", "TB"], default="LR",
        help="left-right or top-bottom",
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
        Each Value assigned to a name and still unlabelled gets that name as its label.
        """
        args = self._parse(line)
        ran, last, names = self._run(line, cell, args.labels)
        if not ran:
            return None  # the traceback is already shown, like any failing cell
        roots = self._roots(args, last, names)
        if not roots:
            print(NO_VALUE, file=sys.stderr)
            return None
        quiet = ends_with_semicolon(cell)  # `loss;` shows nothing, as in any cell
        if args.animate:
            root = _single(roots, "--animate")
            from . import animate_backward

            try:
                widget = animate_backward(root, rankdir=args.rankdir)
            except GraphTooBigError:
                raise UsageError(
                    f"--animate: the graph of {_name_of(root)} has more than "
                    f"{DEFAULT_MAX_NODES:,} Values, too many to play node by node. Animate a "
                    "smaller root with --name VAR (one neuron's output, one example's loss), or "
                    "drop --animate to draw the whole graph folded."
                ) from None
            self._remember_text(widget, "backprop player", roots)
            return None if quiet else widget
        if args.backward:
            root = _single(roots, "--backward")
            if not callable(getattr(root, "backward", None)):
                raise UsageError(f"--backward: {type(root).__name__} has no backward() method")
            root.backward()
        if args.collapse == "none" and (size := count_values(roots)) > HARD_LIMIT:
            raise UsageError(
                f"--collapse none: the graph has {size:,} Values, more than the {HARD_LIMIT:,} "
                "the browser lays out one by one. Leave out --collapse to fold it by group."
            )
        from . import draw

        widget = draw(roots[0] if len(roots) == 1 else roots, rankdir=args.rankdir,
                      collapse=args.collapse)
        self._remember_text(widget, "graph", roots)
        return None if quiet else widget

    def _parse(self, line: str) -> Any:
        try:
            args = parse_argstring(self.micrograd, line)
        except UsageError as error:
            usage = " ".join(self.micrograd.parser.format_usage().replace("::", "").split())
            raise UsageError(f"%%micrograd: {error}\nusage: {usage}") from None
        if args.name is not None and not args.name.isidentifier():
            raise UsageError(f"--name expects a variable name, got {args.name!r}")
        return args

    def _run(self, line: str, cell: str, labels: bool) -> tuple[bool, Any, list[str]]:
        """Runs `cell` as the shell runs a cell: (no error?, its last expression, names it binds).

        Errors are shown by the shell's own traceback machinery (`run_code`), and recorded on
        the running cell's result, so a failing %%micrograd cell fails like any cell. Line
        numbers count the %%micrograd line, so tracebacks point at the line as typed. With
        `labels`, each assignment labels the Values it binds as it runs (see `label_as_assigned`).
        """
        shell = self.shell
        outcome = getattr(shell.displayhook, "exec_result", None)
        shown = f"%%micrograd {line}".rstrip() + "\n" + cell
        filename = shell.compile.cache(shown, shell.execution_count, raw_code=shown)
        try:
            tree = cell_tree(shell, cell, filename)
            names = assigned_names(tree)
            if has_top_level_await(tree):
                raise UsageError(
                    "%%micrograd cannot run top-level `await`; run that in a cell of its own"
                )
            if labels:
                label_as_assigned(tree, _LABEL)
            if tree.body and isinstance(tree.body[-1], ast.Expr):
                last = tree.body[-1]
                keep = ast.Assign(targets=[ast.Name(_RESULT, ast.Store())], value=last.value)
                tree.body[-1] = ast.fix_missing_locations(ast.copy_location(keep, last))
            code = shell.compile(tree, filename, "exec")
        except SyntaxError as error:
            shell.showsyntaxerror(filename)
            if outcome is not None:
                outcome.error_before_exec = error
            return False, None, []
        shell.user_ns[_LABEL] = label_values
        try:
            failed = _finish(shell.run_code(code, result=outcome))
            return not failed, shell.user_ns.get(_RESULT), names
        finally:
            shell.user_ns.pop(_RESULT, None)
            shell.user_ns.pop(_LABEL, None)

    def _roots(self, args: Any, last: Any, names: list[str]) -> list[Any]:
        """What to draw: --name VAR, else the last expression, else the cell's top Values."""
        ns = self.shell.user_ns
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


def _widget_text(widget: Any, p: Any, cycle: bool) -> None:
    """text/plain for a widget the magic made: what it draws, for front ends without widgets."""
    if widget not in _TEXT:  # made elsewhere: what ipywidgets would show
        bundle = getattr(widget, "_repr_mimebundle_", None)  # None once the widget is closed
        data = bundle() if callable(bundle) else None
        data = data[0] if isinstance(data, tuple) else data
        p.text((data or {}).get("text/plain", repr(widget)))
        return
    what, roots = _TEXT[widget]
    size = count_values(roots)
    p.text(
        f"{type(widget).__name__}: {what} of {size} Value{'s' * (size != 1)}, "
        + "; ".join(describe(v) for v in roots[:3])
        + ("; ..." if len(roots) > 3 else "")
        + " (a Jupyter widget: open the notebook in JupyterLab or Notebook 7 to see it)"
    )


# ---------------------------------------------------------------------------- plain helpers


def is_value(obj: Any) -> bool:
    """A micrograd-like Value instance (this engine's, micrograd's, the lecture's)."""
    if isinstance(obj, type) or not is_value_like(obj):
        return False
    return hasattr(obj, "_prev") or hasattr(obj, "prev")


def values_in(obj: Any) -> list[Any] | None:
    """The Values `obj` stands for: itself, or the items of a non-empty list/tuple/dict of them."""
    if is_value(obj):
        return [obj]
    items = list(obj.values()) if isinstance(obj, dict) else obj
    if isinstance(items, (list, tuple)) and items and all(is_value(v) for v in items):
        return list(items)
    return None


def top_values(values: list[Any]) -> list[Any]:
    """The `values` that none of the others depend on (are not below another), in order."""
    below: set[int] = set()
    stack = [child for v in values for child in children_of(v)]
    while stack:
        value = stack.pop()
        if id(value) in below:
            continue
        below.add(id(value))
        stack.extend(children_of(value))
    return [v for v in values if id(v) not in below]


def count_values(roots: list[Any]) -> int:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        value = stack.pop()
        if id(value) not in seen:
            seen.add(id(value))
            stack.extend(children_of(value))
    return len(seen)


def describe(value: Any) -> str:
    """One Value like a box of the lecture's draw_dot: `label | data 2.0000 | grad 0.0000`."""
    label = getattr(value, "label", "") or "Value"
    return f"{label} | data {float(value.data):.4f} | grad {float(value.grad):.4f}"


def cell_tree(shell: Any, cell: str, filename: str) -> ast.Module:
    """The cell's AST after IPython's transforms, numbered as typed under the %%micrograd line.

    IPython's transforms drop the cell's leading blank lines; they are counted back in.
    """
    lines = cell.splitlines()
    blank = next((k for k, text in enumerate(lines) if text.strip()), len(lines))
    source = "\n" * (1 + blank) + shell.transform_cell(cell)
    return shell.transform_ast(shell.compile.ast_parse(source, filename=filename))


def ends_with_semicolon(cell: str) -> bool:
    """The cell's last token is `;` (comments aside): IPython shows no result then."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(cell).readline))
    except (tokenize.TokenError, SyntaxError):
        return False
    skip = (tokenize.ENDMARKER, tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT,
            tokenize.DEDENT, tokenize.INDENT)
    last = next((t for t in reversed(tokens) if t.type not in skip), None)
    return last is not None and last.type == tokenize.OP and last.string == ";"


def has_top_level_await(tree: ast.AST) -> bool:
    """`await`, `async for` or `async with` outside any function (IPython runs those as async)."""
    for child in ast.iter_child_nodes(tree):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(child, (ast.Await, ast.AsyncFor, ast.AsyncWith)):
            return True
        if has_top_level_await(child):
            return True
    return False


def assigned_names(tree: ast.AST) -> list[str]:
    """Names the cell binds at top level (`=`, `+=`, `:=`, `with ... as`), in order.

    A `for` loop's variable is left out: after the loop it is just the last item it went over.
    """
    names: dict[str, None] = {}
    for target in _binding_targets(tree):
        names.update(dict.fromkeys(_names_in(target)))
    return list(names)


_NEW_SCOPE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda, ast.ListComp,
              ast.SetComp, ast.DictComp, ast.GeneratorExp)


def _binding_targets(node: ast.AST) -> Iterator[ast.AST]:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, _NEW_SCOPE):
            continue  # names bound in there are not the cell's
        if isinstance(child, ast.Assign):
            yield from child.targets
        elif isinstance(child, (ast.AugAssign, ast.NamedExpr)):
            yield child.target
        elif isinstance(child, ast.AnnAssign) and child.value is not None:
            yield child.target
        elif isinstance(child, ast.withitem) and child.optional_vars is not None:
            yield child.optional_vars
        yield from _binding_targets(child)


def _names_in(target: ast.AST) -> Iterator[str]:
    """`a`, `a, (b, *c)`: simple names only (not `x.attr`, not `x[i]`)."""
    if isinstance(target, ast.Name):
        yield target.id
    elif isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            yield from _names_in(element)
    elif isinstance(target, ast.Starred):
        yield from _names_in(target.value)


def label_values(*pairs: Any) -> None:
    """label_values("a", a, "b", b): each unlabelled Value gets its name (first name wins)."""
    for name, value in zip(pairs[::2], pairs[1::2], strict=True):
        if is_value(value) and not getattr(value, "label", ""):
            try:
                value.label = name
            except AttributeError:
                pass  # a Value class with __slots__ and no label: draw it unlabelled


_BODIES = ("body", "orelse", "finalbody")
_TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))  # try/except* from Python 3.11


def label_as_assigned(tree: ast.Module, function: str) -> None:
    """After each statement of the cell that binds names, a call `function("a", a, ...)`.

    So a Value is labelled when it is assigned, as the lecture does by hand: `a = a * b` labels
    the leaf a and then the product a too. Function and class bodies are left alone (their
    names are not the cell's), and so are `for` targets (the loop's last item is no name).
    """

    def bound(statement: ast.stmt) -> list[str]:
        """What the statement itself binds; of a compound one, the `:=` in its header."""
        header = _headers(statement)
        parts = [statement] if header is None else [ast.Expr(e) for e in header]
        names: dict[str, None] = {}
        for target in _binding_targets(ast.Module(body=parts, type_ignores=[])):
            names.update(dict.fromkeys(_names_in(target)))
        return [n for n in names if n not in (_RESULT, function)]

    def call(names: list[str], where: ast.stmt) -> ast.stmt:
        args: list[ast.expr] = []
        for name in names:
            args += [ast.Constant(name), ast.Name(name, ast.Load())]
        node = ast.Expr(ast.Call(ast.Name(function, ast.Load()), args, []))
        return ast.fix_missing_locations(ast.copy_location(node, where))

    def visit(statements: list[ast.stmt]) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for statement in statements:
            out.append(statement)
            for block in _inner_blocks(statement):
                block[:] = visit(block)
            if isinstance(statement, (ast.With, ast.AsyncWith)):  # `with ... as v`: v first
                names = [n for item in statement.items if item.optional_vars is not None
                         for n in _names_in(item.optional_vars)]
                if names:
                    statement.body.insert(0, call(names, statement))
            names = bound(statement)
            if names:
                out.append(call(names, statement))
        return out

    tree.body = visit(tree.body)


def _headers(statement: ast.stmt) -> list[ast.expr] | None:
    """The expressions a compound statement evaluates itself (None: not a compound one)."""
    if isinstance(statement, (ast.If, ast.While)):
        return [statement.test]
    if isinstance(statement, (ast.For, ast.AsyncFor)):
        return [statement.iter]
    if isinstance(statement, (ast.With, ast.AsyncWith)):
        return [item.context_expr for item in statement.items]
    if isinstance(statement, ast.Match):
        return [statement.subject]
    if isinstance(statement, (_TRY, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return []
    return None


def _inner_blocks(statement: ast.stmt) -> Iterator[list[ast.stmt]]:
    """The statement lists inside a compound statement of the cell's own scope."""
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return
    for name in _BODIES:
        block = getattr(statement, name, None)
        if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
            yield block
    for handler in getattr(statement, "handlers", ()):
        yield handler.body
    for case in getattr(statement, "cases", ()):
        yield case.body
