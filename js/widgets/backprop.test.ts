// The player view in jsdom: DOM contract, buttons, keyboard, pending grads. (The real browser run
// is tests/browser/test_backprop_browser.py.)
import { afterEach, describe, expect, it } from "vitest";
import { lecture } from "../player/lecture.fixture";
import { fakeModel } from "../common/model.fixture";
import type { AnyModel } from "@anywidget/types";
import widget, { BackpropModel } from "./backprop";
import checkedFixture from "../graph/fixtures/lecture_player_checked.json";

// L = (a*b + c) * f, a=2, b=-3, c=10, f=-2, as micrograd_widgets sends it.
const { graph, frames, forward } = lecture;

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  document.body.replaceChildren();
});

async function mount(extra: Record<string, unknown> = {}) {
  const el = document.createElement("div");
  document.body.append(el);
  const model = fakeModel({ graph, frames, forward, show_forward: false, speed: 2, ...extra });
  cleanup = widget.render({ model: model as unknown as AnyModel<BackpropModel>, el }) as () => void;
  const root = el.querySelector("[data-mgw='backprop']") as HTMLElement;
  for (let k = 0; k < 100 && root.dataset.state === "loading"; k++) await new Promise((r) => setTimeout(r, 5));
  return { root, model };
}

const gradOf = (root: HTMLElement, id: string) =>
  root.querySelectorAll(`[data-node="${id}"] text`)[2]?.textContent;
const click = (root: HTMLElement, action: string) =>
  (root.querySelector(`[data-action="${action}"]`) as HTMLButtonElement).click();
const activeIds = (root: HTMLElement) =>
  [...root.querySelectorAll('[data-node][data-active="true"]')].map((g) => (g as SVGGElement).dataset.node);

describe("backprop player view", () => {
  it("starts ready at step 0 with every grad pending", async () => {
    const { root } = await mount();
    expect(root.dataset.state).toBe("ready");
    expect(root.dataset.step).toBe("0");
    expect(root.dataset.total).toBe("8");
    for (const id of graph.id) expect(gradOf(root, id)).toBe("grad ?");
    expect(activeIds(root)).toEqual([]);
    expect((root.querySelector("[data-action='back']") as HTMLButtonElement).disabled).toBe(true);
  });

  it("steps and steps back, highlighting the node and the grads it wrote", async () => {
    const { root } = await mount();
    click(root, "step");
    click(root, "step");
    expect(root.dataset.step).toBe("2");
    expect(activeIds(root)).toEqual(["n6"]);
    expect(root.querySelector("[data-field='explanation']")?.textContent).toBe(frames[1].text);
    expect(gradOf(root, "n4")).toBe("grad -2.0000");
    expect(gradOf(root, "n2")).toBe("grad ?");
    const written = [...root.querySelectorAll("[data-written='true']")].map((g) => (g as SVGGElement).dataset.node);
    expect(written.sort()).toEqual(["n4", "n5"]);
    click(root, "back");
    expect(root.dataset.step).toBe("1");
    expect(gradOf(root, "n4")).toBe("grad ?");
    expect(root.querySelectorAll("[data-written='true']").length).toBe(0);
  });

  it("answers the keyboard when focused: arrows, Home, End, space", async () => {
    const { root } = await mount();
    const key = (k: string) => root.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true }));
    key("ArrowRight");
    key("ArrowRight");
    key("ArrowLeft");
    expect(root.dataset.step).toBe("1");
    key("End");
    expect(root.dataset.step).toBe("8");
    expect(activeIds(root)).toEqual(["n0"]);
    expect(graph.id.map((id) => gradOf(root, id))).toEqual((graph.grad ?? []).map((g) => `grad ${Number(g).toFixed(4)}`));
    key("Home");
    expect(root.dataset.step).toBe("0");
    key(" ");
    expect(root.dataset.playing).toBe("true");
    key(" ");
    expect(root.dataset.playing).toBe("false");
  });

  it("reset and the scrubber", async () => {
    const { root } = await mount();
    const scrubber = root.querySelector("[data-field='scrubber']") as HTMLInputElement;
    scrubber.value = "6";
    scrubber.dispatchEvent(new Event("input"));
    expect(root.dataset.step).toBe("6");
    expect(activeIds(root)).toEqual(["n2"]);
    click(root, "reset");
    expect(root.dataset.step).toBe("0");
  });

  it("plays to the end by itself", async () => {
    const { root } = await mount({ speed: 60 });
    click(root, "play");
    expect(root.dataset.playing).toBe("true");
    for (let k = 0; k < 200 && root.dataset.playing === "true"; k++) await new Promise((r) => setTimeout(r, 10));
    expect(root.dataset.step).toBe("8");
    expect(root.dataset.playing).toBe("false");
  });

  it("the speed menu writes the speed trait", async () => {
    const { root, model } = await mount();
    const speed = root.querySelector("[data-field='speed']") as HTMLSelectElement;
    speed.value = "8";
    speed.dispatchEvent(new Event("change"));
    expect(model.saved.speed).toBe(8);
  });

  it("with a forward pass, values appear first", async () => {
    const { root } = await mount({ show_forward: true });
    expect(root.dataset.total).toBe("15");
    const dataOf = (id: string) => root.querySelectorAll(`[data-node="${id}"] text`)[1]?.textContent;
    expect(dataOf("n0")).toBe("data ?");
    click(root, "step");
    expect(root.dataset.phase).toBe("forward");
    expect(dataOf("n0")).toBe("data 2.0000");
    expect(dataOf("n1")).toBe("data ?");
  });

  it("marks the running op, and boxes not reached yet as pending", async () => {
    const { root } = await mount();
    const pendingIds = () =>
      [...root.querySelectorAll('[data-node][data-pending="true"]')].map((g) => (g as SVGGElement).dataset.node);
    const running = () => [...root.querySelectorAll('[data-running="true"]')].map((g) => (g as SVGGElement).dataset.op);
    expect(pendingIds().sort()).toEqual([...graph.id].sort());
    click(root, "step"); // the seed: L.grad = 1, no op runs
    expect(running()).toEqual([]);
    expect(pendingIds()).not.toContain("n6");
    click(root, "step"); // L = d * f: its * node runs, d and f get grads
    expect(running()).toEqual(["n6"]);
    expect(pendingIds().sort()).toEqual(["n0", "n1", "n2", "n3"]);
    click(root, "step"); // f is a leaf: no op
    expect(running()).toEqual([]);
    click(root, "back");
    click(root, "back");
    expect(pendingIds()).toContain("n4");
    click(root, "reset");
    expect(pendingIds().length).toBe(7);
    root.dispatchEvent(new KeyboardEvent("keydown", { key: "End", bubbles: true }));
    expect(pendingIds()).toEqual([]);
  });

  it("during the forward pass the grads legend item is really hidden", async () => {
    const { root } = await mount({ show_forward: true });
    click(root, "step");
    const legend = [...root.querySelectorAll(".mgw-legend > span")] as HTMLElement[];
    const shown = legend.filter((e) => getComputedStyle(e).display !== "none").map((e) => e.textContent);
    expect(shown).toEqual(["being computed", "data ? = not computed yet"]);
    const dataPending = [...root.querySelectorAll('[data-node][data-pending="true"]')].length;
    expect(dataPending).toBe(6); // only a's value is known after one forward step
  });

  it("labels are text, never markup", async () => {
    const hostile = { ...graph, label: ["<img src=x onerror=alert(1)>", ...(graph.label ?? []).slice(1)] };
    const { root } = await mount({ graph: hostile });
    expect(root.querySelector("img")).toBeNull();
  });

  it("frames naming unknown nodes show a readable error", async () => {
    const { root } = await mount({ frames: [{ node: "n99", writes: [] }] });
    expect(root.dataset.state).toBe("error");
    expect(root.textContent).toMatch(/n99/);
  });
});

describe("backprop player: source lines and gradient check", () => {
  // the lecture's L made in a %%micrograd cell: each Value remembers its line
  const source = ["a = Value(2.0)", "b = Value(-3.0)", "e = a * b", "c = Value(10.0)", "d = e + c", "f = Value(-2.0)", "L = d * f"];
  const waitReady = async (root: HTMLElement) => {
    for (let k = 0; k < 100 && root.dataset.state !== "ready"; k++) await new Promise((r) => setTimeout(r, 5));
  };
  it("shows the line of the op it steps through in [data-field=source]", async () => {
    const { root } = await mount({ graph: { ...graph, source } });
    const line = root.querySelector('[data-field="source"]') as HTMLElement;
    expect(line.hidden).toBe(true); // before the first step
    click(root, "step"); // seed L
    click(root, "step"); // L = d * f: its _backward
    expect(line.hidden).toBe(false);
    expect(line.textContent).toBe("L = d * f");
    click(root, "step"); // f is a leaf
    expect(line.textContent).toBe("f = Value(-2.0)");
  });
  it("without source lines (Values made outside a cell) the line stays hidden", async () => {
    const { root } = await mount();
    click(root, "step");
    click(root, "step");
    expect((root.querySelector('[data-field="source"]') as HTMLElement).hidden).toBe(true);
  });
  it("the gradcheck toggle sets the trait; the re-sent graph keeps the step and marks the boxes", async () => {
    const { root, model } = await mount({ gradcheck: false });
    click(root, "step");
    click(root, "step");
    click(root, "gradcheck");
    expect(model.saved.gradcheck).toBe(true);
    model.set("graph", checkedFixture); // slopes, verdicts (b's made to fail), taller boxes' scenes
    await waitReady(root);
    expect(root.dataset.step).toBe("2");
    expect(root.querySelector('[data-node="n1"]')!.getAttribute("data-gradcheck")).toBe("fail");
    expect(root.querySelector('[data-node="n0"]')!.getAttribute("data-gradcheck")).toBe("ok");
    expect(root.querySelector('[data-node="n0"]')!.textContent).toContain("slope 6.0000");
    expect(root.querySelector('[data-action="gradcheck"]')!.getAttribute("aria-pressed")).toBe("true");
    click(root, "gradcheck"); // off: hidden at once, still at step 2
    await waitReady(root);
    expect(root.querySelector("[data-gradcheck]")).toBeNull();
    expect(root.dataset.step).toBe("2");
  });
});
