// The drawing itself: edges, record boxes (label | data | grad [| slope]), op ellipses and folded
// boxes, sized and placed by a scene Python laid out (a Layout). Keeps handles on the text it
// later updates in place; place() moves the same elements to another scene of the same boxes (the
// view turns from left-to-right to top-to-bottom when the cell narrows).
import { cssColor, gradColor, maxAbs } from "../common/colors";
import { el, svgEl } from "../common/dom";
import { fixed4 } from "../common/format";
import { GraphData, isRecord, Layout, Rankdir } from "./data";
import { drawEdges, Edges } from "./edges";
import { nodesMarkup } from "./markup";

export interface Numbers {
  data: ArrayLike<number>;
  grad: ArrayLike<number>;
  dataKnown: ArrayLike<number> | null;
  gradKnown: ArrayLike<number> | null;
}

export interface Scene {
  boxes: SVGGElement[];
  opNodes: (SVGGElement | null)[];
  /** The edges, drawn by look (edges.ts): which nodes each joins, and the highlight's looks. */
  edges: Edges;
  /** Moves boxes, op nodes and edges to layout L (same boxes and sizes, e.g. the other rankdir). */
  place(L: Layout, rankdir: Rankdir): void;
  /** New numbers per box; only text that changed is touched (the player calls this every step). */
  update(values: Numbers, colorOn: boolean): void;
  /** data-gradcheck="ok" | "fail" on checked boxes while `on`, and the slope cells' text, from
   * g.check / g.slope (which the view updates in place on a refresh). */
  markChecks(on: boolean): void;
  destroy(): void;
}

/** The viewport div and its SVG: the scene group the camera moves, with its edge and node layers. */
export function svgViewport(total: number) {
  const viewport = el("div", "mgw-viewport");
  viewport.style.height = "120px";
  const svg = svgEl("svg", { role: "img", "aria-label": `Computation graph, ${total} values` });
  const sceneGroup = svgEl("g", { class: "mgw-scene" });
  const edgeLayer = svgEl("g", { class: "mgw-edges" });
  const nodeLayer = svgEl("g", { class: "mgw-nodes" });
  sceneGroup.append(edgeLayer, nodeLayer);
  svg.append(sceneGroup);
  viewport.append(svg);
  return { viewport, sceneGroup, edgeLayer, nodeLayer };
}

/**
 * Draws the scene into the two layers. The boxes' markup is built in one pass as one string
 * (markup.ts: numbers, fixed class names and escaped text only) and parsed once: a thousand boxes
 * cost one parse instead of ten thousand createElementNS/setAttribute calls. The handles the view
 * updates later (boxes, texts, fills) are then picked from the parsed children by their known
 * positions. The edges are a few paths (edges.ts).
 */
export function drawScene(
  edgeLayer: SVGGElement,
  nodeLayer: SVGGElement,
  g: GraphData,
  L: Layout,
  rankdir: Rankdir,
  slopes: boolean,
): Scene {
  const n = g.ids.length;
  const boxes: SVGGElement[] = new Array(n);
  const opNodes: (SVGGElement | null)[] = new Array(n).fill(null);
  const dataText: (SVGTextElement | null)[] = new Array(n).fill(null);
  const gradText: (SVGTextElement | null)[] = new Array(n).fill(null);
  const fills: (SVGRectElement | null)[] = new Array(n).fill(null);
  const slopeText: (SVGTextElement | null)[] = new Array(n).fill(null);

  const edges = drawEdges(edgeLayer, g, L, rankdir);

  // boxes, each followed by its op node (markup.ts); then the handles the view updates
  const { html, dataAt, gradAt, slopeAt } = nodesMarkup(g, L, slopes);
  nodeLayer.innerHTML = html;
  const nodes = nodeLayer.children;
  for (let i = 0, k = 0; i < n; i++) {
    const box = nodes[k++] as SVGGElement;
    boxes[i] = box;
    if (L.ops[i]) opNodes[i] = nodes[k++] as SVGGElement;
    if (!isRecord(g, i)) continue;
    const kids = box.children;
    fills[i] = kids[1] as SVGRectElement;
    if (dataAt[i] >= 0) dataText[i] = kids[dataAt[i]] as SVGTextElement;
    if (gradAt[i] >= 0) gradText[i] = kids[gradAt[i]] as SVGTextElement;
    if (slopeAt[i] >= 0) slopeText[i] = kids[slopeAt[i]] as SVGTextElement;
  }

  const place = (P: Layout, dir: Rankdir) => {
    for (let i = 0; i < n; i++) {
      const b = P.boxes[i];
      boxes[i].setAttribute("transform", `translate(${(b.x - b.width / 2).toFixed(1)},${(b.y - b.height / 2).toFixed(1)})`);
      const o = P.ops[i];
      if (o && opNodes[i]) opNodes[i]?.setAttribute("transform", `translate(${o.x.toFixed(1)},${o.y.toFixed(1)})`);
    }
    edges.place(P, dir);
  };

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
    edges,
    place,
    update,
    markChecks,
    destroy() {
      edgeLayer.replaceChildren();
      nodeLayer.replaceChildren();
    },
  };
}
