// The drawing itself: edges, record boxes (label | data | grad [| slope]), op ellipses and folded
// boxes, sized and placed by a scene Python laid out (a Layout). Keeps handles on the text it
// later updates in place; place() moves the same elements to another scene of the same boxes (the
// view turns from left-to-right to top-to-bottom when the cell narrows).
import { cssColor, gradColor, maxAbs } from "../common/colors";
import { el, svgEl, svgText } from "../common/dom";
import { fixed4, thousands } from "../common/format";
import { edgePath, GraphData, headText, isRecord, Layout, Rankdir, recordCells } from "./data";

export interface Numbers {
  data: ArrayLike<number>;
  grad: ArrayLike<number>;
  dataKnown: ArrayLike<number> | null;
  gradKnown: ArrayLike<number> | null;
}

export interface Scene {
  boxes: SVGGElement[];
  opNodes: (SVGGElement | null)[];
  edgePaths: SVGPathElement[];
  /** Moves boxes, op nodes and edges to layout L (same boxes and sizes, e.g. the other rankdir). */
  place(L: Layout, rankdir: Rankdir): void;
  /** New numbers per box; only text that changed is touched (the player calls this every step). */
  update(values: Numbers, colorOn: boolean): void;
  /** data-gradcheck="ok" | "fail" on checked boxes while `on`, and the slope cells' text, from
   * g.check / g.slope (which the view updates in place on a refresh). */
  markChecks(on: boolean): void;
  destroy(): void;
}

/** The viewport div and its SVG: an arrow marker (unique id per view), the scene group the
 * camera moves, with its edge and node layers. */
export function svgViewport(uid: number, total: number) {
  const viewport = el("div", "mgw-viewport");
  viewport.style.height = "120px";
  const svg = svgEl("svg", { role: "img", "aria-label": `Computation graph, ${total} values` });
  const arrowId = `mgw-arrow-${uid}`;
  const marker = svgEl("marker", { id: arrowId, viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto" });
  marker.append(svgEl("path", { d: "M0,0L10,5L0,10z", fill: "var(--mgw-line)" }));
  const defs = svgEl("defs");
  defs.append(marker);
  const sceneGroup = svgEl("g", { class: "mgw-scene" });
  const edgeLayer = svgEl("g", { class: "mgw-edges" });
  const nodeLayer = svgEl("g", { class: "mgw-nodes" });
  sceneGroup.append(edgeLayer, nodeLayer);
  svg.append(defs, sceneGroup);
  viewport.append(svg);
  return { viewport, sceneGroup, edgeLayer, nodeLayer, arrowId };
}

export function drawScene(
  edgeLayer: SVGGElement,
  nodeLayer: SVGGElement,
  g: GraphData,
  L: Layout,
  rankdir: Rankdir,
  arrowId: string,
  slopes: boolean,
): Scene {
  const n = g.ids.length;
  const boxes: SVGGElement[] = new Array(n);
  const opNodes: (SVGGElement | null)[] = new Array(n).fill(null);
  const edgePaths: SVGPathElement[] = [];
  const dataText: (SVGTextElement | null)[] = new Array(n).fill(null);
  const gradText: (SVGTextElement | null)[] = new Array(n).fill(null);
  const fills: (SVGRectElement | null)[] = new Array(n).fill(null);
  const slopeText: (SVGTextElement | null)[] = new Array(n).fill(null);

  const edge = (from: number, to: number) => {
    const p = svgEl("path", { class: "mgw-edge", "marker-end": `url(#${arrowId})` });
    p.dataset.from = String(from);
    p.dataset.to = String(to);
    edgePaths.push(p);
    return p;
  };
  const edges = document.createDocumentFragment();
  for (let e = 0; e < g.edgeFrom.length; e++) edges.append(edge(g.edgeFrom[e], g.edgeTo[e]));
  const opEdges: (SVGPathElement | null)[] = new Array(n).fill(null);
  for (let i = 0; i < n; i++) {
    if (L.opEdgePoints[i]) {
      const p = edge(i, i);
      p.classList.add("mgw-op-edge");
      opEdges[i] = p;
      edges.append(p);
    }
  }
  edgeLayer.append(edges);

  const nodes = document.createDocumentFragment();
  for (let i = 0; i < n; i++) {
    const b = L.boxes[i];
    const w = b.width.toFixed(1);
    const h = b.height.toFixed(1);
    const group = svgEl("g", { class: "mgw-box" });
    group.dataset.idx = String(i);
    group.append(svgEl("rect", { class: "mgw-frame", width: w, height: h }));
    if (isRecord(g, i)) {
      fills[i] = svgEl("rect", { class: "mgw-fill", width: w, height: h });
      group.append(fills[i] as SVGRectElement);
      const widths = L.sizes[i].cells;
      const cells = recordCells(g, i, slopes);
      let x = 0;
      const half = b.height / 2;
      cells.forEach((text, c) => {
        if (c === 3) {
          // under the grad: the lower half of the grad's cell
          x -= widths[2];
          group.append(svgEl("rect", { class: "mgw-slope", x: x.toFixed(1), y: half.toFixed(1), width: widths[2].toFixed(1), height: half.toFixed(1) }));
          group.append(svgEl("line", { x1: x.toFixed(1), y1: half.toFixed(1), x2: (x + widths[2]).toFixed(1), y2: half.toFixed(1) }));
          slopeText[i] = svgText(x + widths[2] / 2, half * 1.5, text, "mgw-slope");
          group.append(slopeText[i] as SVGTextElement);
          return;
        }
        if (c > 0) group.append(svgEl("line", { x1: x.toFixed(1), y1: 0, x2: x.toFixed(1), y2: h }));
        const t = svgText(x + widths[c] / 2, c === 2 && cells.length > 3 ? half / 2 : half, text);
        if (c === 1) dataText[i] = t;
        if (c === 2) gradText[i] = t;
        group.append(t);
        x += widths[c];
      });
    }
    if (g.kinds[i] === "value") {
      group.dataset.node = g.ids[i];
    } else {
      group.dataset.group = g.ids[i];
      group.dataset.kind = g.kinds[i];
      group.classList.add("mgw-folded");
      group.setAttribute("role", "button");
      group.setAttribute("aria-label", `${headText(g, i)}: ${g.counts[i]} values, click to expand`);
      if (g.kinds[i] !== "sum") {
        group.append(svgText(b.width / 2, b.height / 2 - 8, headText(g, i)));
        group.append(svgText(b.width / 2, b.height / 2 + 9, `${thousands(g.counts[i])} values`, "mgw-sub"));
      }
    }
    boxes[i] = group;
    nodes.append(group);
    const o = L.ops[i];
    if (o) {
      const og = svgEl("g", { class: "mgw-op" });
      og.dataset.op = g.ids[i];
      og.dataset.idx = String(i);
      og.append(svgEl("ellipse", { rx: (o.width / 2).toFixed(1), ry: (o.height / 2).toFixed(1) }));
      og.append(svgText(0, 0, g.ops[i]));
      opNodes[i] = og;
      nodes.append(og);
    }
  }
  nodeLayer.append(nodes);

  const place = (P: Layout, dir: Rankdir) => {
    for (let i = 0; i < n; i++) {
      const b = P.boxes[i];
      boxes[i].setAttribute("transform", `translate(${(b.x - b.width / 2).toFixed(1)},${(b.y - b.height / 2).toFixed(1)})`);
      const o = P.ops[i];
      if (o && opNodes[i]) opNodes[i]?.setAttribute("transform", `translate(${o.x.toFixed(1)},${o.y.toFixed(1)})`);
      const pts = P.opEdgePoints[i];
      if (pts && opEdges[i]) opEdges[i]?.setAttribute("d", edgePath(pts, dir));
    }
    for (let e = 0; e < g.edgeFrom.length; e++) edgePaths[e].setAttribute("d", edgePath(P.edgePoints[e], dir));
  };
  place(L, rankdir);

  const update = (v: Numbers, colorOn: boolean) => {
    const scale = maxAbs(v.grad);
    for (let i = 0; i < n; i++) {
      const known = v.gradKnown === null || v.gradKnown[i] !== 0;
      // a tensor's box says its shape and first numbers (dataText / gradText) instead of one number
      const ds = v.dataKnown === null || v.dataKnown[i] !== 0 ? g.dataText[i] || `data ${fixed4(v.data[i])}` : "data ?";
      const gs = known ? g.gradText[i] || `grad ${fixed4(v.grad[i])}` : "grad ?";
      const d = dataText[i];
      const t = gradText[i];
      if (d && d.textContent !== ds) d.textContent = ds;
      if (t && t.textContent !== gs) t.textContent = gs;
      const f = fills[i];
      if (!f) continue;
      const c = colorOn && known ? gradColor(v.grad[i], scale) : null;
      const css = cssColor(c);
      const opacity = c === null ? "" : String(c.opacity);
      if (f.style.fill !== css) f.style.fill = css;
      if (f.style.fillOpacity !== opacity) f.style.fillOpacity = opacity;
    }
  };

  const markChecks = (on: boolean) => {
    for (let i = 0; i < n; i++) {
      const t = slopeText[i];
      const text = `slope ${g.slopeKnown[i] ? fixed4(g.slope[i]) : "?"}`;
      if (t && t.textContent !== text) t.textContent = text;
      if (on && g.check[i] && g.kinds[i] === "value") boxes[i].dataset.gradcheck = g.check[i];
      else delete boxes[i].dataset.gradcheck;
    }
  };

  return {
    boxes,
    opNodes,
    edgePaths,
    place,
    update,
    markChecks,
    destroy() {
      edgeLayer.replaceChildren();
      nodeLayer.replaceChildren();
    },
  };
}
