/**
 * The shared graph drawing: a Value graph as draw_dot records (label | data | grad) with small op
 * nodes, laid out in layers, in an SVG you can pan, zoom, hover and click. Used by the graph
 * widget and the backprop player; knows nothing about widgets or models.
 *
 *   import { createGraphView } from "../lib/graphview";
 *   import { decodeGraph } from "../lib/graphdata";
 *   const view = createGraphView(container, decodeGraph(payload), {
 *     rankdir: "LR",              // or "TB"; default: data.rankdir
 *     colorByGrad: true,          // fill boxes by gradient sign/magnitude (toolbar toggle too)
 *     onExpand: (key) => ...,     // a folded box (data-group) was clicked; omit -> shows `expandHint`
 *     expandHint: "...",          // text shown when a folded box is clicked and onExpand is absent
 *     onCollapse: (key) => ...,   // a fold button of an opened box (data.opened) was clicked;
 *                                 // omit -> no fold buttons
 *     camera: old.camera(),       // redrawing after an expand/collapse: keep this zoom and centre
 *                                 // data.focus (else the start view: whole graph or output end)
 *     onSelect: (id | null) => ...,  // a box was clicked (after highlighting ancestors/descendants)
 *     toolbar: true,              // Fit button, colour toggle, status line
 *     maxHeight: 560,             // px; the viewport grows with the graph up to this
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
 * DOM (see DESIGN.md): the view's root `div.mgw-graphview` holds a toolbar and the SVG; each Value
 * box is `<g data-node=id>`, its op node `<g data-op=id>`, a folded box `<g data-group=key
 * data-kind=group|sum|leaves>`; an opened box's fold button is `<button data-action="collapse"
 * data-opened=key>` (hovering it outlines what it folds). The caller's root carries
 * data-mgw/data-state. Text is only ever set with textContent: labels are data, never markup.
 */
import { cssColor, gradColor, maxAbs } from "./colors";
import { nextFrame, svgEl, svgText } from "./dom";
import { fixed4, full, Num, thousands, toNumber } from "./format";
import {
  boxesExtent,
  Camera,
  DEFAULT_METRICS,
  edgePath,
  focusCamera,
  GraphData,
  headText,
  insideOpened,
  isRecord,
  Layout,
  layoutGraph,
  Metrics,
  openedName,
  Rankdir,
  recordCells,
  related,
  startCamera,
} from "./graphdata";

export interface GraphViewOptions {
  rankdir?: Rankdir;
  colorByGrad?: boolean;
  onExpand?: (key: string) => void;
  expandHint?: string;
  onSelect?: (id: string | null) => void;
  onCollapse?: (key: string) => void;
  camera?: ViewCamera | null;
  toolbar?: boolean;
  maxHeight?: number;
}

/** Where a view looks (see Camera) and how tall its viewport is, to carry over to a redraw. */
export interface ViewCamera extends Camera {
  height: number;
}

export interface GraphValues {
  data: ArrayLike<Num>;
  grad: ArrayLike<Num>;
  /** Optional, per box: 0 = not known yet, drawn as "data ?" / "grad ?" with no fill (the
   * backprop player's values and grads that no step has reached). */
  dataKnown?: ArrayLike<number>;
  gradKnown?: ArrayLike<number>;
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

// The start view shows the whole graph only if its text stays readable (on a projector too);
// otherwise it starts at this zoom on the output end. A folded picture is a map, where the
// shape matters more than the digits, so it may start smaller.
const MIN_START_ZOOM = 0.7;
const MIN_START_ZOOM_FOLDED = 0.5;
let instances = 0;

const CSS = `
.mgw-graphview { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  color: var(--jp-ui-font-color1, #1f2328); }
.mgw-graphview .mgw-toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap;
  font-family: system-ui, sans-serif; font-size: 12px; margin-bottom: 4px; }
.mgw-graphview .mgw-toolbar button { font: inherit; padding: 2px 10px; cursor: pointer; }
.mgw-graphview .mgw-status { color: var(--jp-ui-font-color2, #59636e); }
.mgw-graphview .mgw-viewport { position: relative; overflow: hidden; cursor: grab; touch-action: none;
  border: 1px solid var(--jp-border-color2, #d0d7de); border-radius: 4px;
  background: var(--jp-layout-color0, #fff); }
.mgw-graphview .mgw-viewport.mgw-dragging { cursor: grabbing; }
.mgw-graphview svg { display: block; width: 100%; height: 100%; user-select: none; }
.mgw-graphview .mgw-box rect.mgw-frame { fill: var(--jp-layout-color0, #fff); stroke: currentColor; stroke-width: 1; }
.mgw-graphview .mgw-box rect.mgw-fill { fill: transparent; stroke: none; pointer-events: none; }
.mgw-graphview .mgw-box line { stroke: currentColor; stroke-width: 1; }
.mgw-graphview text { fill: currentColor; dominant-baseline: central; text-anchor: middle; }
.mgw-graphview .mgw-op ellipse { fill: var(--jp-layout-color0, #fff); stroke: currentColor; }
.mgw-graphview .mgw-folded rect.mgw-frame { stroke-dasharray: 4 2; fill: var(--jp-layout-color2, #f3f4f6); }
.mgw-graphview .mgw-folded { cursor: pointer; }
.mgw-graphview .mgw-folded text.mgw-sub { fill: var(--jp-ui-font-color2, #59636e); font-size: 11px; }
.mgw-graphview path.mgw-edge { fill: none; stroke: var(--jp-ui-font-color2, #57606a); stroke-width: 1; }
.mgw-graphview .mgw-dim { opacity: 0.18; }
.mgw-graphview [data-highlight="true"] rect.mgw-frame, .mgw-graphview [data-highlight="true"] ellipse { stroke-width: 2; }
.mgw-graphview path.mgw-edge[data-highlight="true"] { stroke-width: 2; stroke: var(--jp-ui-font-color0, #000); }
.mgw-graphview [data-active="true"] rect.mgw-frame { stroke: #d97706; stroke-width: 3; }
.mgw-graphview .mgw-tooltip { position: absolute; pointer-events: none; z-index: 10; white-space: pre;
  background: var(--jp-layout-color0, #fff); border: 1px solid var(--jp-border-color1, #8c959f);
  border-radius: 4px; padding: 4px 8px; box-shadow: 0 2px 6px rgba(0,0,0,.15); font-size: 12px; }
.mgw-graphview .mgw-opened { display: flex; gap: 6px; align-items: center; flex-wrap: wrap;
  font-family: system-ui, sans-serif; font-size: 12px; margin-bottom: 4px; }
.mgw-graphview .mgw-opened button { font: inherit; padding: 1px 8px; cursor: pointer; }
.mgw-graphview rect.mgw-opened-frame { fill: rgba(217, 119, 6, 0.08); stroke: #d97706;
  stroke-width: 2.5; stroke-dasharray: 8 4; vector-effect: non-scaling-stroke; pointer-events: none; }
.mgw-graphview .mgw-hint { font-family: system-ui, sans-serif; font-size: 12px; margin-top: 4px;
  color: var(--jp-warn-color0, #9a6700); }
`;

/** Width of one character of the box font (canvas when available, else a good guess). */
function measureMetrics(): Metrics {
  if (typeof navigator !== "undefined" && /jsdom/i.test(navigator.userAgent)) return DEFAULT_METRICS;
  try {
    const ctx = document.createElement("canvas").getContext("2d");
    if (ctx) {
      ctx.font = '12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace';
      const w = ctx.measureText("0123456789").width / 10;
      if (w > 3 && w < 20) return { ...DEFAULT_METRICS, charWidth: Math.ceil(w * 10) / 10 + 0.2 };
    }
  } catch {
    /* jsdom has no canvas: fall back */
  }
  return DEFAULT_METRICS;
}

export function createGraphView(container: HTMLElement, data: GraphData, options: GraphViewOptions = {}): GraphView {
  const uid = ++instances;
  const rankdir: Rankdir = options.rankdir ?? data.rankdir;
  const maxHeight = options.maxHeight ?? 560;
  let colorOn = options.colorByGrad ?? true;
  const n = data.ids.length;
  const index = new Map(data.ids.map((id, i) => [id, i]));

  const root = document.createElement("div");
  root.className = "mgw-graphview";
  const style = document.createElement("style");
  style.textContent = CSS;
  root.append(style);

  // toolbar
  const toolbar = document.createElement("div");
  toolbar.className = "mgw-toolbar";
  const fitButton = document.createElement("button");
  fitButton.type = "button";
  fitButton.dataset.action = "fit";
  fitButton.textContent = "Fit";
  fitButton.title = "Show the whole graph";
  const colorLabel = document.createElement("label");
  const colorBox = document.createElement("input");
  colorBox.type = "checkbox";
  colorBox.checked = colorOn;
  colorBox.dataset.action = "color";
  colorLabel.append(colorBox, " colour by grad");
  colorLabel.title = "Blue: positive gradient, red: negative; stronger = larger |grad|";
  const status = document.createElement("span");
  status.className = "mgw-status";
  status.dataset.field = "status";
  toolbar.append(fitButton, colorLabel, status);
  if (options.toolbar !== false) root.append(toolbar);

  // fold buttons: one per opened box (outer first), so every expand can be undone
  const openedRow = document.createElement("div");
  openedRow.className = "mgw-opened";
  const openedButtons: HTMLButtonElement[] = [];
  if (options.onCollapse && data.opened.length > 0) {
    const caption = document.createElement("span");
    caption.className = "mgw-status";
    caption.textContent = "Opened (click to fold):";
    openedRow.append(caption);
    for (const key of data.opened) {
      const b = document.createElement("button");
      b.type = "button";
      b.dataset.action = "collapse";
      b.dataset.opened = key;
      b.textContent = `⊟ ${openedName(key)}`;
      b.title = `Fold ${openedName(key)} back into one box`;
      openedButtons.push(b);
      openedRow.append(b);
    }
    root.append(openedRow);
  }

  const viewport = document.createElement("div");
  viewport.className = "mgw-viewport";
  viewport.style.height = "120px";
  const svg = svgEl("svg", { role: "img", "aria-label": `Computation graph, ${data.total} values` });
  const defs = svgEl("defs");
  const arrowId = `mgw-arrow-${uid}`;
  const marker = svgEl("marker", { id: arrowId, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
  marker.append(svgEl("path", { d: "M0,0L10,5L0,10z", fill: "var(--jp-ui-font-color2, #57606a)" }));
  defs.append(marker);
  const scene = svgEl("g", { class: "mgw-scene" });
  const frame = svgEl("rect", { class: "mgw-opened-frame", rx: 8 });
  frame.style.display = "none";
  const edgeLayer = svgEl("g", { class: "mgw-edges" });
  const nodeLayer = svgEl("g", { class: "mgw-nodes" });
  scene.append(frame, edgeLayer, nodeLayer);
  svg.append(defs, scene);
  const tooltip = document.createElement("div");
  tooltip.className = "mgw-tooltip";
  tooltip.hidden = true;
  viewport.append(svg, tooltip);
  const hint = document.createElement("div");
  hint.className = "mgw-hint";
  hint.hidden = true;
  root.append(viewport, hint);
  container.append(root);

  status.textContent = `laying out ${thousands(n)} boxes…`;

  // state
  let layout: Layout | null = null;
  const boxes: SVGGElement[] = new Array(n);
  const opNodes: (SVGGElement | null)[] = new Array(n).fill(null);
  const edgePaths: SVGPathElement[] = [];
  const dataText: (SVGTextElement | null)[] = new Array(n).fill(null);
  const gradText: (SVGTextElement | null)[] = new Array(n).fill(null);
  const fills: (SVGRectElement | null)[] = new Array(n).fill(null);
  let dataValues = data.data;
  let gradValues = data.grad;
  let dataKnown: ArrayLike<number> | null = null;
  let gradKnown: ArrayLike<number> | null = null;
  let t = { x: 0, y: 0, k: 1 };
  let userMoved = false;
  let destroyed = false;
  let active: number | null = null;
  const cleanups: (() => void)[] = [];

  const applyTransform = () => scene.setAttribute("transform", `translate(${t.x.toFixed(2)},${t.y.toFixed(2)}) scale(${t.k.toFixed(4)})`);

  const paintColors = () => {
    const scale = maxAbs(gradValues);
    for (let i = 0; i < n; i++) {
      const f = fills[i];
      if (!f) continue;
      const known = gradKnown === null || gradKnown[i] !== 0;
      const c = colorOn && known && isRecord(data, i) ? gradColor(gradValues[i], scale) : null;
      f.style.fill = c === null ? "" : cssColor(c);
    }
  };

  const drawAll = (L: Layout) => {
    const frag = document.createDocumentFragment();
    for (let e = 0; e < data.edgeFrom.length; e++) {
      const p = svgEl("path", { class: "mgw-edge", d: edgePath(L.edgePoints[e], rankdir), "marker-end": `url(#${arrowId})` });
      p.dataset.from = String(data.edgeFrom[e]);
      p.dataset.to = String(data.edgeTo[e]);
      edgePaths.push(p);
      frag.append(p);
    }
    for (let i = 0; i < n; i++) {
      const pts = L.opEdgePoints[i];
      if (pts) {
        const p = svgEl("path", { class: "mgw-edge", d: edgePath(pts, rankdir), "marker-end": `url(#${arrowId})` });
        p.dataset.from = String(i);
        p.dataset.to = String(i);
        p.classList.add("mgw-op-edge");
        edgePaths.push(p);
        frag.append(p);
      }
    }
    edgeLayer.append(frag);

    const nodes = document.createDocumentFragment();
    for (let i = 0; i < n; i++) {
      const b = L.boxes[i];
      const x0 = b.x - b.width / 2;
      const y0 = b.y - b.height / 2;
      const g = svgEl("g", { class: "mgw-box", transform: `translate(${x0.toFixed(1)},${y0.toFixed(1)})` });
      g.dataset.idx = String(i);
      g.append(svgEl("rect", { class: "mgw-frame", width: b.width.toFixed(1), height: b.height.toFixed(1) }));
      if (isRecord(data, i)) {
        const fill = svgEl("rect", { class: "mgw-fill", width: b.width.toFixed(1), height: b.height.toFixed(1) });
        fills[i] = fill;
        g.append(fill);
        const widths = L.sizes[i].cells;
        const cells = recordCells(data, i);
        let x = 0;
        for (let c = 0; c < 3; c++) {
          if (c > 0) g.append(svgEl("line", { x1: x.toFixed(1), y1: 0, x2: x.toFixed(1), y2: b.height.toFixed(1) }));
          const tx = svgText(x + widths[c] / 2, b.height / 2, cells[c]);
          if (c === 1) dataText[i] = tx;
          if (c === 2) gradText[i] = tx;
          g.append(tx);
          x += widths[c];
        }
      }
      if (data.kinds[i] === "value") {
        g.dataset.node = data.ids[i];
      } else {
        g.dataset.group = data.ids[i];
        g.dataset.kind = data.kinds[i];
        g.classList.add("mgw-folded");
        g.setAttribute("role", "button");
        g.setAttribute("aria-label", `${headText(data, i)}: ${data.counts[i]} values, click to expand`);
        if (data.kinds[i] !== "sum") {
          g.append(svgText(b.width / 2, b.height / 2 - 8, headText(data, i)));
          g.append(svgText(b.width / 2, b.height / 2 + 9, `${thousands(data.counts[i])} values`, "mgw-sub"));
        }
      }
      boxes[i] = g;
      nodes.append(g);
      const o = L.ops[i];
      if (o) {
        const og = svgEl("g", { class: "mgw-op", transform: `translate(${o.x.toFixed(1)},${o.y.toFixed(1)})` });
        og.dataset.op = data.ids[i];
        og.dataset.idx = String(i);
        og.append(svgEl("ellipse", { rx: (o.width / 2).toFixed(1), ry: (o.height / 2).toFixed(1) }));
        og.append(svgText(0, 0, data.ops[i]));
        opNodes[i] = og;
        nodes.append(og);
      }
    }
    nodeLayer.append(nodes);
    paintColors();
  };

  // ---- pan / zoom
  // jsdom lays nothing out: fall back to the height we set and a typical notebook width
  const viewSize = () => ({
    w: viewport.clientWidth || container.clientWidth || 800,
    h: viewport.clientHeight || parseFloat(viewport.style.height) || 400,
  });

  const fit = () => {
    if (!layout) return;
    const { w, h } = viewSize();
    const k = Math.min(1.5, w / Math.max(1, layout.width), h / Math.max(1, layout.height));
    t = { k, x: (w - layout.width * k) / 2, y: (h - layout.height * k) / 2 };
    applyTransform();
  };

  /** The first picture: everything if it stays readable, else readable on the output end. */
  const start = () => {
    if (!layout) return;
    const minZoom = data.collapsed ? MIN_START_ZOOM_FOLDED : MIN_START_ZOOM;
    const c = startCamera(layout, rankdir, viewSize().w, maxHeight, minZoom);
    viewport.style.height = `${c.height}px`;
    t = { k: c.k, x: c.x, y: c.y };
    applyTransform();
  };

  /** After an expand or fold: the zoom the user had, with what changed in the middle. */
  const keepPlace = (before: ViewCamera) => {
    if (!layout) return;
    const startHeight = startCamera(layout, rankdir, viewSize().w, maxHeight, MIN_START_ZOOM_FOLDED).height;
    viewport.style.height = `${Math.min(maxHeight, Math.max(before.height, startHeight))}px`;
    const focus = data.focus;
    const idx = focus === null ? [] : insideOpened(data, focus);
    const own = focus === null ? undefined : index.get(focus);
    if (own !== undefined) idx.push(own);
    const { w, h } = viewSize();
    t = focusCamera(layout, idx, before, w, h);
    userMoved = true;
    applyTransform();
  };

  const camera = (): ViewCamera | null => (layout ? { ...t, height: viewSize().h } : null);

  const on = <K extends keyof HTMLElementEventMap>(target: HTMLElement | SVGElement, type: K, fn: (e: HTMLElementEventMap[K]) => void, opts?: AddEventListenerOptions) => {
    target.addEventListener(type, fn as EventListener, opts);
    cleanups.push(() => target.removeEventListener(type, fn as EventListener, opts));
  };

  on(viewport, "wheel", (e) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    const k = Math.min(8, Math.max(0.02, t.k * Math.exp(-e.deltaY * 0.0015)));
    t = { k, x: px - ((px - t.x) * k) / t.k, y: py - ((py - t.y) * k) / t.k };
    userMoved = true;
    applyTransform();
  }, { passive: false });

  let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | null = null;
  on(viewport, "pointerdown", (e) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, tx: t.x, ty: t.y, moved: false, id: e.pointerId };
  });
  on(viewport, "pointermove", (e) => {
    if (drag && e.pointerId === drag.id) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) > 3) {
        drag.moved = true;
        viewport.classList.add("mgw-dragging");
        try {
          viewport.setPointerCapture(e.pointerId);
        } catch {
          /* synthetic events */
        }
      }
      if (drag.moved) {
        t = { ...t, x: drag.tx + dx, y: drag.ty + dy };
        userMoved = true;
        applyTransform();
        tooltip.hidden = true;
        return;
      }
    }
    showTooltip(e);
  });
  const endDrag = (e: PointerEvent) => {
    const wasDrag = drag?.moved ?? false;
    drag = null;
    viewport.classList.remove("mgw-dragging");
    if (!wasDrag && e.type === "pointerup") click(e);
  };
  on(viewport, "pointerup", endDrag);
  on(viewport, "pointercancel", endDrag);
  on(viewport, "pointerleave", () => (tooltip.hidden = true));
  on(fitButton, "click", () => {
    userMoved = false;
    fit();
  });
  on(colorBox, "change", () => {
    colorOn = colorBox.checked;
    paintColors();
  });

  const hit = (e: Event): number | null => {
    const target = e.target as Element | null;
    const g = target?.closest?.("[data-idx]");
    return g ? Number((g as SVGGElement).dataset.idx) : null;
  };

  const showTooltip = (e: PointerEvent) => {
    const i = hit(e);
    if (i === null) {
      tooltip.hidden = true;
      return;
    }
    const lines: string[] = [];
    if (data.kinds[i] === "value") {
      lines.push(data.labels[i] ? `${data.labels[i]}  (${data.ids[i]})` : data.ids[i]);
      const d = dataKnown === null || dataKnown[i] !== 0 ? full(dataValues[i]) : "? (not computed yet)";
      const g = gradKnown === null || gradKnown[i] !== 0 ? full(gradValues[i]) : "? (not reached yet)";
      lines.push(`data ${d}`, `grad ${g}`);
      lines.push(data.ops[i] ? `op   ${data.ops[i]}` : "leaf (no op)");
      if (data.scope[i] >= 0) {
        const name = openedName(data.opened[data.scope[i]]);
        lines.push(options.onCollapse ? `in ${name} (⊟ ${name} above folds it)` : `in ${name}`);
      }
    } else {
      lines.push(headText(data, i));
      if (data.kinds[i] === "sum") lines.push(`data ${full(dataValues[i])}`, `grad ${full(gradValues[i])}`);
      lines.push(`${thousands(data.counts[i])} values folded`);
      lines.push(options.onExpand ? "click to expand" : "expanding needs a running kernel");
    }
    tooltip.textContent = lines.join("\n");
    tooltip.hidden = false;
    const r = viewport.getBoundingClientRect();
    const x = e.clientX - r.left + 14;
    const y = e.clientY - r.top + 14;
    tooltip.style.left = `${Math.min(x, Math.max(0, r.width - tooltip.offsetWidth - 4))}px`;
    tooltip.style.top = `${Math.min(y, Math.max(0, r.height - tooltip.offsetHeight - 4))}px`;
  };

  let selected: number | null = null;
  const click = (e: Event) => {
    const i = hit(e);
    if (i !== null && data.kinds[i] !== "value") {
      expand(i);
      return;
    }
    if (i === null || i === selected) {
      selected = null;
      highlightIdx(null);
    } else {
      selected = i;
      highlightIdx(related(data, i));
    }
    options.onSelect?.(selected === null ? null : data.ids[selected]);
  };

  const showHint = (message: string) => {
    hint.textContent = message;
    hint.hidden = false;
  };

  const expand = (i: number) => {
    if (options.onExpand) {
      showHint(`expanding ${headText(data, i)}…`);
      options.onExpand(data.ids[i]);
    } else {
      showHint(options.expandHint ?? "This box folds part of a big graph; expanding it needs a running Python kernel.");
    }
  };

  const outline = (key: string | null) => {
    const box = key === null || !layout ? null : boxesExtent(layout, insideOpened(data, key));
    if (!box) {
      frame.style.display = "none";
      return;
    }
    const m = 8;
    frame.setAttribute("x", (box.x - m).toFixed(1));
    frame.setAttribute("y", (box.y - m).toFixed(1));
    frame.setAttribute("width", (box.width + 2 * m).toFixed(1));
    frame.setAttribute("height", (box.height + 2 * m).toFixed(1));
    frame.style.display = "";
  };

  for (const b of openedButtons) {
    const key = b.dataset.opened as string;
    on(b, "mouseenter", () => {
      highlightIdx(new Set(insideOpened(data, key)));
      outline(key);
    });
    on(b, "mouseleave", () => {
      highlightIdx(selected === null ? null : related(data, selected));
      outline(null);
    });
    on(b, "click", () => {
      showHint(`folding ${openedName(key)}…`);
      options.onCollapse?.(key);
    });
  }

  const highlightIdx = (set: Set<number> | null) => {
    for (let i = 0; i < n; i++) {
      const on = set === null || set.has(i);
      for (const g of [boxes[i], opNodes[i]]) {
        if (!g) continue;
        g.classList.toggle("mgw-dim", !on);
        if (set && on) g.dataset.highlight = "true";
        else delete g.dataset.highlight;
      }
    }
    for (const p of edgePaths) {
      const a = Number(p.dataset.from);
      const b = Number(p.dataset.to);
      const on = set === null || (set.has(a) && set.has(b));
      p.classList.toggle("mgw-dim", !on);
      if (set && on) p.dataset.highlight = "true";
      else delete p.dataset.highlight;
    }
  };

  // ---- public API
  const update = (values: GraphValues) => {
    if (values.data.length !== n || values.grad.length !== n) {
      throw new Error(`update() needs ${n} data and grad numbers, got ${values.data.length} and ${values.grad.length}`);
    }
    dataValues = Float64Array.from(values.data as ArrayLike<Num>, toNumber);
    gradValues = Float64Array.from(values.grad as ArrayLike<Num>, toNumber);
    dataKnown = values.dataKnown ?? null;
    gradKnown = values.gradKnown ?? null;
    for (let i = 0; i < n; i++) {
      const d = dataText[i];
      const g = gradText[i];
      // only touch text that changed: the player calls update() on every step
      const ds = dataKnown === null || dataKnown[i] !== 0 ? `data ${fixed4(dataValues[i])}` : "data ?";
      const gs = gradKnown === null || gradKnown[i] !== 0 ? `grad ${fixed4(gradValues[i])}` : "grad ?";
      if (d && d.textContent !== ds) d.textContent = ds;
      if (g && g.textContent !== gs) g.textContent = gs;
    }
    paintColors();
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
    if (active !== null) delete boxes[active]?.dataset.active;
    active = id === null ? null : index.get(id) ?? null;
    if (active === null || !layout || !boxes[active]) return;
    boxes[active].dataset.active = "true";
    // keep the active box on screen
    const b = layout.boxes[active];
    const w = viewport.clientWidth || 800;
    const h = viewport.clientHeight || 400;
    const sx = b.x * t.k + t.x;
    const sy = b.y * t.k + t.y;
    if (sx < 20 || sx > w - 20 || sy < 20 || sy > h - 20) {
      t = { ...t, x: w / 2 - b.x * t.k, y: h / 2 - b.y * t.k };
      applyTransform();
    }
  };

  const element = (id: string): SVGGElement | null => {
    const i = index.get(id);
    return i === undefined ? null : boxes[i] ?? null;
  };

  const destroy = () => {
    destroyed = true;
    for (const c of cleanups.splice(0)) c();
    root.remove();
  };

  const ready = (async () => {
    await nextFrame();
    if (destroyed) return;
    layout = layoutGraph(data, rankdir, measureMetrics());
    drawAll(layout);
    if (options.camera) keepPlace(options.camera);
    else start();
    const folded = data.collapsed ? ` · folded into ${thousands(n)} boxes (click a dashed box to expand)` : "";
    status.textContent = `${thousands(data.total)} values${folded}`;
    if (typeof ResizeObserver === "function") {
      let lastWidth = viewport.clientWidth;
      const ro = new ResizeObserver(() => {
        if (viewport.clientWidth === lastWidth) return;
        lastWidth = viewport.clientWidth;
        if (!userMoved) start();
      });
      ro.observe(viewport);
      cleanups.push(() => ro.disconnect());
    }
  })();

  return { root, ready, update, highlight, setActive, fit, element, camera, destroy };
}
