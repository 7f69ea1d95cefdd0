// Loss and accuracy against the step, train solid and test dashed (the curves trait: float32
// rows of step, train loss, test loss, train accuracy, test accuracy).
import { rgbText } from "../common/contrast";
import { canvas2d, el } from "../common/dom";
import type { Palette } from "../common/palette";
import { axisLabel, curveRuns, float32s, niceMax } from "./plot";
import type { Binary, Context, Part } from "./types";

export const CURVE_COLUMNS = 5;

/** The curves trait as its five columns. */
export function curveColumns(value: Binary): Float32Array[] {
  const flat = float32s(value);
  const rows = Math.floor(flat.length / CURVE_COLUMNS);
  return Array.from({ length: CURVE_COLUMNS }, (_, k) => {
    const out = new Float32Array(rows);
    for (let i = 0; i < rows; i++) out[i] = flat[i * CURVE_COLUMNS + k];
    return out;
  });
}

/** The two series: train solid in the text colour, test dashed in amber (palette names). */
export const SERIES = [
  { name: "train", color: "fg", dash: [] as number[] },
  { name: "test", color: "warn", dash: [6, 4] },
] as const;

function drawCurve(
  canvas: HTMLCanvasElement, root: HTMLElement, colors: Palette, title: string, cols: Float32Array[], steps: Float32Array, fixedMax?: number,
) {
  const p = canvas2d(canvas);
  if (!p) return;
  const { ctx, w, h } = p;
  const ink = SERIES.map((s) => rgbText(colors[s.color]));
  // what was drawn, in which colours (tests sample the pixels of each series against these)
  canvas.dataset.colors = JSON.stringify({ text: rgbText(colors.fg), ...Object.fromEntries(SERIES.map((s, k) => [s.name, ink[k]])) });
  const fs = root.classList.contains("mgw-present") ? 15 : 12;
  ctx.font = `${fs}px system-ui, sans-serif`;
  const yMax = fixedMax ?? Math.max(niceMax(cols[0]), niceMax(cols[1]));
  const top = axisLabel(yMax, fixedMax === 1);
  const left = Math.max(Math.ceil(fs * 3.4), Math.ceil(ctx.measureText(top).width) + 8);
  const box = { x: left, y: fs + 8, width: w - left - 10, height: h - fs - 8 - fs - 8 };
  ctx.fillStyle = rgbText(colors.fg);
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  ctx.fillText(title, 4, 3);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  ctx.textBaseline = "top"; // below the title, however short the plot
  ctx.fillText(top, box.x - 4, box.y - 2);
  ctx.textBaseline = "middle";
  ctx.fillText("0", box.x - 4, box.y + box.height);
  ctx.textAlign = "left";
  ctx.textBaseline = "bottom";
  if (steps.length) ctx.fillText(`step ${steps[0]} … ${steps[steps.length - 1]}`, box.x, h - 2);
  ctx.strokeStyle = rgbText(colors.line);
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(box.x, box.y);
  ctx.lineTo(box.x, box.y + box.height);
  ctx.lineTo(box.x + box.width, box.y + box.height);
  ctx.stroke();
  cols.forEach((ys, k) => {
    ctx.strokeStyle = ink[k];
    ctx.setLineDash(SERIES[k].dash);
    ctx.lineWidth = 2;
    for (const run of curveRuns(steps, ys, yMax, box)) {
      ctx.beginPath();
      ctx.moveTo(run[0], run[1]);
      for (let i = 2; i < run.length; i += 2) ctx.lineTo(run[i], run[i + 1]);
      if (run.length === 2) ctx.arc(run[0], run[1], 1.5, 0, 2 * Math.PI);
      ctx.stroke();
    }
  });
  ctx.setLineDash([]);
  // key: train solid, test dashed; the words in the text colour, the sample lines in the series'
  ctx.textAlign = "right";
  ctx.textBaseline = "top";
  ctx.fillStyle = rgbText(colors.fg);
  let x = w - 6;
  for (const k of [1, 0]) {
    const text = SERIES[k].name;
    ctx.fillText(text, x, 3);
    x -= ctx.measureText(text).width + 6;
    ctx.strokeStyle = ink[k];
    ctx.setLineDash(SERIES[k].dash);
    ctx.beginPath();
    ctx.moveTo(x - 18, 3 + fs / 2);
    ctx.lineTo(x, 3 + fs / 2);
    ctx.stroke();
    x -= 26;
  }
  ctx.setLineDash([]);
  canvas.dataset.theme = root.dataset.mgwTheme ?? "";
}

export function createCurves(host: HTMLElement, ctx: Context): Part {
  host.dataset.control = "curves";
  const loss = el("canvas", "mgw-curve");
  loss.setAttribute("aria-label", "Loss curves");
  const accuracy = el("canvas", "mgw-curve");
  accuracy.setAttribute("aria-label", "Accuracy curves");
  host.append(loss, accuracy);
  return {
    topics: ["curves", "presentation", "size", "task", "theme"],
    update(model) {
      const [steps, trainLoss, testLoss, trainAcc, testAcc] = curveColumns(model.get("curves"));
      const regression = model.get("task") === "regression"; // columns 3 and 4 carry R^2 then
      const colors = ctx.colors();
      drawCurve(loss, ctx.root, colors, "loss", [trainLoss, testLoss], steps);
      drawCurve(accuracy, ctx.root, colors, regression ? "R²" : "accuracy", [trainAcc, testAcc], steps, 1);
      accuracy.setAttribute("aria-label", regression ? "R² curves" : "Accuracy curves");
    },
    destroy: () => {},
  };
}
