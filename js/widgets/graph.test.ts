// The graph widget in jsdom: a click on a folded box asks Python to expand it, and Python's
// answer when it refuses (the `notice` trait) replaces the "expanding…" hint.
import { afterEach, describe, expect, it } from "vitest";
import { fakeModel } from "../lib/model.fixture";
import widget from "./graph";

// Two folded runs of an unrolled loop feeding its output, as payload() sends them.
const graph = {
  version: 0,
  rankdir: "LR",
  total: 1001,
  collapsed: true,
  id: ["values n0–n499", "values n500–n999", "n1000"],
  kind: ["group", "group", "value"],
  label: ["values n0–n499", "values n500–n999", "out"],
  op: ["", "", "ReLU"],
  count: [500, 500, 1],
  terms: [0, 0, 0],
  data: [null, null, 0.5],
  grad: [null, null, 0],
  edges: [0, 1, 1, 2],
};

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  document.body.replaceChildren();
});

async function mount() {
  const el = document.createElement("div");
  document.body.append(el);
  const model = fakeModel({ graph, values: null, notice: "" });
  cleanup = widget.render({ model, el }) as () => void;
  const root = el.querySelector("[data-mgw='graph']") as HTMLElement;
  for (let k = 0; k < 100 && root.dataset.state === "loading"; k++) await new Promise((r) => setTimeout(r, 5));
  return { root, model };
}

describe("graph widget view", () => {
  it("asks Python to expand a clicked box and shows why when it refuses", async () => {
    const { root, model } = await mount();
    expect(root.dataset.state).toBe("ready");
    const box = root.querySelector('[data-group="values n500–n999"]') as SVGGElement;
    for (const type of ["pointerdown", "pointerup"]) box.dispatchEvent(new MouseEvent(type, { bubbles: true, button: 0 }));
    expect(model.sent).toEqual([{ type: "expand", group: "values n500–n999" }]);
    const hint = root.querySelector(".mgw-hint") as HTMLElement;
    expect(hint.hidden).toBe(false);
    expect(hint.textContent).toContain("expanding");
    model.set("notice", "Expanding values n500–n999 would show 5,200 boxes (limit 5,000)");
    expect(hint.textContent).toBe("Expanding values n500–n999 would show 5,200 boxes (limit 5,000)");
    expect(root.dataset.state).toBe("ready");
  });
});
