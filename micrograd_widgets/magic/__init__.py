"""`%%micrograd`, and Values shown as graphs: the IPython extension.

magics.py holds the magic and load/unload; rewrite.py what it does to a cell's code (the AST
rewrite that labels Values and remembers their lines); cell_gradcheck.py `--gradcheck` on a
cell. The top of the package: it may import widgets (at call time), training, graph, nn, engine.
"""

from .magics import load, unload

__all__ = ["load", "unload"]
