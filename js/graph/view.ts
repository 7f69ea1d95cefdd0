/**
 * The shared graph drawing: a Value graph as draw_dot records (label | data | grad) with small op
 * nodes, placed as Python laid it out (the payload's scenes: left to right, and for a small graph
 * also top to bottom, which the view picks when only that shows whole in its width; again when
 * the width changes), in an SVG you can pan, zoom, hover and click. Used by the graph
 * widget, the backprop player and the trainer's neuron panel; knows nothing about widgets or models.
 * It composes small parts in js/graph/: toolbar, scene (the drawing), panzoom, tooltip,
 * highlight, opened (fold buttons), camera (start view, Fit, keeping place).
 *
 *   import { createGraphView } from "./view";
 *   import { decodeGraph } from "./data";
 *   const view = createGraphView(container, decodeGraph(payload), {
 *     rankdir: "LR",              // or "TB": only scenes of that direction; default: any the payload has
 *     colorByGrad: true,          // fill boxes by gradient sign/magnitude (toolbar toggle too)
 *     onExpand: (key) => ...,     // a folded box (data-group) was clicked; omit -> shows `expandHint`
 *     expandHint: "...",          // text shown when a folded box is clicked and onExpand is absent
 *     onCollapse: (key) => ...,   // a fold button of an opened box (data.opened) was clicked;
 *                                 // omit -> no fold buttons
 *     camera: old.camera(),       // redrawing (expand/collapse, gradcheck on/off): keep this zoom and
 *                                 // centre data.focus (else the start view: whole graph or output end)
 *     onSelect: (id | null) => ...,  // a box was clicked (after highlighting ancestors/descendants)
 *     toolbar: true,              // Fit button, colour toggle, status line
 *     gradcheck: false,           // show the gradient check (slope cells, data-gradcheck marks)
 *     onGradcheck: (on) => ...,   // given: a toolbar toggle [data-action="gradcheck"] reports clicks
 *     maxHeight: 560,             // px; the viewport grows with the graph up to this
 *     immediate: false,           // draw in this task instead of after a frame that shows the
 *                                 // "laying out" status (a redraw over the old picture, which
 *                                 // the caller removes after this call: no blank frame between)
 *   });
 *   await view.ready;             // laid out and drawn (root data-state="ready")
 *   view.update({ data, grad });  // new numbers per box (same order as data.ids), no re-layout
 *   view.highlight(["n3", "n7"]); // emphasise these boxes, dim the rest; null clears
 *   view.setActive("n7");         // data-active="true" on that box (scrolls it into view); null clears
 *   view.fit();                   // whole graph in view
 *   view.element("n7");           // the <g data-node="n7"> (or data-group) element
 *   view.camera();                // {x, y, k, height}: where the view looks now (null before ready)
 *   view.destroy();               // removes listeners and DOM
 *
 * DOM (see DESIGN.md): the view's root `div.mgw-graphview` holds a toolbar, the payload's notice
 * `[data-field="notice"]` and the SVG; each Value box is `<g data-node=id>` (`data-gradcheck=
 * "ok"|"fail"` while the check shows), its op node `<g data-op=id>`, a folded box `<g
 * data-group=key data-kind=group|sum|leaves>`; an opened box's fold button is `<button
 * data-action="collapse" data-opened=key>`; the view's root has `data-rankdir="LR"|"TB"` (the
 * scene shown now); the edges are a few paths by look (edges.ts: path.mgw-edge, and
 * .mgw-edges-dim / .mgw-edges-strong while a highlight shows), not one element per edge. The
 * caller's root carries data-mgw/data-state. Text goes in as textContent or escaped markup
 * (markup.ts): labels are data, never markup. The view's CSS is one <style> per page.
 */
import { el, nextFrame, sharedStyle, styleElement } from "../common/dom";
import { Num, thousands, toNumber } from "../common/format";
import { createCamera, ViewCamera } from "./camera";
import { createHighlight, Highlight } from "./highlight";
import { createOpenedRow, OpenedRow } from "./opened";
import { createPanZoom } from "./panzoom";
import { drawScene, Numbers, Scene, svgViewport } from "./scene";
import type { SceneChoice } from "./data";
import { GRAPH_CSS } from "./style";
import { createHint, createNotice, createToolbar } from "./toolbar";
import { createTooltip, tooltipLines } from "./tooltip";
import {
  applyChecks,
  BOX_METRICS,
  GraphData,
  hasGradcheck,
  viewStatus,
  headText,
  insideOpened,
  Layout,
  openedName,
  Rankdir,
  related,
  sceneChoices,
} from "./data";

export interface GraphViewOptions {
  rankdir?: Rankdir;
  colorByGrad?: boolean;
  onExpand?: (key: string) => void;
  expandHint?: string;
  onSelect?: (id: string | null) => void;
  onCollapse?: (key: string) => void;
  camera?: ViewCamera | null;
  toolbar?: boolean;
  gradcheck?: boolean;
  onGradcheck?: (on: boolean) => void;
  maxHeight?: number;
  immediate?: boolean;
}

export type { ViewCamera } from "./camera";

export interface GraphValues {
  data: ArrayLike<Num>;
  grad: ArrayLike<Num>;
  /** Optional, per box: 0 = not known yet, drawn as "data ?" / "grad ?" with no fill (the
   * backprop player's values and grads that no step has reached). */
  dataKnown?: ArrayLike<number>;
  gradKnown?: ArrayLike<number>;
  /** Optional (GraphWidget's refresh while the check is on): new slopes and verdicts per box,
   * and the status line's notice. */
  slope?: ArrayLike<Num>;
  check?: string[];
  notice?: string;
}

export interface GraphView {
  root: HTMLElement;
  ready: Promise<void>;
  update(values: GraphValues): void;
  highlight(ids: Iterable<string> | null): void;
  setActive(id: string | null): void;
  fit(): void;
  element(id: string): SVGGElement | null;
  camera(): ViewCamera | null;
  destroy(): void;
}

// Big graphs start at a zoom whose text stays readable (on a projector too), on the output end;
// a graph that fits at WHOLE_ZOOM (data.ts) starts whole. A folded picture is a map, where
// the shape matters more than the digits, so it may start smaller.
const MIN_START_ZOOM = 0.7;
const MIN_START_ZOOM_FOLDED = 0.5;

const BOX_FONT = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';
const BOX_FONT_PX = 12;
let boxFontPx: number | null = null;

/**
 * The box font's size in px: 12, or less if this machine's monospace font is wider than the
 * BOX_METRICS.charWidth Python sized the boxes with (measured once on a canvas; 2% to spare), so
 * text never overflows a box, whatever font the browser picks.
 */
export function boxFontSize(): number {
  if (boxFontPx !== null) return boxFontPx;
  boxFontPx = BOX_FONT_PX;
  if (typeof navigator !== "undefined" && /jsdom/i.test(navigator.userAgent)) return boxFontPx;
  try {
    const ctx = document.createElement("canvas").getContext("2d");
    if (ctx) {
      ctx.font = `${BOX_FONT_PX}px ${BOX_FONT}`;
      const w = ctx.measureText("0123456789-.Σ abcxyz").width / 21;
      const want = BOX_METRICS.charWidth * 0.98;
      if (w > 3 && w < 20 && w > want) boxFontPx = Math.floor((BOX_FONT_PX * want * 100) / w) / 100;
    }
  } catch {
    /* jsdom has no canvas: the default */
  }
  return boxFontPx;
}

export function createGraphView(container: HTMLElement, data: GraphData, options: GraphViewOptions = {}): GraphView {
  const maxHeight = options.maxHeight ?? 560;
  const checkOn = Boolean(options.gradcheck);
  let colorOn = options.colorByGrad ?? true;
  const n = data.ids.length;
  const index = new Map(data.ids.map((id, i) => [id, i]));
  const cleanups: (() => void)[] = [];

  const root = el("div", "mgw-graphview");
  // one <style> per page (common/dom.ts sharedStyle); a widget is often drawn before its output
  // is attached: then into the document for now, and checked again once attached (in ready)
  sharedStyle(container.isConnected ? container : document, "graph", GRAPH_CSS);
  const toolbarHost = el("div");
  if (options.toolbar !== false) root.append(toolbarHost);
  const toolbar = createToolbar(toolbarHost, {
    colorOn,
    gradcheck: options.onGradcheck ? checkOn : undefined,
    onFit: () => fit(),
    onColor: (on) => {
      colorOn = on;
      paint();
    },
    onGradcheck: options.onGradcheck,
  });
  cleanups.push(() => toolbar.destroy());
  const setNotice = createNotice(root);
  setNotice(data.notice);

  const { viewport, sceneGroup, edgeLayer, nodeLayer } = svgViewport(data.total);
  (viewport.querySelector("svg") as SVGSVGElement).style.fontSize = `${boxFontSize()}px`;

  let selected: number | null = null;
  let highlighter: Highlight | null = null;
  const highlightIdx = (set: Set<number> | null) => highlighter?.update(set);
  let opened: OpenedRow | null = null;
  if (options.onCollapse && data.opened.length > 0) {
    const onCollapse = options.onCollapse;
    opened = createOpenedRow(root, sceneGroup, data, {
      onCollapse: (key) => {
        showHint(`folding ${openedName(key)}…`);
        onCollapse(key);
      },
      onHover: (key) => highlightIdx(key !== null ? new Set(insideOpened(data, key)) : selected === null ? null : related(data, selected)),
    });
    cleanups.push(() => opened?.destroy());
  }
  root.append(viewport);
  const showHint = createHint(root);
  container.append(root);
  toolbar.update({ status: `laying out ${thousands(n)} boxes…` });

  // state
  let layout: Layout | null = null;
  let scene: Scene | null = null;
  let values: Numbers = { data: data.data, grad: data.grad, dataKnown: null, gradKnown: null };
  let destroyed = false;
  let active: number | null = null;
  const paint = () => scene?.update(values, colorOn);

  // ---- camera
  const tooltip = createTooltip(viewport);
  cleanups.push(() => tooltip.destroy());
  const hit = (e: Event): number | null => {
    const g = (e.target as Element | null)?.closest?.("[data-idx]");
    return g ? Number((g as SVGGElement).dataset.idx) : null;
  };
  const panzoom = createPanZoom(viewport, sceneGroup, {
    onClick: (e) => click(e),
    onDrag: () => tooltip.hide(),
    onHover: (e) => {
      const i = hit(e);
      if (i === null) return tooltip.hide();
      const lines = tooltipLines(data, i, {
        ...values,
        gradcheck: checkOn,
        canExpand: Boolean(options.onExpand),
        canCollapse: Boolean(options.onCollapse),
      });
      tooltip.show(lines, e.clientX, e.clientY);
    },
  });
  cleanups.push(() => panzoom.destroy());

  const view = createCamera(viewport, container, panzoom, {
    onScene: (choice) => show(choice),
    maxHeight,
    minZoom: data.collapsed ? MIN_START_ZOOM_FOLDED : MIN_START_ZOOM,
    keepZoom: MIN_START_ZOOM_FOLDED,
  });
  cleanups.push(() => view.destroy());
  const fit = () => view.fit();
  const camera = () => view.get();

  const showStatus = () => layout && toolbar.update(viewStatus(data, checkOn));

  const click = (e: Event) => {
    const i = hit(e);
    if (i !== null && data.kinds[i] !== "value") {
      expand(i);
      return;
    }
    selected = i === null || i === selected ? null : i;
    highlightIdx(selected === null ? null : related(data, selected));
    options.onSelect?.(selected === null ? null : data.ids[selected]);
  };

  const expand = (i: number) => {
    if (options.onExpand) {
      showHint(`expanding ${headText(data, i)}…`);
      options.onExpand(data.ids[i]);
    } else {
      showHint(options.expandHint ?? "This box folds part of a big graph; expanding it needs a running Python kernel.");
    }
  };

  // ---- public API
  const update = (next: GraphValues) => {
    if (next.data.length !== n || next.grad.length !== n) {
      throw new Error(`update() needs ${n} data and grad numbers, got ${next.data.length} and ${next.grad.length}`);
    }
    if (next.notice !== undefined) setNotice(next.notice);
    if (applyChecks(data, next.slope, next.check)) {
      scene?.markChecks(checkOn);
      showStatus();
    }
    values = {
      data: Float64Array.from(next.data as ArrayLike<Num>, toNumber),
      grad: Float64Array.from(next.grad as ArrayLike<Num>, toNumber),
      dataKnown: next.dataKnown ?? null,
      gradKnown: next.gradKnown ?? null,
    };
    paint();
  };

  const highlight = (ids: Iterable<string> | null) => {
    if (ids === null) return highlightIdx(null);
    const set = new Set<number>();
    for (const id of ids) {
      const i = index.get(id);
      if (i !== undefined) set.add(i);
    }
    highlightIdx(set);
  };

  const setActive = (id: string | null) => {
    const boxes = scene?.boxes;
    if (active !== null && boxes) delete boxes[active]?.dataset.active;
    active = id === null ? null : index.get(id) ?? null;
    if (active === null || !layout || !boxes?.[active]) return;
    boxes[active].dataset.active = "true";
    view.reveal(active); // keep the active box on screen
  };

  const element = (id: string): SVGGElement | null => {
    const i = index.get(id);
    return i === undefined ? null : scene?.boxes[i] ?? null;
  };

  const destroy = () => {
    destroyed = true;
    for (const c of cleanups.splice(0).reverse()) c();
    root.remove();
  };

  /** Draws the scene (the first time), or moves the drawn boxes to it (a width change). */
  const show = (choice: SceneChoice) => {
    layout = choice.layout;
    root.dataset.rankdir = choice.rankdir;
    if (scene) {
      scene.place(choice.layout, choice.rankdir);
    } else {
      scene = drawScene(edgeLayer, nodeLayer, data, choice.layout, choice.rankdir, choice.slopes);
      cleanups.push(() => scene?.destroy());
      highlighter = createHighlight(scene);
      scene.markChecks(checkOn);
      paint();
    }
    opened?.update(choice.layout);
  };

  const ready = (async () => {
    if (!options.immediate) await nextFrame();
    if (destroyed) return;
    // in a shadow root (marimo) the document's <style> does not reach: that root gets one too;
    // still outside any page: a <style> of the view's own
    if (!sharedStyle(container, "graph", GRAPH_CSS)) root.prepend(styleElement(GRAPH_CSS));
    const choices = sceneChoices(data, checkOn && hasGradcheck(data), options.rankdir);
    // after an expand or fold: the zoom the user had, with what changed in the middle; the
    // camera picks the scene for this width and calls show() with it first
    const focus = data.focus === null ? null : insideOpened(data, data.focus);
    const own = data.focus === null ? undefined : index.get(data.focus);
    if (focus && own !== undefined) focus.push(own);
    view.update(choices, options.camera ?? null, focus);
    showStatus();
  })();

  return { root, ready, update, highlight, setActive, fit, element, camera, destroy };
}
