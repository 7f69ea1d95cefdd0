// The player's fixed parts around the graph: the controls (buttons, speed, scrubber, counter,
// the forward-pass toggle), the phase line, the chain-rule explanation, the source line, the
// gradcheck notice and the legend. Built once; js/widgets/backprop.ts wires and fills them.
import { actionButton, el as element } from "../common/dom";

export function createChrome() {
  const controls = document.createElement("div");
  controls.className = "mgw-controls";
  const reset = actionButton("reset", "Reset", "Reset to the start (Home)", "rewind");
  const back = actionButton("back", "Back", "Step back (←)");
  const play = actionButton("play", "Play", "Play (space)");
  const pause = actionButton("pause", "Pause", "Pause (space)");
  const step = actionButton("step", "Step", "Step forward (→)");
  const speedLabel = document.createElement("label");
  const speed = document.createElement("select");
  speed.dataset.field = "speed";
  speed.title = "Steps per second while playing";
  speedLabel.append("speed", speed, "/s");
  const scrubber = document.createElement("input");
  scrubber.type = "range";
  scrubber.min = "0";
  scrubber.step = "1";
  scrubber.dataset.field = "scrubber";
  scrubber.setAttribute("aria-label", "Step");
  const counter = document.createElement("span");
  counter.className = "mgw-counter";
  counter.dataset.field = "counter";
  const forwardLabel = document.createElement("label");
  const forwardBox = document.createElement("input");
  forwardBox.type = "checkbox";
  forwardBox.dataset.field = "show-forward";
  forwardLabel.append(forwardBox, "forward pass first");
  forwardLabel.title = "Play the forward pass (values appearing in topological order) before backward";
  controls.append(reset, back, play, pause, step, speedLabel, scrubber, counter, forwardLabel);
  const phase = document.createElement("div");
  phase.className = "mgw-phase";
  phase.dataset.field = "phase";
  const explanation = document.createElement("div");
  explanation.className = "mgw-explanation";
  explanation.dataset.field = "explanation";
  explanation.setAttribute("aria-live", "polite");
  // the line of the cell that made the node being stepped through (%%micrograd cells only)
  const source = element("div", "mgw-source");
  source.dataset.field = "source";
  source.hidden = true;
  const refused = element("div", "mgw-refused");
  refused.dataset.field = "gradcheck-notice";
  refused.setAttribute("role", "status");
  refused.hidden = true;
  const legend = document.createElement("div");
  legend.className = "mgw-legend";
  const legendItem = (cls: string): HTMLSpanElement => {
    const item = document.createElement("span");
    const swatch = document.createElement("span");
    swatch.className = `mgw-key ${cls}`;
    const text = document.createElement("span");
    item.append(swatch, text);
    legend.append(item);
    return text;
  };
  const activeKey = legendItem("mgw-key-active");
  const writtenKey = legendItem("mgw-key-written");
  const pendingKey = legendItem("mgw-key-pending");
  return {
    controls, reset, back, play, pause, step, speed, scrubber, counter, forwardLabel, forwardBox, phase,
    explanation, source, refused, legend, activeKey, writtenKey, pendingKey,
  };
}
