// Issue 13's parts (what TF Playground shows, and the pens): neuron thumbnails and the map they
// swap in, input features, the weight tip and its editor, pens batching a drag, the regression
// display, the epoch counter, and the layout chosen by the widget's own width.
import { afterEach, describe, expect, it, vi } from "vitest";
import { fakeModel } from "../common/model.fixture";
import { bytesOf, byteToUnit, colorOf, gridPixels, neuronMapIndex, scoreColor, unitColor } from "./plot";
import widget from "../widgets/trainer";
import { toggleFeature } from "./data";
import { trainerState, weightCount } from "./fixture";
import { layoutFor } from "./layout";
import { inputNames } from "./network";
import { batcher } from "./pens";
import { formatEpoch } from "./transport";
import { describeEdge, parseWeight } from "./weights";

HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  document.body.replaceChildren();
  vi.useRealTimers();
});
const frame = () => new Promise((r) => setTimeout(r, 40));

function mount(over: Record<string, unknown> = {}) {
  const el = document.createElement("div");
  document.body.append(el);
  const model = fakeModel(trainerState(over));
  cleanup = widget.render({ model, el }) as () => void;
  const root = el.querySelector("[data-mgw='trainer']") as HTMLElement;
  const q = <T extends Element = HTMLElement>(sel: string) => root.querySelector(sel) as T;
  return { root, model, q };
}

describe("colour scales and neuron maps", () => {
  it("colours values in [-1, 1] like the decision map colours tanh(score)", () => {
    expect(unitColor(Math.tanh(0.7))).toEqual(scoreColor(0.7));
    expect(unitColor(5)).toEqual(unitColor(1)); // clipped
    expect(colorOf(0.01, "sign")).toEqual(unitColor(1));
    expect(colorOf(-3, "sign")).toEqual(unitColor(-1));
    expect(byteToUnit(0)).toBe(-1);
    expect(byteToUnit(255)).toBe(1);
  });

  it("reads one neuron's map out of the trait, bottom row first", () => {
    // two 2x2 maps: the second is [bottom: 0, 255 | top: 255, 0]
    const maps = new Uint8Array([0, 0, 0, 0, 0, 255, 255, 0]);
    const px = gridPixels(maps, 4, 2, "unit", byteToUnit);
    expect([...px.slice(0, 3)]).toEqual(unitColor(1)); // canvas top-left = the map's top row
    expect([...px.slice(4, 7)]).toEqual(unitColor(-1));
    expect([...px.slice(8, 11)]).toEqual(unitColor(-1));
    expect(() => gridPixels(maps, 6, 2, "unit")).toThrow(/2x2/);
    expect(neuronMapIndex([2, 3, 4, 1], 1, 2)).toBe(5);
    expect(neuronMapIndex([2, 3, 4, 1], 0, 0)).toBe(0);
    expect([...bytesOf(new DataView(maps.buffer, 4, 2))]).toEqual([0, 255]);
  });
});

describe("network: thumbnails, features, weights", () => {
  it("puts a thumbnail in every hidden neuron and names the inputs by their features", async () => {
    const sizes = [3, 4, 2, 1];
    const { root, q, model } = mount({
      hidden: [4, 2], layer_sizes: sizes, features: ["x1", "x2", "x1*x2"], weights: new Float32Array(weightCount(sizes)),
      neuron_maps: new Uint8Array(6 * 4), neuron_resolution: 2,
    });
    const keys = [...root.querySelectorAll<SVGGElement>("g[data-neuron]")]
      .filter((g) => g.querySelector("[data-field='neuron-map']"))
      .map((g) => g.dataset.neuron);
    expect(keys).toEqual(["0:0", "0:1", "0:2", "0:3", "1:0", "1:1"]);
    expect(q("g[data-neuron='2:0'] [data-field='neuron-map']")).toBeNull(); // the output has none
    const texts = [...root.querySelectorAll("svg.mgw-network text")].map((t) => t.textContent);
    expect(texts).toEqual(["x1", "x2", "x1*x2", "out"]);
    expect(inputNames(undefined, 2)).toEqual(["x1", "x2"]);
    // hovering a hidden neuron swaps the map for its own, leaving swaps it back
    q("g[data-neuron='1:1']").dispatchEvent(new MouseEvent("mouseenter"));
    await frame();
    expect(q("[data-field='map']").dataset.showing).toBe("1:1");
    q("g[data-neuron='1:1']").dispatchEvent(new MouseEvent("mouseleave"));
    await frame();
    expect(q("[data-field='map']").dataset.showing).toBe("output");
    // a new feature list rebuilds the input column
    model.set("features", ["x1", "x2", "x1^2"]);
    await frame();
    expect(q("svg.mgw-network text").textContent).toBe("x1");
    expect([...root.querySelectorAll("svg.mgw-network text")].map((t) => t.textContent)).toContain("x1^2");
  });

  it("toggles features in the config's order, never leaving none", async () => {
    const all = ["x1", "x2", "x1^2", "x2^2"];
    expect(toggleFeature(all, ["x2", "x1"], "x1^2")).toEqual(["x1", "x2", "x1^2"]);
    expect(toggleFeature(all, ["x1", "x2"], "x1")).toEqual(["x2"]);
    expect(toggleFeature(all, ["x2"], "x2")).toEqual(["x2"]);
    const { q, model } = mount();
    expect(q("[data-feature='x1']").getAttribute("aria-pressed")).toBe("true");
    expect(q("[data-feature='sin(x1)']").getAttribute("aria-pressed")).toBe("false");
    q<HTMLButtonElement>("[data-feature='sin(x1)']").click();
    expect(model.saved.features).toEqual(["x1", "x2", "sin(x1)"]);
    model.set("features", ["x2"]);
    await frame();
    expect(q<HTMLButtonElement>("[data-feature='x2']").disabled).toBe(true); // the last one stays on
  });

  it("tells a weight on hover and sends a typed one with Enter, not with Escape or a bad number", () => {
    const sizes = [2, 2, 1];
    const w = new Float32Array(weightCount(sizes));
    w[3] = -0.75; // layer 0, neuron 1, input 1 (W is nout x nin)
    const { q, root, model } = mount({ hidden: [2], layer_sizes: sizes, features: ["x1", "x1^2"], weights: w });
    const edges = [...root.querySelectorAll<SVGLineElement>("line.mgw-hit")];
    const tip = q("[data-field='weight-tip']");
    expect(tip.hidden).toBe(true);
    edges[3].dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
    expect(tip.hidden).toBe(false);
    expect(tip.textContent).toBe("layer 0, neuron 1: w1 (from x1^2) = -0.7500");
    edges[3].dispatchEvent(new MouseEvent("mouseout", { bubbles: true }));
    expect(tip.hidden).toBe(true);
    edges[3].dispatchEvent(new MouseEvent("click", { bubbles: true }));
    const input = tip.querySelector("input")!;
    expect(input.hidden).toBe(false);
    expect(input.value).toBe("-0.75");
    const key = (k: string) => input.dispatchEvent(new KeyboardEvent("keydown", { key: k }));
    input.value = "abc";
    key("Enter");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    input.value = "1.5";
    key("Escape");
    expect(model.sent).toEqual([]);
    edges[4].dispatchEvent(new MouseEvent("click", { bubbles: true })); // the output's w0
    input.value = " 2.25 ";
    key("Enter");
    expect(model.sent).toEqual([{ type: "set_weight", layer: 1, neuron: 0, input: 0, value: 2.25 }]);
    expect(tip.hidden).toBe(true);
    expect(parseWeight("1e-3")).toBe(0.001);
    expect(parseWeight("Infinity")).toBeNull();
  });

  it("describes deeper weights by place", () => {
    const layers = [{ W: new Float32Array(4), b: new Float32Array(2) }, { W: new Float32Array([0.5, 0]), b: new Float32Array(1) }];
    const edge = { line: null!, hit: null!, layer: 1, neuron: 0, input: 0, index: 0 };
    expect(describeEdge(edge, layers, ["x1", "x2"])).toBe("output neuron: w0 (from layer 0, neuron 0) = 0.5000");
  });
});

describe("pens", () => {
  it("batches a drag's points: at most one message per 1/20 s", () => {
    vi.useFakeTimers();
    const sent: unknown[] = [];
    const b = batcher((m) => void sent.push(m), 20);
    b.add([0, 0, 1]);
    expect(sent.length).toBe(1); // the first goes at once
    for (let i = 1; i <= 5; i++) b.add([i, 0, 1]);
    expect(sent.length).toBe(1);
    vi.advanceTimersByTime(49);
    expect(sent.length).toBe(1);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([
      { type: "add_points", points: [[0, 0, 1]] },
      { type: "add_points", points: [1, 2, 3, 4, 5].map((i) => [i, 0, 1]) },
    ]);
    expect(b.pending().length).toBe(6); // drawn until Python's points arrive
    b.erase(1, 2, 0.1);
    b.erase(1.5, 2, 0.1);
    vi.advanceTimersByTime(50);
    expect(sent[2]).toEqual({ type: "erase_points", x: 1.5, y: 2, radius: 0.1 });
    b.destroy();
  });

  it("draws +1 points on the map with the pen on, and chooses a point with it off", async () => {
    const { q, model } = mount();
    const map = q<HTMLCanvasElement>("[data-field='map']");
    map.getBoundingClientRect = () => ({ left: 0, top: 0, width: 100, height: 100, right: 100, bottom: 100, x: 0, y: 0, toJSON: () => ({}) });
    q<HTMLButtonElement>("[data-pen='+1']").click();
    await frame();
    expect(q("[data-pen='+1']").getAttribute("aria-pressed")).toBe("true");
    const at = (type: string, x: number, y: number) => map.dispatchEvent(new MouseEvent(type, { bubbles: true, clientX: x, clientY: y }));
    at("pointerdown", 50, 25);
    at("pointerup", 50, 25);
    at("click", 50, 25);
    // extent [-2, 3, -1.5, 2]: halfway across, a quarter down
    expect(model.sent).toEqual([{ type: "add_points", points: [[0.5, 1.125, 1]] }]);
    q<HTMLButtonElement>("[data-pen='+1']").click(); // off again
    await frame();
    at("click", 50, 25);
    expect(model.sent.length).toBe(1); // no neuron chosen yet: a click only moves the point
    // regression: no pens
    model.set("task", "regression");
    await frame();
    expect(q("[data-control='pens']").hidden).toBe(true);
  });
});

describe("regression, counters, toggles and layout", () => {
  it("shows R^2 for regression, the epoch, L1 and the map's toggles", async () => {
    const { q, model } = mount({ task: "regression", metrics: { train_loss: 0.1, test_loss: 0.2, r2: 0.91, test_r2: 0.8, accuracy: null, epoch: 2.5 } });
    expect(q("[data-field='train-acc']").textContent).toBe("0.9100");
    expect(q(".mgw-metrics").textContent).toContain("R²");
    expect(q("[data-field='epoch']").textContent).toBe("2.5");
    expect(formatEpoch(12345.6)).toBe("12,345");
    const l1 = q<HTMLSelectElement>("[data-setting='l1']");
    expect([...l1.options].map((o) => o.value)).toEqual(["0", "0.0001", "0.001", "0.01", "0.03", "0.1"]);
    l1.value = "0.01";
    l1.dispatchEvent(new Event("change"));
    expect(model.saved.l1).toBe(0.01);
    q<HTMLInputElement>("[data-setting='show_test']").click();
    expect(model.saved.show_test).toBe(true);
    q<HTMLInputElement>("[data-setting='discretize']").click();
    expect(model.saved.discretize).toBe(true);
    model.set("task", "classification");
    await frame();
    expect(q(".mgw-metrics").textContent).toContain("Accuracy");
  });

  it("hide=[...] covers the new controls, and an older Python's page leaves them out", () => {
    const { q } = mount({ hide: ["features", "l1", "pens", "show_test", "discretize"] });
    for (const c of ["features", "l1", "pens", "show_test", "discretize"]) expect(q(`[data-control='${c}']`).classList.contains("mgw-off")).toBe(true);
    cleanup?.();
    const old = mount({ features: undefined, task: undefined, show_test: undefined, l1: undefined });
    expect(old.q("[data-control='features']").hidden).toBe(true);
    expect(old.q("[data-control='pens']").hidden).toBe(true);
    expect(old.q("[data-control='show_test']").hidden).toBe(true);
  });

  it("picks the layout by the widget's width", () => {
    expect(layoutFor(1200)).toBe("wide");
    expect(layoutFor(900)).toBe("medium");
    expect(layoutFor(0)).toBe("medium");
    expect(layoutFor(592)).toBe("narrow");
    expect(layoutFor(400)).toBe("stacked");
  });
});

describe("network labels", () => {
  it("leaves room left of the inputs for the longest feature name, more when the SVG is small", async () => {
    const { labelRoom } = await import("./network");
    expect(labelRoom(["x1", "x2"], 520, 14)).toBe(44);
    const long = labelRoom(["x1", "sin(x1)"], 260, 14);
    expect(long).toBeGreaterThan(labelRoom(["x1", "sin(x1)"], 520, 14));
    // 7 characters at 0.9 x 14 px, 0.6 em each, at half scale: about 106 viewBox units, plus a gap
    expect(long).toBeGreaterThanOrEqual(106);
    expect(labelRoom(["a-very-long-name-indeed"], 100, 14)).toBe(520 / 3); // capped
  });
});

describe("new data (TF Playground's Regenerate)", () => {
  it("asks for the next seed, and is off for the user's own points", async () => {
    const { model, q } = mount({ seed: 41 });
    await frame();
    const button = q<HTMLButtonElement>("[data-action='regenerate']");
    expect(button.disabled).toBe(false);
    button.click();
    expect(model.get("seed")).toBe(42);
    model.set("dataset", "custom");
    model.set("has_custom", true);
    await frame();
    expect(button.disabled).toBe(true);
  });
});
