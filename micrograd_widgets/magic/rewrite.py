"""What %%micrograd does to a cell's code before running it, and what it learns while it runs.

The cell is parsed as IPython parses it, then `AfterBinding` (an ast.NodeTransformer, the way
IPython's %timeit rewrites code) puts after each statement that binds names a call

    __micrograd_widgets_hook__("a = a * b", "a", a, "b", b)

The hook (`CellHook`) labels each unlabelled Value with the name it was assigned to, records
the source line that made each new Value (sources.py), and collects the leaves the cell binds
(so --gradcheck can nudge them when it runs the cell again).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from typing import Any

from ..graph import sources
from ..graph.pytorch.read import has_graph, is_tensor, name_tensor
from ..graph.walk import children_of, is_value_like, reachable

HOOK = "__micrograd_widgets_hook__"  # the hook the cell calls, while it runs
RESULT = "__micrograd_widgets_last_expression__"  # where the cell's last expression lands, briefly


# ---------------------------------------------------------------------------- reading the cell


def cell_tree(shell: Any, cell: str, filename: str) -> ast.Module:
    """The cell's AST after IPython's transforms, numbered as typed under the %%micrograd line."""
    return parse_cell(shell, cell, filename)[0]


def parse_cell(shell: Any, cell: str, filename: str) -> tuple[ast.Module, str]:
    """The cell's AST after IPython's transforms, and the source it was parsed from.

    Lines are numbered as typed under the %%micrograd line: IPython's transforms drop the
    cell's leading blank lines; they are counted back in.
    """
    lines = cell.splitlines()
    blank = next((k for k, text in enumerate(lines) if text.strip()), len(lines))
    source = "\n" * (1 + blank) + shell.transform_cell(cell)
    return shell.transform_ast(shell.compile.ast_parse(source, filename=filename)), source


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
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


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


# ---------------------------------------------------------------------------- rewriting it


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
    if isinstance(statement, (ast.Try, getattr(ast, "TryStar", ast.Try), *_DEFINITIONS)):
        return []
    return None


class AfterBinding(ast.NodeTransformer):
    """After each statement that binds names, a call `hook("its source", "a", a, ...)`.

    So a Value is labelled when it is assigned, as the lecture does by hand: `a = a * b` labels
    the leaf a and then the product a too. Function and class bodies are left alone (their
    names are not the cell's), and so are `for` targets (the loop's last item is no name). A
    `with ... as v` body starts with the call for v.
    """

    def __init__(
        self, source: str = "", hook: str = HOOK, skip: tuple[str, ...] = (RESULT,)
    ) -> None:
        self.source = source  # what the tree was parsed from: each statement's text comes from it
        self.hook = hook
        self.skip = (*skip, hook)

    def visit_FunctionDef(self, node: ast.AST) -> Any:  # noqa: N802 (NodeTransformer's names)
        return node  # its body is not the cell's scope, and a function is no Value

    visit_AsyncFunctionDef = visit_ClassDef = visit_FunctionDef

    def visit_With(self, node: ast.With | ast.AsyncWith) -> Any:  # noqa: N802
        ast.NodeTransformer.generic_visit(self, node)  # the body first
        names = [n for item in node.items if item.optional_vars is not None
                 for n in _names_in(item.optional_vars)]
        if names:
            node.body.insert(0, self._call(names, node))
        return self._after(node)

    visit_AsyncWith = visit_With

    def generic_visit(self, node: ast.AST) -> Any:
        if isinstance(node, ast.stmt):
            super().generic_visit(node)
            return self._after(node)
        if isinstance(node, (ast.Module, ast.excepthandler, ast.match_case)):
            return super().generic_visit(node)  # they hold statements
        return node  # an expression holds none: nothing to rewrite in there

    def _after(self, statement: ast.stmt) -> Any:
        names = self._bound(statement)
        return [statement, self._call(names, statement)] if names else statement

    def _bound(self, statement: ast.stmt) -> list[str]:
        """What the statement itself binds; of a compound one, the `:=` in its header."""
        if isinstance(statement, _DEFINITIONS):
            return []  # a function or class is no Value
        header = _headers(statement)
        parts = [statement] if header is None else [ast.Expr(e) for e in header]
        names: dict[str, None] = {}
        for target in _binding_targets(ast.Module(body=parts, type_ignores=[])):
            names.update(dict.fromkeys(_names_in(target)))
        return [n for n in names if n not in self.skip]

    def _call(self, names: list[str], where: ast.stmt) -> ast.stmt:
        args: list[ast.expr] = [ast.Constant(statement_text(self.source, where))]
        for name in names:
            args += [ast.Constant(name), ast.Name(name, ast.Load())]
        node = ast.Expr(ast.Call(ast.Name(self.hook, ast.Load()), args, []))
        return ast.fix_missing_locations(ast.copy_location(node, where))


def statement_text(source: str, statement: ast.stmt) -> str:
    """The statement as typed, on one line (a compound statement: its header line only)."""
    text = ast.get_source_segment(source, statement) or ""
    if _headers(statement) is not None:
        text = text.split("\n", 1)[0]
    text = " ".join(part.strip() for part in text.splitlines() if part.strip())
    return text if len(text) <= 120 else text[:119] + "…"


# ---------------------------------------------------------------------------- while it runs


def label_values(*pairs: Any) -> None:
    """label_values("a", a, "b", b): each unlabelled Value gets its name (first name wins).

    A PyTorch tensor gets its name too, kept beside it (pytorch.read.name_tensor), not on it."""
    for name, value in zip(pairs[::2], pairs[1::2], strict=True):
        if name and is_tensor(value):
            name_tensor(value, name)
        elif name and is_value(value) and not getattr(value, "label", ""):
            try:
                value.label = name
            except AttributeError:
                pass  # a Value class with __slots__ and no label: draw it unlabelled


def is_value(obj: Any) -> bool:
    """A micrograd-like Value instance (this engine's, micrograd's, the lecture's)."""
    if isinstance(obj, type) or not is_value_like(obj):
        return False
    return hasattr(obj, "_prev") or hasattr(obj, "prev")


def values_in(obj: Any) -> list[Any] | None:
    """The Values `obj` stands for: itself, or the items of a non-empty list/tuple/dict of them.

    PyTorch tensors with an autograd graph count too (the magic draws them the same way)."""
    if is_value(obj) or has_graph(obj):
        return [obj]
    items = list(obj.values()) if isinstance(obj, dict) else obj
    if isinstance(items, (list, tuple)) and items and (
            all(is_value(v) for v in items) or all(has_graph(v) for v in items)):
        return list(items)
    return None


def held_values(obj: Any) -> list[Any]:
    """The Values a name holds directly: values_in(obj), or an nn Module's parameters."""
    found = values_in(obj)
    if found is not None:
        return found
    from ..nn import Module

    if isinstance(obj, Module) or type(obj).__module__.startswith("micrograd."):
        try:
            params = obj.parameters() if callable(getattr(obj, "parameters", None)) else []
            params = list(params)
        except Exception:  # someone else's parameters(): not ours to judge
            return []
        return [p for p in params if is_value(p)]
    return []


class CellHook:
    """Called by the rewritten cell after each binding statement (see AfterBinding).

    - labels the Values just bound (if `label`);
    - records, for each Value met for the first time, the line that made it (if `record`);
    - collects the cell's leaves: Values without children that a statement bound directly
      (a name, a list of them, a module's parameters) before anything used them; these are the
      cell's inputs, which --gradcheck nudges. `nudge = (k, dx)` adds dx to leaf k when it is met.

    Values that existed before the cell ran (`known`) are neither recorded nor collected.
    """

    def __init__(
        self, record: bool = True, label: bool = True, known: dict[int, Any] | None = None,
        nudge: tuple[int, float] | None = None,
    ) -> None:
        self.record = record  # remember each new Value's line (sources.py)
        self.label = label
        self.seen: dict[int, Any] = dict(known or {})  # strong refs: ids stay unique meanwhile
        self.leaves: list[Any] = []
        self.nudge = nudge

    def __call__(self, line: str, *pairs: Any) -> None:
        if self.label:
            label_values(*pairs)
        direct: list[Any] = []
        for value in pairs[1::2]:
            direct += held_values(value)
        used: set[int] = set()  # met as the child of a Value new in this statement
        stack = [v for v in direct if id(v) not in self.seen]
        new: list[Any] = []
        while stack:
            v = stack.pop()
            if id(v) in self.seen:
                continue
            self.seen[id(v)] = v
            new.append(v)
            for child in children_of(v):
                used.add(id(child))
                if id(child) not in self.seen:
                    stack.append(child)
        if line and self.record:
            for v in new:
                sources.remember(v, line)
        fresh = {id(v) for v in new}
        for v in dict.fromkeys(direct):
            if is_tensor(v):
                continue  # never nudged by --gradcheck: the user's tensors stay as they are
            if id(v) in fresh and id(v) not in used and not children_of(v):
                self._leaf(v)

    def _leaf(self, v: Any) -> None:
        if self.nudge is not None and self.nudge[0] == len(self.leaves):
            v.data = v.data + self.nudge[1]
        self.leaves.append(v)


def known_values(namespace: dict[str, Any]) -> dict[int, Any]:
    """Every Value reachable from what the namespace's names hold (before a cell runs)."""
    roots: list[Any] = []
    for obj in list(namespace.values()):
        roots += held_values(obj)
    return reachable(roots)
