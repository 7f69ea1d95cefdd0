import { describe, expect, it } from "vitest";
import { fixed4, full, thousands, toNumber } from "./format";

describe("number formatting", () => {
  it("formats like Python's %.4f", () => {
    // expected strings are what Python prints for "%.4f" % x
    expect(fixed4(2)).toBe("2.0000");
    expect(fixed4(-6)).toBe("-6.0000");
    expect(fixed4(0.88137)).toBe("0.8814");
    expect(fixed4(-0.00001)).toBe("-0.0000");
    expect(fixed4(-0)).toBe("-0.0000");
    expect(fixed4(NaN)).toBe("nan");
    expect(fixed4(Infinity)).toBe("inf");
    expect(fixed4(-Infinity)).toBe("-inf");
  });
  it("keeps full precision on hover", () => {
    expect(Number(full(0.1 + 0.2))).toBe(0.1 + 0.2);
    expect(full(0.9820639331682816)).toBe("0.9820639331682816");
  });
  it("reads the payload's number encodings", () => {
    expect(toNumber("NaN")).toBeNaN();
    expect(toNumber("Infinity")).toBe(Infinity);
    expect(toNumber("-Infinity")).toBe(-Infinity);
    expect(toNumber(null)).toBeNaN();
    expect(toNumber(1.5)).toBe(1.5);
  });
  it("groups thousands", () => {
    expect(thousands(65818)).toBe("65,818");
    expect(thousands(12)).toBe("12");
    expect(thousands(1000000)).toBe("1,000,000");
  });
});
