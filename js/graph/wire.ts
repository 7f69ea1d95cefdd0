// One scene Python laid out (micrograd_widgets/graph/layout/wire.py), as it comes over the wire:
// boxes and op ellipses as flat numbers, each rank's extent, and only the long edges' places
// across the ranks they pass. Here every edge's points are rebuilt: an edge leaves its tail at
// the middle of the side facing along the rank axis, passes each rank in between from its start
// to its end at its place across, and enters its head on the opposite side. Pure functions.
import type { BoxSize, Layout, Placed, Point, Rankdir, SceneChoice } from "./data";

/** A scene as wire.py's scene_json() writes it (plus scenes.py's `slopes`). */
export interface SceneJson {
  rankdir: string;
  slopes?: boolean; // laid out with the gradcheck's slope cells (taller boxes)
  width: number;
  height: number;
  boxes: number[]; // per box: centre x, y, width, height
  cells: number[][]; // per box: its record cells' widths ([] for a group)
  opBoxes: number[]; // the boxes with an op ellipse, ascending
  ops: number[]; // per entry of opBoxes: x, y, width, height
  ranks: number[]; // per rank: start, end along the rank axis
  routes: number[][]; // [edge, first rank, across...]: edges m + k are op k -> its box
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

function places(flat: unknown, count: number, name: string, bad: (w: string) => Error): Placed[] {
  if (!Array.isArray(flat) || flat.length !== 4 * count) {
    throw bad(`column ${name} has ${Array.isArray(flat) ? flat.length / 4 : "no"} entries, expected ${count}`);
  }
  if (!flat.every(finite)) throw bad(`has a ${name.replace(/e?s$/, "")} without a place`);
  const out: Placed[] = new Array(count);
  for (let k = 0; k < count; k++) {
    out[k] = { x: flat[4 * k], y: flat[4 * k + 1], width: flat[4 * k + 2], height: flat[4 * k + 3] };
  }
  return out;
}

/** One scene of the payload, checked against the graph it lays out (n boxes, its edges). */
export function decodeScene(s: SceneJson, n: number, edgeFrom: Int32Array, edgeTo: Int32Array, k = 0): SceneChoice {
  const bad = (what: string) => new Error(`graph scene ${k} ${what}`);
  if (!s || typeof s !== "object") throw bad("is not an object");
  if (s.rankdir !== "LR" && s.rankdir !== "TB") throw bad(`has rankdir ${JSON.stringify(s.rankdir)}, expected "LR" or "TB"`);
  if (!finite(s.width) || !finite(s.height)) throw bad("has no width and height");
  const boxes = places(s.boxes, n, "boxes", bad);
  if (!Array.isArray(s.cells) || s.cells.length !== n || !s.cells.every(Array.isArray)) {
    throw bad(`column cells has ${Array.isArray(s.cells) ? s.cells.length : "no"} entries, expected ${n} (one list a box)`);
  }
  const opBoxes = Array.isArray(s.opBoxes) ? s.opBoxes : [];
  if (!opBoxes.every((i, j) => Number.isInteger(i) && i >= 0 && i < n && (j === 0 || i > opBoxes[j - 1]))) {
    throw bad("has opBoxes that are not ascending box indices");
  }
  const ellipses = places(s.ops, opBoxes.length, "ops", bad);
  const ops: (Placed | null)[] = new Array(n).fill(null);
  opBoxes.forEach((i, j) => (ops[i] = ellipses[j]));
  const ranks = Array.isArray(s.ranks) && s.ranks.every(finite) ? s.ranks : [];
  const lr = (s.rankdir as Rankdir) === "LR";
  const exit = (p: Placed): Point => (lr ? { x: p.x + p.width / 2, y: p.y } : { x: p.x, y: p.y + p.height / 2 });
  const entry = (p: Placed): Point => (lr ? { x: p.x - p.width / 2, y: p.y } : { x: p.x, y: p.y - p.height / 2 });
  const m = edgeFrom.length;
  const points: Point[][] = new Array(m + opBoxes.length);
  for (let e = 0; e < m; e++) points[e] = [exit(boxes[edgeFrom[e]]), entry(ops[edgeTo[e]] ?? boxes[edgeTo[e]])];
  opBoxes.forEach((i, j) => (points[m + j] = [exit(ellipses[j]), entry(boxes[i])]));
  for (const route of Array.isArray(s.routes) ? s.routes : []) {
    const [e, first] = route;
    const across = route.slice(2);
    if (!Number.isInteger(e) || e < 0 || e >= points.length || !Number.isInteger(first) || first < 0
        || 2 * (first + across.length) > ranks.length || !across.every(finite)) {
      throw bad(`has a route ${JSON.stringify(route.slice(0, 2))} outside its edges or ranks`);
    }
    const middle: Point[] = [];
    across.forEach((c, j) => {
      const start = ranks[2 * (first + j)];
      const end = ranks[2 * (first + j) + 1];
      middle.push(lr ? { x: start, y: c } : { x: c, y: start }, lr ? { x: end, y: c } : { x: c, y: end });
    });
    points[e].splice(1, 0, ...middle);
  }
  const opEdgePoints: (Point[] | null)[] = new Array(n).fill(null);
  opBoxes.forEach((i, j) => (opEdgePoints[i] = points[m + j]));
  const sizes: BoxSize[] = boxes.map((b, i) => ({ width: b.width, height: b.height, cells: s.cells[i] }));
  const layout: Layout = { width: s.width, height: s.height, boxes, sizes, ops, edgePoints: points.slice(0, m), opEdgePoints };
  return { rankdir: s.rankdir, slopes: Boolean(s.slopes), layout };
}
