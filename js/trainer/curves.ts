// Loss and accuracy against the step, train solid and test dashed (the curves trait: float32
// rows of step, train loss, test loss, train accuracy, test accuracy).
import { canvas2d, el } from "../common/dom";
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

const STYLES = [{ color: "#111827", dash: [] as number[] }, { color: "#d97706", dash: [6, 4] }];

function drawCurve(canvas: HTMLCanvasElement, root: HTMLElement, title: string, cols: Float32Array[], steps: Float32Array, fixedMax?: number) {
  const p = canvas2d(canvas);
  if (!p) return;
  const { ctx, w, h } = p;
  const fs = root.classList.contains("mgw-present") ? 15 : 12;
  ctx.font = `${fs}px system-ui, sans-serif`;
  const yMax = fixedMax ?? Math.max(niceMax(cols[0]), niceMax(cols[1]));
  const top = axisLabel(yMax, fixedMax === 1);
  const left = Math.max(Math.ceil(fs * 3.4), Math.ceil(ctx.measureText(top).width) + 8);
  const box = { x: left, y: fs + 8, width: w - left - 10, height: h - fs - 8 - fs - 8 };
  ctx.fillStyle = getComputedStyle(root).color || "#1f2328";
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
  ctx.strokeStyle = "rgba(128,128,128,0.35)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(box.x, box.y);
  ctx.lineTo(box.x, box.y + box.height);
  ctx.lineTo(box.x + box.width, box.y + box.height);
  ctx.stroke();
  cols.forEach((ys, k) => {
    ctx.strokeStyle = STYLES[k].color;
    ctx.setLineDash(STYLES[k].dash);
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
  // key: train solid, test dashed
  ctx.textAlign = "right";
  ctx.textBaseline = "top";
  let x = w - 6;
  for (const [k, text] of [[1, "test"], [0, "train"]] as [number, string][]) {
    ctx.fillStyle = STYLES[k].color;
    ctx.fillText(text, x, 3);
    x -= ctx.measureText(text).width + 6;
    ctx.strokeStyle = STYLES[k].color;
    ctx.setLineDash(STYLES[k].dash);
    ctx.beginPath();
    ctx.moveTo(x - 18, 3 + fs / 2);
    ctx.lineTo(x, 3 + fs / 2);
    ctx.stroke();
    x -= 26;
  }
  ctx.setLineDash([]);
}

export function createCurves(host: HTMLElement, ctx: Context): Part {
  host.dataset.control = "curves";
  const loss = el("canvas", "mgw-curve");
  loss.setAttribute("aria-label", "Loss curves");
  const accuracy = el("canvas", "mgw-curve");
  accuracy.setAttribute("aria-label", "Accuracy curves");
  host.append(loss, accuracy);
  return {
    topics: ["curves", "presentation", "size", "task"],
    update(model) {
      const [steps, trainLoss, testLoss, trainAcc, testAcc] = curveColumns(model.get("curves"));
      const regression = model.get("task") === "regression"; // columns 3 and 4 carry R^2 then
      drawCurve(loss, ctx.root, "loss", [trainLoss, testLoss], steps);
      drawCurve(accuracy, ctx.root, regression ? "R²" : "accuracy", [trainAcc, testAcc], steps, 1);
      accuracy.setAttribute("aria-label", regression ? "R² curves" : "Accuracy curves");
    },
    destroy: () => {},
  };
}
