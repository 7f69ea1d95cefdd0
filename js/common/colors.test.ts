import { describe, expect, it } from "vitest";
import { cssColor, gradColor, MAX_OPACITY, maxAbs } from "./colors";

describe("gradient colour scale", () => {
  it("leaves zero gradients unfilled and marks invalid ones grey", () => {
    expect(gradColor(0, 5)).toBeNull();
    expect(gradColor(1, 0)).toBeNull();
    expect(gradColor(NaN, 1)?.color).toBe("line");
  });
  it("uses the sign for the hue", () => {
    const pos = gradColor(2, 4)!;
    const neg = gradColor(-2, 4)!;
    expect(pos.color).toBe("grad-pos");
    expect(neg.color).toBe("grad-neg");
    expect(pos.opacity).toBe(neg.opacity); // same magnitude, same strength
  });
  it("grows with the magnitude, capped at the largest", () => {
    const alphas = [0.01, 0.1, 0.5, 1, 4].map((g) => gradColor(g, 1)!.opacity);
    for (let k = 1; k < alphas.length; k++) expect(alphas[k]).toBeGreaterThanOrEqual(alphas[k - 1]);
    expect(alphas[3]).toBe(alphas[4]);
    expect(alphas[4]).toBeLessThanOrEqual(MAX_OPACITY); // text on it stays readable
    expect(alphas[0]).toBeGreaterThan(0.1); // small gradients still visible
  });
  it("finds the scale and writes CSS from the palette", () => {
    expect(maxAbs([1, -3, NaN, Infinity, 2])).toBe(3);
    expect(maxAbs([])).toBe(0);
    expect(cssColor(null)).toBe("");
    expect(cssColor({ color: "grad-neg", opacity: 0.5 })).toBe("var(--mgw-grad-neg)");
  });
});
