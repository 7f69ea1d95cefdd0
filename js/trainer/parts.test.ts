// The parts' pure helpers, and one part on its own (created into a host, updated from a model).
import { fallbackPalette } from "../common/palette";
import { describe, expect, it } from "vitest";
import { readConfig } from "./config";
import { curveColumns } from "./curves";
import { CONFIG, trainerState } from "./fixture";
import { toData, toPixels } from "./map";
import { createNetwork, geometry, neuronKey } from "./network";
import type { Context, ModelView, TrainerTraits } from "./types";

describe("network geometry", () => {
  it("spreads the layers across the width and centres each column", () => {
    const g = geometry([2, 16, 16, 1]);
    expect(g.x(0)).toBe(44);
    expect(g.x(3)).toBe(g.width - 56);
    expect(g.x(1) - g.x(0)).toBeCloseTo(g.x(2) - g.x(1), 9);
    expect((g.y(1, 0) + g.y(1, 15)) / 2).toBeCloseTo(g.height / 2, 9);
    expect(g.y(3, 0)).toBeCloseTo(g.height / 2, 9);
    expect(g.y(1, 1) - g.y(1, 0)).toBe(g.gap);
    // 32 neurons still fit: the gap shrinks to its floor, the picture grows
    const big = geometry([2, 32, 1]);
    expect(big.gap).toBe(14);
    expect(big.y(1, 31) + big.radius).toBeLessThanOrEqual(big.height);
  });
});

describe("map coordinates", () => {
  it("puts data points on the canvas with y up, and clicks back into data", () => {
    const extent = [-2, 3, -1.5, 2];
    const at = toPixels(extent, 200, 100);
    expect(at(-2, -1.5)).toEqual([0, 100]);
    expect(at(3, 2)).toEqual([200, 0]);
    const [px, py] = at(0.5, 1.125);
    expect(toData(extent, px / 200, py / 100)).toEqual([0.5, 1.125]);
  });
});

describe("curves trait", () => {
  it("splits float32 rows into step, losses and accuracies", () => {
    const cols = curveColumns(new Float32Array([0, 2, 3, 0.5, 0.25, 10, 1, 1.5, 0.75, 0.5]));
    expect(cols.map((c) => [...c])).toEqual([[0, 10], [2, 1], [3, 1.5], [0.5, 0.75], [0.25, 0.5]]);
    expect(curveColumns(null).every((c) => c.length === 0)).toBe(true);
  });
});

describe("network part on its own", () => {
  const ctxFor = (sets: [string, unknown][], picked: number[][]): Context => ({
    root: document.createElement("div"),
    config: readConfig(structuredClone(CONFIG)),
    standalone: false,
    set: (name, value) => void sets.push([name, value]),
    send: () => {},
    view: { chosen: null, selected: [0, 2], notice: "", size: 0, hovered: null, pen: null, width: 0, theme: 0 },
    setView: () => {},
    chooseNeuron: (layer, index) => void picked.push([layer, index]),
    choosePoint: () => {},
    colors: () => fallbackPalette("light"),
  });
  const modelOf = (state: Record<string, unknown>): ModelView => ({ get: <K extends keyof TrainerTraits>(k: K) => state[k] as TrainerTraits[K] });

  it("draws one neuron per unit, marks the selected one, and edits the hidden layers", () => {
    const host = document.createElement("div");
    const sets: [string, unknown][] = [];
    const picked: number[][] = [];
    const part = createNetwork(host, ctxFor(sets, picked));
    part.update(modelOf(trainerState({ hidden: [3, 2], layer_sizes: [2, 3, 2, 1], weights: new Float32Array(20) })));
    const keys = [...host.querySelectorAll<SVGGElement>("g[data-neuron]")].map((g) => g.dataset.neuron);
    expect(keys).toEqual(["0:0", "0:1", "0:2", "1:0", "1:1", "2:0"]);
    expect(keys[2]).toBe(neuronKey(0, 2));
    expect(host.querySelectorAll("line:not(.mgw-hit)").length).toBe(2 * 3 + 3 * 2 + 2);
    expect(host.querySelectorAll("line.mgw-hit").length).toBe(2 * 3 + 3 * 2 + 2); // one to hover per weight
    expect(host.querySelector("g[data-selected='true']")?.getAttribute("data-neuron")).toBe("0:2");
    host.querySelector("g[data-neuron='1:1']")!.dispatchEvent(new MouseEvent("click"));
    expect(picked).toEqual([[1, 1]]);
    host.querySelector<HTMLButtonElement>("button[title='More neurons in layer 1']")!.click();
    host.querySelector<HTMLButtonElement>("button[title='Add a hidden layer']")!.click();
    expect(sets).toEqual([["hidden", [3, 3]], ["hidden", [3, 2, 2]]]);
    // weights colour the edges: the largest |w| is the widest line
    const w = new Float32Array(20);
    w[0] = -2; // layer 0, neuron 0, input 0
    part.update(modelOf(trainerState({ hidden: [3, 2], layer_sizes: [2, 3, 2, 1], weights: w })));
    const first = host.querySelector("line")!;
    expect(first.getAttribute("stroke-width")).toBe("6");
    expect(first.style.stroke).toBe("var(--mgw-neg)"); // negative: the class −1 colour of the palette
    expect(first.style.strokeDasharray).not.toBe(""); // and dashed
  });
});
