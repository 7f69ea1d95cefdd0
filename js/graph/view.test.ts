import { afterEach, describe, expect, it, vi } from "vitest";
import { decodeGraph, GraphPayload, sceneChoices } from "./data";
import { createGraphView } from "./view";
// Python-made payloads with their scenes (scripts/layout_fixtures.py)
import makeFixture from "./fixtures/view_make.json";
import openedFixture from "./fixtures/view_opened.json";
import chainFixture from "./fixtures/view_chain80.json";
import neuronFixture from "./fixtures/neuron.json";

const hostile = "<img src=x onerror=alert(1)>";

/** Three Values and a folded group, one label hostile markup. */
function make(extra = {}) {
  return decodeGraph({ ...(makeFixture as GraphPayload), ...extra });
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
  it("keeps hostile ids and op names text, in attributes as in content", async () => {
    const host = document.createElement("div");
    const id = `n0" onclick="alert(1)"><img src=x>&amp;`;
    const view = createGraphView(host, make({ id: [id, "n1", "n2", "layer0'"], op: ["", "", "<b>*</b>", ""] }));
    await view.ready;
    expect(host.querySelector("img, b, [onclick]")).toBeNull();
    expect(view.element(id)?.dataset.node).toBe(id);
    expect(host.querySelector("[data-group]")?.getAttribute("data-group")).toBe("layer0'");
    expect(host.querySelector("[data-op]")?.textContent).toBe("<b>*</b>");
    view.destroy();
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
  it("draws every edge with its arrowhead; the highlight splits them into dimmed and strong looks", async () => {
    const host = document.createElement("div");
    const data = make();
    const view = createGraphView(host, data);
    await view.ready;
    const layout = sceneChoices(data, false)[0].layout;
    const count = data.edgeFrom.length + layout.opEdgePoints.filter((p) => p !== null).length;
    const path = (sel: string) => host.querySelector(sel) as SVGPathElement;
    const curves = (sel: string) => (path(sel).getAttribute("d") ?? "").split("M").length - 1;
    const heads = (sel: string) => (path(sel).getAttribute("d") ?? "").split("Z").length - 1;
    expect(count).toBeGreaterThan(2);
    expect([curves("path.mgw-edge"), heads("path.mgw-arrows")]).toEqual([count, count]);
    expect(path("path.mgw-edges-dim").style.display).toBe("none");
    // n2 = n0 * n1 (make()): highlighting n2 and n0 keeps n0's edge into n2 (and n2's op edge)
    view.highlight(["n2", "n0"]);
    const strong = curves("path.mgw-edges-strong");
    expect(strong).toBe(2);
    expect(curves("path.mgw-edges-dim")).toBe(count - strong);
    expect([heads("path.mgw-arrows-strong"), heads("path.mgw-arrows-dim")]).toEqual([strong, count - strong]);
    expect(path("path.mgw-edge:not(.mgw-edges-dim):not(.mgw-edges-strong)").style.display).toBe("none");
    view.highlight(null);
    expect([curves("path.mgw-edge"), heads("path.mgw-arrows")]).toEqual([count, count]);
    expect(path("path.mgw-edges-strong").style.display).toBe("none");
    view.destroy();
  });
});

// A folded picture after the user opened layer0/neuron1: its Values n5, n6 and the output n9
// sit in layer0; n5 and n6 also in layer0/neuron1 (what Python's payload() sends).
function opened(focus: string | null = "layer0/neuron1") {
  return decodeGraph({ ...(openedFixture as GraphPayload), focus });
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
    const L = sceneChoices(opened(), false)[0].layout; // the scene the view drew
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
    const view = createGraphView(host, decodeGraph(chainFixture as GraphPayload));
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

describe("the scene follows the width (issue 19)", () => {
  // jsdom lays nothing out: the cell's width is the host's clientWidth, and a fake ResizeObserver
  // reports width changes as the browser would
  let observers: (() => void)[] = [];
  afterEach(() => {
    vi.unstubAllGlobals();
    observers = [];
  });
  const cell = (width: number) => {
    const host = document.createElement("div");
    let w = width;
    Object.defineProperty(host, "clientWidth", { get: () => w });
    return { host, resize: (next: number) => ((w = next), observers.forEach((f) => f())) };
  };
  const stubObserver = () =>
    vi.stubGlobal(
      "ResizeObserver",
      class {
        constructor(private f: () => void) {}
        observe() {
          observers.push(this.f);
        }
        disconnect() {
          observers = observers.filter((f) => f !== this.f);
        }
      },
    );

  it("a narrow cell starts the neuron top to bottom, whole; a wide one left to right", async () => {
    for (const [width, rankdir] of [[592, "TB"], [1400, "LR"]] as const) {
      const { host } = cell(width);
      const view = createGraphView(host, decodeGraph(neuronFixture as GraphPayload));
      await view.ready;
      expect((host.querySelector(".mgw-graphview") as HTMLElement).dataset.rankdir).toBe(rankdir);
      expect(view.camera()!.k).toBeGreaterThanOrEqual(0.45);
      view.destroy();
    }
  });
  it("turns when the cell narrows or widens, moving the same boxes (marks kept)", async () => {
    stubObserver();
    const { host, resize } = cell(1400);
    const view = createGraphView(host, decodeGraph(neuronFixture as GraphPayload));
    await view.ready;
    const root = host.querySelector(".mgw-graphview") as HTMLElement;
    const o = view.element("n9")!;
    view.setActive("n9");
    const before = o.getAttribute("transform");
    resize(592);
    expect(root.dataset.rankdir).toBe("TB");
    expect(view.element("n9")).toBe(o); // moved, not redrawn
    expect(o.getAttribute("transform")).not.toBe(before);
    expect(o.dataset.active).toBe("true");
    expect(view.camera()!.k).toBeGreaterThanOrEqual(0.45);
    resize(1400);
    expect(root.dataset.rankdir).toBe("LR");
    expect(o.getAttribute("transform")).toBe(before);
    view.destroy();
  });
  it("an explicit rankdir (the user's) is kept at any width", async () => {
    const { host } = cell(592);
    const p = neuronFixture as GraphPayload;
    const view = createGraphView(host, decodeGraph({ ...p, rankdir: "LR", scenes: p.scenes!.filter((s) => s.rankdir === "LR") }));
    await view.ready;
    expect((host.querySelector(".mgw-graphview") as HTMLElement).dataset.rankdir).toBe("LR");
    view.destroy();
  });
});
