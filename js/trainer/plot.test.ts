import { describe, expect, it } from "vitest";
import {
  axisLabel,
  batchFromSlider,
  curveRuns,
  edgeStyle,
  float32s,
  formatRate,
  formatPer,
  formatSpeed,
  heatmapPixels,
  LR_STEP,
  NEGATIVE,
  niceMax,
  positionToRate,
  POSITIVE,
  rateToPosition,
  rateScale,
  roundSignificant,
  SATURATION,
  rampOf,
  scoreColor,
  sliderFromBatch,
  splitWeights,
} from "./plot";

describe("learning-rate slider (log scale between the config's ends)", () => {
  const scale = rateScale(1e-4, 10);
  const toRate = (p: number) => positionToRate(p, scale);
  const toPosition = (r: number) => rateToPosition(r, scale);

  it("maps the ends and each decade", () => {
    expect(scale.positions).toBe(100);
    expect(toRate(0)).toBe(0.0001);
    expect(toRate(100)).toBe(10);
    expect(toRate(20)).toBe(0.001);
    expect(toRate(60)).toBe(0.1);
    expect(toRate(80)).toBe(1);
    expect(toRate(-5)).toBe(0.0001); // clamped
    expect(toRate(1000)).toBe(10);
    expect(rateScale(1e-3, 100).positions).toBe(100);
    expect(positionToRate(100, rateScale(1e-3, 100))).toBe(100);
  });

  it("is log-spaced: equal steps multiply the rate by the same factor", () => {
    const factor = 10 ** (1 / 20);
    for (const p of [10, 33, 71]) expect(toRate(p + 1) / toRate(p)).toBeCloseTo(factor, 2);
  });

  it("reaches three-digit rates such as 0.0123 exactly, and round-trips every position", () => {
    const p = toPosition(0.0123);
    expect(Math.abs(p / LR_STEP - Math.round(p / LR_STEP))).toBeLessThan(1e-9); // on the slider's grid
    expect(toRate(p)).toBe(0.0123);
    for (let k = 0; k <= 500; k++) {
      const q = Number((k * LR_STEP).toFixed(1));
      expect(toPosition(toRate(q))).toBe(q);
    }
    expect(toPosition(1e-9)).toBe(0);
    expect(toPosition(1e9)).toBe(100);
    expect(toPosition(0)).toBe(0);
  });

  it("rounds to significant digits and formats without float noise", () => {
    expect(roundSignificant(0.012589, 2)).toBe(0.013);
    expect(roundSignificant(0.012589, 3)).toBe(0.0126);
    expect(roundSignificant(3.1623, 2)).toBe(3.2);
    expect(roundSignificant(1234.5, 3)).toBe(1230);
    expect(formatRate(0.1)).toBe("0.1");
    expect(formatRate(0.0001)).toBe("0.0001");
    expect(formatRate(1.2e-5)).toBe("1.2e-5");
    expect(formatRate(10)).toBe("10");
    expect(formatRate(0.0123)).toBe("0.0123");
    expect(formatRate(0.30000000000000004)).toBe("0.3");
  });
});

describe("batch size slider", () => {
  it("maps 1 … n and full (null)", () => {
    expect(batchFromSlider(16, 80, false)).toBe(16);
    expect(batchFromSlider(0, 80, false)).toBe(1);
    expect(batchFromSlider(500, 80, false)).toBe(80);
    expect(batchFromSlider(16, 80, true)).toBeNull();
    expect(sliderFromBatch(null, 80)).toBe(80);
    expect(sliderFromBatch(200, 80)).toBe(80);
    expect(sliderFromBatch(7, 80)).toBe(7);
  });
});

describe("colour scales", () => {
  it("is white on the boundary and moves towards the class colour with the score", () => {
    expect(scoreColor(0)).toEqual([255, 255, 255]);
    const far = scoreColor(50); // tanh(50) = 1
    for (let k = 0; k < 3; k++) expect(far[k]).toBe(Math.round(255 + (POSITIVE[k] - 255) * SATURATION));
    const neg = scoreColor(-50);
    for (let k = 0; k < 3; k++) expect(neg[k]).toBe(Math.round(255 + (NEGATIVE[k] - 255) * SATURATION));
    // monotone in |score| on the blue channel of the negative side
    expect(scoreColor(-0.5)[2]).toBeGreaterThan(scoreColor(-2)[2]);
    expect(scoreColor(NaN)).toEqual([160, 160, 160]);
  });

  it("flips grid rows: Python's row 0 is the bottom, the canvas's row 0 the top", () => {
    const grid = new Float32Array([-9, -9, 9, 9]); // 2x2: bottom row negative, top row positive
    const px = heatmapPixels(grid, 2);
    expect(Array.from(px.subarray(0, 4))).toEqual([...scoreColor(9), 255]); // top-left
    expect(Array.from(px.subarray(8, 12))).toEqual([...scoreColor(-9), 255]); // bottom-left
    expect(() => heatmapPixels(new Float32Array(3), 2)).toThrow(/2x2/);
  });

  it("follows the theme: on a dark ramp the boundary is the dark background", () => {
    const dark = rampOf({ neg: { r: 251, g: 146, b: 60, a: 1 }, bg: { r: 17, g: 17, b: 17, a: 1 }, pos: { r: 96, g: 165, b: 250, a: 1 } });
    expect(dark.mid).toEqual([17, 17, 17]);
    expect(scoreColor(0, dark)).toEqual([17, 17, 17]);
    const far = scoreColor(50, dark);
    for (let k = 0; k < 3; k++) expect(far[k]).toBe(Math.round(17 + (dark.pos[k] - 17) * SATURATION));
    const px = heatmapPixels(new Float32Array([-9, -9, 0, 0]), 2, undefined, dark);
    expect(Array.from(px.subarray(0, 4))).toEqual([17, 17, 17, 255]); // top row: the boundary
    expect(Array.from(px.subarray(8, 11))).toEqual(scoreColor(-9, dark));
  });

  it("styles edges by sign and relative magnitude", () => {
    const big = edgeStyle(-2, 2);
    const small = edgeStyle(0.2, 2);
    expect(big.color).toBe("neg");
    expect(small.color).toBe("pos");
    expect(big.dashed).toBe(true); // the sign is not told by colour alone
    expect(small.dashed).toBe(false);
    expect(big.width).toBeGreaterThan(small.width);
    expect(big.opacity).toBe(1);
    expect(edgeStyle(0, 0).width).toBe(0.5);
  });
});

describe("curve scaling", () => {
  it("picks a round top for the y axis", () => {
    expect(niceMax([0.3, 0.71])).toBe(1);
    expect(niceMax([2.4])).toBe(2.5);
    expect(niceMax([3.2, NaN, Infinity])).toBe(5);
    expect(niceMax([120])).toBe(200);
    expect(niceMax([])).toBe(1);
    expect(niceMax([0.02])).toBe(0.02);
  });

  it("places points in the box (x from first to last step, y up from 0) and breaks at NaN", () => {
    const box = { x: 10, y: 0, width: 100, height: 50 };
    const runs = curveRuns([1, 2, 3, 5], [0, 1, NaN, 0.5], 1, box);
    expect(runs).toEqual([
      [10, 50, 35, 0],
      [110, 25],
    ]);
    expect(curveRuns([], [], 1, box)).toEqual([]);
    // values above yMax are clamped to the top
    expect(curveRuns([1, 2], [5, 5], 1, box)[0][1]).toBe(0);
  });
});

describe("binary traits", () => {
  it("reads float32s from a DataView at any offset", () => {
    const values = new Float32Array([1.5, -2, 3.25]);
    const raw = new Uint8Array(13);
    raw.set(new Uint8Array(values.buffer), 1); // unaligned, like a slice of a larger message
    const view = new DataView(raw.buffer, 1, 12);
    expect(Array.from(float32s(view))).toEqual([1.5, -2, 3.25]);
    expect(Array.from(float32s(values.buffer))).toEqual([1.5, -2, 3.25]);
    expect(float32s(null).length).toBe(0);
    expect(() => float32s(new DataView(new ArrayBuffer(6)))).toThrow(/float32/);
  });

  it("splits weights per layer", () => {
    // sizes 2-3-1: W0 3x2, b0 3, W1 1x3, b1 1
    const flat = new Float32Array(Array.from({ length: 13 }, (_, i) => i));
    const [l0, l1] = splitWeights(flat, [2, 3, 1]);
    expect(Array.from(l0.W)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(l0.b)).toEqual([6, 7, 8]);
    expect(Array.from(l1.W)).toEqual([9, 10, 11]);
    expect(Array.from(l1.b)).toEqual([12]);
    expect(() => splitWeights(flat, [2, 4, 1])).toThrow(/layer sizes/);
  });
});

describe("axisLabel", () => {
  it("keeps a diverging loss's axis label short enough to fit left of the axis", () => {
    expect(axisLabel(100000, false)).toBe("1e5");
    expect(axisLabel(25000, false)).toBe("2.5e4");
    expect(axisLabel(5, false)).toBe("5");
    expect(axisLabel(0.25, false)).toBe("0.25");
    expect(axisLabel(1, true)).toBe("100%");
    for (const v of [1, 2.5, 5, 10, 1e3, 2.5e5, 1e12]) expect(axisLabel(v, false).length).toBeLessThanOrEqual(5);
  });
});

describe("formatSpeed", () => {
  it("shows steps per second, or seconds per step when a step is slow", () => {
    expect(formatSpeed(1234.4)).toBe("1,234 steps/s");
    expect(formatSpeed(9.87)).toBe("9.9 steps/s");
    expect(formatSpeed(1)).toBe("1.0 steps/s");
    expect(formatSpeed(0.125)).toBe("8.0 s/step");
    expect(formatSpeed(0)).toBe("starting…");
    expect(formatSpeed(Number.NaN)).toBe("starting…");
    expect(formatPer(61.25, "epoch")).toBe("61.3 epochs/s");
    expect(formatPer(0.5, "epoch")).toBe("2.0 s/epoch");
    expect(formatPer(0, "epoch")).toBe("");
  });
});
