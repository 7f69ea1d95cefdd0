// The graph view's parts on their own: zoom about the pointer, the hover text, the toolbar toggle.
import { describe, expect, it } from "vitest";
import { decodeGraph, recordCells } from "./data";
import { MAX_ZOOM, zoomAt } from "./panzoom";
import { createToolbar } from "./toolbar";
import { tooltipLines } from "./tooltip";

describe("panzoom", () => {
  it("zooms about the pointer: the point under it stays put, within the zoom limits", () => {
    const t = { x: 30, y: -10, k: 0.8 };
    const z = zoomAt(t, 200, 50, -300);
    expect(z.k).toBeGreaterThan(t.k);
    const layoutPoint = { x: (200 - t.x) / t.k, y: (50 - t.y) / t.k };
    expect(z.x + layoutPoint.x * z.k).toBeCloseTo(200);
    expect(z.y + layoutPoint.y * z.k).toBeCloseTo(50);
    expect(zoomAt({ x: 0, y: 0, k: MAX_ZOOM }, 0, 0, -1e4).k).toBe(MAX_ZOOM);
  });
});

describe("tooltip text", () => {
  // x*x + x at x = 2 after backward: x feeds the * (sends 4) and the + (sends 1)
  const g = decodeGraph({
    id: ["n0", "n1", "n2"], label: ["x", "", "y"], op: ["", "*", "+"],
    data: [2, 4, 6], grad: [5, 1, 1], edges: [0, 1, 1, 2, 0, 2], edgeGrad: [4, 1, 1],
    source: ["x = Value(2.0)", "", "y = x * x + x"], slope: [5, 1, 1], check: ["ok", "ok", "ok"],
  });
  const state = { data: g.data, grad: g.grad, dataKnown: null, gradKnown: null, canExpand: false, canCollapse: false };
  it("lists each use's contribution and their sum, the source line, and the check when shown", () => {
    const lines = tooltipLines(g, 0, { ...state, gradcheck: true });
    expect(lines).toContain("line x = Value(2.0)");
    expect(lines).toContain("  + 4.0000  via n1 (*)");
    expect(lines).toContain("  + 1.0000  via y (+)");
    expect(lines).toContain("  = 5.0000");
    expect(lines.some((l) => l.startsWith("slope 5") && l.includes("agrees"))).toBe(true);
    expect(tooltipLines(g, 0, { ...state, gradcheck: false }).some((l) => l.startsWith("slope"))).toBe(false);
    expect(tooltipLines(g, 1, { ...state, gradcheck: false }).some((l) => l.startsWith("used"))).toBe(false);
  });
});

describe("tensor boxes (PyTorch graphs)", () => {
  // W (16×2) and its t(): the box says shape and first number; the hover says more
  const g = decodeGraph({
    id: ["n0", "n1"], label: ["0.weight", ""], op: ["", "TBackward0"], data: [0.25, 0.25], grad: [-0.5, -0.5],
    edges: [0, 1], dataText: ["data 16×2 [0.1000 …]", "data 2×16 [0.1000 …]"], gradText: ["grad 16×2 [-1.0000 …]", ""],
    detail: ["torch: leaf tensor (AccumulateGrad), shape 16×2\ndata: 16×2 float64, mean 0.2500", ""],
  });
  const state = { data: g.data, grad: g.grad, dataKnown: null, gradKnown: null, canExpand: false, canCollapse: false, gradcheck: false };
  it("shows the tensor's text in the box and the hover, and the detail lines under it", () => {
    expect(recordCells(g, 0)).toEqual(["0.weight", "data 16×2 [0.1000 …]", "grad 16×2 [-1.0000 …]"]);
    expect(recordCells(g, 1)[2]).toBe("grad -0.5000");
    const lines = tooltipLines(g, 0, state);
    expect(lines).toContain("data 16×2 [0.1000 …]");
    expect(lines).toContain("torch: leaf tensor (AccumulateGrad), shape 16×2");
    expect(lines).toContain("data: 16×2 float64, mean 0.2500");
    expect(tooltipLines(g, 0, { ...state, gradKnown: [0, 0] })).toContain("grad ? (not reached yet)");
  });
});

describe("toolbar", () => {
  it("has a gradcheck toggle only when asked, reporting clicks with aria-pressed", () => {
    const host = document.createElement("div");
    const seen: boolean[] = [];
    const bar = createToolbar(host, { colorOn: true, gradcheck: false, onFit: () => {}, onColor: () => {}, onGradcheck: (on) => seen.push(on) });
    const toggle = host.querySelector('[data-action="gradcheck"]') as HTMLButtonElement;
    toggle.click();
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    toggle.click();
    expect(seen).toEqual([true, false]);
    bar.destroy();
    const plain = document.createElement("div");
    createToolbar(plain, { colorOn: true, onFit: () => {}, onColor: () => {} });
    expect(plain.querySelector('[data-action="gradcheck"]')).toBeNull();
  });
});
