import { describe, expect, it } from "vitest";
import { decodeGraph, GraphPayload, layoutGraph, recordCells, related } from "./graphdata";
import { isotonic, layered } from "./layered";

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
