import { describe, expect, it } from "vitest";
import { cssColor, gradColor, maxAbs } from "./colors";

describe("gradient colour scale", () => {
  it("leaves zero gradients white and marks invalid ones grey", () => {
    expect(gradColor(0, 5)).toBeNull();
    expect(gradColor(1, 0)).toBeNull();
    const bad = gradColor(NaN, 1);
    expect(bad && bad.r === bad.g && bad.g === bad.b).toBe(true);
  });
  it("uses the sign for the hue", () => {
    const pos = gradColor(2, 4)!;
    const neg = gradColor(-2, 4)!;
    expect(pos.b).toBeGreaterThan(pos.r); // blue
    expect(neg.r).toBeGreaterThan(neg.b); // red
    expect(pos.a).toBe(neg.a); // same magnitude, same strength
  });
  it("grows with the magnitude, capped at the largest", () => {
    const alphas = [0.01, 0.1, 0.5, 1, 4].map((g) => gradColor(g, 1)!.a);
    for (let k = 1; k < alphas.length; k++) expect(alphas[k]).toBeGreaterThanOrEqual(alphas[k - 1]);
    expect(alphas[3]).toBe(alphas[4]);
    expect(alphas[0]).toBeGreaterThan(0.1); // small gradients still visible
  });
  it("finds the scale and writes CSS", () => {
    expect(maxAbs([1, -3, NaN, Infinity, 2])).toBe(3);
    expect(maxAbs([])).toBe(0);
    expect(cssColor(null)).toBe("");
    expect(cssColor({ r: 1, g: 2, b: 3, a: 0.5 })).toBe("rgba(1, 2, 3, 0.5)");
  });
});
