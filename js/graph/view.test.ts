import { describe, expect, it } from "vitest";
import { decodeGraph, layoutGraph } from "./data";
import { createGraphView } from "./view";

const hostile = "<img src=x onerror=alert(1)>";

function make(extra = {}) {
  return decodeGraph({
    id: ["n0", "n1", "n2", "layer0"],
    kind: ["value", "value", "value", "group"],
    label: [hostile, "b", "c", "layer0"],
    op: ["", "", "*", ""],
    count: [1, 1, 1, 40],
    data: [2, -3, -6, null],
    grad: [0, 0, 0, null],
    edges: [0, 2, 1, 2, 3, 1],
    ...extra,
  });
}

describe("createGraphView (jsdom)", () => {
  it("draws records, op nodes and folded groups per the DOM contract", async () => {
    const host = document.createElement("div");
    const view = createGraphView(host, make());
    await view.ready;
    expect(host.querySelectorAll("[data-node]").length).toBe(3);
    expect(host.querySelectorAll("[data-op]").length).toBe(1);
    expect(host.querySelector("[data-group='layer0']")).not.toBeNull();
    expect(host.querySelector("img")).toBeNull();
    expect(host.querySelector("[data-node='n0']")!.textContent).toContain(hostile);
    view.destroy();
    expect(host.children.length).toBe(0);
  });
  it("updates numbers in place and marks highlight/active", async () => {
    const host = document.createElement("div");
    const view = createGraphView(host, make());
    await view.ready;
    const before = view.element("n2");
    view.update({ data: [2, -3, -6, null], grad: [-3, 2, 1, null] });
    expect(view.element("n2")).toBe(before);
    expect(before!.textContent).toContain("grad 1.0000");
    view.setActive("n2");
    expect(before!.dataset.active).toBe("true");
    view.setActive(null);
    expect(before!.dataset.active).toBeUndefined();
    view.highlight(["n2"]);
    expect(view.element("n0")!.classList.contains("mgw-dim")).toBe(true);
    view.highlight(null);
    expect(host.querySelectorAll(".mgw-dim").length).toBe(0);
    expect(() => view.update({ data: [1], grad: [1] })).toThrow(/4/);
  });
});

// A folded picture after the user opened layer0/neuron1: its Values n5, n6 and the output n9
// sit in layer0; n5 and n6 also in layer0/neuron1 (what Python's payload() sends).
function opened(focus: string | null = "layer0/neuron1") {
  return decodeGraph({
    id: ["layer0/neuron0", "n5", "n6", "n9"],
    kind: ["group", "value", "value", "value"],
    label: ["layer0/neuron0", "w0", "", "out"],
    op: ["", "", "ReLU", "+"],
    count: [60, 1, 1, 1],
    data: [null, 0.5, 0.5, 1],
    grad: [null, 0, 0, 0],
    edges: [0, 3, 1, 2, 2, 3],
    collapsed: true,
    total: 63,
    opened: ["layer0", "layer0/neuron1"],
    openedParent: [-1, 0],
    scope: [0, 1, 1, 0],
    focus,
  });
}

const transformOf = (host: HTMLElement) => {
  const m = /translate\(([-\d.]+),([-\d.]+)\) scale\(([-\d.]+)\)/.exec(
    host.querySelector(".mgw-scene")!.getAttribute("transform")!,
  )!;
  return { x: Number(m[1]), y: Number(m[2]), k: Number(m[3]) };
};

describe("opened boxes can be folded again", () => {
  it("shows a fold button per opened box that sends its key", async () => {
    const host = document.createElement("div");
    const folded: string[] = [];
    const view = createGraphView(host, opened(), { onCollapse: (key) => folded.push(key) });
    await view.ready;
    const buttons = [...host.querySelectorAll<HTMLButtonElement>("[data-action='collapse']")];
    expect(buttons.map((b) => b.dataset.opened)).toEqual(["layer0", "layer0/neuron1"]);
    expect(buttons[1].textContent).toContain("layer0/neuron1");
    buttons[1].click();
    expect(folded).toEqual(["layer0/neuron1"]);
    expect(host.querySelector(".mgw-hint")!.textContent).toContain("folding layer0/neuron1");
  });
  it("hovering a fold button outlines and highlights what it folds", async () => {
    const host = document.createElement("div");
    const view = createGraphView(host, opened(), { onCollapse: () => {} });
    await view.ready;
    const button = host.querySelector<HTMLButtonElement>("[data-opened='layer0/neuron1']")!;
    button.dispatchEvent(new MouseEvent("mouseenter"));
    expect(view.element("n5")!.dataset.highlight).toBe("true");
    expect(view.element("n9")!.classList.contains("mgw-dim")).toBe(true);
    const frame = host.querySelector<SVGRectElement>("rect.mgw-opened-frame")!;
    expect(frame.style.display).toBe("");
    button.dispatchEvent(new MouseEvent("mouseleave"));
    expect(host.querySelectorAll(".mgw-dim").length).toBe(0);
    expect(frame.style.display).toBe("none");
  });
  it("has no fold buttons without onCollapse (a saved page, the player)", async () => {
    const host = document.createElement("div");
    const view = createGraphView(host, opened());
    await view.ready;
    expect(host.querySelector("[data-action='collapse']")).toBeNull();
  });
});

describe("camera", () => {
  it("a redraw of the same layout (gradcheck on/off) starts afresh unless the user had moved", async () => {
    const host = document.createElement("div");
    const first = createGraphView(host, opened(null));
    await first.ready;
    const start = first.camera()!;
    expect(start.moved).toBe(false);
    first.destroy();
    const fresh = createGraphView(host, opened(null), { camera: { ...start, k: 0.3, moved: false } });
    await fresh.ready;
    expect(fresh.camera()!.k).toBeCloseTo(start.k); // not the 0.3 it was given
    fresh.destroy();
    const kept = createGraphView(host, opened(null), { camera: { ...start, k: 0.3, moved: true } });
    await kept.ready;
    expect(kept.camera()!.k).toBeCloseTo(0.3);
    kept.destroy();
  });
  it("a redraw with the old camera keeps the zoom and centres the opened box", async () => {
    const host = document.createElement("div");
    const first = createGraphView(host, opened(null));
    await first.ready;
    const before = { ...first.camera()!, k: 0.9 }; // as if the user had zoomed
    first.destroy();
    const view = createGraphView(host, opened("layer0/neuron1"), { camera: before });
    await view.ready;
    const t = transformOf(host);
    expect(t.k).toBeCloseTo(0.9, 3);
    const L = layoutGraph(opened(), "LR"); // jsdom: the view uses the same default metrics
    const parts = [L.boxes[1], L.boxes[2], L.ops[2]!];
    const x0 = Math.min(...parts.map((b) => b.x - b.width / 2));
    const x1 = Math.max(...parts.map((b) => b.x + b.width / 2));
    const y0 = Math.min(...parts.map((b) => b.y - b.height / 2));
    const y1 = Math.max(...parts.map((b) => b.y + b.height / 2));
    const h = view.camera()!.height;
    expect(t.x + ((x0 + x1) / 2) * t.k).toBeCloseTo(400, 0); // jsdom has no width: 800 px assumed
    expect(t.y + ((y0 + y1) / 2) * t.k).toBeCloseTo(h / 2, 0);
  });
  it("the start view of a long chain is readable and shows its output", async () => {
    const n = 80;
    const host = document.createElement("div");
    const view = createGraphView(
      host,
      decodeGraph({
        id: Array.from({ length: n }, (_, i) => `n${i}`),
        op: Array.from({ length: n }, (_, i) => (i ? "tanh" : "")),
        edges: Array.from({ length: n - 1 }, (_, i) => [i, i + 1]).flat(),
      }),
    );
    await view.ready;
    const t = transformOf(host);
    expect(t.k).toBeCloseTo(0.7, 3);
    const out = view.element(`n${n - 1}`)!;
    const m = /translate\(([-\d.]+),([-\d.]+)\)/.exec(out.getAttribute("transform")!)!;
    const left = t.x + Number(m[1]) * t.k;
    const top = t.y + Number(m[2]) * t.k;
    const h = view.camera()!.height;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(800);
    expect(top).toBeGreaterThan(0);
    expect(top + 26 * t.k).toBeLessThan(h);
  });
});

describe("gradient colouring", () => {
  it("fills boxes by grad sign and can be switched off and on", async () => {
    const host = document.createElement("div");
    const view = createGraphView(host, make({ grad: [-3, 2, 0, null] }));
    await view.ready;
    const fill = (id: string) => view.element(id)!.querySelector<SVGRectElement>("rect.mgw-fill")!.style.fill;
    expect(fill("n0")).not.toBe("");
    expect(fill("n0")).not.toBe(fill("n1")); // negative and positive differ
    const box = host.querySelector<HTMLInputElement>("[data-action='color']")!;
    box.checked = false;
    box.dispatchEvent(new Event("change"));
    expect([fill("n0"), fill("n1")]).toEqual(["", ""]);
    box.checked = true;
    box.dispatchEvent(new Event("change"));
    expect(fill("n0")).not.toBe("");
  });
});
