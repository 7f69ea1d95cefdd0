// Graph data for drawing: decode the Python payload (micrograd_widgets.graph.payload) and the
// scenes Python laid out for it (micrograd_widgets.graph.layout, read by wire.ts: every box's place
// and size, every edge's route), and answer "what feeds / what uses this node" for highlighting.
// Pure functions (no DOM), unit-tested in data.test.ts.
import { fixed4, Num, thousands, toNumber } from "../common/format";
import { decodeScene, type SceneJson } from "./wire";

export { decodeScene, type SceneJson } from "./wire";

export type NodeKind = "value" | "group" | "sum" | "leaves";
export type Rankdir = "LR" | "TB";

/** The columns Python sends (see micrograd_widgets/graph/tracing.py, payload()). */
export interface GraphPayload {
  version?: number;
  rankdir?: string; // "LR" | "TB" (the user's), "auto" (the page picks among the scenes)
  total?: number;
  collapsed?: boolean;
  id: string[];
  kind?: string[];
  label?: string[];
  op?: string[];
  count?: number[];
  terms?: number[];
  data?: Num[];
  grad?: Num[];
  edges?: number[]; // flat [from0, to0, from1, to1, ...] indices into id
  opened?: string[]; // boxes the user can fold again (outer first)
  openedParent?: number[]; // per opened box: the opened box it sits in, -1 for none
  scope?: number[]; // per node: the innermost opened box it sits in, -1 for none
  focus?: string | null; // the box just opened or folded: keep it in view
  // issue 14 (optional; absent = feature off)
  source?: string[]; // per node: the %%micrograd line that made it ("" for none)
  slope?: Num[]; // per node: gradcheck's numerical slope d(root)/d(node); null where not checked
  check?: string[]; // per node: "ok" | "fail" | "" (not checked)
  edgeGrad?: Num[]; // per edge: what that edge sends back into its source node's grad
  notice?: string; // one line for the status line ("" for none)
  // issue 20 (optional; PyTorch graphs): a tensor's box text instead of one number, its hover
  dataText?: string[]; // per node: "data 64×16 [0.1234 …]"; "" = show the number
  gradText?: string[];
  detail?: string[]; // per node: extra hover lines (shape, mean/min/max, first numbers, why "?")
  // issue 19: the layouts Python made (micrograd_widgets/graph/layout/scenes.py), preferred first
  scenes?: SceneJson[];
}

export type Verdict = "ok" | "fail" | "";

export interface GraphData {
  version: number;
  rankdir: Rankdir | "auto";
  total: number; // Values in the whole graph (more than ids.length when folded)
  collapsed: boolean;
  ids: string[];
  kinds: NodeKind[];
  labels: string[];
  ops: string[];
  counts: number[];
  terms: number[];
  data: Float64Array;
  grad: Float64Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  opened: string[];
  openedParent: Int32Array;
  scope: Int32Array;
  focus: string | null;
  source: string[];
  slope: Float64Array;
  slopeKnown: Uint8Array; // 1 where gradcheck computed a slope (it may be nan)
  check: Verdict[];
  edgeGrad: Float64Array | null;
  edgeGradKnown: Uint8Array | null; // 0 where the payload had null (the source is not a Value box)
  notice: string;
  dataText: string[];
  gradText: string[];
  detail: string[];
  scenes: SceneChoice[]; // preferred first
}

/** A layout the view can show: its direction, whether its boxes have slope cells, the places. */
export interface SceneChoice {
  rankdir: Rankdir;
  slopes: boolean;
  layout: Layout;
}

const KINDS = new Set<NodeKind>(["value", "group", "sum", "leaves"]);

/** Checks and converts the payload; throws a readable Error on malformed input. */
export function decodeGraph(p: GraphPayload): GraphData {
  if (!p || !Array.isArray(p.id)) throw new Error("graph data is missing its node ids");
  const n = p.id.length;
  const column = <T>(name: string, col: T[] | undefined, fill: T): T[] => {
    if (col === undefined) return new Array<T>(n).fill(fill);
    if (!Array.isArray(col) || col.length !== n) {
      throw new Error(`graph data column ${name} has ${col?.length} entries, expected ${n}`);
    }
    return col;
  };
  const kinds = column("kind", p.kind, "value").map((k) => {
    if (!KINDS.has(k as NodeKind)) throw new Error(`unknown node kind ${JSON.stringify(k)}`);
    return k as NodeKind;
  });
  const edges = p.edges ?? [];
  if (edges.length % 2 !== 0) throw new Error("graph edges must come in (from, to) pairs");
  const m = edges.length / 2;
  const edgeFrom = new Int32Array(m);
  const edgeTo = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const a = edges[2 * e];
    const b = edges[2 * e + 1];
    if (!(a >= 0 && a < n && b >= 0 && b < n)) throw new Error(`edge ${e} points outside the graph`);
    edgeFrom[e] = a;
    edgeTo[e] = b;
  }
  const opened = (p.opened ?? []).map(String);
  const openedParent = Int32Array.from(p.openedParent ?? opened.map(() => -1));
  if (openedParent.length !== opened.length) throw new Error("graph data openedParent does not match opened");
  const inOpened = (j: number) => j >= -1 && j < opened.length;
  if (!openedParent.every(inOpened)) throw new Error("graph data openedParent points outside opened");
  const scope = Int32Array.from(column("scope", p.scope, -1));
  if (!scope.every(inOpened)) throw new Error("graph data scope points outside opened");
  const slopes = column<Num>("slope", p.slope, null);
  const check = decodeVerdicts(column("check", p.check, ""));
  if (p.edgeGrad !== undefined && (!Array.isArray(p.edgeGrad) || p.edgeGrad.length !== m)) {
    throw new Error(`graph data column edgeGrad has ${p.edgeGrad?.length} entries, expected ${m} (one per edge)`);
  }
  return {
    version: p.version ?? 0,
    rankdir: p.rankdir === "TB" || p.rankdir === "auto" ? p.rankdir : "LR",
    total: p.total ?? n,
    collapsed: Boolean(p.collapsed),
    ids: p.id.map(String),
    kinds,
    labels: column("label", p.label, "").map(String),
    ops: column("op", p.op, "").map(String),
    counts: column("count", p.count, 1),
    terms: column("terms", p.terms, 0),
    data: Float64Array.from(column<Num>("data", p.data, null), toNumber),
    grad: Float64Array.from(column<Num>("grad", p.grad, null), toNumber),
    edgeFrom,
    edgeTo,
    opened,
    openedParent,
    scope,
    focus: typeof p.focus === "string" ? p.focus : null,
    source: column("source", p.source, "").map((t) => (t === null ? "" : String(t))),
    slope: Float64Array.from(slopes, toNumber),
    slopeKnown: Uint8Array.from(slopes, (x) => (x === null || x === undefined ? 0 : 1)),
    check,
    edgeGrad: p.edgeGrad === undefined ? null : Float64Array.from(p.edgeGrad, toNumber),
    edgeGradKnown: p.edgeGrad === undefined ? null : Uint8Array.from(p.edgeGrad, (x) => (x === null ? 0 : 1)),
    notice: typeof p.notice === "string" ? p.notice : "",
    dataText: column("dataText", p.dataText, "").map((t) => (t === null ? "" : String(t))),
    gradText: column("gradText", p.gradText, "").map((t) => (t === null ? "" : String(t))),
    detail: column("detail", p.detail, "").map((t) => (t === null ? "" : String(t))),
    scenes: (p.scenes ?? []).map((s, k) => decodeScene(s, n, edgeFrom, edgeTo, k)),
  };
}

/**
 * The scenes the view may show: those laid out with slope cells when `slopes` (the gradcheck
 * display is on and there are slopes), else those without; `rankdir` keeps only that direction.
 * Falls back to any scene of the right direction if none matches the slope cells, so the
 * picture still shows (slope cells only where the boxes have room for them). Throws if the
 * payload has no scene at all (it was made without micrograd_widgets.graph.scenes).
 */
export function sceneChoices(g: GraphData, slopes: boolean, rankdir?: Rankdir): SceneChoice[] {
  if (g.scenes.length === 0) {
    throw new Error("graph data has no scene: Python lays the graph out (micrograd_widgets.graph.scenes.with_scenes)");
  }
  const direction = g.scenes.filter((s) => rankdir === undefined || s.rankdir === rankdir);
  const pool = direction.length > 0 ? direction : g.scenes;
  const same = pool.filter((s) => s.slopes === slopes);
  return same.length > 0 ? same : pool;
}

/** The `check` column as verdicts; throws on anything else. */
export function decodeVerdicts(col: unknown[]): Verdict[] {
  return col.map((c) => {
    if (c !== "ok" && c !== "fail" && c !== "") throw new Error(`unknown gradcheck verdict ${JSON.stringify(c)}`);
    return c as Verdict;
  });
}

/** Whether any box has a gradcheck result (slope or verdict) to show. */
export function hasGradcheck(g: GraphData): boolean {
  return g.check.some((c) => c !== "") || g.slopeKnown.some((k) => k === 1);
}

/** What each edge out of node i sends back into i's grad: [edge index, target node, amount]. */
export function contributions(g: GraphData, i: number): { edge: number; to: number; amount: number }[] {
  if (!g.edgeGrad) return [];
  const out: { edge: number; to: number; amount: number }[] = [];
  for (let e = 0; e < g.edgeFrom.length; e++) {
    if (g.edgeFrom[e] === i && g.edgeGradKnown?.[e] !== 0) out.push({ edge: e, to: g.edgeTo[e], amount: g.edgeGrad[e] });
  }
  return out;
}

/** The boxes drawn inside opened box `key`, at any depth (none if `key` is not opened). */
export function insideOpened(g: GraphData, key: string): number[] {
  const target = g.opened.indexOf(key);
  if (target < 0) return [];
  const out: number[] = [];
  for (let i = 0; i < g.scope.length; i++) {
    let j = g.scope[i];
    while (j >= 0 && j !== target) j = g.openedParent[j];
    if (j === target) out.push(i);
  }
  return out;
}

/** How an opened box reads on its fold button: a group by name, a sum or bundle by its id. */
export function openedName(key: string): string {
  if (key.startsWith("sum:")) return `Σ ${key.slice(4)}`;
  if (key.startsWith("leaves:")) return `inputs ${key.slice(7)}`;
  return key;
}

// ------------------------------------------------------------------ text

/**
 * The fixed monospace metrics Python sized the boxes with (micrograd_widgets.graph.scene.METRICS):
 * px per character at the box font, one text line's height, padding each side of a cell. The page
 * draws its text no wider than `charWidth` a character (view.ts picks the font size), so text
 * never overflows the boxes Python made.
 */
export const BOX_METRICS = { charWidth: 7.2, lineHeight: 26, pad: 6 } as const;

/**
 * The text cells of a record box: [label, "data 2.0000", "grad 0.0000"] (label may be ""), and
 * with `slopes` (the gradcheck display on) "slope 6.0000" beside the grad where one was computed.
 */
export function recordCells(g: GraphData, i: number, slopes = false): string[] {
  const cells = [headText(g, i), g.dataText[i] || `data ${fixed4(g.data[i])}`, g.gradText[i] || `grad ${fixed4(g.grad[i])}`];
  if (slopes && g.slopeKnown[i]) cells.push(`slope ${fixed4(g.slope[i])}`);
  return cells;
}

/** The first cell of a box: a Value's label, "Σ 100 terms", a group's name, "inputs". */
export function headText(g: GraphData, i: number): string {
  switch (g.kinds[i]) {
    case "sum":
      return `Σ ${g.terms[i]} terms`;
    case "leaves":
      return g.labels[i] || "inputs";
    case "group":
      return g.labels[i];
    default:
      return g.labels[i];
  }
}

/** Whether box i is drawn as a record (label | data | grad): Values and Σ sums. */
export function isRecord(g: GraphData, i: number): boolean {
  return g.kinds[i] === "value" || g.kinds[i] === "sum";
}

export interface BoxSize {
  width: number;
  height: number;
  cells: number[]; // widths of the record cells (empty for a group box)
}

// ------------------------------------------------------------------ layout

export interface Point {
  x: number;
  y: number;
}

export interface Placed {
  x: number; // centre
  y: number;
  width: number;
  height: number;
}

export interface Layout {
  width: number;
  height: number;
  boxes: Placed[]; // per node
  sizes: BoxSize[];
  ops: (Placed | null)[]; // per node: its op node, if any
  edgePoints: Point[][]; // per edge (from -> to, through the op node of `to`)
  opEdgePoints: (Point[] | null)[]; // per node: op node -> box
}

/** SVG path through the layout's edge points: a smooth curve leaving and entering along the rank axis. */
export function edgePath(points: Point[], rankdir: Rankdir = "LR"): string {
  if (points.length === 0) return "";
  const f = (p: Point) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`;
  let d = `M${f(points[0])}`;
  for (let k = 1; k < points.length; k++) {
    const a = points[k - 1];
    const b = points[k];
    if (rankdir === "LR") {
      const mx = (a.x + b.x) / 2;
      d += `C${f({ x: mx, y: a.y })} ${f({ x: mx, y: b.y })} ${f(b)}`;
    } else {
      const my = (a.y + b.y) / 2;
      d += `C${f({ x: a.x, y: my })} ${f({ x: b.x, y: my })} ${f(b)}`;
    }
  }
  return d;
}

// ------------------------------------------------------------------ reachability

/** Everything node `start` depends on (ancestors, through in-edges) and everything that uses it. */
export function related(g: GraphData, start: number): Set<number> {
  const n = g.ids.length;
  const ins: number[][] = Array.from({ length: n }, () => []);
  const outs: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < g.edgeFrom.length; e++) {
    outs[g.edgeFrom[e]].push(g.edgeTo[e]);
    ins[g.edgeTo[e]].push(g.edgeFrom[e]);
  }
  const seen = new Set<number>([start]);
  for (const next of [ins, outs]) {
    const stack = [start];
    while (stack.length) {
      const v = stack.pop() as number;
      for (const w of next[v]) {
        if (!seen.has(w)) {
          seen.add(w);
          stack.push(w);
        }
      }
    }
  }
  return seen;
}

// ------------------------------------------------------------------ cameras (framing.ts)

export { boxesExtent, focusCamera, startCamera, WHOLE_ZOOM } from "./framing";
export type { Camera } from "./framing";

// ------------------------------------------------------------------ gradient check

/** One status line for the gradient check: how many agree, and which disagree (by name). */
export function gradcheckSummary(g: GraphData): { text: string; fail: boolean } {
  const failed: string[] = [];
  let checked = 0;
  for (let i = 0; i < g.check.length; i++) {
    if (!g.check[i]) continue;
    checked++;
    if (g.check[i] === "fail") failed.push(g.labels[i] || g.ids[i]);
  }
  if (checked === 0) return { text: "gradcheck: nothing checked yet", fail: false };
  if (failed.length === 0) return { text: `gradcheck: all ${checked} grads agree with their slopes`, fail: false };
  const names = failed.length > 4 ? `${failed.slice(0, 4).join(", ")}, …` : failed.join(", ");
  return { text: `gradcheck: ${failed.length} of ${checked} grads disagree with their slopes: ${names}`, fail: true };
}

/** A refresh's new slopes / verdicts (GraphWidget's `values`) written into g; whether any came. */
export function applyChecks(g: GraphData, slope?: ArrayLike<Num>, check?: string[]): boolean {
  const n = g.ids.length;
  if (slope && slope.length === n) {
    for (let i = 0; i < n; i++) {
      g.slope[i] = toNumber(slope[i]);
      g.slopeKnown[i] = slope[i] === null || slope[i] === undefined ? 0 : 1;
    }
  }
  if (check && check.length === n) decodeVerdicts(check).forEach((c, i) => (g.check[i] = c));
  return Boolean(slope || check);
}

/** The view's status line: how many Values, how folded, and the gradient check's verdict. */
export function viewStatus(g: GraphData, gradcheck: boolean): { status: string; fail: boolean } {
  const folded = g.collapsed ? ` · folded into ${thousands(g.ids.length)} boxes (click a dashed box to expand)` : "";
  const check = gradcheck && hasGradcheck(g) ? gradcheckSummary(g) : null;
  return { status: `${thousands(g.total)} values${folded}${check ? ` · ${check.text}` : ""}`, fail: check?.fail ?? false };
}
