// Where the view looks: which of Python's scenes to show at this width (left to right, or top to
// bottom when only that shows whole), the start picture (whole, or readable on the output end),
// Fit, the place kept after an expand/fold, keeping the active box on screen, and a fresh choice
// and start when the cell gets wider or narrower (unless the user has moved the picture). Moves
// go through panzoom.
import { Camera, chooseScene, focusCamera, startCamera } from "./framing";
import type { Layout, SceneChoice } from "./data";
import { PanZoom } from "./panzoom";

/** Where a view looks (see Camera) and how tall its viewport is, to carry over to a redraw;
 * `moved`: the user panned or zoomed (else a redraw with nothing to focus starts afresh: a
 * layout that grew, with the gradcheck's slope cells, is shown whole again). */
export interface ViewCamera extends Camera {
  height: number;
  moved?: boolean;
}

export interface CameraOptions {
  maxHeight: number;
  minZoom: number; // the readable start zoom of a graph too big to show whole
  keepZoom: number; // the smallest start zoom kept after an expand (its height's reference)
  /** The scene to show is now `choice` (first call, or another one after a width change): the
   * view places its boxes there before the camera moves. */
  onScene(choice: SceneChoice): void;
}

export interface ViewCameraControl {
  /** The scenes to choose from by width, and where to start: `before` with boxes `focus` in the
   * middle, or the start picture (also after later width changes). */
  update(choices: SceneChoice[], before: ViewCamera | null, focus: number[] | null): void;
  /** The scene shown now (null before update). */
  scene(): SceneChoice | null;
  fit(): void;
  /** Pans (same zoom) so that box `i` is on screen if it is not. */
  reveal(i: number): void;
  get(): ViewCamera | null;
  destroy(): void;
}

export function createCamera(viewport: HTMLElement, container: HTMLElement, panzoom: PanZoom, o: CameraOptions): ViewCameraControl {
  let layout: Layout | null = null;
  let current: SceneChoice | null = null;
  let choices: SceneChoice[] = [];
  let ro: ResizeObserver | null = null;
  // jsdom lays nothing out: fall back to the height we set and a typical notebook width
  const size = () => ({
    w: viewport.clientWidth || container.clientWidth || 800,
    h: viewport.clientHeight || parseFloat(viewport.style.height) || 400,
  });
  const choose = (): SceneChoice => {
    const next = chooseScene(choices, size().w, o.maxHeight);
    if (next !== current) {
      current = next;
      layout = next.layout;
      o.onScene(next);
    }
    return next;
  };
  const start = () => {
    if (!layout || !current) return;
    const c = startCamera(layout, current.rankdir, size().w, o.maxHeight, o.minZoom);
    viewport.style.height = `${c.height}px`;
    panzoom.set({ k: c.k, x: c.x, y: c.y });
  };
  const keepPlace = (c: SceneChoice, before: ViewCamera, focus: number[]) => {
    const L = c.layout;
    const startHeight = startCamera(L, c.rankdir, size().w, o.maxHeight, o.keepZoom).height;
    viewport.style.height = `${Math.min(o.maxHeight, Math.max(before.height, startHeight))}px`;
    const { w, h } = size();
    panzoom.set(focusCamera(L, focus, before, w, h), true);
  };
  return {
    update(next, before, focus) {
      choices = next;
      current = null;
      const shown = choose();
      if (before && (focus !== null || before.moved !== false)) keepPlace(shown, before, focus ?? []);
      else start();
      if (ro || typeof ResizeObserver !== "function") return;
      let lastWidth = size().w;
      ro = new ResizeObserver(() => {
        if (size().w === lastWidth) return;
        lastWidth = size().w;
        if (panzoom.moved) return; // the user looks somewhere: keep their picture
        choose();
        start();
      });
      ro.observe(viewport);
    },
    fit() {
      if (!layout) return;
      choose(); // the scene that fits this width best (the cell may have changed)
      const { w, h } = size();
      const L = layout as Layout;
      const k = Math.min(1.5, w / Math.max(1, L.width), h / Math.max(1, L.height));
      panzoom.set({ k, x: (w - L.width * k) / 2, y: (h - L.height * k) / 2 });
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
    scene: () => current,
    get: () => (layout ? { ...panzoom.get(), height: size().h, moved: panzoom.moved } : null),
    destroy() {
      ro?.disconnect();
    },
  };
}
