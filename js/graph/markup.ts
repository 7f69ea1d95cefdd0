// The boxes of a scene as SVG markup, in one string: record boxes (label | data | grad [| slope]),
// folded boxes and op ellipses, each box followed by its op node. Only numbers, fixed class names
// and escaped text go in (labels are data, never markup: escapeText). scene.ts parses it once and
// picks the elements it updates later by the child positions recorded here.
import { thousands } from "../common/format";
import { GraphData, headText, isRecord, Layout, Placed, recordCells } from "./data";

/** Text for markup: escaped, so a label or an id is always text, in content or in an attribute. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

const f1 = (x: number) => x.toFixed(1);
const text = (x: number, y: number, content: string, cls?: string) =>
  `<text x="${f1(x)}" y="${f1(y)}"${cls ? ` class="${cls}"` : ""}>${escapeText(content)}</text>`;

/** The markup of every box and op node, and per box the child index of its data, grad and slope
 * texts (-1: none). */
export function nodesMarkup(g: GraphData, L: Layout, slopes: boolean): { html: string; dataAt: Int16Array; gradAt: Int16Array; slopeAt: Int16Array } {
  const n = g.ids.length;
  const parts: string[] = [];
  const at = { data: new Int16Array(n).fill(-1), grad: new Int16Array(n).fill(-1), slope: new Int16Array(n).fill(-1) };
  for (let i = 0; i < n; i++) {
    const b = L.boxes[i];
    const id = escapeText(g.ids[i]);
    const place = `transform="translate(${f1(b.x - b.width / 2)},${f1(b.y - b.height / 2)})"`;
    parts.push(
      g.kinds[i] === "value"
        ? `<g class="mgw-box" data-idx="${i}" data-node="${id}" ${place}>`
        : `<g class="mgw-box mgw-folded" data-idx="${i}" data-group="${id}" data-kind="${g.kinds[i]}" role="button" ` +
            `aria-label="${escapeText(`${headText(g, i)}: ${g.counts[i]} values, click to expand`)}" ${place}>`,
      `<rect class="mgw-frame" width="${f1(b.width)}" height="${f1(b.height)}"/>`,
    );
    if (isRecord(g, i)) recordMarkup(g, L, i, slopes, parts, at);
    if (g.kinds[i] === "group" || g.kinds[i] === "leaves") {
      parts.push(
        text(b.width / 2, b.height / 2 - 8, headText(g, i)),
        text(b.width / 2, b.height / 2 + 9, `${thousands(g.counts[i])} values`, "mgw-sub"),
      );
    }
    parts.push("</g>");
    const o = L.ops[i];
    if (o) {
      parts.push(
        `<g class="mgw-op" data-op="${id}" data-idx="${i}" transform="translate(${f1(o.x)},${f1(o.y)})">`,
        `<ellipse rx="${f1(o.width / 2)}" ry="${f1(o.height / 2)}"/>`,
        text(0, 0, g.ops[i]),
        "</g>",
      );
    }
  }
  return { html: parts.join(""), dataAt: at.data, gradAt: at.grad, slopeAt: at.slope };
}

/** A record box's inside after its frame (child 0): the fill (child 1), the lines between the
 * cells (one path), the cells' texts, and under the grad the slope cell when shown. */
function recordMarkup(
  g: GraphData,
  L: Layout,
  i: number,
  slopes: boolean,
  parts: string[],
  at: { data: Int16Array; grad: Int16Array; slope: Int16Array },
): void {
  const b: Placed = L.boxes[i];
  const h = f1(b.height);
  const widths = L.sizes[i].cells;
  const cells = recordCells(g, i, slopes);
  const half = b.height / 2;
  parts.push(`<rect class="mgw-fill" width="${f1(b.width)}" height="${h}"/>`);
  let child = 2;
  let d = "";
  for (let c = 1, x = 0; c < Math.min(3, cells.length); c++) d += `M${f1((x += widths[c - 1]))},0V${h}`;
  if (d) {
    parts.push(`<path class="mgw-cell-lines" d="${d}"/>`);
    child++;
  }
  let x = 0;
  for (let c = 0; c < cells.length; c++) {
    if (c === 3) {
      // under the grad: the lower half of the grad's cell
      x -= widths[2];
      const hy = f1(half);
      parts.push(
        `<rect class="mgw-slope" x="${f1(x)}" y="${hy}" width="${f1(widths[2])}" height="${hy}"/>`,
        `<line x1="${f1(x)}" y1="${hy}" x2="${f1(x + widths[2])}" y2="${hy}"/>`,
        text(x + widths[2] / 2, half * 1.5, cells[c], "mgw-slope"),
      );
      at.slope[i] = child + 2;
      child += 3;
      continue;
    }
    parts.push(text(x + widths[c] / 2, c === 2 && cells.length > 3 ? half / 2 : half, cells[c]));
    if (c === 1) at.data[i] = child;
    if (c === 2) at.grad[i] = child;
    child++;
    x += widths[c];
  }
}
