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
  // The width, and the viewport's borders (clientHeight = style height - inset), read once in
  // update() *before* the scene is drawn: a read after drawing would make the browser lay out
  // thousands of SVG elements there and then (and again after each height change), on top of the
  // layout of the next frame. Width changes come through the ResizeObserver.
  let width = 0;
  let inset = 0;
  const measure = () => {
    const { w, h } = size();
    width = w;
    const styled = parseFloat(viewport.style.height);
    inset = viewport.clientHeight && Number.isFinite(styled) ? Math.max(0, styled - h) : 0;
  };
  const setHeight = (height: number) => {
    viewport.style.height = `${height}px`;
    return Math.max(1, height - inset);
  };
  const choose = (): SceneChoice => {
    const next = chooseScene(choices, width, o.maxHeight);
    if (next !== current) {
      current = next;
      layout = next.layout;
      o.onScene(next);
    }
    return next;
  };
  const start = () => {
    if (!layout || !current) return;
    const c = startCamera(layout, current.rankdir, width, o.maxHeight, o.minZoom);
    setHeight(c.height);
    panzoom.set({ k: c.k, x: c.x, y: c.y });
  };
  const keepPlace = (c: SceneChoice, before: ViewCamera, focus: number[]) => {
    const L = c.layout;
    const startHeight = startCamera(L, c.rankdir, width, o.maxHeight, o.keepZoom).height;
    const h = setHeight(Math.min(o.maxHeight, Math.max(before.height, startHeight)));
    panzoom.set(focusCamera(L, focus, before, width, h), true);
  };
  return {
    update(next, before, focus) {
      choices = next;
      current = null;
      measure();
      const shown = choose();
      if (before && (focus !== null || before.moved !== false)) keepPlace(shown, before, focus ?? []);
      else start();
      if (ro || typeof ResizeObserver !== "function") return;
      let lastWidth = width;
      ro = new ResizeObserver(() => {
        // called after a layout: reading sizes here costs nothing
        if (size().w === lastWidth) return;
        measure();
        lastWidth = width;
        if (panzoom.moved) return; // the user looks somewhere: keep their picture
        choose();
        start();
      });
      ro.observe(viewport);
    },
    fit() {
      if (!layout) return;
      measure();
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
