// The drawing itself: edges, record boxes (label | data | grad [| slope]), op ellipses and folded
// boxes, sized and placed by a scene Python laid out (a Layout). Keeps handles on the text it
// later updates in place; place() moves the same elements to another scene of the same boxes (the
// view turns from left-to-right to top-to-bottom when the cell narrows).
import { cssColor, gradColor, maxAbs } from "../common/colors";
import { el, svgEl } from "../common/dom";
import { fixed4, thousands } from "../common/format";
import { GraphData, headText, isRecord, Layout, Rankdir, recordCells } from "./data";
import { drawEdges, Edges } from "./edges";

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

/** Text for markup: escaped, so a label is always text (labels are data, never markup). */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const f1 = (x: number) => x.toFixed(1);
const textMarkup = (x: number, y: number, content: string, cls?: string) =>
  `<text x="${f1(x)}" y="${f1(y)}"${cls ? ` class="${cls}"` : ""}>${escapeText(content)}</text>`;
const boxTransform = (b: { x: number; y: number; width: number; height: number }) =>
  `translate(${f1(b.x - b.width / 2)},${f1(b.y - b.height / 2)})`;

/**
 * Draws the scene into the two layers. Each layer's markup is built in one pass as one string
 * (numbers, fixed class names and escaped text only) and parsed once: thousands of boxes and
 * edges cost one parse instead of tens of thousands of createElementNS/setAttribute calls. The
 * handles the view updates later (boxes, texts, fills, edges) are then picked from the parsed
 * children by their known positions.
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

  // boxes, each followed by its op node; where the texts and fill the view updates sit in a box
  const parts: string[] = [];
  const dataAt = new Int16Array(n).fill(-1);
  const gradAt = new Int16Array(n).fill(-1);
  const slopeAt = new Int16Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const b = L.boxes[i];
    const w = f1(b.width);
    const h = f1(b.height);
    const kind = g.kinds[i];
    const id = escapeText(g.ids[i]);
    parts.push(
      kind === "value"
        ? `<g class="mgw-box" data-idx="${i}" data-node="${id}" transform="${boxTransform(b)}">`
        : `<g class="mgw-box mgw-folded" data-idx="${i}" data-group="${id}" data-kind="${kind}" role="button" ` +
            `aria-label="${escapeText(`${headText(g, i)}: ${g.counts[i]} values, click to expand`)}" transform="${boxTransform(b)}">`,
      `<rect class="mgw-frame" width="${w}" height="${h}"/>`,
    );
    let child = 1;
    if (isRecord(g, i)) {
      parts.push(`<rect class="mgw-fill" width="${w}" height="${h}"/>`);
      child++;
      const widths = L.sizes[i].cells;
      const cells = recordCells(g, i, slopes);
      const half = b.height / 2;
      // the lines between the cells: one path (fewer elements to style and lay out)
      let d = "";
      for (let c = 1, at = 0; c < Math.min(3, cells.length); c++) d += `M${f1((at += widths[c - 1]))},0V${h}`;
      if (d) {
        parts.push(`<path class="mgw-cell-lines" d="${d}"/>`);
        child++;
      }
      let x = 0;
      for (let c = 0; c < cells.length; c++) {
        if (c === 3) {
          // under the grad: the lower half of the grad's cell
          x -= widths[2];
          const sx = f1(x);
          const hy = f1(half);
          parts.push(
            `<rect class="mgw-slope" x="${sx}" y="${hy}" width="${f1(widths[2])}" height="${hy}"/>`,
            `<line x1="${sx}" y1="${hy}" x2="${f1(x + widths[2])}" y2="${hy}"/>`,
            textMarkup(x + widths[2] / 2, half * 1.5, cells[c], "mgw-slope"),
          );
          slopeAt[i] = child + 2;
          child += 3;
          continue;
        }
        parts.push(textMarkup(x + widths[c] / 2, c === 2 && cells.length > 3 ? half / 2 : half, cells[c]));
        if (c === 1) dataAt[i] = child;
        if (c === 2) gradAt[i] = child;
        child++;
        x += widths[c];
      }
    }
    if (kind !== "value" && kind !== "sum") {
      parts.push(
        textMarkup(b.width / 2, b.height / 2 - 8, headText(g, i)),
        textMarkup(b.width / 2, b.height / 2 + 9, `${thousands(g.counts[i])} values`, "mgw-sub"),
      );
    }
    parts.push("</g>");
    const o = L.ops[i];
    if (o) {
      parts.push(
        `<g class="mgw-op" data-op="${id}" data-idx="${i}" transform="translate(${f1(o.x)},${f1(o.y)})">`,
        `<ellipse rx="${f1(o.width / 2)}" ry="${f1(o.height / 2)}"/>`,
        textMarkup(0, 0, g.ops[i]),
        "</g>",
      );
    }
  }
  nodeLayer.innerHTML = parts.join("");
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
