// The trainer view in jsdom, wired from its parts: lists and limits come from the config trait,
// the engine switches while playing, the speed and engine show beside the counter, a costly
// setting offers the numpy engine, and the learning-rate slider sends three-digit rates exactly.
import { afterEach, describe, expect, it } from "vitest";
import { fakeModel } from "../common/model.fixture";
import { CONFIG, trainerState } from "../trainer/fixture";
import { LR_STEP, rateScale, rateToPosition } from "../trainer/plot";
import widget from "./trainer";

// jsdom has no canvas: the parts skip drawing (and jsdom would log "not implemented" for each)
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext;

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  document.body.replaceChildren();
});

const frame = () => new Promise((r) => setTimeout(r, 40)); // past the next animation frame

function mount(over: Record<string, unknown> = {}) {
  const el = document.createElement("div");
  document.body.append(el);
  const model = fakeModel(trainerState(over));
  cleanup = widget.render({ model, el }) as () => void;
  const root = el.querySelector("[data-mgw='trainer']") as HTMLElement;
  const q = <T extends Element = HTMLElement>(sel: string) => root.querySelector(sel) as T;
  return { root, model, q };
}

describe("trainer view", () => {
  it("is ready with the DOM contract's hooks", () => {
    const { root, q } = mount();
    expect(root.dataset.state).toBe("ready");
    for (const action of ["play", "pause", "step", "reset"]) expect(q(`[data-action='${action}']`)).not.toBeNull();
    expect(q("[data-field='step']").textContent).toBe("0");
    expect(q("[data-field='learning-rate']")).not.toBeNull();
    expect(q("[data-field='map']").tagName).toBe("CANVAS");
    expect(root.querySelectorAll("g[data-neuron]").length).toBe(33); // 16 + 16 + the output
    expect(q("[data-setting='engine']")).not.toBeNull();
    expect(q("[data-field='engine']").textContent).toBe("micrograd");
  });

  it("takes every list and limit from the config trait", () => {
    const config = structuredClone(CONFIG);
    config.activations = ["relu", "sigmoid"];
    config.datasets = ["moons", "plane"];
    config.l2_choices = [0, 0.5];
    config.limits.max_layers = 2;
    config.limits.max_neurons = 16;
    config.sliders.n.max = 500;
    const { q, root } = mount({ config });
    const options = (sel: string) => [...q<HTMLSelectElement>(sel).options].map((o) => o.value);
    expect(options("select[aria-label='Activation']")).toEqual(["relu", "sigmoid"]);
    expect(q<HTMLInputElement>("input[aria-label='Noise']").step).toBe("0.05");
    expect(q("select[aria-label='Activation'] option[value='sigmoid']").textContent).toBe("Sigmoid");
    expect(options("select[aria-label='L2 regularisation']")).toEqual(["0", "0.0001", "0.5"]); // the model's own too, in order
    expect([...root.querySelectorAll<HTMLElement>("[data-dataset]")].map((b) => b.dataset.dataset)).toEqual(["moons", "plane", "custom"]);
    expect(q<HTMLInputElement>("input[aria-label='Number of points']").max).toBe("500");
    // 2 hidden layers of 16 = both limits reached
    expect(q<HTMLButtonElement>("button[title='Add a hidden layer']").disabled).toBe(true);
    expect(q<HTMLButtonElement>("button[title='More neurons in layer 0']").disabled).toBe(true);
    expect(q<HTMLButtonElement>("button[title='Fewer neurons in layer 0']").disabled).toBe(false);
  });

  it("says so when the config trait is missing (Python and JS of different versions)", () => {
    const { root } = mount({ config: {} });
    expect(root.dataset.state).toBe("error");
    expect(root.textContent).toContain("config trait is missing");
  });

  it("switches the engine while playing, and shows the engine and its speed beside the counter", async () => {
    const { q, model } = mount({ playing: true, step_count: 120, steps_per_second: 8.04, epochs_per_second: 0.804 });
    const numpy = q<HTMLButtonElement>("[data-setting='engine'] [data-value='numpy']");
    expect(numpy.disabled).toBe(false);
    expect(numpy.getAttribute("aria-checked")).toBe("false");
    numpy.click();
    expect(model.saved.engine).toBe("numpy");
    // Python switches and keeps counting from where it was
    model.set("step_count", 121);
    model.set("steps_per_second", 1240);
    model.set("epochs_per_second", 124);
    await frame();
    expect(numpy.getAttribute("aria-checked")).toBe("true");
    expect(q("[data-field='engine']").textContent).toBe("numpy");
    expect(q("[data-field='step']").textContent).toBe("121");
    const speed = q("[data-field='speed']");
    expect(speed.textContent).toContain("1,240 steps/s");
    expect(speed.textContent).toContain("124 epochs/s");
    expect(q("[data-field='rate']").contains(speed)).toBe(true);
    model.set("playing", false);
    await frame();
    expect(q("[data-field='rate']").textContent).toBe("paused");
  });

  it("offers the numpy engine when Python refused a setting as too costly", async () => {
    const { q, model } = mount();
    const button = q<HTMLButtonElement>("[data-action='use-numpy']");
    expect(button.hidden).toBe(true);
    model.set("status", "one step of 1000 points through (32, 32, 32) would take about 25 s with micrograd");
    model.set("status_kind", "cost");
    await frame();
    expect(q("[data-field='status']").dataset.kind).toBe("cost");
    expect(button.hidden).toBe(false);
    button.click();
    expect(model.sent).toEqual([{ type: "use_numpy" }]);
    model.set("status", "Switched to the numpy engine");
    model.set("status_kind", "reset");
    await frame();
    expect(button.hidden).toBe(true);
  });

  it("sends a three-digit learning rate from the slider exactly", () => {
    const { q, model } = mount({ playing: true });
    const slider = q<HTMLInputElement>("[data-field='learning-rate']");
    expect(slider.step).toBe(String(LR_STEP));
    slider.value = String(rateToPosition(0.0123, rateScale(1e-4, 10)));
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    expect(model.saved.learning_rate).toBe(0.0123);
    slider.value = "60";
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    expect(model.saved.learning_rate).toBe(0.1);
  });

  it("asks for a clicked neuron's graph at the data's first point, then at a clicked point", () => {
    const { q, model } = mount();
    q("g[data-neuron='1:3']").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    expect(model.sent).toEqual([{ type: "neuron", layer: 1, index: 3, point: [0.5, 0.25] }]);
    const map = q<HTMLCanvasElement>("[data-field='map']");
    map.getBoundingClientRect = () => ({ left: 0, top: 0, width: 100, height: 100 }) as DOMRect;
    map.dispatchEvent(new MouseEvent("click", { bubbles: true, clientX: 50, clientY: 25 }));
    // extent [-2, 3, -1.5, 2]: halfway across, a quarter down from the top
    expect(model.sent[1]).toEqual({ type: "neuron", layer: 1, index: 3, point: [0.5, 1.125] });
  });

  it("hides controls by name, and a saved page (no kernel) disables what needs Python", async () => {
    const { q, model, root } = mount({ hide: ["engine", "loss"], presentation: true });
    // hide=[...] marks a control off (display: none), apart from what a part hides itself
    const off = (sel: string) => q(sel).classList.contains("mgw-off");
    expect(off("[data-control='engine']")).toBe(true);
    expect(off("[data-control='loss']")).toBe(true);
    expect(off("[data-control='learning_rate']")).toBe(false);
    expect(root.classList.contains("mgw-present")).toBe(true);
    model.set("hide", []);
    await frame();
    expect(off("[data-control='engine']")).toBe(false);

    cleanup?.();
    document.body.replaceChildren();
    const saved = mount({ _standalone: true });
    expect(saved.q<HTMLButtonElement>("[data-action='play']").disabled).toBe(true);
    expect(saved.q<HTMLButtonElement>("[data-setting='engine'] [data-value='numpy']").disabled).toBe(true);
    saved.q("g[data-neuron='0:0']").dispatchEvent(new MouseEvent("click", { bubbles: true }));
    await frame();
    expect(saved.model.sent).toEqual([]);
    expect(saved.q("[data-field='status']").textContent).toContain("no Python kernel");
  });

  it("follows JupyterLab's theme, and stops listening when the view goes", async () => {
    document.body.dataset.jpThemeLight = "true";
    const { root, q, model } = mount();
    expect(root.dataset.mgwTheme).toBe("light");
    document.body.dataset.jpThemeLight = "false";
    await frame();
    expect(root.dataset.mgwTheme).toBe("dark");
    cleanup?.();
    cleanup = undefined;
    model.set("step_count", 5);
    expect(q("[data-field='step']").textContent).toBe("0");
    document.body.dataset.jpThemeLight = "true"; // the theme observer is gone too
    await frame();
    expect(root.dataset.mgwTheme).toBe("dark");
    delete document.body.dataset.jpThemeLight;
  });
});
