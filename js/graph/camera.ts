// Where the view looks: the start picture (whole, or readable on the output end), Fit, the place
// kept after an expand/fold, keeping the active box on screen, and a fresh start when the cell
// gets wider or narrower (unless the user has moved the picture). Moves go through panzoom.
import { Camera, focusCamera, startCamera } from "./framing";
import type { Layout, Rankdir } from "./data";
import { PanZoom } from "./panzoom";

/** Where a view looks (see Camera) and how tall its viewport is, to carry over to a redraw;
 * `moved`: the user panned or zoomed (else a redraw with nothing to focus starts afresh: a
 * layout that grew, with the gradcheck's slope cells, is shown whole again). */
export interface ViewCamera extends Camera {
  height: number;
  moved?: boolean;
}

export interface CameraOptions {
  rankdir: Rankdir;
  maxHeight: number;
  minZoom: number; // the readable start zoom of a graph too big to show whole
  keepZoom: number; // the smallest start zoom kept after an expand (its height's reference)
}

export interface ViewCameraControl {
  /** The layout to look at, and where to start: `before` with boxes `focus` in the middle, or
   * the start picture (also after later width changes). */
  update(layout: Layout, before: ViewCamera | null, focus: number[] | null): void;
  fit(): void;
  /** Pans (same zoom) so that box `i` is on screen if it is not. */
  reveal(i: number): void;
  get(): ViewCamera | null;
  destroy(): void;
}

export function createCamera(viewport: HTMLElement, container: HTMLElement, panzoom: PanZoom, o: CameraOptions): ViewCameraControl {
  let layout: Layout | null = null;
  let ro: ResizeObserver | null = null;
  // jsdom lays nothing out: fall back to the height we set and a typical notebook width
  const size = () => ({
    w: viewport.clientWidth || container.clientWidth || 800,
    h: viewport.clientHeight || parseFloat(viewport.style.height) || 400,
  });
  const start = () => {
    if (!layout) return;
    const c = startCamera(layout, o.rankdir, size().w, o.maxHeight, o.minZoom);
    viewport.style.height = `${c.height}px`;
    panzoom.set({ k: c.k, x: c.x, y: c.y });
  };
  const keepPlace = (L: Layout, before: ViewCamera, focus: number[]) => {
    const startHeight = startCamera(L, o.rankdir, size().w, o.maxHeight, o.keepZoom).height;
    viewport.style.height = `${Math.min(o.maxHeight, Math.max(before.height, startHeight))}px`;
    const { w, h } = size();
    panzoom.set(focusCamera(L, focus, before, w, h), true);
  };
  return {
    update(next, before, focus) {
      layout = next;
      if (before && (focus !== null || before.moved !== false)) keepPlace(next, before, focus ?? []);
      else start();
      if (ro || typeof ResizeObserver !== "function") return;
      let lastWidth = viewport.clientWidth;
      ro = new ResizeObserver(() => {
        if (viewport.clientWidth === lastWidth) return;
        lastWidth = viewport.clientWidth;
        if (!panzoom.moved) start();
      });
      ro.observe(viewport);
    },
    fit() {
      if (!layout) return;
      const { w, h } = size();
      const k = Math.min(1.5, w / Math.max(1, layout.width), h / Math.max(1, layout.height));
      panzoom.set({ k, x: (w - layout.width * k) / 2, y: (h - layout.height * k) / 2 });
    },
    reveal(i) {
      if (!layout) return;
      const b = layout.boxes[i];
      const t = panzoom.get();
      const w = viewport.clientWidth || 800;
      const h = viewport.clientHeight || 400;
      const sx = b.x * t.k + t.x;
      const sy = b.y * t.k + t.y;
      if (sx < 20 || sx > w - 20 || sy < 20 || sy > h - 20) {
        panzoom.set({ ...t, x: w / 2 - b.x * t.k, y: h / 2 - b.y * t.k }, panzoom.moved);
      }
    },
    get: () => (layout ? { ...panzoom.get(), height: size().h, moved: panzoom.moved } : null),
    destroy() {
      ro?.disconnect();
    },
  };
}
