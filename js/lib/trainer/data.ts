// The data column: the datasets (the config's generated ones, plus "your data" when the trainer
// has the user's own points), and noise, size and test split (each starts a new model).
import { el, range } from "../dom";
import { label } from "./config";
import type { Context, ModelView, Part } from "./types";
import { knob } from "./ui";

export function createData(host: HTMLElement, ctx: Context): Part {
  const { sliders, datasets, custom: CUSTOM } = ctx.config;
  const buttons = new Map<string, HTMLButtonElement>();
  const grid = el("div", "mgw-datasets");
  let current = "";
  for (const name of [...datasets, CUSTOM]) {
    const b = el("button", undefined, label(name));
    b.type = "button";
    b.dataset.dataset = name;
    b.addEventListener("click", () => {
      if (current !== name) ctx.set("dataset", name);
    });
    buttons.set(name, b);
    grid.append(b);
  }
  const datasetKnob = el("div", "mgw-col");
  datasetKnob.dataset.control = "dataset";
  datasetKnob.append(el("h4", undefined, "Data"), grid);

  const { n, noise: nz, test_fraction: tf } = sliders;
  const noise = range(nz.min, nz.max, nz.step ?? "any", "Noise");
  const noiseOut = el("output");
  const size = range(n.min, n.max, n.step ?? 1, "Number of points");
  const sizeOut = el("output");
  const percent = (x: number) => Math.round(100 * x);
  const split = range(percent(tf.min), percent(tf.max), tf.step ? percent(tf.step) : 1, "Test points (percent)");
  const splitOut = el("output");
  host.append(
    datasetKnob,
    knob("noise", "Noise", noise, noiseOut),
    knob("size", "Points", size, sizeOut),
    knob("split", "Test split", split, splitOut),
  );

  const update = (model: ModelView) => {
    current = model.get("dataset");
    for (const [name, b] of buttons) {
      b.setAttribute("aria-pressed", String(name === current));
      if (name === CUSTOM) b.hidden = !model.get("has_custom");
      b.disabled = ctx.standalone;
    }
    noise.value = String(model.get("noise"));
    noiseOut.textContent = Number(model.get("noise")).toFixed(2);
    size.value = String(model.get("n"));
    sizeOut.textContent = String(model.get("n"));
    // size and noise make generated points: they do not apply to the user's own
    noise.disabled = size.disabled = current === CUSTOM || ctx.standalone;
    const testPercent = percent(model.get("test_fraction"));
    split.value = String(testPercent);
    splitOut.textContent = `${testPercent}%`;
    split.disabled = ctx.standalone;
  };

  // sliders that start a new model: the label follows while dragging, Python hears on release
  noise.addEventListener("input", () => (noiseOut.textContent = Number(noise.value).toFixed(2)));
  noise.addEventListener("change", () => ctx.set("noise", Number(noise.value)));
  size.addEventListener("input", () => (sizeOut.textContent = size.value));
  size.addEventListener("change", () => ctx.set("n", Number(size.value)));
  split.addEventListener("input", () => (splitOut.textContent = `${split.value}%`));
  split.addEventListener("change", () => ctx.set("test_fraction", Number(split.value) / 100));

  return { topics: ["dataset", "has_custom", "noise", "n", "test_fraction"], update, destroy: () => {} };
}
