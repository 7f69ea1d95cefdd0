// The edges of a scene, drawn by look rather than one element per edge: all plain edges are one
// <path class="mgw-edge">, and while a highlight shows, the dimmed ones another
// (.mgw-edges-dim) and the highlighted ones a third (.mgw-edges-strong, drawn thicker); each look
// has one path of arrowheads beside it (arrows.ts). A folded moons graph with a neuron open has
// ~3,900 edges: as ~3,900 paths with markers they were most of the style recalc and paint of the
// drawing; as six paths they cost next to nothing, and a highlight rewrites three strings
// instead of touching every edge. Edges have no events and no DOM contract of their own (the
// boxes do: data-node, data-op, data-group).
import { arrowsPath, arrowTip } from "./arrows";
import { edgePath, GraphData, Layout, Point, Rankdir } from "./data";

/** Per edge: 0 plain, 1 dimmed, 2 highlighted. */
export type EdgeStates = Uint8Array | null;

export interface Edges {
  /** Per drawn edge (the graph's edges, then each op node's edge to its box): its two node
   * indices (an op edge goes from its box to itself). */
  from: Int32Array;
  to: Int32Array;
  /** Redraws the looks (null: every edge plain). */
  show(states: EdgeStates): void;
  /** Routes the same edges along another layout of the same boxes (e.g. the other rankdir). */
  place(L: Layout, rankdir: Rankdir): void;
}

const LOOKS = ["", " mgw-edges-dim", " mgw-edges-strong"];
const HEADS = ["", " mgw-arrows-dim", " mgw-arrows-strong"];

export function drawEdges(layer: SVGGElement, g: GraphData, L: Layout, rankdir: Rankdir): Edges {
  const n = g.ids.length;
  const m = g.edgeFrom.length;
  const ops: number[] = [];
  for (let i = 0; i < n; i++) if (L.opEdgePoints[i]) ops.push(i);
  const count = m + ops.length;
  const from = new Int32Array(count);
  const to = new Int32Array(count);
  from.set(g.edgeFrom);
  to.set(g.edgeTo);
  ops.forEach((i, k) => {
    from[m + k] = i;
    to[m + k] = i;
  });

  layer.innerHTML =
    LOOKS.map((c) => `<path class="mgw-edge${c}"/>`).join("") + HEADS.map((c) => `<path class="mgw-arrows${c}"/>`).join("");
  const paths = Array.from(layer.children) as SVGPathElement[];
  const lines = paths.slice(0, 3);
  const heads = paths.slice(3);

  const d: string[] = new Array(count);
  const tips = new Float64Array(4 * count);
  let states: EdgeStates = null;

  const set = (p: SVGPathElement, value: string) => {
    // an empty look is not drawn (nor measured, nor counted as shown)
    if (value) {
      p.setAttribute("d", value);
      p.style.display = "";
    } else {
      p.removeAttribute("d");
      p.style.display = "none";
    }
  };
  const show = (next: EdgeStates) => {
    states = next;
    for (let look = 0; look < 3; look++) {
      if (next === null && look > 0) {
        set(lines[look], "");
        set(heads[look], "");
        continue;
      }
      let value = "";
      if (next === null) value = d.join("");
      else for (let e = 0; e < count; e++) if (next[e] === look) value += d[e];
      set(lines[look], value);
      set(heads[look], arrowsPath(tips, next, look, look === 2 ? 2 : 1));
    }
  };
  const place = (P: Layout, dir: Rankdir) => {
    const route = (k: number, pts: Point[]) => {
      d[k] = edgePath(pts, dir);
      tips.set(arrowTip(pts, dir) ?? [NaN, NaN, NaN, NaN], 4 * k);
    };
    for (let e = 0; e < m; e++) route(e, P.edgePoints[e]);
    ops.forEach((i, k) => route(m + k, P.opEdgePoints[i] ?? []));
    show(states);
  };
  place(L, rankdir);
  return { from, to, show, place };
}
