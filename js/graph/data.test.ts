import { describe, expect, it } from "vitest";
import {
  type Layout,
  Camera,
  decodeGraph,
  focusCamera,
  gradcheckSummary,
  GraphPayload,
  insideOpened,
  layoutGraph,
  openedName,
  recordCells,
  related,
  startCamera,
  WHOLE_ZOOM,
} from "./data";
import { isotonic, layered, longestRouted } from "./layered";
import lectureFixture from "./fixtures/lecture_l.json";
import neuronFixture from "./fixtures/neuron.json";

// a = 2, b = -3, c = a * b (the lecture's first graph), as Python's payload() sends it
const payload: GraphPayload = {
  version: 1,
  rankdir: "LR",
  total: 3,
  collapsed: false,
  id: ["n0", "n1", "n2"],
  kind: ["value", "value", "value"],
  label: ["a", "b", "c"],
  op: ["", "", "*"],
  count: [1, 1, 1],
  terms: [0, 0, 0],
  data: [2, -3, -6],
  grad: [-3, 2, "NaN"],
  edges: [0, 2, 1, 2],
};

const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;

describe("decodeGraph", () => {
  it("reads the columns", () => {
    const g = decodeGraph(payload);
    expect(g.ids).toEqual(["n0", "n1", "n2"]);
    expect(Array.from(g.edgeFrom)).toEqual([0, 1]);
    expect(Array.from(g.edgeTo)).toEqual([2, 2]);
    expect(g.grad[2]).toBeNaN();
    expect(recordCells(g, 2)).toEqual(["c", "data -6.0000", "grad nan"]);
  });
  it("rejects malformed data with a readable error", () => {
    expect(() => decodeGraph({ ...payload, label: ["a"] })).toThrow(/label/);
    expect(() => decodeGraph({ ...payload, edges: [0, 9] })).toThrow(/edge/);
    expect(() => decodeGraph({ ...payload, kind: ["value", "value", "evil"] })).toThrow(/kind/);
    expect(() => decodeGraph({} as GraphPayload)).toThrow(/ids/);
  });
});

describe("decodeGraph: issue 14 columns", () => {
  it("reads source, slope, check, edgeGrad and notice; absent means off", () => {
    const plain = decodeGraph(payload);
    expect(plain.source).toEqual(["", "", ""]);
    expect(Array.from(plain.slopeKnown)).toEqual([0, 0, 0]);
    expect(plain.edgeGrad).toBeNull();
    expect(plain.notice).toBe("");
    const g = decodeGraph({ ...payload, source: ["a = Value(2.0)", "", "c = a * b"], slope: [-3, null, "NaN"],
      check: ["ok", "", "fail"], edgeGrad: [-3, null], notice: "Every grad is 0" });
    expect(g.source[2]).toBe("c = a * b");
    expect(Array.from(g.slopeKnown)).toEqual([1, 0, 1]);
    expect(g.slope[2]).toBeNaN();
    expect(recordCells(g, 0, true)).toEqual(["a", "data 2.0000", "grad -3.0000", "slope -3.0000"]);
    expect(recordCells(g, 1, true)).toHaveLength(3); // not checked: no slope cell
    expect(recordCells(g, 0)).toHaveLength(3); // display off
    expect(gradcheckSummary(g)).toEqual({ text: "gradcheck: 1 of 2 grads disagree with their slopes: c", fail: true });
    expect(g.notice).toBe("Every grad is 0");
  });
  it("rejects a bad verdict or an edgeGrad column of the wrong length", () => {
    expect(() => decodeGraph({ ...payload, check: ["ok", "maybe", ""] })).toThrow(/verdict/);
    expect(() => decodeGraph({ ...payload, edgeGrad: [1] })).toThrow(/edgeGrad/);
    expect(() => decodeGraph({ ...payload, slope: [1] })).toThrow(/slope/);
  });
});

describe("layout", () => {
  it("puts children left of their op node and the op left of its result (LR)", () => {
    const g = decodeGraph(payload);
    const L = layoutGraph(g, "LR");
    const op = L.ops[2]!;
    expect(L.boxes[0].x).toBeLessThan(op.x);
    expect(L.boxes[1].x).toBeLessThan(op.x);
    expect(op.x).toBeLessThan(L.boxes[2].x);
    expect(overlaps(L.boxes[0], L.boxes[1])).toBe(false);
    expect(L.ops[0]).toBeNull();
  });
  it("stacks ranks top to bottom for TB", () => {
    const L = layoutGraph(decodeGraph(payload), "TB");
    expect(L.boxes[0].y).toBeLessThan(L.ops[2]!.y);
    expect(L.ops[2]!.y).toBeLessThan(L.boxes[2].y);
  });
  it("never overlaps boxes in a wide layered graph and stays within its size", () => {
    // 30 leaves feeding 10 sums feeding one output
    const nodes = Array.from({ length: 41 }, (_, i) => ({ width: 40 + (i % 7) * 10, height: 20 }));
    const from: number[] = [];
    const to: number[] = [];
    for (let i = 0; i < 30; i++) from.push(i), to.push(30 + (i % 10));
    for (let j = 30; j < 40; j++) from.push(j), to.push(40);
    from.push(3), to.push(40); // a long edge across two ranks
    const r = layered(nodes, from, to);
    for (let a = 0; a < 41; a++) {
      for (let b = a + 1; b < 41; b++) {
        const A = { ...r.centers[a], ...nodes[a] };
        const B = { ...r.centers[b], ...nodes[b] };
        expect(overlaps(A, B)).toBe(false);
      }
      expect(r.centers[a].x - nodes[a].width / 2).toBeGreaterThanOrEqual(0);
      expect(r.centers[a].y + nodes[a].height / 2).toBeLessThanOrEqual(r.height);
    }
    expect(r.edges[r.edges.length - 1].length).toBe(4); // routed through one dummy (2 points)
  });
  it("draws a Value reused all along an unrolled loop straight instead of one dummy per rank", () => {
    // x = (x*w + b).tanh() 300 times: w and b feed every step, 900 ranks apart at the end.
    const nodes: { width: number; height: number }[] = [];
    const from: number[] = [];
    const to: number[] = [];
    const add = () => nodes.push({ width: 60, height: 20 }) - 1;
    const w = add();
    const b = add();
    let x = add();
    for (let i = 0; i < 300; i++) {
      const mul = add();
      from.push(x, w), to.push(mul, mul);
      const sum = add();
      from.push(mul, b), to.push(sum, sum);
      x = add();
      from.push(sum), to.push(x);
    }
    const r = layered(nodes, from, to);
    const dummyPoints = r.edges.reduce((k, pts) => k + pts.length - 2, 0);
    expect(dummyPoints / 2).toBeLessThanOrEqual(4 * nodes.length); // the budget, not ~180,000
    const straight = r.edges.filter((pts) => pts.length === 2);
    expect(straight.length).toBeGreaterThan(0);
    expect(r.centers.every((c) => Number.isFinite(c.x) && Number.isFinite(c.y))).toBe(true);
    expect(longestRouted(3, [0, 1], [2, 2], [0, 0, 3])).toBe(Infinity); // small: all routed
  });
  it("isotonic placement keeps order and gaps, and is exact when already feasible", () => {
    expect(isotonic([0, 10, 20], [0, 5, 5])).toEqual([0, 10, 20]);
    const p = isotonic([5, 5, 5], [0, 4, 4]);
    expect(p[1] - p[0]).toBeCloseTo(4);
    expect(p[2] - p[1]).toBeCloseTo(4);
    expect((p[0] + p[1] + p[2]) / 3).toBeCloseTo(5); // least squares: centred on the wish
  });
});

describe("related", () => {
  it("finds ancestors and descendants, not siblings' other users", () => {
    // 0 -> 2, 1 -> 2, 1 -> 3
    const g = decodeGraph({ id: ["a", "b", "c", "d"], edges: [0, 2, 1, 2, 1, 3] });
    expect([...related(g, 0)].sort()).toEqual([0, 2]);
    expect([...related(g, 2)].sort()).toEqual([0, 1, 2]);
    expect([...related(g, 1)].sort()).toEqual([1, 2, 3]);
  });
});

// A long chain x -> (+0.5) -> (*1.01) -> tanh -> ... as payload() sends it (values and op strings).
function chainPayload(steps: number): GraphPayload {
  const id: string[] = ["n0"];
  const op: string[] = [""];
  const edges: number[] = [];
  let last = 0;
  for (let s = 0; s < steps; s++) {
    if (s % 3 === 2) {
      id.push(`n${id.length}`), op.push("tanh");
      edges.push(last, id.length - 1);
    } else {
      id.push(`n${id.length}`), op.push(""); // the constant
      const c = id.length - 1;
      id.push(`n${id.length}`), op.push(s % 3 === 0 ? "+" : "*");
      edges.push(last, id.length - 1, c, id.length - 1);
    }
    last = id.length - 1;
  }
  return { id, op, data: id.map(() => 1), grad: id.map(() => 0), edges };
}

describe("decodeGraph: opened boxes", () => {
  // layer0 opened; inside it neuron1 opened; box 0 is in layer0, boxes 1 and 2 in layer0/neuron1
  const folded: GraphPayload = {
    id: ["layer0/neuron0", "n5", "n6", "n9"],
    kind: ["group", "value", "value", "value"],
    edges: [0, 3, 1, 2, 2, 3],
    opened: ["layer0", "layer0/neuron1"],
    openedParent: [-1, 0],
    scope: [0, 1, 1, -1],
    focus: "layer0/neuron1",
  };
  it("reads which box sits in which opened box, at any depth", () => {
    const g = decodeGraph(folded);
    expect(g.focus).toBe("layer0/neuron1");
    expect(insideOpened(g, "layer0/neuron1")).toEqual([1, 2]);
    expect(insideOpened(g, "layer0")).toEqual([0, 1, 2]);
    expect(insideOpened(g, "layer1")).toEqual([]);
    expect(openedName("sum:n339")).toBe("Σ n339");
    expect(openedName("leaves:n6")).toBe("inputs n6");
  });
  it("defaults to nothing opened and rejects indices outside the opened list", () => {
    const g = decodeGraph(payload);
    expect(g.opened).toEqual([]);
    expect(Array.from(g.scope)).toEqual([-1, -1, -1]);
    expect(g.focus).toBeNull();
    expect(() => decodeGraph({ ...folded, scope: [0, 1, 2, -1] })).toThrow(/scope/);
    expect(() => decodeGraph({ ...folded, openedParent: [-1] })).toThrow(/openedParent/);
  });
});

describe("cameras", () => {
  const inView = (c: Camera, b: { x: number; y: number; width: number; height: number }, w: number, h: number) =>
    c.x + (b.x - b.width / 2) * c.k >= 0 &&
    c.x + (b.x + b.width / 2) * c.k <= w &&
    c.y + (b.y - b.height / 2) * c.k >= 0 &&
    c.y + (b.y + b.height / 2) * c.k <= h;

  it("keeps a chain straight: the chain's values line up, constants sit beside them", () => {
    const g = decodeGraph(chainPayload(12));
    const L = layoutGraph(g, "LR");
    const chain = g.ids.map((_, i) => i).filter((i) => g.ops[i] !== ""); // x and constants: leaves
    const ys = chain.map((i) => L.boxes[i].y);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(1);
  });
  it("starts a small graph whole and readable", () => {
    const L = layoutGraph(decodeGraph(payload), "LR");
    const c = startCamera(L, "LR", 800, 560, 0.7);
    expect(c.k).toBeGreaterThanOrEqual(0.7);
    L.boxes.forEach((b) => expect(inView(c, b, 800, c.height)).toBe(true));
  });
  it("starts a long chain readable on its output, centred across the viewport (LR and TB)", () => {
    const g = decodeGraph(chainPayload(60));
    const out = g.ids.length - 1;
    for (const rankdir of ["LR", "TB"] as const) {
      const L = layoutGraph(g, rankdir);
      const w = 800;
      const c = startCamera(L, rankdir, w, 560, 0.7);
      expect(c.k).toBe(0.7);
      expect(inView(c, L.boxes[out], w, c.height)).toBe(true);
      // the boxes on screen are centred across the rank axis (not stuck to an edge)
      const shown = L.boxes.filter((b) => inView(c, b, w, c.height));
      expect(shown.length).toBeGreaterThan(3);
      const across = shown.map((b) => (rankdir === "LR" ? c.y + b.y * c.k : c.x + b.x * c.k));
      const middle = (Math.min(...across) + Math.max(...across)) / 2;
      expect(Math.abs(middle - (rankdir === "LR" ? c.height : w) / 2)).toBeLessThan(2);
    }
    // LR: a chain needs only a short viewport
    expect(startCamera(layoutGraph(g, "LR"), "LR", 800, 560, 0.7).height).toBeLessThan(200);
  });
  it("after an expand keeps the zoom and puts the opened boxes in the middle", () => {
    const L = layoutGraph(decodeGraph(chainPayload(60)), "LR");
    const before = { x: 12, y: -40, k: 0.6 };
    const c = focusCamera(L, [10, 11, 12], before, 800, 300);
    expect(c.k).toBe(0.6);
    const placed = [10, 11, 12].flatMap((i) => [L.boxes[i], L.ops[i]]).filter((b) => b !== null);
    const xs = placed.flatMap((b) => [b!.x - b!.width / 2, b!.x + b!.width / 2]);
    expect(c.x + ((Math.min(...xs) + Math.max(...xs)) / 2) * c.k).toBeCloseTo(400);
    expect(focusCamera(L, [], before, 800, 300)).toEqual(before);
  });
  it("opened boxes too big for the view: a box of theirs is in the middle, not empty space", () => {
    // a chain far wider than the viewport that steps down half way: its extent's middle is empty
    const boxes = Array.from({ length: 50 }, (_, i) => ({ x: i * 100, y: i < 25 ? 0 : 1000, width: 60, height: 20 }));
    const L = { width: 5000, height: 1000, boxes, ops: boxes.map(() => null), edges: [] } as unknown as Layout;
    const c = focusCamera(L, boxes.map((_, i) => i), { x: 0, y: 0, k: 1 }, 800, 140);
    const seen = boxes.filter((b) => Math.abs(c.x + b.x - 400) < 400 && Math.abs(c.y + b.y - 70) < 70);
    expect(seen.length).toBeGreaterThan(0); // the extent's centre would show none of them
  });
});

describe("start camera threshold", () => {
  it("shows the whole graph when it fits at a legible zoom (>= WHOLE_ZOOM), else reads the output end", () => {
    const L = layoutGraph(decodeGraph(payload), "LR");
    const width = (k: number) => L.width * k + 16; // the viewport keeps 8 px free each side
    const whole = startCamera(L, "LR", width(0.5), 560, 0.7); // fits at 0.5: whole, not a part at 0.7
    expect(whole.k).toBeCloseTo(0.5, 3);
    expect(WHOLE_ZOOM).toBeLessThanOrEqual(0.5);
    const far = startCamera(L, "LR", width(0.4), 560, 0.7); // would need 0.4: zoom in instead
    expect(far.k).toBe(0.7);
  });
  it("follows the graph's shape: a wide, flat graph gets a short viewport, within bounds", () => {
    const L = layoutGraph(decodeGraph(chainPayload(6)), "LR");
    const c = startCamera(L, "LR", 850, 560, 0.7);
    expect(c.height).toBeGreaterThanOrEqual(140);
    expect(c.height).toBeLessThan(L.height * c.k + 140);
    const tall = layoutGraph(decodeGraph(chainPayload(6)), "TB");
    expect(startCamera(tall, "TB", 850, 560, 0.7).height).toBeLessThanOrEqual(560);
  });
});

describe("the lecture's small graphs start whole (issue 14)", () => {
  // the graph widget's own payloads (scripts/layout_fixtures.py)
  const cases: [string, GraphPayload, number][] = [
    ["the tanh neuron in an 850 px cell", neuronFixture as GraphPayload, 850],
    ["L in marimo's ~720 px column", lectureFixture as GraphPayload, 720],
  ];
  for (const [what, p, width] of cases) {
    it(what, () => {
      const L = layoutGraph(decodeGraph(p), "LR");
      const c = startCamera(L, "LR", width, 560, 0.7);
      expect(c.k).toBeGreaterThanOrEqual(WHOLE_ZOOM);
      const inside = (b: { x: number; y: number; width: number; height: number }) =>
        c.x + (b.x - b.width / 2) * c.k >= 0 && c.x + (b.x + b.width / 2) * c.k <= width &&
        c.y + (b.y - b.height / 2) * c.k >= 0 && c.y + (b.y + b.height / 2) * c.k <= c.height;
      L.boxes.forEach((b) => expect(inside(b)).toBe(true));
      expect(c.height).toBeLessThanOrEqual(200); // a flat graph gets a short viewport
    });
  }
});
