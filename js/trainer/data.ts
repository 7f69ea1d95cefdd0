// The data column: the datasets (the config's generated ones, plus "your data" when the trainer
// has the user's own points), the input features as toggles, and noise, size and test split (each
// starts a new model; so does a feature: the input layer follows).
import { el, range } from "../common/dom";
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
    if (ctx.config.tasks[name] === "regression") b.title = `${name}: regression (a value to fit, not a class)`;
    b.addEventListener("click", () => {
      if (current !== name) ctx.set("dataset", name);
    });
    buttons.set(name, b);
    grid.append(b);
  }
  // TF Playground's "Regenerate": the next seed draws new points (and a new model from it)
  const regenerate = el("button", "mgw-regenerate", "New data");
  regenerate.type = "button";
  regenerate.dataset.action = "regenerate";
  regenerate.title = "Draw new points from the next seed (a new model)";
  let seed = 0;
  regenerate.addEventListener("click", () => ctx.set("seed", (seed + 1) % 2 ** 32));
  const datasetKnob = el("div", "mgw-col");
  datasetKnob.dataset.control = "dataset";
  grid.append(regenerate); // the grid's spare cell: no extra row
  datasetKnob.append(el("h4", undefined, "Data"), grid);

  const features = featureToggles(ctx);

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
    features.node,
    knob("noise", "Noise", noise, noiseOut),
    knob("size", "Points", size, sizeOut),
    knob("split", "Test split", split, splitOut),
  );

  const update = (model: ModelView) => {
    current = model.get("dataset");
    seed = Number(model.get("seed"));
    // your own points do not come from the seed
    regenerate.disabled = current === CUSTOM || ctx.standalone;
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
    features.show(model.get("features"));
  };

  // sliders that start a new model: the label follows while dragging, Python hears on release
  noise.addEventListener("input", () => (noiseOut.textContent = Number(noise.value).toFixed(2)));
  noise.addEventListener("change", () => ctx.set("noise", Number(noise.value)));
  size.addEventListener("input", () => (sizeOut.textContent = size.value));
  size.addEventListener("change", () => ctx.set("n", Number(size.value)));
  split.addEventListener("input", () => (splitOut.textContent = `${split.value}%`));
  split.addEventListener("change", () => ctx.set("test_fraction", Number(split.value) / 100));

  return { topics: ["dataset", "seed", "has_custom", "noise", "n", "test_fraction", "features"], update, destroy: () => {} };
}

/** The features a click on `name` leaves on (in the config's order; never none). */
export function toggleFeature(all: string[], on: string[], name: string): string[] {
  const next = on.includes(name) ? on.filter((f) => f !== name) : [...on, name];
  return next.length ? all.filter((f) => next.includes(f)) : on;
}

/** One toggle per input feature ([data-feature] with aria-pressed); absent when Python offers none. */
function featureToggles(ctx: Context): { node: HTMLElement; show(on: string[] | undefined): void } {
  const all = ctx.config.features;
  const node = el("div", "mgw-col");
  node.dataset.control = "features";
  const grid = el("div", "mgw-features");
  node.append(el("h4", undefined, "Features"), grid);
  node.hidden = all.length === 0;
  let on: string[] = [];
  const buttons = all.map((name) => {
    const b = el("button", undefined, name);
    b.type = "button";
    b.dataset.feature = name;
    b.title = `Feed ${name} to the network (a new model)`;
    b.addEventListener("click", () => {
      const next = toggleFeature(all, on, name);
      if (next.join() !== on.join()) ctx.set("features", next);
    });
    grid.append(b);
    return b;
  });
  return {
    node,
    show(current) {
      on = current ?? [];
      node.hidden = all.length === 0 || current === undefined;
      for (const b of buttons) {
        const pressed = on.includes(b.dataset.feature!);
        b.setAttribute("aria-pressed", String(pressed));
        b.disabled = ctx.standalone || (pressed && on.length === 1);
      }
    },
  };
}
