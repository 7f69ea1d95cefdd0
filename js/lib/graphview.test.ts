import { describe, expect, it } from "vitest";
import { decodeGraph } from "./graphdata";
import { createGraphView } from "./graphview";

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
