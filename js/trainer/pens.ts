// The pens over the map: with "+1" or "−1" on, a click or a drag adds points of that class (a
// drag leaves one every few pixels); with "erase" on, it removes the points under the pointer.
// What a drag makes is sent in batches, at most `perSecond` messages a second (Python appends
// them to the run while it trains and republishes the points). Off: the map's click chooses a point.
import { el } from "../common/dom";
import { markSvg } from "./marks";
import type { Context, Pen } from "./types";

export const PENS: [Pen, string, string][] = [
  ["+1", "+1", "Draw points of class +1 (click or drag on the map)"],
  ["-1", "−1", "Draw points of class −1 (click or drag on the map)"],
  ["erase", "Erase", "Erase the points under the pointer"],
];

/** The minimum distance between two drawn points of a drag, as a fraction of the map's width. */
export const SPACING = 0.025;
/** The eraser's radius, as a fraction of the map's width. */
export const ERASER = 0.06;

export interface Batcher {
  add(point: [number, number, number]): void;
  erase(x: number, y: number, radius: number): void;
  flush(): void;
  /** Points sent or waiting that Python has not republished yet (drawn at once for feedback). */
  pending(): [number, number, number][];
  clearPending(): void;
  destroy(): void;
}

/** Collects a drag's points and erasures and sends them at most `perSecond` times a second. */
export function batcher(send: Context["send"], perSecond: number, now = () => Date.now()): Batcher {
  let points: [number, number, number][] = [];
  let erase: { x: number; y: number; radius: number }[] = [];
  let shown: [number, number, number][] = [];
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const gap = 1000 / Math.max(1, perSecond);
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!points.length && !erase.length) return;
    last = now();
    if (points.length) {
      send({ type: "add_points", points });
      points = [];
    } else {
      // one erasure per message: the last position stands for the drag since the last one
      const e = erase[erase.length - 1];
      send({ type: "erase_points", ...e });
      erase = [];
    }
    if (points.length || erase.length) schedule();
  };
  const schedule = () => {
    if (timer !== undefined) return;
    const wait = Math.max(0, last + gap - now());
    if (wait === 0) flush();
    else timer = setTimeout(flush, wait);
  };
  return {
    add(point) {
      erase = [];
      points.push(point);
      shown.push(point);
      schedule();
    },
    erase(x, y, radius) {
      if (points.length) flush();
      erase.push({ x, y, radius });
      schedule();
    },
    flush,
    pending: () => shown,
    clearPending: () => void (shown = []),
    destroy: () => clearTimeout(timer),
  };
}

/** The pen buttons ([data-pen] with aria-pressed): one click toggles a pen on, again off. */
export function penButtons(ctx: Context): { node: HTMLElement; show(pen: Pen | null, allowed: boolean): void } {
  const node = el("div", "mgw-pens mgw-toggle");
  node.dataset.control = "pens";
  node.setAttribute("role", "group");
  node.setAttribute("aria-label", "Pens: draw your own data");
  const buttons = PENS.map(([pen, text, title]) => {
    const b = el("button", undefined, text);
    // the class's mark (as the map draws its points) before the text: colour and sign
    if (pen !== "erase") b.prepend(markSvg(pen === "+1" ? "+" : "−", false, pen === "+1" ? "pos" : "neg"));
    b.type = "button";
    b.dataset.pen = pen;
    b.title = title;
    b.setAttribute("aria-pressed", "false");
    b.addEventListener("click", () => ctx.setView({ pen: ctx.view.pen === pen ? null : pen }));
    return b;
  });
  node.append(el("span", "mgw-small mgw-pens-label", "Pen"), ...buttons);
  return {
    node,
    show(pen, allowed) {
      for (const b of buttons) {
        b.setAttribute("aria-pressed", String(b.dataset.pen === pen));
        b.disabled = !allowed;
      }
    },
  };
}
