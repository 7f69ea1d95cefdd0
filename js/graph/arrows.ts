// Arrowheads of the edges, drawn as a few filled paths (one per look: plain, dimmed, highlighted)
// instead of an SVG marker on every edge: a marker per path made the browser resolve and paint
// thousands of marker instances (about half the style and paint time of the drawing on a folded
// moons graph with a neuron open). Pure geometry here; scene.ts owns the elements.
import type { Point, Rankdir } from "./data";

/** The arrowhead at 1 px stroke: as long as the old 7 x 7 px marker (tip on the edge's end, base
 * 7 px back, 7 px wide); a highlighted (2 px) edge's is twice as big, as its marker was. */
export const ARROW_LENGTH = 7;
export const ARROW_HALF_WIDTH = 3.5;

/**
 * Where edge `points` ends and which way it points there: [x, y, ux, uy] (a unit vector), as the
 * curve edgePath() draws through the points arrives (its last control point to its end), or null
 * for an edge of fewer than two points.
 */
export function arrowTip(points: Point[], rankdir: Rankdir): [number, number, number, number] | null {
  if (points.length < 2) return null;
  const a = points[points.length - 2];
  const b = points[points.length - 1];
  const lr = rankdir === "LR";
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  // the cubic's control points (edgePath): LR (mx, a.y) (mx, b.y); TB (a.x, my) (b.x, my)
  const candidates: [number, number][] = lr
    ? [[b.x - mx, 0], [b.x - mx, b.y - a.y], [b.x - a.x, b.y - a.y]]
    : [[0, b.y - my], [b.x - a.x, b.y - my], [b.x - a.x, b.y - a.y]];
  for (const [dx, dy] of candidates) {
    const len = Math.hypot(dx, dy);
    if (len > 1e-9) return [b.x, b.y, dx / len, dy / len];
  }
  return [b.x, b.y, lr ? 1 : 0, lr ? 0 : 1];
}

/**
 * One path of triangles: the arrowheads of the edges whose `states[e] === want` (all edges when
 * states is null and want is 0), scaled by `scale`. `tips` holds four numbers per edge (x, y, ux,
 * uy; NaN where the edge has no tip).
 */
export function arrowsPath(tips: Float64Array, states: Uint8Array | null, want: number, scale: number): string {
  const len = ARROW_LENGTH * scale;
  const half = ARROW_HALF_WIDTH * scale;
  const f = (x: number) => x.toFixed(1);
  const parts: string[] = [];
  for (let e = 0; e * 4 < tips.length; e++) {
    if ((states === null ? 0 : states[e]) !== want) continue;
    const x = tips[4 * e];
    if (Number.isNaN(x)) continue;
    const y = tips[4 * e + 1];
    const ux = tips[4 * e + 2];
    const uy = tips[4 * e + 3];
    const bx = x - ux * len;
    const by = y - uy * len;
    parts.push(`M${f(bx - uy * half)},${f(by + ux * half)}L${f(x)},${f(y)}L${f(bx + uy * half)},${f(by - ux * half)}Z`);
  }
  return parts.join("");
}
