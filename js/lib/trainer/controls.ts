// The knobs of the top bar: learning rate and batch size (they apply from the next step), and
// activation, loss, L2 and schedule (they start a new model). Every list and bound comes from the config trait.
import { el, range, select, setOptions } from "../dom";
import {
  batchFromSlider,
  formatRate,
  LR_STEP,
  positionToRate,
  rateScale,
  rateToPosition,
  sliderFromBatch,
} from "../trainerplot";
import { label } from "./config";
import type { Context, ModelView, Part } from "./types";
import { knob } from "./ui";

const named = (names: string[], kind?: "schedule"): [string, string][] => names.map((n) => [n, label(n, kind)]);

export function createControls(host: HTMLElement, ctx: Context): Part {
  const { config, standalone } = ctx;
  const scale = rateScale(config.sliders.learning_rate.min, config.sliders.learning_rate.max);
  const lrSlider = range(0, scale.positions, LR_STEP, "Learning rate (log scale)");
  lrSlider.dataset.field = "learning-rate";
  const lrOut = el("output");
  const lrNow = el("span", "mgw-small");

  const batchSlider = range(1, Math.max(1, config.limits.batch_max), 1, "Batch size");
  batchSlider.dataset.field = "batch-size";
  const batchOut = el("output");
  const fullBox = el("input");
  fullBox.type = "checkbox";
  fullBox.dataset.field = "full-batch";
  const fullLabel = el("label", "mgw-small");
  fullLabel.append(fullBox, " full");

  const activation = select(named(config.activations), "Activation");
  const loss = select(named(config.losses), "Loss");
  const l2 = select([], "L2 regularisation");
  const schedule = select(named(config.schedules, "schedule"), "Learning-rate schedule");

  host.append(
    knob("learning_rate", "Learning rate", lrSlider, lrOut, lrNow),
    knob("batch_size", "Batch size", batchSlider, batchOut, fullLabel),
    knob("activation", "Activation", activation),
    knob("loss", "Loss", loss),
    knob("l2", "L2", l2),
    knob("schedule", "Schedule", schedule),
  );

  let nTrain = 1;
  let shown = ""; // the settings last drawn: redraw only what changed (metrics arrive 20 times/s)
  const update = (model: ModelView) => {
    const lr = model.get("learning_rate");
    const next = model.get("metrics")?.next_learning_rate;
    lrNow.textContent = typeof next === "number" && Math.abs(next - lr) > 1e-12 * lr ? `now ${formatRate(next)}` : "";
    const n = Number(model.get("metrics")?.n_train ?? 0);
    if (n > 0) nTrain = Math.min(n, config.limits.batch_max);
    const batch = model.get("batch_size");
    const l2v = model.get("l2");
    const key = JSON.stringify([lr, nTrain, batch, model.get("activation"), model.get("loss"), l2v, model.get("schedule")]);
    if (key === shown) return;
    shown = key;

    lrSlider.value = String(rateToPosition(lr, scale));
    lrOut.textContent = formatRate(lr);
    batchSlider.max = String(nTrain);
    fullBox.checked = batch === null;
    batchSlider.value = String(sliderFromBatch(batch, nTrain));
    batchOut.textContent = batch === null ? `${nTrain} (all)` : String(Math.min(batch, nTrain));
    activation.value = model.get("activation");
    loss.value = model.get("loss");
    // a value set from Python that the list lacks is offered too
    const choices = config.l2_choices.includes(l2v) ? config.l2_choices : [...config.l2_choices, l2v].sort((a, b) => a - b);
    if (l2.dataset.choices !== choices.join()) {
      l2.dataset.choices = choices.join();
      setOptions(l2, choices.map((v) => [String(v), v === 0 ? "none" : formatRate(v)]));
    }
    l2.value = String(l2v);
    schedule.value = model.get("schedule");

    for (const input of [lrSlider, fullBox, activation, loss, l2, schedule]) input.disabled = standalone;
    batchSlider.disabled = standalone || batch === null;
  };

  // user input: Python applies it from the next step (or starts a new model and says so)
  lrSlider.addEventListener("input", () => {
    const lr = positionToRate(Number(lrSlider.value), scale);
    lrOut.textContent = formatRate(lr);
    ctx.set("learning_rate", lr);
  });
  const sendBatch = () => {
    const batch = batchFromSlider(Number(batchSlider.value), nTrain, fullBox.checked);
    batchSlider.disabled = fullBox.checked;
    batchOut.textContent = batch === null ? `${nTrain} (all)` : String(batch);
    ctx.set("batch_size", batch);
  };
  batchSlider.addEventListener("input", sendBatch);
  fullBox.addEventListener("change", sendBatch);
  activation.addEventListener("change", () => ctx.set("activation", activation.value));
  loss.addEventListener("change", () => ctx.set("loss", loss.value));
  l2.addEventListener("change", () => ctx.set("l2", Number(l2.value)));
  schedule.addEventListener("change", () => ctx.set("schedule", schedule.value));

  return {
    topics: ["learning_rate", "batch_size", "activation", "loss", "l2", "schedule", "metrics"],
    update,
    destroy: () => {},
  };
}
