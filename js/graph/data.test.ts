import { describe, expect, it } from "vitest";
import {
  type Layout,
  Camera,
  decodeGraph,
  focusCamera,
  gradcheckSummary,
  GraphData,
  GraphPayload,
  insideOpened,
  openedName,
  Rankdir,
  recordCells,
  related,
  sceneChoices,
  startCamera,
  WHOLE_ZOOM,
} from "./data";
import { chooseScene } from "./framing";
// Python-made payloads with their scenes (scripts/layout_fixtures.py): the page has no layout
import abcFixture from "./fixtures/abc_both.json";
import chain6 from "./fixtures/chain_6.json";
import chain12 from "./fixtures/chain_12.json";
import chain60 from "./fixtures/chain_60.json";
import checkedFixture from "./fixtures/widget_buggy_checked.json";
import lectureFixture from "./fixtures/lecture_l.json";
import neuronFixture from "./fixtures/neuron.json";
import randomPoints from "./fixtures/random_expression_points.json";
import randomFixture from "./fixtures/random_expression.json";

/** The scene of `rankdir` (without slope cells) Python laid out for this payload. */
const sceneOf = (g: GraphData, rankdir: Rankdir): Layout => sceneChoices(g, false, rankdir)[0].layout;
const abc = () => decodeGraph(abcFixture as GraphPayload);

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

describe("scenes (Python's layout)", () => {
  it("reads each scene and places every box, op node and edge by the payload's order", () => {
    const g = abc();
    expect(g.scenes.map((c) => c.rankdir)).toEqual(["LR", "TB"]);
    const L = sceneOf(g, "LR");
    const op = L.ops[2]!;
    expect(L.boxes[0].x).toBeLessThan(op.x); // children left of their op node, the op left of c
    expect(L.boxes[1].x).toBeLessThan(op.x);
    expect(op.x).toBeLessThan(L.boxes[2].x);
    expect(overlaps(L.boxes[0], L.boxes[1])).toBe(false);
    expect(L.ops[0]).toBeNull();
    expect(L.edgePoints).toHaveLength(2);
    const last = L.edgePoints[0][L.edgePoints[0].length - 1]; // a's edge ends at c's op node
    expect(Math.abs(last.x - (op.x - op.width / 2))).toBeLessThan(1);
    const T = sceneOf(g, "TB");
    expect(T.boxes[0].y).toBeLessThan(T.ops[2]!.y);
    expect(T.ops[2]!.y).toBeLessThan(T.boxes[2].y);
  });
  it("rejects a scene that does not fit its graph, with a readable error", () => {
    const p = abcFixture as GraphPayload;
    const scene = p.scenes![0];
    expect(() => decodeGraph({ ...p, scenes: [{ ...scene, boxes: scene.boxes.slice(4) }] })).toThrow(/boxes has 2 entries, expected 3/);
    expect(() => decodeGraph({ ...p, scenes: [{ ...scene, rankdir: "RL" }] })).toThrow(/rankdir/);
    expect(() => decodeGraph({ ...p, scenes: [{ ...scene, cells: [] }] })).toThrow(/cells/);
    expect(() => decodeGraph({ ...p, scenes: [{ ...scene, opBoxes: [7] }] })).toThrow(/opBoxes/);
    expect(() => decodeGraph({ ...p, scenes: [{ ...scene, routes: [[0, 40, 3.5]] }] })).toThrow(/route/);
    expect(() => sceneChoices(decodeGraph({ ...p, scenes: undefined }), false)).toThrow(/no scene/);
  });
  it("rebuilds every edge's points as Python laid them out, long edges through their dummies", () => {
    // random_expression_points.json: the same layout's points as Python has them, before the
    // compact scene left out everything that follows from the boxes and ranks
    const L = sceneOf(decodeGraph(randomFixture as GraphPayload), "LR");
    const want = randomPoints as { edgePoints: number[][][]; opEdgePoints: (number[][] | null)[] };
    const flat = (edges: ({ x: number; y: number }[] | null)[]) => edges.map((e) => (e ?? []).map((p) => [p.x, p.y]));
    const got = [...flat(L.edgePoints), ...flat(L.opEdgePoints)];
    const expected = [...want.edgePoints, ...want.opEdgePoints.map((e) => e ?? [])];
    expect(got.map((e) => e.length)).toEqual(expected.map((e) => e.length));
    expect(expected.some((e) => e.length > 2)).toBe(true);
    got.flat(2).forEach((v, k) => expect(Math.abs(v - expected.flat(2)[k])).toBeLessThan(0.11));
  });
  it("shows the slope cells' scene while the gradcheck display is on, the plain one when off", () => {
    const g = decodeGraph(checkedFixture as GraphPayload);
    const on = sceneChoices(g, true);
    const off = sceneChoices(g, false);
    expect(on.every((c) => c.slopes) && off.every((c) => !c.slopes)).toBe(true);
    // the slope sits under the grad: a checked box is taller, at most a character wider
    expect(on[0].layout.boxes[0].height).toBeGreaterThan(off[0].layout.boxes[0].height);
    expect(on[0].layout.sizes[0].width).toBeLessThanOrEqual(off[0].layout.sizes[0].width + 7.3);
    // a payload without slope scenes still draws (plain boxes) with the display on
    expect(sceneChoices(abc(), true)[0].slopes).toBe(false);
  });
  it("no boxes overlap in a laid-out random expression", () => {
    const L = sceneOf(decodeGraph(randomFixture as GraphPayload), "LR");
    const all = [...L.boxes, ...L.ops.filter((o) => o !== null)] as Layout["boxes"];
    for (let a = 0; a < all.length; a++) for (let b = a + 1; b < all.length; b++) expect(overlaps(all[a], all[b])).toBe(false);
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
    const g = decodeGraph(chain12 as GraphPayload);
    const L = sceneOf(g, "LR");
    const chain = g.ids.map((_, i) => i).filter((i) => g.ops[i] !== ""); // x and constants: leaves
    const ys = chain.map((i) => L.boxes[i].y);
    expect(Math.max(...ys) - Math.min(...ys)).toBeLessThan(1);
  });
  it("starts a small graph whole and readable", () => {
    const L = sceneOf(abc(), "LR");
    const c = startCamera(L, "LR", 800, 560, 0.7);
    expect(c.k).toBeGreaterThanOrEqual(0.7);
    L.boxes.forEach((b) => expect(inView(c, b, 800, c.height)).toBe(true));
  });
  it("starts a long chain readable on its output, centred across the viewport (LR and TB)", () => {
    const g = decodeGraph(chain60 as GraphPayload);
    const out = g.ids.length - 1;
    for (const rankdir of ["LR", "TB"] as const) {
      const L = sceneOf(g, rankdir);
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
    expect(startCamera(sceneOf(g, "LR"), "LR", 800, 560, 0.7).height).toBeLessThan(200);
  });
  it("after an expand keeps the zoom and puts the opened boxes in the middle", () => {
    const L = sceneOf(decodeGraph(chain60 as GraphPayload), "LR");
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
    const L = sceneOf(abc(), "LR");
    const width = (k: number) => L.width * k + 16; // the viewport keeps 8 px free each side
    const whole = startCamera(L, "LR", width(0.5), 560, 0.7); // fits at 0.5: whole, not a part at 0.7
    expect(whole.k).toBeCloseTo(0.5, 3);
    expect(WHOLE_ZOOM).toBeLessThanOrEqual(0.5);
    const far = startCamera(L, "LR", width(0.4), 560, 0.7); // would need 0.4: zoom in instead
    expect(far.k).toBe(0.7);
  });
  it("follows the graph's shape: a wide, flat graph gets a short viewport, within bounds", () => {
    const L = sceneOf(decodeGraph(chain6 as GraphPayload), "LR");
    const c = startCamera(L, "LR", 850, 560, 0.7);
    expect(c.height).toBeGreaterThanOrEqual(140);
    expect(c.height).toBeLessThan(L.height * c.k + 140);
    const tall = sceneOf(decodeGraph(chain6 as GraphPayload), "TB");
    expect(startCamera(tall, "TB", 850, 560, 0.7).height).toBeLessThanOrEqual(560);
  });
});

describe("the lecture's small graphs start whole at any width (issues 14, 19)", () => {
  // the graph widget's own payloads (scripts/layout_fixtures.py): Python sends left to right and
  // top to bottom; the view takes the first that is whole at a legible zoom in its width
  const cells: [string, number][] = [
    ["JupyterLab 1024x768 with the file browser open", 592],
    ["JupyterLab 1152x864 with the file browser open", 720],
    ["marimo's column", 680],
    ["an 850 px cell", 850],
    ["JupyterLab at 1280", 1000],
  ];
  const graphs: [string, GraphPayload][] = [
    ["the tanh neuron", neuronFixture as GraphPayload],
    ["L = (a*b + c) * f", lectureFixture as GraphPayload],
  ];
  for (const [what, p] of graphs) {
    for (const [cell, width] of cells) {
      for (const maxHeight of [560, 520]) { // the graph widget's viewport, the player's
        it(`${what} in ${cell} (${width} px, up to ${maxHeight} px tall)`, () => {
          const choice = chooseScene(sceneChoices(decodeGraph(p), false), width, maxHeight);
          const L = choice.layout;
          const c = startCamera(L, choice.rankdir, width, maxHeight, 0.7);
          expect(c.k).toBeGreaterThanOrEqual(WHOLE_ZOOM);
          const inside = (b: { x: number; y: number; width: number; height: number }) =>
            c.x + (b.x - b.width / 2) * c.k >= 0 && c.x + (b.x + b.width / 2) * c.k <= width &&
            c.y + (b.y - b.height / 2) * c.k >= 0 && c.y + (b.y + b.height / 2) * c.k <= c.height;
          L.boxes.forEach((b) => expect(inside(b)).toBe(true));
          expect(c.height).toBeLessThanOrEqual(maxHeight);
        });
      }
    }
  }
  it("prefers left to right where it is whole, and turns top to bottom only where it is not", () => {
    const choices = sceneChoices(decodeGraph(neuronFixture as GraphPayload), false);
    expect(choices.map((c) => c.rankdir)).toEqual(["LR", "TB"]);
    expect(chooseScene(choices, 592, 560).rankdir).toBe("TB");
    expect(chooseScene(choices, 1400, 560).rankdir).toBe("LR");
    // neither whole (a 300 px sliver): left to right, read on its output end as before
    expect(chooseScene(choices, 300, 560).rankdir).toBe("LR");
  });
});
