"""Which scenes a graph payload carries to the page: the layouts laid out in Python (scene.py).

The page draws what Python laid out; it only chooses among the scenes it was sent, by its own
width (so it also works in a saved page, with no kernel):

- `rankdir="LR"` or `"TB"` (the user's choice): that direction only.
- `rankdir="auto"` (the default): left to right, and for a small unfolded graph (a folded
  picture is a map of a big one) that left to right would show below a legible zoom in a narrow
  cell (JupyterLab's 592 px cell on a 1024x768 projector,
  with the file browser open) also top to bottom, if that can show whole. The page starts with
  the first scene that shows whole at WHOLE_ZOOM in its width, else with left to right (a graph
  too big to read whole starts on its output end, as before).
- With gradcheck columns (`slope`), each direction twice: plain, and with the slope cells that
  make boxes taller (the page shows those while its gradcheck display is on).

Plain Python: no widget code.
"""

from __future__ import annotations

from typing import Any

from .scene import Scene, layout_scene
from .wire import scene_json

RANKDIRS = ("auto", "LR", "TB")

WHOLE_ZOOM = 0.45  # js/graph/framing.ts WHOLE_ZOOM: the smallest zoom a graph starts whole at
NARROWEST = 592  # px: the narrowest cell a small graph starts whole in (see the module doc)
WIDEST = 2000  # px: no cell is wider; a scene that is not whole there is left out
TALLEST = 560  # px: the graph widget's tallest viewport (the player's is 520, the neuron's 420)
MIN_HEIGHT = 140  # px: the shortest viewport (js/graph/framing.ts startCamera)
PAD = 8  # px kept free around the picture (js/graph/framing.ts)
SMALL = 100  # boxes: an unfolded graph this small may get a second, top-to-bottom scene


def check_rankdir(rankdir: Any, name: str = "rankdir") -> str:
    """`rankdir` if it is one of RANKDIRS, else a ValueError naming `name` and the choices."""
    if not isinstance(rankdir, str) or rankdir not in RANKDIRS:
        raise ValueError(
            f"{name} must be 'auto' (left to right, or top to bottom where only that fits the "
            f"cell), 'LR' (left to right) or 'TB' (top to bottom), got {rankdir!r}"
        )
    return rankdir


def whole_zoom(scene: Scene, width: float, max_height: float = TALLEST) -> float:
    """The zoom that shows all of `scene` in a viewport `width` px wide (js framing.ts wholeFit)."""
    avail = max(1.0, width - 2 * PAD)
    k_wide = min(1.0, avail / max(1.0, scene.width))
    height = round(max(MIN_HEIGHT, min(max_height, scene.height * k_wide + 2 * PAD)))
    return min(1.5, avail / max(1.0, scene.width), (height - 2 * PAD) / max(1.0, scene.height))


def has_slopes(payload: dict[str, Any]) -> bool:
    """Whether the payload carries gradcheck slopes (boxes with a slope cell when shown)."""
    slope = payload.get("slope")
    return isinstance(slope, list) and any(s is not None for s in slope)


def scenes(payload: dict[str, Any], rankdir: str = "auto") -> list[dict[str, Any]]:
    """The scenes (wire.scene_json() plus `slopes`) to send with `payload`, preferred first."""
    check_rankdir(rankdir)
    out: list[dict[str, Any]] = []
    for slopes in (False, True) if has_slopes(payload) else (False,):
        for scene in _directions(payload, rankdir, slopes):
            out.append({**scene_json(scene), "slopes": slopes})
    return out


def _directions(payload: dict[str, Any], rankdir: str, slopes: bool) -> list[Scene]:
    if rankdir != "auto":
        return [layout_scene(payload, rankdir, slopes)]
    lr = layout_scene(payload, "LR", slopes)
    big = len(payload["id"]) > SMALL or bool(payload.get("collapsed"))
    if big or whole_zoom(lr, NARROWEST) >= WHOLE_ZOOM:
        return [lr]  # too big to be whole anyway, or whole in the narrowest cell already
    tb = layout_scene(payload, "TB", slopes)
    return [lr, tb] if whole_zoom(tb, WIDEST) >= WHOLE_ZOOM else [lr]


def with_scenes(payload: dict[str, Any], rankdir: str = "auto") -> dict[str, Any]:
    """`payload` with its `rankdir` and the `scenes` the page draws (replacing any it had)."""
    return {**payload, "rankdir": rankdir, "scenes": scenes(payload, rankdir)}
