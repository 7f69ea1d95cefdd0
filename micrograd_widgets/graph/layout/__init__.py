"""The layered layout, in Python: box sizes from the page's fixed monospace metrics, and the
scene (each box's place, each edge's route) the page draws and the static pictures are drawn
from. Imports nothing outside graph/ (no widgets, no browser, no `dot`).

layered.py is the layout (Sugiyama style, like Graphviz's dot): ranking.py ranks (simplex.py:
network simplex), ordering.py orders each rank (median sweeps, transposes; list_order.py runs
that search on plain lists for small graphs), coords.py places across the ranks, straighten.py
makes small graphs' straight edges cross less; scene.py turns a graph payload into a Scene,
scenes.py chooses which scenes a payload carries (LR, TB, with slopes), wire.py writes a Scene
as the compact JSON the page reads (js/graph/wire.ts).
"""
