// The decision map: the network's score over the input plane (the grid trait, orange −1 … white
// 0 … blue +1), the data points on it (test points as squares), the chosen point's crosshair, and
// a legend. A click chooses the point whose neuron graphs the network view shows.
import { canvas2d, el } from "../dom";
import { float32s, heatmapPixels, NEGATIVE, POSITIVE } from "../trainerplot";
import type { Context, ModelView, Part, Points } from "./types";
import { rgb } from "./ui";

/** Data coordinates -> canvas pixels for an extent [x0, x1, y0, y1] drawn in w x h (y up). */
export function toPixels(extent: number[], w: number, h: number): (x: number, y: number) => [number, number] {
  const [x0, x1, y0, y1] = extent;
  return (x, y) => [((x - x0) / (x1 - x0)) * w, h - ((y - y0) / (y1 - y0)) * h];
}

/** Canvas fractions (0…1 from the top left) -> data coordinates: the inverse of toPixels. */
export function toData(extent: number[], fx: number, fy: number): [number, number] {
  const [x0, x1, y0, y1] = extent;
  return [x0 + fx * (x1 - x0), y1 - fy * (y1 - y0)];
}

function legend(): HTMLDivElement {
  const box = el("div", "mgw-legend");
  const item = (color: string, text: string, shape: "circle" | "square") => {
    const span = el("span");
    const sw = el("span", "mgw-swatch");
    sw.style.background = color;
    sw.style.borderRadius = shape === "circle" ? "50%" : "1px";
    if (shape === "square") sw.style.outline = "1.5px solid #111";
    span.append(sw, el("span", undefined, text));
    box.append(span);
  };
  item(rgb(NEGATIVE), "class −1", "circle");
  item(rgb(POSITIVE), "class +1", "circle");
  item("#9ca3af", "test point", "square");
  return box;
}

export function createMap(host: HTMLElement, ctx: Context): Part {
  const canvas = el("canvas", "mgw-heatmap");
  canvas.dataset.field = "map";
  canvas.setAttribute("aria-label", "Decision boundary and data points");
  host.append(canvas, legend());
  const offscreen = document.createElement("canvas");
  let pixels: Uint8ClampedArray | undefined;
  let extent = [0, 1, 0, 1];

  const drawPoints = (c: CanvasRenderingContext2D, pts: Points, at: (x: number, y: number) => [number, number], r: number) => {
    const xs = pts.x ?? [];
    for (let i = 0; i < xs.length; i++) {
      const [px, py] = at(xs[i], pts.y![i]);
      c.fillStyle = rgb(pts.label![i] > 0 ? POSITIVE : NEGATIVE);
      c.beginPath();
      if (pts.test![i]) {
        c.rect(px - r, py - r, 2 * r, 2 * r);
        c.strokeStyle = "#111";
        c.lineWidth = 1.6;
      } else {
        c.arc(px, py, r, 0, 2 * Math.PI);
        c.strokeStyle = "#fff";
        c.lineWidth = 1.2;
      }
      c.fill();
      c.stroke();
    }
  };

  const update = (model: ModelView) => {
    extent = model.get("extent") ?? [0, 1, 0, 1]; // clicks map through it, drawn or not
    const p = canvas2d(canvas);
    if (!p) return;
    const { ctx: c, w, h } = p;
    const res = model.get("resolution");
    const grid = float32s(model.get("grid"));
    if (grid.length === res * res) {
      pixels = heatmapPixels(grid, res, pixels);
      offscreen.width = offscreen.height = res;
      const o = offscreen.getContext("2d");
      if (o) {
        o.putImageData(new ImageData(pixels as unknown as Uint8ClampedArray<ArrayBuffer>, res, res), 0, 0);
        c.imageSmoothingEnabled = true;
        c.drawImage(offscreen, 0, 0, w, h);
      }
    }
    const at = toPixels(extent, w, h);
    drawPoints(c, model.get("points") ?? {}, at, model.get("presentation") ? 5 : 4);
    const chosen = ctx.view.chosen;
    if (chosen) {
      const [cx, cy] = at(chosen[0], chosen[1]);
      c.strokeStyle = "#111";
      c.lineWidth = 2;
      c.beginPath();
      c.arc(cx, cy, 9, 0, 2 * Math.PI);
      c.moveTo(cx - 14, cy);
      c.lineTo(cx + 14, cy);
      c.moveTo(cx, cy - 14);
      c.lineTo(cx, cy + 14);
      c.stroke();
    }
  };

  canvas.addEventListener("click", (event) => {
    const rect = canvas.getBoundingClientRect();
    if (!(rect.width > 0 && rect.height > 0)) return;
    ctx.choosePoint(toData(extent, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height));
  });

  return { topics: ["grid", "resolution", "extent", "points", "presentation", "chosen", "size"], update, destroy: () => {} };
}
