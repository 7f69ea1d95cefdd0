"""The package's rooms import downward only: magic -> widgets -> training -> graph -> nn -> engine.

Read from the source with `ast`, so a lazy import inside a function counts too (except the
magic's, which makes widgets at call time and sits on top of them)."""

from __future__ import annotations

import ast
from pathlib import Path

import micrograd_widgets

PACKAGE = Path(micrograd_widgets.__file__).parent
# Each room, and the rooms it may import from (itself included).
LAYERS = ["engine", "nn", "graph", "training", "widgets", "magic"]


def room_of(module: str) -> str | None:
    """'micrograd_widgets.graph.walk' -> 'graph'; the package's own __init__ -> None."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "micrograd_widgets" else None


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Absolute names of the package modules `path` imports, with their line numbers."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not node.module:  # `from .. import a, b`: each name may be a module
                found += [(f"{target}.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
    return [(name, line) for name, line in found if name.startswith("micrograd_widgets")]


def test_every_room_imports_only_the_rooms_below_it():
    upward = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = room_of(".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts))
        if here not in LAYERS:  # the package's __init__ (lazy public names)
            continue
        for name, line in imports_of(path):
            there = room_of(name)
            if there in LAYERS and LAYERS.index(there) > LAYERS.index(here):
                upward.append(f"{path.relative_to(PACKAGE)}:{line} imports {name}")
    assert upward == []


def test_the_check_finds_an_upward_import():
    """The walk above would see a graph module reaching up into training."""
    fake = PACKAGE / "graph" / "_upward_probe.py"
    fake.write_text("from ..training import run\n", encoding="utf-8")
    try:
        assert imports_of(fake) == [("micrograd_widgets.training", 1)]
        assert room_of("micrograd_widgets.training") == "training"
    finally:
        fake.unlink()


def test_every_room_says_what_it_is_and_what_it_may_import():
    for room in ["graph", "training", "magic", "widgets"]:
        doc = ast.get_docstring(ast.parse((PACKAGE / room / "__init__.py").read_text()))
        assert doc and "import" in doc.lower(), room
