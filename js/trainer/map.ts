// The decision map: the network's score over the input plane (the grid trait, orange −1 … the
// theme's background at 0 … blue +1; for regression the predicted value itself; discretized: the sign only), the data
// points on it (js/trainer/marks.ts; test points as squares, when show_test), the chosen point's crosshair, a legend,
// and below it the pens and the map's toggles. A hovered hidden neuron's own map takes its place
// while the pointer is on the neuron. A click chooses the point whose neuron graphs the network
// view shows, or, with a pen on, draws or erases points.
import { rgbText } from "../common/contrast";
import { canvas2d, el } from "../common/dom";
import type { Palette } from "../common/palette";
import { drawMark, markSvg } from "./marks";
import { bytesOf, byteToUnit, ColorScale, float32s, gridPixels, neuronMapIndex, Ramp, rampOf } from "./plot";
import { batcher, ERASER, penButtons, SPACING } from "./pens";
import type { Context, ModelView, Part, Points } from "./types";

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

function legend(): { node: HTMLDivElement; show(regression: boolean, test: boolean): void } {
  const node = el("div", "mgw-legend");
  let shown = "";
  const item = (key: SVGSVGElement, text: string) => {
    const span = el("span");
    span.append(key, el("span", undefined, text));
    node.append(span);
  };
  return {
    node,
    show(regression, test) {
      const key = `${regression}${test}`;
      if (key === shown) return;
      shown = key;
      node.replaceChildren();
      item(markSvg(regression ? "" : "−", false, "neg"), regression ? "value −1" : "class −1");
      item(markSvg(regression ? "" : "+", false, "pos"), regression ? "value +1" : "class +1");
      if (test) item(markSvg("", true, "line"), "test point");
    },
  };
}

/** A labelled checkbox carrying data-setting (a display setting kept in Python). */
function check(ctx: Context, name: "show_test" | "discretize", text: string, title: string) {
  const label = el("label", "mgw-check");
  label.dataset.control = name;
  label.title = title;
  const box = el("input");
  box.type = "checkbox";
  box.dataset.setting = name;
  box.addEventListener("change", () => ctx.set(name, box.checked));
  label.append(box, text);
  return { label, box };
}

export function createMap(host: HTMLElement, ctx: Context): Part {
  const frame = el("div", "mgw-map-frame");
  const canvas = el("canvas", "mgw-heatmap");
  canvas.dataset.field = "map";
  canvas.dataset.showing = "output";
  canvas.setAttribute("aria-label", "Decision boundary and data points");
  const caption = el("div", "mgw-map-caption");
  caption.hidden = true;
  frame.append(canvas, caption);
  const keys = legend();
  const pens = penButtons(ctx);
  const showTest = check(ctx, "show_test", "test data", "Show the test points on the map");
  const discretize = check(ctx, "discretize", "discretize", "Colour the map by the sign of the output only");
  const tools = el("div", "mgw-map-tools");
  tools.append(pens.node, showTest.label, discretize.label);
  host.append(frame, keys.node, tools);
  const offscreen = document.createElement("canvas");
  const send = batcher(ctx.send, 20);
  let pixels: Uint8ClampedArray | undefined;
  let extent = [0, 1, 0, 1];
  let last: ModelView | null = null;
  let lastPoints: Points | undefined;
  let regression = false;

  const drawPoints = (
    c: CanvasRenderingContext2D, pts: Points, at: (x: number, y: number) => [number, number], r: number, withTest: boolean,
    colors: Palette, ramp: Ramp,
  ) => {
    const xs = pts.x ?? [];
    for (let i = 0; i < xs.length; i++) {
      const test = Boolean(pts.test?.[i]);
      if (test && !withTest) continue;
      const [px, py] = at(xs[i], pts.y![i]);
      drawMark(c, px, py, r, { label: pts.label![i], test, regression }, colors, ramp);
    }
  };

  /** The grid to draw: the hovered neuron's map when there is one, else the network's output. */
  const picture = (model: ModelView, scale: ColorScale, ramp: Ramp): { px: Uint8ClampedArray; res: number; who: string } | null => {
    const hovered = ctx.view.hovered;
    if (hovered) {
      const res = Number(model.get("neuron_resolution") ?? 0);
      const maps = bytesOf(model.get("neuron_maps"));
      const k = neuronMapIndex(model.get("layer_sizes") ?? [], hovered[0], hovered[1]);
      if (res > 0 && (k + 1) * res * res <= maps.length) {
        const px = gridPixels(maps, k * res * res, res, scale === "sign" ? "sign" : "unit", byteToUnit, undefined, ramp);
        return { px, res, who: `${hovered[0]}:${hovered[1]}` };
      }
    }
    const res = model.get("resolution");
    const grid = float32s(model.get("grid"));
    if (grid.length !== res * res) return null;
    pixels = gridPixels(grid, 0, res, scale, undefined, pixels, ramp);
    return { px: pixels, res, who: "output" };
  };

  const update = (model: ModelView) => {
    last = model;
    extent = model.get("extent") ?? [0, 1, 0, 1]; // clicks map through it, drawn or not
    regression = model.get("task") === "regression";
    const points = model.get("points") ?? {};
    if (points !== lastPoints) {
      lastPoints = points;
      send.clearPending(); // Python's points include what was drawn
    }
    const withTest = model.get("show_test") !== false; // an older Python has no toggle: draw them
    keys.show(regression, withTest);
    const hasToggles = model.get("show_test") !== undefined;
    showTest.label.hidden = discretize.label.hidden = !hasToggles;
    pens.node.hidden = regression || model.get("task") === undefined;
    pens.show(ctx.view.pen, !ctx.standalone && !regression);
    showTest.box.checked = withTest;
    discretize.box.checked = Boolean(model.get("discretize"));
    showTest.box.disabled = discretize.box.disabled = ctx.standalone;
    canvas.dataset.drawing = ctx.view.pen ?? "";
    canvas.dataset.points = String(points.x?.length ?? 0); // Python's points (tests wait on it)

    const scale: ColorScale = model.get("discretize") ? "sign" : regression ? "unit" : "score";
    const colors = ctx.colors();
    const ramp = rampOf(colors);
    const shown = picture(model, scale, ramp);
    canvas.dataset.showing = shown?.who ?? "output";
    caption.hidden = !shown || shown.who === "output";
    if (shown && shown.who !== "output") caption.textContent = `layer ${ctx.view.hovered![0]}, neuron ${ctx.view.hovered![1]}: its output`;
    const p = canvas2d(canvas);
    if (!p) return;
    const { ctx: c, w, h } = p;
    if (shown) {
      offscreen.width = offscreen.height = shown.res;
      const o = offscreen.getContext("2d");
      if (o) {
        o.putImageData(new ImageData(shown.px as unknown as Uint8ClampedArray<ArrayBuffer>, shown.res, shown.res), 0, 0);
        c.imageSmoothingEnabled = true;
        c.drawImage(offscreen, 0, 0, w, h);
      }
    }
    const at = toPixels(extent, w, h);
    const r = model.get("presentation") ? 5 : 4;
    drawPoints(c, points, at, r, withTest, colors, ramp);
    const pending = send.pending();
    if (pending.length) {
      drawPoints(c, { x: pending.map((q) => q[0]), y: pending.map((q) => q[1]), label: pending.map((q) => q[2]), test: pending.map(() => 0) }, at, r, true, colors, ramp);
    }
    canvas.dataset.theme = ctx.root.dataset.mgwTheme ?? "";
    const chosen = ctx.view.chosen;
    if (chosen && !ctx.view.pen) {
      const [cx, cy] = at(chosen[0], chosen[1]);
      c.strokeStyle = rgbText(colors["fg-strong"]);
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

  // ---- the pointer: choose a point, or draw / erase with a pen ---------------------------------
  const fractions = (event: MouseEvent): [number, number] | null => {
    const rect = canvas.getBoundingClientRect();
    if (!(rect.width > 0 && rect.height > 0)) return null;
    return [(event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height];
  };
  let drawing = false;
  let lastDrawn: [number, number] | null = null;
  const penAt = (event: MouseEvent, first: boolean) => {
    const pen = ctx.view.pen;
    const f = fractions(event);
    if (!pen || !f) return;
    if (pen === "erase") {
      const [x, y] = toData(extent, f[0], f[1]);
      send.erase(x, y, ERASER * (extent[1] - extent[0]));
      return;
    }
    if (!first && lastDrawn && Math.hypot(f[0] - lastDrawn[0], f[1] - lastDrawn[1]) < SPACING) return;
    lastDrawn = f;
    const [x, y] = toData(extent, f[0], f[1]);
    send.add([x, y, pen === "+1" ? 1 : -1]);
    if (last) update(last); // the new point shows at once
  };
  canvas.addEventListener("pointerdown", (event) => {
    if (!ctx.view.pen || ctx.standalone) return;
    event.preventDefault();
    drawing = true;
    lastDrawn = null;
    canvas.setPointerCapture?.(event.pointerId);
    penAt(event, true);
  });
  canvas.addEventListener("pointermove", (event) => drawing && penAt(event, false));
  const stop = () => {
    if (!drawing) return;
    drawing = false;
    send.flush();
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("click", (event) => {
    if (ctx.view.pen) return;
    const f = fractions(event);
    if (f) ctx.choosePoint(toData(extent, f[0], f[1]));
  });

  return {
    topics: [
      "grid", "resolution", "extent", "points", "presentation", "chosen", "size", "task", "show_test", "discretize",
      "neuron_maps", "neuron_resolution", "layer_sizes", "hovered", "pen", "theme",
    ],
    update,
    destroy: () => send.destroy(),
  };
}
