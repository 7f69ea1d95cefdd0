// The arrowheads' geometry: tip on the edge's end, pointing the way the drawn curve arrives.
import { describe, expect, it } from "vitest";
import { ARROW_LENGTH, arrowsPath, arrowTip } from "./arrows";

describe("arrowTip", () => {
  it("points along the rank axis where the curve arrives (LR: rightwards, TB: downwards)", () => {
    expect(arrowTip([{ x: 0, y: 0 }, { x: 40, y: 30 }], "LR")).toEqual([40, 30, 1, 0]);
    expect(arrowTip([{ x: 0, y: 0 }, { x: 40, y: 30 }], "TB")).toEqual([40, 30, 0, 1]);
    expect(arrowTip([{ x: 50, y: 0 }, { x: 10, y: 5 }], "LR")?.slice(2)).toEqual([-1, 0]);
  });
  it("falls back to the earlier control point when the last one sits on the end", () => {
    // LR with both points in one column: the curve's last control point is the end itself
    const [, , ux, uy] = arrowTip([{ x: 10, y: 0 }, { x: 10, y: 20 }], "LR")!;
    expect([ux, uy]).toEqual([0, 1]);
    expect(arrowTip([{ x: 3, y: 3 }], "LR")).toBeNull();
  });
});

describe("arrowsPath", () => {
  const tips = Float64Array.from([100, 50, 1, 0, NaN, NaN, NaN, NaN, 0, 0, 0, 1]);
  it("draws one triangle per edge in the wanted state, its tip on the edge's end", () => {
    const d = arrowsPath(tips, null, 0, 1);
    expect(d.split("Z").length - 1).toBe(2); // the edge without a tip draws none
    expect(d).toContain(`L100.0,50.0L${(100 - ARROW_LENGTH).toFixed(1)}`);
    expect(arrowsPath(tips, Uint8Array.from([2, 0, 1]), 1, 1).split("Z").length - 1).toBe(1);
    expect(arrowsPath(tips, null, 1, 1)).toBe("");
  });
  it("scales: a highlighted edge's head is twice as long", () => {
    expect(arrowsPath(tips, Uint8Array.from([2, 2, 2]), 2, 2)).toContain(`M${(100 - 2 * ARROW_LENGTH).toFixed(1)},`);
  });
});
