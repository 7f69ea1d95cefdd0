// The graph widget in jsdom: a click on a folded box asks Python to expand it, and Python's
// answer when it refuses (the `notice` trait) replaces the "expanding…" hint.
import { afterEach, describe, expect, it } from "vitest";
import { fakeModel } from "../common/model.fixture";
import type { AnyModel } from "@anywidget/types";
import widget, { GraphModel } from "./graph";
import type { GraphPayload } from "../graph/data";
import loopFixture from "../graph/fixtures/widget_loop.json";
import buggyFixture from "../graph/fixtures/widget_buggy.json";
import checkedFixture from "../graph/fixtures/widget_buggy_checked.json";

// Two folded runs of an unrolled loop feeding its output, as payload() sends them (with scenes).
const graph = loopFixture as GraphPayload;

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  document.body.replaceChildren();
});

async function mount(state: Record<string, unknown> = { graph, values: null, notice: "" }) {
  const el = document.createElement("div");
  document.body.append(el);
  const model = fakeModel(state);
  cleanup = widget.render({ model: model as unknown as AnyModel<GraphModel>, el }) as () => void;
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

// b = a + a with the classic bug (`self.grad =` in __add__'s backward): a.grad is 1, its slope 2;
// `checked` is what Python re-sends with the check on: slopes, verdicts, the taller boxes' scenes.
const buggy = buggyFixture as GraphPayload;
const checked = checkedFixture as GraphPayload;

const waitReady = async (root: HTMLElement) => {
  for (let k = 0; k < 100 && root.dataset.state !== "ready"; k++) await new Promise((r) => setTimeout(r, 5));
};

describe("graph widget: gradient check", () => {
  it("the toggle sets the gradcheck trait; Python's re-sent graph marks the failing box, slope beside its grad", async () => {
    const { root, model } = await mount({ graph: buggy, values: null, notice: "", gradcheck: false });
    const toggle = root.querySelector('[data-action="gradcheck"]') as HTMLButtonElement;
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    expect(root.querySelector("[data-gradcheck]")).toBeNull();
    toggle.click();
    expect(model.saved.gradcheck).toBe(true);
    model.set("graph", checked); // what Python sends back: same version, slopes and verdicts
    await waitReady(root);
    const a = root.querySelector('[data-node="n0"]') as SVGGElement;
    expect(a.dataset.gradcheck).toBe("fail");
    expect(root.querySelector('[data-node="n1"]')!.getAttribute("data-gradcheck")).toBe("ok");
    expect(a.textContent).toContain("grad 1.0000");
    expect(a.textContent).toContain("slope 2.0000");
    const status = root.querySelector('[data-field="status"]') as HTMLElement;
    expect(status.textContent).toContain("1 of 2");
    expect(status.textContent).toContain("a");
    expect(status.dataset.fail).toBe("true");
    expect(root.querySelector('[data-action="gradcheck"]')!.getAttribute("aria-pressed")).toBe("true");
    // off: the marks and slope cells go at once, no kernel round trip needed
    (root.querySelector('[data-action="gradcheck"]') as HTMLButtonElement).click();
    expect(model.saved.gradcheck).toBe(false);
    await waitReady(root);
    expect(root.querySelector("[data-gradcheck]")).toBeNull();
    expect(root.querySelector('[data-node="n0"]')!.textContent).not.toContain("slope");
  });
  it("Python turning the check off (it could not run) unpresses the toggle", async () => {
    const { root, model } = await mount({ graph: buggy, values: null, notice: "", gradcheck: false });
    (root.querySelector('[data-action="gradcheck"]') as HTMLButtonElement).click();
    model.set("notice", "gradcheck cannot replay op 'relu6'");
    model.set("gradcheck", false);
    await waitReady(root);
    expect(root.querySelector('[data-action="gradcheck"]')!.getAttribute("aria-pressed")).toBe("false");
    expect(root.querySelector(".mgw-hint")!.textContent).toContain("relu6");
  });
  it("shows the payload's notice, and refresh() values update slopes, verdicts and the notice", async () => {
    const notice = "Every grad is 0: call o.backward() to fill them in (then w.refresh()).";
    const { root, model } = await mount({ graph: { ...checked, notice }, values: null, notice: "", gradcheck: true });
    const line = root.querySelector('[data-field="notice"]') as HTMLElement;
    expect(line.hidden).toBe(false);
    expect(line.textContent).toBe(notice);
    model.set("values", { version: 3, data: [3, 6], grad: [2, 1], slope: [2, 1], check: ["ok", "ok"], notice: "" });
    expect(line.hidden).toBe(true);
    expect(root.querySelector('[data-node="n0"]')!.getAttribute("data-gradcheck")).toBe("ok");
    expect(root.querySelector('[data-field="status"]')!.textContent).toContain("all 2");
  });
  it("hovering a reused Value lists each contribution and their sum, and its source line", async () => {
    const { root } = await mount({ graph: buggy, values: null, notice: "", gradcheck: false });
    const a = root.querySelector('[data-node="n0"]') as SVGGElement;
    a.dispatchEvent(new MouseEvent("pointermove", { bubbles: true, clientX: 5, clientY: 5 }));
    const tip = root.querySelector(".mgw-tooltip") as HTMLElement;
    expect(tip.hidden).toBe(false);
    const text = tip.textContent ?? "";
    expect(text).toContain("line a = Value(3.0)");
    expect(text).toContain("used 2 times");
    expect(text.match(/\+ 1\.0000 {2}via b \(\+\)/g)?.length).toBe(2);
    expect(text).toContain("= 2.0000");
  });
});
