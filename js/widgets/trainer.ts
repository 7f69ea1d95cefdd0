// The live trainer: controls, loss/accuracy curves, the decision-boundary heatmap with the data
// points, and the network with weight-coloured edges. Python trains (in a thread) and publishes
// at most ~20 updates a second; this view only draws what arrives, at most once per frame.
// Clicking a neuron asks Python for that neuron's Value graph at the chosen point, drawn with the
// shared graph view. Every user-visible string is set with textContent.
import { decodeGraph, GraphPayload } from "../lib/graphdata";
import { createGraphView, GraphView } from "../lib/graphview";
import { actionButton, el, svgEl } from "../lib/dom";
import { RenderProps, setState, showError } from "../lib/model";
import {
  axisLabel,
  batchFromSlider,
  curveRuns,
  edgeStyle,
  float32s,
  formatRate,
  formatSpeed,
  heatmapPixels,
  LR_POSITIONS,
  NEGATIVE,
  niceMax,
  positionToRate,
  POSITIVE,
  rateToPosition,
  sliderFromBatch,
  splitWeights,
} from "../lib/trainerplot";

const DATASETS = ["moons", "circles", "xor", "spiral", "blobs"];
const L2_CHOICES = [0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1];
const MAX_LAYERS = 6;
const MAX_NEURONS = 32;
const HINT = "Press Play to train. Learning rate and batch size apply at once; other changes start a new model.";
const rgb = (c: number[]) => `rgb(${c[0]},${c[1]},${c[2]})`;

const CSS = `
.mgw-trainer { --mgw-fs: 14px; font: var(--mgw-fs)/1.35 system-ui, sans-serif; color: var(--jp-ui-font-color1, #1f2328);
  max-width: 1240px; }
.mgw-trainer.mgw-present { --mgw-fs: 19px; }
.mgw-trainer button { font: 600 var(--mgw-fs) system-ui, sans-serif; height: 2.3em; padding: 0 0.8em; cursor: pointer;
  border: 1px solid var(--jp-border-color1, #8c959f); border-radius: 6px; background: var(--jp-layout-color1, #f6f8fa);
  color: inherit; display: inline-flex; align-items: center; gap: 0.4em; }
.mgw-trainer button:hover:not(:disabled) { background: var(--jp-layout-color2, #eaeef2); }
.mgw-trainer button:disabled { opacity: 0.45; cursor: default; }
.mgw-trainer button svg { width: 0.9em; height: 0.9em; }
.mgw-trainer button[data-action="play"], .mgw-trainer button[data-action="pause"] { background: #2563eb;
  border-color: #1d4ed8; color: #fff; min-width: 6.5em; justify-content: center; }
.mgw-trainer button[data-action="pause"] { background: #1e3a8a; }
.mgw-trainer button[data-action="play"]:hover:not(:disabled) { background: #1d4ed8; }
.mgw-trainer button[data-action="pause"]:hover:not(:disabled) { background: #172554; }
.mgw-trainer .mgw-bar { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; padding: 8px 10px;
  border: 1px solid var(--jp-border-color2, #d0d7de); border-radius: 8px; background: var(--jp-layout-color1, #f6f8fa); }
.mgw-trainer .mgw-buttons { display: flex; gap: 6px; align-items: center; }
.mgw-trainer .mgw-counter { display: flex; flex-direction: column; min-width: 7.5em; }
.mgw-trainer .mgw-counter b { font: 700 calc(var(--mgw-fs) * 1.5) ui-monospace, "DejaVu Sans Mono", monospace; }
.mgw-trainer .mgw-small { font-size: calc(var(--mgw-fs) * 0.85); color: var(--jp-ui-font-color2, #59636e); }
.mgw-trainer .mgw-knob { display: flex; flex-direction: column; gap: 2px; }
.mgw-trainer .mgw-knob > span:first-child { font-size: calc(var(--mgw-fs) * 0.85); color: var(--jp-ui-font-color2, #59636e);
  text-transform: uppercase; letter-spacing: 0.04em; }
.mgw-trainer .mgw-knob .mgw-row { display: flex; align-items: center; gap: 6px; }
.mgw-trainer .mgw-knob output { font: 600 var(--mgw-fs) ui-monospace, "DejaVu Sans Mono", monospace; min-width: 4.5em; }
.mgw-trainer select { font: inherit; height: 2em; }
.mgw-trainer input[type="range"] { width: 9em; }
.mgw-trainer .mgw-main { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 10px; align-items: flex-start; }
.mgw-trainer .mgw-col { display: flex; flex-direction: column; gap: 10px; }
.mgw-trainer .mgw-data { width: 11.5em; }
.mgw-trainer h4 { margin: 0; font-size: calc(var(--mgw-fs) * 0.85); text-transform: uppercase; letter-spacing: 0.05em;
  color: var(--jp-ui-font-color2, #59636e); }
.mgw-trainer .mgw-datasets { display: grid; grid-template-columns: 1fr 1fr; gap: 4px; }
.mgw-trainer .mgw-datasets button { height: 2em; padding: 0 0.4em; font-weight: 500; justify-content: center; }
.mgw-trainer .mgw-datasets button[aria-pressed="true"] { border: 2px solid #2563eb; background: #dbeafe; color: #1e3a8a; }
.mgw-trainer .mgw-net { flex: 1 1 260px; min-width: 240px; }
.mgw-trainer .mgw-net-head { display: flex; gap: 6px; align-items: center; }
.mgw-trainer .mgw-net-head button, .mgw-trainer .mgw-layer-buttons button { height: 1.8em; min-width: 1.8em; padding: 0 0.4em;
  justify-content: center; }
.mgw-trainer .mgw-layer-buttons { position: relative; height: 2.2em; }
.mgw-trainer .mgw-layer-buttons > div { position: absolute; transform: translateX(-50%); display: flex; gap: 2px;
  align-items: center; white-space: nowrap; }
.mgw-trainer .mgw-layer-buttons.mgw-tight { height: 5.6em; }
.mgw-trainer .mgw-layer-buttons.mgw-tight > div { flex-direction: column-reverse; gap: 1px; }
.mgw-trainer svg.mgw-network { width: 100%; max-height: 460px; display: block; overflow: visible; }
.mgw-trainer svg.mgw-network circle { fill: var(--jp-layout-color0, #fff); stroke: #374151; stroke-width: 1.5; }
.mgw-trainer svg.mgw-network g[data-neuron] { cursor: pointer; }
.mgw-trainer svg.mgw-network g[data-neuron]:hover circle { stroke: #2563eb; stroke-width: 3; }
.mgw-trainer svg.mgw-network g[data-selected="true"] circle { stroke: #d97706; stroke-width: 4; fill: #fff7ed; }
.mgw-trainer svg.mgw-network text { font-size: var(--mgw-net-fs, 12px); fill: currentColor; dominant-baseline: central; }
.mgw-trainer .mgw-out { flex: 1 1 290px; max-width: 360px; }
.mgw-trainer.mgw-present .mgw-out { max-width: 440px; }
.mgw-trainer.mgw-present .mgw-data { width: 10em; }
.mgw-trainer .mgw-metrics { display: grid; grid-template-columns: auto 1fr 1fr; gap: 0 12px; font-variant-numeric: tabular-nums; }
.mgw-trainer .mgw-metrics b { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.mgw-trainer canvas { display: block; box-sizing: border-box; width: 100%; border: 1px solid var(--jp-border-color2, #d0d7de); border-radius: 4px; }
.mgw-trainer canvas.mgw-heatmap { aspect-ratio: 1 / 1; cursor: crosshair; }
.mgw-trainer canvas.mgw-curve { height: 7.5em; }
.mgw-trainer .mgw-legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: calc(var(--mgw-fs) * 0.85); }
.mgw-trainer .mgw-legend span { display: inline-flex; align-items: center; gap: 5px; }
.mgw-trainer .mgw-swatch { width: 11px; height: 11px; display: inline-block; }
.mgw-trainer .mgw-status[data-kind="hint"] { color: var(--jp-ui-font-color2, #59636e); }
.mgw-trainer .mgw-status { margin-top: 8px; padding: 6px 10px; border-radius: 6px; min-height: 1.35em;
  background: var(--jp-layout-color1, #f6f8fa); }
.mgw-trainer .mgw-status[data-kind="reset"] { background: #eff6ff; border-left: 4px solid #2563eb; }
.mgw-trainer .mgw-status[data-kind="error"] { background: #fef2f2; border-left: 4px solid #dc2626; color: #7f1d1d; font-weight: 600; }
.mgw-trainer .mgw-neuron { margin-top: 10px; border-top: 1px solid var(--jp-border-color2, #d0d7de); padding-top: 8px; }
.mgw-trainer .mgw-neuron-head { display: flex; gap: 10px; align-items: center; margin-bottom: 6px; }
.mgw-trainer .mgw-neuron-head b { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
.mgw-trainer [hidden] { display: none !important; }
`;

/** A labelled control block; `name` is what `hide=[...]` refers to. */
function knob(name: string, title: string, ...children: Node[]): HTMLDivElement {
  const box = el("div", "mgw-knob");
  box.dataset.control = name;
  const row = el("div", "mgw-row");
  row.append(...children);
  box.append(el("span", undefined, title), row);
  return box;
}

function range(min: number, max: number, step: number, label: string): HTMLInputElement {
  const r = el("input");
  r.type = "range";
  r.min = String(min);
  r.max = String(max);
  r.step = String(step);
  r.setAttribute("aria-label", label);
  return r;
}

function select(options: [string, string][], label: string): HTMLSelectElement {
  const s = el("select");
  s.setAttribute("aria-label", label);
  for (const [value, text] of options) {
    const o = el("option", undefined, text);
    o.value = value;
    s.append(o);
  }
  return s;
}

const pct = (x: number | null | undefined) => (typeof x === "number" ? `${(100 * x).toFixed(1)}%` : "–");
const num = (x: number | null | undefined) => (typeof x === "number" ? x.toFixed(4) : "–");

/** Sizes a canvas's backing store to its CSS box (times the device pixel ratio); returns the
 * 2-D context scaled so that drawing uses CSS pixels, and the CSS size. */
function prepare(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  const w = canvas.clientWidth || 320;
  const h = canvas.clientHeight || 120;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

function render({ model, el: host }: RenderProps) {
  const root = el("div", "mgw-trainer");
  root.dataset.mgw = "trainer";
  setState(root, "loading");
  host.replaceChildren(root);
  const standalone = Boolean(model.get("_standalone"));
  const send = (content: Record<string, unknown>) => {
    if (!standalone) model.send(content);
  };
  const setTrait = (name: string, value: unknown) => {
    model.set(name, value);
    model.save_changes();
  };

  // ---- top bar: actions, counter, learning rate, batch size, activation, loss, L2 ----------
  const style = el("style");
  style.textContent = CSS;
  const reset = actionButton("reset", "Reset", "New model from the seed (step 0)");
  const play = actionButton("play", "Play", "Train in the background");
  const pause = actionButton("pause", "Pause", "Stop after the current step");
  const stepButton = actionButton("step", "Step", "One training step");
  const buttons = el("div", "mgw-buttons");
  buttons.append(reset, play, pause, stepButton);

  const counter = el("div", "mgw-counter");
  const stepField = el("b", undefined, "0");
  stepField.dataset.field = "step";
  const rateField = el("span", "mgw-small", "0 steps/s");
  rateField.dataset.field = "rate";
  const stepLabel = el("span", "mgw-small", "step");
  counter.append(stepLabel, stepField, rateField);

  const lrSlider = range(0, LR_POSITIONS, 1, "Learning rate (log scale)");
  lrSlider.dataset.field = "learning-rate";
  const lrOut = el("output");
  const lrNow = el("span", "mgw-small");
  const lrKnob = knob("learning_rate", "Learning rate", lrSlider, lrOut, lrNow);

  const batchSlider = range(1, 100, 1, "Batch size");
  batchSlider.dataset.field = "batch-size";
  const batchOut = el("output");
  const fullBox = el("input");
  fullBox.type = "checkbox";
  fullBox.dataset.field = "full-batch";
  const fullLabel = el("label", "mgw-small");
  fullLabel.append(fullBox, " full");
  const batchKnob = knob("batch_size", "Batch size", batchSlider, batchOut, fullLabel);

  const activation = select([["relu", "ReLU"], ["tanh", "Tanh"], ["linear", "Linear"]], "Activation");
  const loss = select([["hinge", "Hinge (max-margin)"], ["bce", "Cross-entropy"], ["mse", "MSE"]], "Loss");
  const l2 = select(L2_CHOICES.map((v) => [String(v), v === 0 ? "none" : formatRate(v)]), "L2 regularisation");
  const schedule = select([["linear", "Linear decay"], ["exponential", "Exponential decay"], ["constant", "Constant"]], "Learning-rate schedule");
  const bar = el("div", "mgw-bar");
  bar.append(
    buttons,
    counter,
    lrKnob,
    batchKnob,
    knob("activation", "Activation", activation),
    knob("loss", "Loss", loss),
    knob("l2", "L2", l2),
    knob("schedule", "Schedule", schedule),
  );

  // ---- data column -------------------------------------------------------------------------
  const dataCol = el("div", "mgw-col mgw-data");
  const datasetBox = el("div", "mgw-datasets");
  const datasetButtons = new Map<string, HTMLButtonElement>();
  for (const name of [...DATASETS, "custom"]) {
    const b = el("button", undefined, name === "custom" ? "your data" : name);
    b.type = "button";
    b.dataset.dataset = name;
    b.addEventListener("click", () => {
      if (model.get("dataset") !== name) setTrait("dataset", name);
    });
    datasetButtons.set(name, b);
    datasetBox.append(b);
  }
  const datasetKnob = el("div", "mgw-col");
  datasetKnob.dataset.control = "dataset";
  datasetKnob.append(el("h4", undefined, "Data"), datasetBox);
  const noise = range(0, 1, 0.05, "Noise");
  const noiseOut = el("output");
  const size = range(20, 1000, 10, "Number of points");
  const sizeOut = el("output");
  const split = range(0, 80, 5, "Test points (percent)");
  const splitOut = el("output");
  dataCol.append(
    datasetKnob,
    knob("noise", "Noise", noise, noiseOut),
    knob("size", "Points", size, sizeOut),
    knob("split", "Test split", split, splitOut),
  );

  // ---- network column ----------------------------------------------------------------------
  const netCol = el("div", "mgw-col mgw-net");
  netCol.dataset.control = "network";
  const netHead = el("div", "mgw-net-head");
  const addLayer = el("button", undefined, "+");
  const removeLayer = el("button", undefined, "−");
  addLayer.title = "Add a hidden layer";
  removeLayer.title = "Remove the last hidden layer";
  const layerCount = el("span");
  const layerControls = el("div", "mgw-net-head");
  layerControls.dataset.control = "layers";
  layerControls.append(addLayer, removeLayer, layerCount);
  netHead.append(el("h4", undefined, "Network"), layerControls);
  const layerButtons = el("div", "mgw-layer-buttons");
  layerButtons.dataset.control = "layers";
  const network = svgEl("svg", { class: "mgw-network", role: "img" });
  const netHint = el("div", "mgw-small", "Click a neuron to see its Value graph at the chosen point (click the map to choose).");
  netCol.append(netHead, layerButtons, network, netHint);

  // ---- output column -----------------------------------------------------------------------
  const outCol = el("div", "mgw-col mgw-out");
  const metrics = el("div", "mgw-metrics");
  const metricCells: Record<string, HTMLElement> = {};
  metrics.append(el("span"), el("span", "mgw-small", "train"), el("span", "mgw-small", "test"));
  for (const [key, label] of [["loss", "Loss"], ["acc", "Accuracy"]]) {
    metrics.append(el("span", undefined, label));
    for (const part of ["train", "test"]) {
      const cell = el("b", undefined, "–");
      cell.dataset.field = `${part}-${key}`;
      metricCells[`${part}-${key}`] = cell;
      metrics.append(cell);
    }
  }
  const lossCanvas = el("canvas", "mgw-curve");
  lossCanvas.setAttribute("aria-label", "Loss curves");
  const accCanvas = el("canvas", "mgw-curve");
  accCanvas.setAttribute("aria-label", "Accuracy curves");
  const curvesBox = el("div", "mgw-col");
  curvesBox.dataset.control = "curves";
  curvesBox.append(lossCanvas, accCanvas);
  const heatmap = el("canvas", "mgw-heatmap");
  heatmap.setAttribute("aria-label", "Decision boundary and data points");
  const legend = el("div", "mgw-legend");
  const legendItem = (color: string, text: string, shape: "circle" | "square") => {
    const item = el("span");
    const sw = el("span", "mgw-swatch");
    sw.style.background = color;
    sw.style.borderRadius = shape === "circle" ? "50%" : "1px";
    if (shape === "square") sw.style.outline = "1.5px solid #111";
    item.append(sw, el("span", undefined, text));
    legend.append(item);
  };
  legendItem(rgb(NEGATIVE), "class −1", "circle");
  legendItem(rgb(POSITIVE), "class +1", "circle");
  legendItem("#9ca3af", "test point", "square");
  outCol.append(metrics, curvesBox, heatmap, legend);

  const main = el("div", "mgw-main");
  main.append(dataCol, netCol, outCol);
  const status = el("div", "mgw-status");
  status.dataset.field = "status";
  status.setAttribute("aria-live", "polite");

  // ---- the neuron's Value graph ------------------------------------------------------------
  const neuronPanel = el("div", "mgw-neuron");
  neuronPanel.dataset.field = "neuron";
  neuronPanel.hidden = true;
  const neuronHead = el("div", "mgw-neuron-head");
  const neuronTitle = el("b");
  const neuronClose = el("button", undefined, "Close");
  neuronClose.type = "button";
  neuronHead.append(neuronTitle, neuronClose);
  const neuronGraphBox = el("div");
  neuronPanel.append(neuronHead, neuronGraphBox);

  // the status sits under the controls (where the eyes are when a click resets the model or
  // training diverges) and always holds a line, so nothing below it jumps when a message comes
  root.append(style, bar, status, main, neuronPanel);

  // ---- state ---------------------------------------------------------------------------------
  let chosen: [number, number] | null = null; // the point for neuron graphs (data coordinates)
  let selected: [number, number] | null = null; // [layer, index] of the clicked neuron
  let graphView: GraphView | null = null;
  let frame = 0;
  let pausing = false; // Pause was pressed; the thread has not stopped yet
  let recheckTimer: ReturnType<typeof setTimeout> | undefined;
  const dirty = new Set<string>();
  const offscreen = document.createElement("canvas");
  let pixels: Uint8ClampedArray | undefined;

  const schedule_ = (what: string) => {
    dirty.add(what);
    if (!frame) frame = requestAnimationFrame(flush);
  };

  // ---- drawing -------------------------------------------------------------------------------
  const drawHeatmap = () => {
    const res = model.get("resolution") as number;
    const grid = float32s(model.get("grid"));
    const extent = (model.get("extent") as number[]) ?? [0, 1, 0, 1];
    const pts = (model.get("points") ?? {}) as { x?: number[]; y?: number[]; label?: number[]; test?: number[] };
    const p = prepare(heatmap);
    if (!p) return;
    const { ctx, w, h } = p;
    if (grid.length === res * res) {
      pixels = heatmapPixels(grid, res, pixels);
      offscreen.width = res;
      offscreen.height = res;
      const octx = offscreen.getContext("2d");
      if (octx) {
        octx.putImageData(new ImageData(pixels as unknown as Uint8ClampedArray<ArrayBuffer>, res, res), 0, 0);
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(offscreen, 0, 0, w, h);
      }
    }
    const [x0, x1, y0, y1] = extent;
    const sx = (x: number) => ((x - x0) / (x1 - x0)) * w;
    const sy = (y: number) => h - ((y - y0) / (y1 - y0)) * h;
    const xs = pts.x ?? [];
    const r = root.classList.contains("mgw-present") ? 5 : 4;
    for (let i = 0; i < xs.length; i++) {
      const px = sx(xs[i]);
      const py = sy(pts.y![i]);
      ctx.fillStyle = rgb(pts.label![i] > 0 ? POSITIVE : NEGATIVE);
      ctx.beginPath();
      if (pts.test![i]) {
        ctx.rect(px - r, py - r, 2 * r, 2 * r);
        ctx.strokeStyle = "#111";
        ctx.lineWidth = 1.6;
      } else {
        ctx.arc(px, py, r, 0, 2 * Math.PI);
        ctx.strokeStyle = "#fff";
        ctx.lineWidth = 1.2;
      }
      ctx.fill();
      ctx.stroke();
    }
    if (chosen) {
      const [cx, cy] = [sx(chosen[0]), sy(chosen[1])];
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(cx, cy, 9, 0, 2 * Math.PI);
      ctx.moveTo(cx - 14, cy);
      ctx.lineTo(cx + 14, cy);
      ctx.moveTo(cx, cy - 14);
      ctx.lineTo(cx, cy + 14);
      ctx.stroke();
    }
  };

  const drawCurve = (canvas: HTMLCanvasElement, title: string, cols: [Float32Array, Float32Array], steps: Float32Array, fixedMax?: number) => {
    const p = prepare(canvas);
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
    ctx.fillText(top, box.x - 4, box.y);
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
    const styles = [{ color: "#111827", dash: [] as number[] }, { color: "#d97706", dash: [6, 4] }];
    cols.forEach((ys, k) => {
      ctx.strokeStyle = styles[k].color;
      ctx.setLineDash(styles[k].dash);
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
      ctx.fillStyle = styles[k].color;
      ctx.fillText(text, x, 3);
      x -= ctx.measureText(text).width + 6;
      ctx.strokeStyle = styles[k].color;
      ctx.setLineDash(styles[k].dash);
      ctx.beginPath();
      ctx.moveTo(x - 18, 3 + fs / 2);
      ctx.lineTo(x, 3 + fs / 2);
      ctx.stroke();
      x -= 26;
    }
    ctx.setLineDash([]);
  };

  const drawCurves = () => {
    const flat = float32s(model.get("curves"));
    const rows = Math.floor(flat.length / 5);
    const col = (k: number) => {
      const out = new Float32Array(rows);
      for (let i = 0; i < rows; i++) out[i] = flat[i * 5 + k];
      return out;
    };
    const steps = col(0);
    drawCurve(lossCanvas, "loss", [col(1), col(2)], steps);
    drawCurve(accCanvas, "accuracy", [col(3), col(4)], steps, 1);
  };

  // network geometry, rebuilt when the layer sizes change; edges restyled on every update
  let edges: { line: SVGLineElement; layer: number; index: number }[] = [];
  let netSizes = "";
  const buildNetwork = () => {
    const sizes = (model.get("layer_sizes") as number[]) ?? [];
    netSizes = sizes.join(",");
    network.replaceChildren();
    layerButtons.replaceChildren();
    edges = [];
    if (sizes.length < 2) return;
    const width = 520;
    const most = Math.max(...sizes);
    const gap = Math.max(14, Math.min(30, 400 / most));
    const height = Math.max(160, most * gap + 30);
    network.setAttribute("viewBox", `0 0 ${width} ${height}`);
    network.setAttribute("aria-label", `Network with layers ${sizes.join(", ")}`);
    const colX = (l: number) => 44 + (l * (width - 100)) / (sizes.length - 1);
    const nodeY = (l: number, i: number) => height / 2 + (i - (sizes[l] - 1) / 2) * gap;
    const edgeLayer = svgEl("g");
    const nodeLayer = svgEl("g");
    network.append(edgeLayer, nodeLayer);
    for (let l = 1; l < sizes.length; l++) {
      for (let j = 0; j < sizes[l]; j++) {
        for (let i = 0; i < sizes[l - 1]; i++) {
          const line = svgEl("line", { x1: colX(l - 1), y1: nodeY(l - 1, i), x2: colX(l), y2: nodeY(l, j) });
          edgeLayer.append(line);
          edges.push({ line, layer: l - 1, index: j * sizes[l - 1] + i });
        }
      }
    }
    const radius = Math.max(5, Math.min(10, gap / 2 - 2));
    for (let l = 0; l < sizes.length; l++) {
      for (let i = 0; i < sizes[l]; i++) {
        const g = svgEl("g");
        const circle = svgEl("circle", { cx: colX(l), cy: nodeY(l, i), r: radius });
        g.append(circle);
        if (l === 0 || l === sizes.length - 1) {
          const t = svgEl("text", { x: colX(l) + (l === 0 ? -radius - 4 : radius + 4), y: nodeY(l, i) });
          t.setAttribute("text-anchor", l === 0 ? "end" : "start");
          t.textContent = l === 0 ? `x${i}` : "out";
          g.append(t);
        }
        if (l > 0) {
          const layer = l - 1;
          g.dataset.neuron = `${layer}-${i}`;
          const title = svgEl("title");
          title.textContent = l === sizes.length - 1 ? "output neuron: click for its Value graph" : `layer ${layer}, neuron ${i}: click for its Value graph`;
          g.append(title);
          g.addEventListener("click", () => chooseNeuron(layer, i));
        }
        nodeLayer.append(g);
      }
    }
    // +/- neurons above each hidden column
    for (let l = 1; l < sizes.length - 1; l++) {
      const box = el("div");
      box.style.left = `${(colX(l) / width) * 100}%`;
      const minus = el("button", undefined, "−");
      const plus = el("button", undefined, "+");
      minus.title = `Fewer neurons in layer ${l - 1}`;
      plus.title = `More neurons in layer ${l - 1}`;
      minus.disabled = sizes[l] <= 1;
      plus.disabled = sizes[l] >= MAX_NEURONS;
      const change = (d: number) => {
        const hidden = [...(model.get("hidden") as number[])];
        hidden[l - 1] = Math.min(MAX_NEURONS, Math.max(1, hidden[l - 1] + d));
        setTrait("hidden", hidden);
      };
      minus.addEventListener("click", () => change(-1));
      plus.addEventListener("click", () => change(1));
      box.append(minus, el("span", "mgw-small", String(sizes[l])), plus);
      layerButtons.append(box);
    }
    fitLayerButtons();
    const hiddenCount = sizes.length - 2;
    layerCount.textContent = `${hiddenCount} hidden layer${hiddenCount === 1 ? "" : "s"}`;
    addLayer.disabled = hiddenCount >= MAX_LAYERS;
    removeLayer.disabled = hiddenCount <= 0;
    markSelected();
  };

  /** Side by side when the columns are far enough apart, else stacked (+ above −). */
  const fitLayerButtons = () => {
    const sizes = (model.get("layer_sizes") as number[]) ?? [];
    const apart = sizes.length > 1 ? (network.clientWidth || 520) * (440 / 520) / (sizes.length - 1) : 999;
    const fs = parseFloat(getComputedStyle(root).getPropertyValue("--mgw-fs")) || 14;
    layerButtons.classList.toggle("mgw-tight", apart < fs * 6.5);
    // SVG text scales with the viewBox: keep the labels at the page's text size
    const k = (network.clientWidth || 520) / 520;
    network.style.setProperty("--mgw-net-fs", `${Math.min(2.5 * fs, (0.9 * fs) / k).toFixed(1)}px`);
  };

  const styleEdges = () => {
    const sizes = (model.get("layer_sizes") as number[]) ?? [];
    if (sizes.join(",") !== netSizes) buildNetwork();
    const flat = float32s(model.get("weights"));
    let layers;
    try {
      layers = splitWeights(flat, sizes);
    } catch {
      return; // weights of an older shape: the next update brings matching ones
    }
    let scale = 0;
    for (const { W } of layers) for (let i = 0; i < W.length; i++) scale = Math.max(scale, Math.abs(W[i]) || 0);
    for (const e of edges) {
      const s = edgeStyle(layers[e.layer].W[e.index], scale);
      e.line.setAttribute("stroke", s.color);
      e.line.setAttribute("stroke-width", String(s.width));
      e.line.setAttribute("stroke-opacity", String(s.opacity));
    }
  };

  const markSelected = () => {
    for (const g of network.querySelectorAll("g[data-neuron]")) {
      const on = selected !== null && (g as SVGGElement).dataset.neuron === `${selected[0]}-${selected[1]}`;
      if (on) g.setAttribute("data-selected", "true");
      else g.removeAttribute("data-selected");
    }
  };

  const defaultPoint = (): [number, number] => {
    const pts = model.get("points") as { x?: number[]; y?: number[] } | undefined;
    return pts && pts.x && pts.x.length ? [pts.x[0], pts.y![0]] : [0, 0];
  };

  function chooseNeuron(layer: number, index: number) {
    if (standalone) {
      status.textContent = "This saved page has no Python kernel: neuron graphs need the notebook.";
      return;
    }
    selected = [layer, index];
    if (!chosen) chosen = defaultPoint();
    markSelected();
    schedule_("heatmap");
    send({ type: "neuron", layer, index, point: chosen });
  }

  const drawNeuron = () => {
    const payload = model.get("neuron_graph") as GraphPayload | null;
    const info = model.get("neuron_info") as { layer?: number; index?: number; point?: number[]; step?: number; output?: number; output_layer?: boolean; root?: string };
    graphView?.destroy();
    graphView = null;
    if (!payload || !Array.isArray(payload.id) || payload.id.length === 0) {
      neuronPanel.hidden = true;
      selected = null;
      markSelected();
      return;
    }
    neuronPanel.hidden = false;
    const who = info.output_layer ? "output neuron" : `layer ${info.layer}, neuron ${info.index}`;
    const [px, py] = info.point ?? [0, 0];
    neuronTitle.textContent = `${who} at point (${px.toFixed(3)}, ${py.toFixed(3)}), step ${info.step}: output ${num(info.output)}`;
    selected = [info.layer ?? 0, info.index ?? 0];
    chosen = [px, py];
    markSelected();
    try {
      const view = createGraphView(neuronGraphBox, decodeGraph(payload), {
        toolbar: true,
        maxHeight: 420,
        onExpand: standalone ? undefined : (key) => send({ type: "expand_neuron", key }),
        expandHint: "This saved page has no Python kernel: the Σ box opens in the notebook.",
      });
      graphView = view;
      // the neuron's output box: marked and scrolled into view (the graph is wider than the page)
      view.ready.then(() => graphView === view && info.root && view.setActive(info.root)).catch(() => {});
    } catch (error) {
      neuronTitle.textContent = `Could not draw the graph: ${error instanceof Error ? error.message : String(error)}`;
    }
  };

  const drawStatus = () => {
    const playing = Boolean(model.get("playing"));
    if (!playing) pausing = false;
    root.dataset.playing = String(playing);
    play.hidden = playing;
    pause.hidden = !playing;
    pause.disabled = pausing;
    stepButton.disabled = playing || standalone;
    play.disabled = standalone;
    reset.disabled = standalone;
    stepField.textContent = String(model.get("step_count") ?? 0);
    const rate = Number(model.get("steps_per_second") ?? 0);
    rateField.textContent = pausing ? "pausing…" : playing ? formatSpeed(rate) : "paused";
    const m = (model.get("metrics") ?? {}) as Record<string, number | null>;
    metricCells["train-loss"].textContent = num(m.train_loss);
    metricCells["test-loss"].textContent = num(m.test_loss);
    metricCells["train-acc"].textContent = pct(m.accuracy);
    metricCells["test-acc"].textContent = pct(m.test_accuracy);
    const next = m.next_learning_rate;
    const base = model.get("learning_rate") as number;
    lrNow.textContent = typeof next === "number" && Math.abs(next - base) > 1e-12 * base ? `now ${formatRate(next)}` : "";
    const message = standalone ? "Saved page: a snapshot, no Python kernel to train." : (model.get("status") as string);
    status.textContent = message || HINT;
    status.dataset.kind = !message ? "hint" : standalone ? "info" : (model.get("status_kind") as string) || "info";
    const nTrain = Number(m.n_train ?? 0);
    if (nTrain > 0 && batchSlider.max !== String(nTrain)) {
      batchSlider.max = String(nTrain);
      drawControls();
    }
  };

  const drawControls = () => {
    const lr = model.get("learning_rate") as number;
    lrSlider.value = String(rateToPosition(lr));
    lrOut.textContent = formatRate(lr);
    const batch = model.get("batch_size") as number | null;
    const nTrain = Number(batchSlider.max);
    fullBox.checked = batch === null;
    batchSlider.value = String(sliderFromBatch(batch, nTrain));
    batchOut.textContent = batch === null ? `${nTrain} (all)` : String(Math.min(batch, nTrain));
    activation.value = model.get("activation");
    loss.value = model.get("loss");
    const l2v = model.get("l2") as number;
    if (!L2_CHOICES.includes(l2v)) {
      const o = el("option", undefined, formatRate(l2v));
      o.value = String(l2v);
      l2.append(o);
    }
    l2.value = String(l2v);
    schedule.value = model.get("schedule");
    const ds = model.get("dataset") as string;
    for (const [name, b] of datasetButtons) {
      b.setAttribute("aria-pressed", String(name === ds));
      if (name === "custom") b.hidden = !model.get("has_custom");
    }
    const custom = ds === "custom";
    noise.value = String(model.get("noise"));
    noiseOut.textContent = Number(model.get("noise")).toFixed(2);
    size.value = String(model.get("n"));
    sizeOut.textContent = String(model.get("n"));
    noise.disabled = size.disabled = custom || standalone;
    const tf = Math.round(100 * (model.get("test_fraction") as number));
    split.value = String(tf);
    splitOut.textContent = `${tf}%`;
    root.classList.toggle("mgw-present", Boolean(model.get("presentation")));
    const hide = new Set((model.get("hide") as string[]) ?? []);
    for (const node of root.querySelectorAll<HTMLElement>("[data-control]")) {
      node.hidden = hide.has(node.dataset.control!);
    }
    for (const input of [lrSlider, batchSlider, fullBox, activation, loss, l2, schedule, split, addLayer, removeLayer]) {
      if (standalone) input.disabled = true;
    }
    if (!standalone) batchSlider.disabled = batch === null;
  };

  function flush() {
    frame = 0;
    const what = new Set(dirty);
    dirty.clear();
    try {
      if (what.has("controls")) drawControls();
      if (what.has("status")) drawStatus();
      if (what.has("network")) buildNetwork();
      if (what.has("weights") || what.has("network")) styleEdges();
      if (what.has("curves")) drawCurves();
      if (what.has("heatmap")) drawHeatmap();
      if (what.has("neuron")) drawNeuron();
      if (root.dataset.state !== "ready") setState(root, "ready");
    } catch (error) {
      showError(root, error);
    }
  }

  // ---- user input: knobs apply in Python from the next step ---------------------------------
  lrSlider.addEventListener("input", () => {
    const lr = positionToRate(Number(lrSlider.value));
    lrOut.textContent = formatRate(lr);
    setTrait("learning_rate", lr);
  });
  const sendBatch = () => {
    const batch = batchFromSlider(Number(batchSlider.value), Number(batchSlider.max), fullBox.checked);
    batchSlider.disabled = fullBox.checked;
    batchOut.textContent = batch === null ? `${batchSlider.max} (all)` : String(batch);
    setTrait("batch_size", batch);
  };
  batchSlider.addEventListener("input", sendBatch);
  fullBox.addEventListener("change", sendBatch);
  activation.addEventListener("change", () => setTrait("activation", activation.value));
  loss.addEventListener("change", () => setTrait("loss", loss.value));
  l2.addEventListener("change", () => setTrait("l2", Number(l2.value)));
  schedule.addEventListener("change", () => setTrait("schedule", schedule.value));
  // sliders that reset the model: the label follows while dragging, Python hears on release
  noise.addEventListener("input", () => (noiseOut.textContent = Number(noise.value).toFixed(2)));
  noise.addEventListener("change", () => setTrait("noise", Number(noise.value)));
  size.addEventListener("input", () => (sizeOut.textContent = size.value));
  size.addEventListener("change", () => setTrait("n", Number(size.value)));
  split.addEventListener("input", () => (splitOut.textContent = `${split.value}%`));
  split.addEventListener("change", () => setTrait("test_fraction", Number(split.value) / 100));
  addLayer.addEventListener("click", () => {
    const hidden = [...(model.get("hidden") as number[])];
    if (hidden.length < MAX_LAYERS) setTrait("hidden", [...hidden, hidden[hidden.length - 1] ?? 4]);
  });
  removeLayer.addEventListener("click", () => {
    const hidden = [...(model.get("hidden") as number[])];
    if (hidden.length > 0) setTrait("hidden", hidden.slice(0, -1));
  });
  // Instant feedback on Play and Pause; Python confirms through `playing`. If it does not (it
  // refused to play after a divergence, with the same message as before), look again later.
  const recheck = () => {
    clearTimeout(recheckTimer);
    recheckTimer = setTimeout(() => schedule_("status"), 1500);
  };
  play.addEventListener("click", () => {
    play.hidden = true;
    pause.hidden = false;
    send({ type: "play" });
    recheck();
  });
  pause.addEventListener("click", () => {
    pausing = true; // the step under way finishes first (it may be a long one)
    pause.disabled = true;
    rateField.textContent = "pausing…";
    send({ type: "pause" });
    recheck();
  });
  stepButton.addEventListener("click", () => send({ type: "step" }));
  reset.addEventListener("click", () => send({ type: "reset" }));
  neuronClose.addEventListener("click", () => {
    neuronPanel.hidden = true;
    selected = null;
    markSelected();
    send({ type: "close_neuron" });
  });
  heatmap.addEventListener("click", (event) => {
    const rect = heatmap.getBoundingClientRect();
    const [x0, x1, y0, y1] = (model.get("extent") as number[]) ?? [0, 1, 0, 1];
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    chosen = [x0 + fx * (x1 - x0), y1 - fy * (y1 - y0)];
    schedule_("heatmap");
    if (selected) send({ type: "neuron", layer: selected[0], index: selected[1], point: chosen });
  });

  // ---- model events --------------------------------------------------------------------------
  const listeners: [string, () => void][] = [
    ["change:learning_rate change:batch_size change:activation change:loss change:l2 change:schedule change:dataset change:noise change:n change:test_fraction change:presentation change:hide change:has_custom", () => schedule_("controls")],
    ["change:playing change:step_count change:steps_per_second change:status change:status_kind change:metrics", () => schedule_("status")],
    ["change:layer_sizes", () => schedule_("network")],
    ["change:weights", () => schedule_("weights")],
    ["change:curves", () => schedule_("curves")],
    ["change:grid change:extent change:points", () => {
      if (model.get("points") !== lastPoints) {
        lastPoints = model.get("points");
        chosen = null;
      }
      schedule_("heatmap");
    }],
    ["change:neuron_graph change:neuron_info", () => schedule_("neuron")],
  ];
  let lastPoints: unknown = model.get("points");
  for (const [events, cb] of listeners) for (const e of events.split(" ")) model.on(e, cb);
  const resize =
    typeof ResizeObserver === "undefined"
      ? null
      : new ResizeObserver(() => {
          fitLayerButtons();
          schedule_("curves");
          schedule_("heatmap");
        });
  resize?.observe(outCol);
  resize?.observe(netCol);
  for (const what of ["controls", "status", "network", "weights", "curves", "heatmap", "neuron"]) dirty.add(what);
  flush();

  return () => {
    for (const [events, cb] of listeners) for (const e of events.split(" ")) model.off(e, cb);
    resize?.disconnect();
    if (frame) cancelAnimationFrame(frame);
    clearTimeout(recheckTimer);
    graphView?.destroy();
  };
}

export default { render };
