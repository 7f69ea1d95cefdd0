"""A Scene as the page gets it: compact JSON, and back (js/graph/wire.ts reads the same).

Everything the page draws is here, as numbers rounded to 0.1 px; what follows from them is left
out. An edge leaves its tail's box (or op ellipse) at the middle of its side facing along the
rank axis and enters its head's on the opposite side; an edge longer than one rank passes each
rank in between at one place across the axis (its dummy node), from the rank's start to its end.
So an edge is sent only if it passes ranks, as those places:

    {
      "rankdir": "LR" | "TB", "width": w, "height": h,
      "boxes":   [x, y, width, height, ...],  # per box: centre and size
      "cells":   [[w, ...], ...],             # per box: its record cells' widths ([]: a group)
      "opBoxes": [i, ...],                    # the boxes with an op ellipse, ascending
      "ops":     [x, y, width, height, ...],  # per entry of opBoxes: its ellipse
      "ranks":   [start, end, ...],           # per rank: its extent along the rank axis
      "routes":  [[edge, rank, across, ...]]  # edges through dummies: the edge (payload edges
                                              # 0..m-1, then op k -> its box as m + k), the first
                                              # rank passed, where across the axis at each
    }

(scenes.py adds "slopes".) A 1,028-box graph's scene is ~90 KB here, ~460 KB as point lists.
Plain Python + numpy: no widget code.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .layered import RANKDIRS, Point
from .scene import BoxSize, Placed, Scene, payload_edges

FIELDS = ("rankdir", "width", "height", "boxes", "cells", "opBoxes", "ops", "ranks", "routes")


def _rounded(values: Any) -> list[float]:
    return np.round(np.asarray(values, dtype=float), 1).ravel().tolist()


def _flat(places: list[Placed]) -> list[float]:
    return _rounded([(p.x, p.y, p.width, p.height) for p in places]) if places else []


def scene_json(scene: Scene) -> dict[str, Any]:
    """The compact JSON of `scene` (see the module doc)."""
    axis = 0 if scene.rankdir == "LR" else 1  # the rank axis: x left to right, y top to bottom
    rank_at = {start: r for r, (start, _end) in enumerate(scene.ranks)}
    op_boxes = [i for i, p in enumerate(scene.ops) if p is not None]
    routes: list[list[float]] = []
    m = len(scene.edge_points)
    every = [*scene.edge_points, *(scene.op_edge_points[i] or [] for i in op_boxes)]
    for e, points in enumerate(every):
        if len(points) > 2:
            first = rank_at.get(points[1][axis])
            if first is None:
                raise ValueError(f"edge {e if e < m else f'op {e - m}'} passes no known rank")
            across = [p[1 - axis] for p in points[1:-1:2]]
            routes.append([e, first, *(round(c, 1) for c in across)])
    return {
        "rankdir": scene.rankdir,
        "width": round(scene.width, 1),
        "height": round(scene.height, 1),
        "boxes": _flat(scene.boxes),
        "cells": [[round(c, 1) for c in s.cells] for s in scene.sizes],
        "opBoxes": op_boxes,
        "ops": _flat([scene.ops[i] for i in op_boxes]),  # type: ignore[misc]
        "ranks": _rounded(scene.ranks) if scene.ranks else [],
        "routes": routes,
    }


def _places(flat: Any, count: int, name: str) -> list[Placed]:
    if not isinstance(flat, list) or len(flat) != 4 * count:
        raise ValueError(f"scene {name} must be {4 * count} numbers (4 a box), got "
                         f"{len(flat) if isinstance(flat, list) else type(flat).__name__}")
    v = [float(x) for x in flat]
    return [Placed(v[k], v[k + 1], v[k + 2], v[k + 3]) for k in range(0, len(v), 4)]


def scene_from_json(j: dict[str, Any], payload: dict[str, Any]) -> Scene:
    """The Scene that `j` (scene_json() of a layout of `payload`) describes, every edge's points
    rebuilt; a ValueError naming what does not fit the payload."""
    if not isinstance(j, dict) or j.get("rankdir") not in RANKDIRS:
        raise ValueError("scene must be a dict with rankdir 'LR' or 'TB'")
    n = len(payload["id"])
    frm, to = payload_edges(payload)
    m = len(frm)
    boxes = _places(j.get("boxes"), n, "boxes")
    cells = j.get("cells")
    if not isinstance(cells, list) or len(cells) != n:
        raise ValueError(f"scene cells must be {n} lists (one a box)")
    op_boxes = [int(i) for i in j.get("opBoxes", [])]
    if any(not 0 <= i < n for i in op_boxes) or op_boxes != sorted(set(op_boxes)):
        raise ValueError("scene opBoxes must be ascending box indices")
    op_places = _places(j.get("ops"), len(op_boxes), "ops")
    ops: list[Placed | None] = [None] * n
    for i, p in zip(op_boxes, op_places, strict=True):
        ops[i] = p
    flat = [float(x) for x in j.get("ranks", [])]
    ranks = list(zip(flat[0::2], flat[1::2], strict=True))
    lr = j["rankdir"] == "LR"

    def exit_(p: Placed) -> Point:
        return (p.x + p.width / 2, p.y) if lr else (p.x, p.y + p.height / 2)

    def entry(p: Placed) -> Point:
        return (p.x - p.width / 2, p.y) if lr else (p.x, p.y - p.height / 2)

    ends = [(boxes[a], ops[b] or boxes[b]) for a, b in zip(frm, to, strict=True)]
    ends += [(ops[i], boxes[i]) for i in op_boxes]  # type: ignore[misc]
    points: list[list[Point]] = [[exit_(a), entry(b)] for a, b in ends]
    for route in j.get("routes", []):
        e, first, across = int(route[0]), int(route[1]), [float(c) for c in route[2:]]
        if not (0 <= e < len(ends) and 0 <= first and first + len(across) <= len(ranks)):
            raise ValueError(f"scene route {route[:2]} points outside the edges or ranks")
        middle: list[Point] = []
        for (start, end), c in zip(ranks[first:first + len(across)], across, strict=True):
            middle += [(start, c), (end, c)] if lr else [(c, start), (c, end)]
        points[e][1:1] = middle
    op_points: list[list[Point] | None] = [None] * n
    for k, i in enumerate(op_boxes):
        op_points[i] = points[m + k]
    sizes = [BoxSize(b.width, b.height, [float(c) for c in cs]) for b, cs in zip(boxes, cells,
                                                                                 strict=True)]
    return Scene(j["rankdir"], float(j["width"]), float(j["height"]), boxes, sizes, ops,
                 points[:m], op_points, ranks)
