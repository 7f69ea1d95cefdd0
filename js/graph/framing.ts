// Cameras: where a viewport looks at a laid-out graph. The start picture (whole when it fits
// at a legible zoom, else readable on the output end), the place kept after an expand or fold,
// the frame around opened boxes. Pure functions over a Layout (data.ts), unit-tested in
// data.test.ts.
import type { Layout, Rankdir, SceneChoice } from "./data";

/** What the viewport shows: layout point (px, py) is drawn at (x + px * k, y + py * k). */
export interface Camera {
  x: number;
  y: number;
  k: number;
}

const PAD = 8; // px kept free around the picture

/** The rectangle around boxes `idx` (and their op nodes), or null for none. */
function extentOf(L: Layout, idx: Iterable<number>): { x0: number; y0: number; x1: number; y1: number } | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const i of idx) {
    for (const b of [L.boxes[i], L.ops[i]]) {
      if (!b) continue;
      x0 = Math.min(x0, b.x - b.width / 2);
      x1 = Math.max(x1, b.x + b.width / 2);
      y0 = Math.min(y0, b.y - b.height / 2);
      y1 = Math.max(y1, b.y + b.height / 2);
    }
  }
  return Number.isFinite(x0) ? { x0, y0, x1, y1 } : null;
}

/**
 * The zoom down to which a graph starts whole: its 12 px text still reads at ~5.5 px on a
 * projector, and a small graph seen whole (the lecture's neuron) beats a readable half of it.
 */
export const WHOLE_ZOOM = 0.45;

/**
 * The first picture of a graph in a viewport `width` px wide, and the viewport height to use
 * (between `minHeight` and `maxHeight`, following the graph's shape): the whole graph when it
 * fits at `wholeZoom` or more; else `minZoom` on the output end (the right in LR, the bottom in
 * TB) with the boxes that show there centred across the rank axis (a long, slanting chain must
 * not sit at the viewport's edge), keeping the output itself in view.
 */
export function startCamera(
  L: Layout,
  rankdir: Rankdir,
  width: number,
  maxHeight: number,
  minZoom: number,
  wholeZoom = WHOLE_ZOOM,
  minHeight = 140,
): Camera & { height: number } {
  const clampH = (h: number) => Math.round(Math.max(minHeight, Math.min(maxHeight, h)));
  const { k: kFit, height: fitHeight } = wholeFit(L, width, maxHeight, minHeight);
  if (kFit >= Math.min(wholeZoom, minZoom)) {
    return { k: kFit, x: (width - L.width * kFit) / 2, y: (fitHeight - L.height * kFit) / 2, height: fitHeight };
  }
  const k = minZoom;
  const lr = rankdir === "LR";
  // the output: the box reaching furthest along the rank axis
  let out = 0;
  const end = (i: number) => (lr ? L.boxes[i].x + L.boxes[i].width / 2 : L.boxes[i].y + L.boxes[i].height / 2);
  for (let i = 1; i < L.boxes.length; i++) if (end(i) > end(out)) out = i;
  // the part of the rank axis on screen, and the boxes in it
  const long = lr ? L.width : L.height;
  const span = (lr ? width : maxHeight) - 2 * PAD;
  const from = long - span / k;
  const shown: number[] = [];
  for (let i = 0; i < L.boxes.length; i++) {
    const b = L.boxes[i];
    const hi = lr ? b.x + b.width / 2 : b.y + b.height / 2;
    if (hi >= from) shown.push(i);
  }
  const ext = extentOf(L, shown) ?? { x0: 0, y0: 0, x1: L.width, y1: L.height };
  const o = L.boxes[out];
  if (lr) {
    const height = clampH((ext.y1 - ext.y0) * k + 2 * PAD);
    const room = (height / 2 - PAD) / k - o.height / 2; // how far the centre may be from the output
    const cy = Math.max(o.y - room, Math.min(o.y + room, (ext.y0 + ext.y1) / 2));
    const x = L.width * k <= width - 2 * PAD ? (width - L.width * k) / 2 : width - PAD - L.width * k;
    return { k, x, y: height / 2 - cy * k, height };
  }
  const height = clampH(L.height * k + 2 * PAD);
  const room = (width / 2 - PAD) / k - o.width / 2;
  const cx = Math.max(o.x - room, Math.min(o.x + room, (ext.x0 + ext.x1) / 2));
  const y = L.height * k <= height - 2 * PAD ? (height - L.height * k) / 2 : height - PAD - L.height * k;
  return { k, x: width / 2 - cx * k, y, height };
}

/** The zoom that shows all of L in a viewport `width` px wide, and that viewport's height (the
 * graph's shape, between minHeight and maxHeight). */
export function wholeFit(L: Layout, width: number, maxHeight: number, minHeight = 140): { k: number; height: number } {
  const avail = Math.max(1, width - 2 * PAD);
  const kWide = Math.min(1, avail / Math.max(1, L.width));
  const height = Math.round(Math.max(minHeight, Math.min(maxHeight, L.height * kWide + 2 * PAD)));
  const k = Math.min(1.5, avail / Math.max(1, L.width), (height - 2 * PAD) / Math.max(1, L.height));
  return { k, height };
}

/**
 * Which of the scenes Python laid out (preferred first: left to right) a viewport `width` px wide
 * starts with: the first that shows whole at a legible zoom (>= WHOLE_ZOOM), else the first (a
 * graph too big to read whole starts on its output end, as before). So a small graph turns top
 * to bottom in a narrow cell (the projector's 592 px) and back in a wide one.
 */
export function chooseScene(choices: SceneChoice[], width: number, maxHeight: number, wholeZoom = WHOLE_ZOOM): SceneChoice {
  if (choices.length === 0) throw new Error("no scene to choose from");
  return choices.find((c) => wholeFit(c.layout, width, maxHeight).k >= wholeZoom) ?? choices[0];
}

/**
 * The camera after the user opened or folded a box: the zoom they had, moved so that boxes
 * `idx` (what the opened box became, or the folded box) sit in the middle of the viewport.
 * With no such boxes it stays where it was.
 */
export function focusCamera(L: Layout, idx: Iterable<number>, before: Camera, width: number, height: number): Camera {
  const boxes = [...idx];
  const ext = extentOf(L, boxes);
  if (!ext) return { ...before };
  const k = before.k;
  let cx = (ext.x0 + ext.x1) / 2;
  let cy = (ext.y0 + ext.y1) / 2;
  if ((ext.x1 - ext.x0) * k > width || (ext.y1 - ext.y0) * k > height) {
    // Too big to show whole: centre the box nearest its middle instead, so the view shows part
    // of what opened, not the empty middle of a long chain that slopes across the picture.
    let best = Infinity;
    for (const i of boxes) {
      const b = L.boxes[i] ?? L.ops[i];
      const d = b ? Math.hypot(b.x - cx, b.y - cy) : Infinity;
      if (b && d < best) [best, cx, cy] = [d, b.x, b.y];
    }
  }
  return { k, x: width / 2 - cx * k, y: height / 2 - cy * k };
}

/** The rectangle around boxes `idx` in layout px (for drawing a frame around an opened box). */
export function boxesExtent(L: Layout, idx: Iterable<number>): { x: number; y: number; width: number; height: number } | null {
  const e = extentOf(L, idx);
  return e && { x: e.x0, y: e.y0, width: e.x1 - e.x0, height: e.y1 - e.y0 };
}

