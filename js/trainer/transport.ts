// The transport: Reset, Play/Pause, Step, and the counter beside them: the step, the engine
// switch (it applies while playing: Python keeps the weights and the step count), and which
// engine runs at what speed (steps/s and epochs/s), so the class sees "same curve, N times faster".
import { actionButton, el } from "../common/dom";
import { formatPer } from "./plot";
import { ENGINE_TITLES, label } from "./config";
import type { Context, ModelView, Part } from "./types";
import { toggle } from "./ui";

/** The epoch counter: 0, 2.5, 12.3, 1,234 (training points seen / training set size). */
export function formatEpoch(epoch: number | undefined): string {
  if (typeof epoch !== "number" || !Number.isFinite(epoch)) return "–";
  return epoch >= 1000 ? Math.floor(epoch).toLocaleString("en-US") : String(Number(epoch.toFixed(1)));
}

export function createTransport(host: HTMLElement, ctx: Context): Part {
  const reset = actionButton("reset", "Reset", "New model from the seed (step 0)");
  const play = actionButton("play", "Play", "Train in the background");
  const pause = actionButton("pause", "Pause", "Stop after the current step");
  const step = actionButton("step", "Step", "One training step");
  const buttons = el("div", "mgw-buttons");
  buttons.append(reset, play, pause, step);

  const counter = el("div", "mgw-counter");
  const count = el("div", "mgw-count");
  const stepField = el("b", undefined, "0");
  stepField.dataset.field = "step";
  const engine = el("span", "mgw-engine");
  engine.dataset.field = "engine";
  const on = el("span", "mgw-small", "on ");
  on.append(engine);
  const epochField = el("span", "mgw-epoch");
  epochField.dataset.field = "epoch";
  const epochBox = el("span", "mgw-small", "epoch ");
  epochBox.append(epochField);
  count.append(el("span", "mgw-small", "step"), stepField, epochBox, on); // "step 1,234 epoch 12.3 on numpy"
  const engines = toggle(
    ctx.config.engines.map((e) => [e, label(e), ENGINE_TITLES[e] ?? ""]),
    "Engine",
    (value) => ctx.set("engine", value),
  );
  engines.node.dataset.setting = "engine";
  engines.node.dataset.control = "engine";
  // "1,240 steps/s · 124 epochs/s" ([data-field=rate] says "paused" when not playing)
  const rate = el("div", "mgw-small mgw-rate");
  rate.dataset.field = "rate";
  const speed = el("span");
  speed.dataset.field = "speed";
  rate.append(speed);
  const line = el("div", "mgw-count"); // the engine switch and its speed on one line
  line.append(engines.node, rate);
  counter.append(count, line);
  host.append(buttons, counter);

  let pausing = false; // Pause was pressed; the thread has not stopped yet
  let last: ModelView | null = null;
  let recheckTimer: ReturnType<typeof setTimeout> | undefined;

  const update = (model: ModelView) => {
    last = model;
    const playing = Boolean(model.get("playing"));
    if (!playing) pausing = false;
    ctx.root.dataset.playing = String(playing);
    play.hidden = playing;
    pause.hidden = !playing;
    pause.disabled = pausing;
    step.disabled = playing || ctx.standalone;
    play.disabled = reset.disabled = ctx.standalone;
    engines.setDisabled(ctx.standalone);
    stepField.textContent = String(model.get("step_count") ?? 0);
    const epoch = model.get("metrics")?.epoch;
    epochBox.hidden = typeof epoch !== "number";
    epochField.textContent = formatEpoch(epoch);
    const name = String(model.get("engine") ?? "");
    engines.show(name);
    engine.textContent = name;
    if (pausing) speed.textContent = "pausing…";
    else if (!playing) speed.textContent = "paused";
    else {
      const steps = formatPer(Number(model.get("steps_per_second") ?? 0), "step");
      const epochs = formatPer(Number(model.get("epochs_per_second") ?? 0), "epoch");
      speed.textContent = !steps ? "starting…" : epochs ? `${steps} · ${epochs}` : steps;
    }
  };

  // Instant feedback on Play and Pause; Python confirms through `playing`. If it does not (it
  // refused to play after a divergence, with the same message as before), look again later.
  const recheck = () => {
    clearTimeout(recheckTimer);
    recheckTimer = setTimeout(() => last && update(last), 1500);
  };
  play.addEventListener("click", () => {
    play.hidden = true;
    pause.hidden = false;
    ctx.send({ type: "play" });
    recheck();
  });
  pause.addEventListener("click", () => {
    pausing = true; // the step under way finishes first (it may be a long one)
    pause.disabled = true;
    speed.textContent = "pausing…";
    ctx.send({ type: "pause" });
    recheck();
  });
  step.addEventListener("click", () => ctx.send({ type: "step" }));
  reset.addEventListener("click", () => ctx.send({ type: "reset" }));

  return {
    topics: ["playing", "step_count", "steps_per_second", "epochs_per_second", "engine", "metrics"],
    update,
    destroy: () => clearTimeout(recheckTimer),
  };
}
