// Pure helpers of the trainer view (no DOM): slider mappings, colour scales, curve scaling and the
// binary traits' decoding. Unit-tested in plot.test.ts.
import type { Rgba } from "../common/contrast";
import { thousands } from "../common/format";

// ---------------------------------------------------------------------------------------------
// the learning-rate slider: a log scale between the config's ends (learning_rate_min/max), 20
// positions per decade (position 60 of 1e-4 … 10 is 0.1), in steps of 0.2 so that rates with
// three significant digits (0.0123) can be set; each position maps to a 3-digit rate.

export const LR_STEPS_PER_DECADE = 20;
export const LR_STEP = 0.2;

export interface RateScale {
  min: number;
  max: number;
  positions: number; // the slider's max (its min is 0)
}

/** The slider's scale for rates from min to max (both > 0). */
export function rateScale(min: number, max: number): RateScale {
  return { min, max, positions: Math.round(Math.log10(max / min) * LR_STEPS_PER_DECADE) };
}

/** `digits` significant digits (0.012589, 2 -> 0.013): what the slider shows and sends. */
export function roundSignificant(x: number, digits: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return x;
  const p = Math.floor(Math.log10(x)) - (digits - 1);
  // divide by a power of ten above 1 rather than multiply by one below (0.1 stays 0.1)
  return p < 0 ? Math.round(x * Math.pow(10, -p)) / Math.pow(10, -p) : Math.round(x / Math.pow(10, p)) * Math.pow(10, p);
}

/** Slider position (0 … positions) -> learning rate, log-spaced, three significant digits. */
export function positionToRate(position: number, scale: RateScale): number {
  const p = Math.min(scale.positions, Math.max(0, position));
  if (p === scale.positions) return scale.max;
  return roundSignificant(scale.min * Math.pow(10, p / LR_STEPS_PER_DECADE), 3);
}

/** Learning rate -> nearest slider position on the LR_STEP grid (clamped to the ends). */
export function rateToPosition(rate: number, scale: RateScale): number {
  if (!(rate > 0)) return 0;
  const p = Math.log10(rate / scale.min) * LR_STEPS_PER_DECADE;
  const snapped = Math.round(p / LR_STEP) * LR_STEP;
  return Math.min(scale.positions, Math.max(0, Number(snapped.toFixed(1))));
}

/** 0.0001 -> "0.0001", 0.5 -> "0.5", 3 -> "3", 1.2e-5 -> "1.2e-5" (short, no float noise). */
export function formatRate(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) < 1e-4 || Math.abs(x) >= 1e4)) {
    return x.toExponential(1).replace("e+", "e").replace(".0e", "e");
  }
  return String(Number(x.toPrecision(3)));
}

/** A speed under the step counter: "12.5 steps/s", "1,240 epochs/s", or "8.0 s/step" when one
 * takes longer than a second (a big network on many points); "" when not known (0). */
export function formatPer(perSecond: number, unit: "step" | "epoch"): string {
  const r = perSecond;
  if (!(r > 0) || !Number.isFinite(r)) return "";
  if (r >= 100) return `${thousands(r)} ${unit}s/s`;
  if (r >= 1) return `${r.toFixed(1)} ${unit}s/s`;
  return `${(1 / r).toFixed(1)} s/${unit}`;
}

/** The training speed: formatPer for steps, "starting…" before the first step. */
export function formatSpeed(stepsPerSecond: number): string {
  return formatPer(stepsPerSecond, "step") || "starting…";
}

// ---------------------------------------------------------------------------------------------
// batch size: slider 1 … n, and "full" (null) as its own choice

/** Slider value to the batch_size trait: values at or above n mean the full batch (null). */
export function batchFromSlider(value: number, n: number, full: boolean): number | null {
  if (full) return null;
  const v = Math.round(value);
  return Math.min(Math.max(1, v), Math.max(1, n));
}

/** What the batch slider shows for a trait value (null: n, the whole training set). */
export function sliderFromBatch(batch: number | null, n: number): number {
  if (batch === null || batch === undefined) return Math.max(1, n);
  return Math.min(Math.max(1, batch), Math.max(1, n));
}

// ---------------------------------------------------------------------------------------------
// colours: scores on a diverging ramp (class -1 colour, the background at 0, class +1 colour).
// The ramp comes from the palette (rampOf), so the map is light in a light theme and dark in a
// dark one; LIGHT_RAMP is the light fallback (and what tests without a page use).

export type Rgb = [number, number, number];
export const NEGATIVE: Rgb = [234, 88, 12]; // orange: class -1
export const POSITIVE: Rgb = [29, 78, 216]; // blue: class +1
/** How far the strongest score goes from the middle towards the class colour (the points stay visible). */
export const SATURATION = 0.6;
const INVALID: Rgb = [160, 160, 160];

/** The map's colours: class -1, the boundary (score 0), class +1. */
export interface Ramp {
  neg: Rgb;
  mid: Rgb;
  pos: Rgb;
}
export const LIGHT_RAMP: Ramp = { neg: NEGATIVE, mid: [255, 255, 255], pos: POSITIVE };

/** The ramp of a resolved palette: its class colours and its background. */
export function rampOf(p: { neg: Rgba; bg: Rgba; pos: Rgba }): Ramp {
  const rgb = (c: Rgba): Rgb => [Math.round(c.r), Math.round(c.g), Math.round(c.b)];
  return { neg: rgb(p.neg), mid: rgb(p.bg), pos: rgb(p.pos) };
}

/** Score -> colour: tanh squashes it to [-1, 1], the boundary (0) is the ramp's middle; NaN is grey. */
export function scoreColor(score: number, ramp: Ramp = LIGHT_RAMP): Rgb {
  return Number.isNaN(score) ? INVALID : unitColor(Math.tanh(score), ramp);
}

/**
 * RGBA pixels of a res x res grid for a canvas ImageData. The grid's row 0 is the bottom edge
 * (Python's decision_grid), the canvas's row 0 is the top, so rows are flipped here.
 */
export function heatmapPixels(grid: Float32Array, res: number, out?: Uint8ClampedArray, ramp: Ramp = LIGHT_RAMP): Uint8ClampedArray {
  if (grid.length !== res * res) throw new Error(`grid has ${grid.length} scores, expected ${res}x${res}`);
  return gridPixels(grid, 0, res, "score", undefined, out, ramp);
}

/** An edge of the network view: the palette's class +1 colour for a positive weight, class -1
 * for a negative one (dashed too: the sign is not told by colour alone), wider and more opaque
 * with |w| relative to the largest |w| in the network. */
export function edgeStyle(w: number, scale: number): { color: "pos" | "neg" | "line"; dashed: boolean; width: number; opacity: number } {
  if (!Number.isFinite(w)) return { color: "line", dashed: false, width: 1, opacity: 0.6 };
  const t = scale > 0 ? Math.min(1, Math.abs(w) / scale) : 0;
  return {
    color: w >= 0 ? "pos" : "neg",
    dashed: w < 0,
    width: Math.round((0.5 + 5.5 * t) * 100) / 100,
    opacity: Math.round((0.15 + 0.85 * t) * 100) / 100,
  };
}

// ---------------------------------------------------------------------------------------------
// curves: scale columns of numbers into a plot box

/** Upper end of a y axis starting at 0: a round number at or above the largest finite value. */
export function niceMax(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v) && v > m) m = v;
  }
  if (m <= 0) return 1;
  const e = Math.pow(10, Math.floor(Math.log10(m)));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * e >= m * (1 - 1e-9)) return f * e;
  return 10 * e;
}

/** The label at the top of a curve's y axis: "100%" for accuracy, else short (100000 -> "1e5"),
 * so that it fits left of the axis however large a diverging loss gets. */
export function axisLabel(yMax: number, percent: boolean): string {
  return percent ? `${Math.round(100 * yMax)}%` : formatRate(yMax);
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Points of a polyline for ys against xs in `box` (y axis 0 … yMax upwards, x from the first to
 * the last x). Non-finite ys break the line: the result is a list of runs.
 */
export function curveRuns(xs: ArrayLike<number>, ys: ArrayLike<number>, yMax: number, box: Box): number[][] {
  const n = Math.min(xs.length, ys.length);
  const runs: number[][] = [];
  if (n === 0) return runs;
  const x0 = xs[0];
  const span = n > 1 && xs[n - 1] > x0 ? xs[n - 1] - x0 : 1;
  let run: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) {
      if (run.length) runs.push(run);
      run = [];
      continue;
    }
    const px = box.x + ((xs[i] - x0) / span) * box.width;
    const clamped = Math.min(Math.max(y, 0), yMax);
    const py = box.y + box.height - (clamped / yMax) * box.height;
    run.push(px, py);
  }
  if (run.length) runs.push(run);
  return runs;
}

// ---------------------------------------------------------------------------------------------
// binary traits

/** A bytes trait (DataView in a notebook, ArrayBuffer or typed array elsewhere) as float32s. */
export function float32s(value: unknown): Float32Array {
  if (value === null || value === undefined) return new Float32Array(0);
  let bytes: Uint8Array;
  if (value instanceof DataView) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else if (value instanceof ArrayBuffer) bytes = new Uint8Array(value);
  else if (ArrayBuffer.isView(value)) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  else throw new Error("expected binary data (bytes)");
  if (bytes.byteLength % 4 !== 0) throw new Error(`binary data of ${bytes.byteLength} bytes is not float32s`);
  // copy when unaligned (a DataView into a larger message buffer may start anywhere)
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** The weights trait split per layer: for sizes [2, 16, 16, 1], W (nout x nin) then b. */
export function splitWeights(flat: Float32Array, sizes: number[]): { W: Float32Array; b: Float32Array }[] {
  const layers = [];
  let k = 0;
  for (let l = 1; l < sizes.length; l++) {
    const nin = sizes[l - 1];
    const nout = sizes[l];
    const W = flat.subarray(k, k + nin * nout);
    k += nin * nout;
    const b = flat.subarray(k, k + nout);
    k += nout;
    layers.push({ W, b });
  }
  if (k !== flat.length) throw new Error(`weights: ${flat.length} numbers for layer sizes ${sizes.join("-")}`);
  return layers;
}

/** A bytes trait as its bytes (no copy): the neuron maps are uint8. */
export function bytesOf(value: unknown): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array(0);
  if (value instanceof DataView) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  throw new Error("expected binary data (bytes)");
}

// ---------------------------------------------------------------------------------------------
// values already in [-1, 1] (a neuron's output, a regression prediction), and the sign only

/** t in [-1, 1] -> the decision map's colours without its tanh (scoreColor(s) = unitColor(tanh s)). */
export function unitColor(t: number, ramp: Ramp = LIGHT_RAMP): Rgb {
  if (Number.isNaN(t)) return INVALID;
  const c = Math.max(-1, Math.min(1, t));
  const end = c < 0 ? ramp.neg : ramp.pos;
  const a = Math.abs(c) * SATURATION; // never fully saturated: the points must stand out
  const mid = ramp.mid;
  return [
    Math.round(mid[0] + (end[0] - mid[0]) * a),
    Math.round(mid[1] + (end[1] - mid[1]) * a),
    Math.round(mid[2] + (end[2] - mid[2]) * a),
  ];
}

/** How a grid's numbers become colours: scores (tanh), values in [-1, 1], or the sign only. */
export type ColorScale = "score" | "unit" | "sign";

export function colorOf(v: number, scale: ColorScale, ramp: Ramp = LIGHT_RAMP): Rgb {
  if (scale === "score") return scoreColor(v, ramp);
  if (scale === "unit") return unitColor(v, ramp);
  return Number.isNaN(v) ? INVALID : unitColor(v > 0 ? 1 : v < 0 ? -1 : 0, ramp);
}

/** A neuron map's byte (round((clip(out) + 1) / 2 * 255)) back to its output in [-1, 1]. */
export const byteToUnit = (b: number): number => (b / 255) * 2 - 1;

/** RGBA pixels of the res x res values at `offset` of `values` (row 0 = bottom, flipped as in
 * heatmapPixels), each value made a number by `read` and a colour by `scale`. */
export function gridPixels(
  values: ArrayLike<number>, offset: number, res: number, scale: ColorScale,
  read: (v: number) => number = (v) => v, out?: Uint8ClampedArray, ramp: Ramp = LIGHT_RAMP,
): Uint8ClampedArray {
  if (offset + res * res > values.length) throw new Error(`a map of ${res}x${res} does not fit in ${values.length} values at ${offset}`);
  const px = out && out.length === res * res * 4 ? out : new Uint8ClampedArray(res * res * 4);
  for (let row = 0; row < res; row++) {
    const src = offset + (res - 1 - row) * res;
    for (let col = 0; col < res; col++) {
      const [r, g, b] = colorOf(read(values[src + col]), scale, ramp);
      const k = (row * res + col) * 4;
      px[k] = r;
      px[k + 1] = g;
      px[k + 2] = b;
      px[k + 3] = 255;
    }
  }
  return px;
}

/** Where hidden neuron `index` of hidden layer `layer` starts in the neuron_maps trait (in maps). */
export function neuronMapIndex(sizes: number[], layer: number, index: number): number {
  let k = 0;
  for (let l = 1; l <= layer; l++) k += sizes[l];
  return k + index;
}
