import { describe, expect, it } from "vitest";
import { label, readConfig } from "./config";
import { CONFIG } from "./fixture";

describe("the config trait", () => {
  it("reads the lists and limits Python sends, extra keys allowed", () => {
    const c = readConfig({ ...structuredClone(CONFIG), features: ["x1", "x2"] });
    expect(c.activations).toEqual(["relu", "tanh", "sigmoid", "linear"]);
    expect(c.sliders.n).toEqual({ min: 20, max: 1000, step: 10 });
    expect(c.sliders.learning_rate).toEqual({ min: 1e-4, max: 10 });
    expect(c.limits.max_layers).toBe(6);
    expect(c.l2_choices).toContain(1e-4);
  });

  it("says what is missing instead of guessing (a Python/JS version mismatch)", () => {
    expect(() => readConfig({})).toThrow(/config trait is missing/);
    expect(() => readConfig(undefined)).toThrow(/config trait is missing/);
    expect(() => readConfig({ ...CONFIG, engines: [] })).toThrow(/engines must be a list of names/);
    expect(() => readConfig({ ...CONFIG, limits: { ...CONFIG.limits, max_neurons: "32" } })).toThrow(/limits.max_neurons/);
    const sliders = (lr: object) => ({ ...CONFIG, sliders: { ...CONFIG.sliders, learning_rate: lr } });
    expect(() => readConfig(sliders({ min: 0, max: 10 }))).toThrow(/sliders.learning_rate.min must be > 0/);
    expect(() => readConfig(sliders({ min: 1 }))).toThrow(/sliders.learning_rate must have/);
  });

  it("labels known names and shows an unknown one as it is", () => {
    expect(label("bce")).toBe("Cross-entropy");
    expect(label("linear")).toBe("Linear");
    expect(label("linear", "schedule")).toBe("Linear decay");
    expect(label("gelu")).toBe("gelu");
  });
});
