// The knobs of the top bar: learning rate, batch size, L1 and L2 (they apply from the next step),
// and activation, loss and schedule (they start a new model). Every list and bound comes from
// the config trait.
import { el, range, select, setOptions } from "../common/dom";
import {
  batchFromSlider,
  formatRate,
  LR_STEP,
  positionToRate,
  rateScale,
  rateToPosition,
  sliderFromBatch,
} from "./plot";
import { label } from "./config";
import type { Context, ModelView, Part } from "./types";
import { knob } from "./ui";

interface Knob {
  node: HTMLElement;
  /** Draws the model's value (the wiring calls it only when a setting changed). */
  show(model: ModelView): void;
}

/** The learning rate on a log scale between the config's ends; "now x" is the decayed rate. */
function rateKnob(ctx: Context): Knob & { showNow(model: ModelView): void } {
  const scale = rateScale(ctx.config.sliders.learning_rate.min, ctx.config.sliders.learning_rate.max);
  const slider = range(0, scale.positions, LR_STEP, "Learning rate (log scale)");
  slider.dataset.field = "learning-rate";
  const out = el("output");
  const now = el("span", "mgw-small");
  slider.addEventListener("input", () => {
    const lr = positionToRate(Number(slider.value), scale);
    out.textContent = formatRate(lr);
    ctx.set("learning_rate", lr);
  });
  return {
    node: knob("learning_rate", "Learning rate", slider, out, now),
    show(model) {
      const lr = model.get("learning_rate");
      slider.value = String(rateToPosition(lr, scale));
      out.textContent = formatRate(lr);
      slider.disabled = ctx.standalone;
    },
    showNow(model) {
      const lr = model.get("learning_rate");
      const next = model.get("metrics")?.next_learning_rate;
      now.textContent = typeof next === "number" && Math.abs(next - lr) > 1e-12 * lr ? `now ${formatRate(next)}` : "";
    },
  };
}

/** Batch size from 1 to the training points, or "full" (null). */
function batchKnob(ctx: Context): Knob & { nTrain(model: ModelView): number } {
  const slider = range(1, Math.max(1, ctx.config.limits.batch_max), 1, "Batch size");
  slider.dataset.field = "batch-size";
  const out = el("output");
  const full = el("input");
  full.type = "checkbox";
  full.dataset.field = "full-batch";
  const fullLabel = el("label", "mgw-small");
  fullLabel.append(full, " full");
  let n = 1;
  const send = () => {
    const batch = batchFromSlider(Number(slider.value), n, full.checked);
    slider.disabled = full.checked;
    out.textContent = batch === null ? `${n} (all)` : String(batch);
    ctx.set("batch_size", batch);
  };
  slider.addEventListener("input", send);
  full.addEventListener("change", send);
  return {
    node: knob("batch_size", "Batch size", slider, out, fullLabel),
    nTrain(model) {
      const points = Number(model.get("metrics")?.n_train ?? 0);
      if (points > 0) n = Math.min(points, ctx.config.limits.batch_max);
      return n;
    },
    show(model) {
      const batch = model.get("batch_size");
      slider.max = String(n);
      full.checked = batch === null;
      slider.value = String(sliderFromBatch(batch, n));
      out.textContent = batch === null ? `${n} (all)` : String(Math.min(batch, n));
      full.disabled = ctx.standalone;
      slider.disabled = ctx.standalone || batch === null;
    },
  };
}

/** A select of names (labelled for the page); L2 also offers a value set from Python. */
function choiceKnob(ctx: Context, name: "activation" | "loss" | "l1" | "l2" | "schedule", title: string, aria: string): Knob {
  const { config } = ctx;
  const lists = { activation: config.activations, loss: config.losses, schedule: config.schedules };
  const strength = name === "l1" || name === "l2";
  const s = select(strength ? [] : lists[name].map((v) => [v, label(v, name === "schedule" ? "schedule" : undefined)]), aria);
  s.dataset.setting = name;
  s.addEventListener("change", () => (strength ? ctx.set(name, Number(s.value)) : ctx.set(name, s.value)));
  return {
    node: knob(name, title, s),
    show(model) {
      if (strength) {
        const v = Number(model.get(name) ?? 0);
        const offered = name === "l1" ? config.l1_choices : config.l2_choices;
        const choices = offered.includes(v) ? offered : [...offered, v].sort((a, b) => a - b);
        if (s.dataset.choices !== choices.join()) {
          s.dataset.choices = choices.join();
          setOptions(s, choices.map((c) => [String(c), c === 0 ? "none" : formatRate(c)]));
        }
        s.value = String(v);
      } else {
        s.value = model.get(name);
      }
      s.disabled = ctx.standalone;
    },
  };
}

export function createControls(host: HTMLElement, ctx: Context): Part {
  const rate = rateKnob(ctx);
  const batch = batchKnob(ctx);
  const knobs: Knob[] = [
    rate,
    batch,
    choiceKnob(ctx, "activation", "Activation", "Activation"),
    choiceKnob(ctx, "loss", "Loss", "Loss"),
    ...(ctx.config.l1_choices.length ? [choiceKnob(ctx, "l1", "L1", "L1 regularisation")] : []),
    choiceKnob(ctx, "l2", "L2", "L2 regularisation"),
    choiceKnob(ctx, "schedule", "Schedule", "Learning-rate schedule"),
  ];
  host.append(...knobs.map((k) => k.node));
  let shown = ""; // the settings last drawn: redraw only when they change (metrics come 20 times/s)
  return {
    topics: ["learning_rate", "batch_size", "activation", "loss", "l1", "l2", "schedule", "metrics"],
    update(model) {
      rate.showNow(model);
      const settings = ["learning_rate", "batch_size", "activation", "loss", "l1", "l2", "schedule"] as const;
      const key = JSON.stringify([batch.nTrain(model), ...settings.map((s) => model.get(s))]);
      if (key === shown) return;
      shown = key;
      for (const k of knobs) k.show(model);
    },
    destroy: () => {},
  };
}
