// Where the parts go: the bar (transport and knobs), the status line under it, three columns
// (data, network, output: metrics, curves, map) and the neuron panel. It also applies
// presentation mode (bigger text) and hide=[...] (by data-control) to whatever the parts built.
import { el } from "../dom";
import type { ModelView, Part } from "./types";

export interface Slots {
  transport: HTMLElement;
  controls: HTMLElement;
  status: HTMLElement;
  data: HTMLElement;
  network: HTMLElement;
  metrics: HTMLElement;
  curves: HTMLElement;
  map: HTMLElement;
  neuron: HTMLElement;
}

export function createLayout(root: HTMLElement): Part & { slots: Slots; watched: HTMLElement[] } {
  const bar = el("div", "mgw-bar");
  const transport = el("div", "mgw-transport");
  const controls = el("div", "mgw-controls");
  bar.append(transport, controls);
  const status = el("div");
  const data = el("div", "mgw-col mgw-data");
  const network = el("div", "mgw-col mgw-net");
  const output = el("div", "mgw-col mgw-out");
  const metrics = el("div");
  const curves = el("div", "mgw-col");
  const map = el("div", "mgw-col mgw-map");
  output.append(metrics, curves, map);
  const main = el("div", "mgw-main");
  main.append(data, network, output);
  const neuron = el("div");
  root.append(bar, status, main, neuron);
  return {
    slots: { transport, controls, status, data, network, metrics, curves, map, neuron },
    watched: [network, output], // their size decides the canvases' and the network's drawing
    topics: ["presentation", "hide"],
    update(model: ModelView) {
      root.classList.toggle("mgw-present", Boolean(model.get("presentation")));
      const hide = new Set(model.get("hide") ?? []);
      for (const node of root.querySelectorAll<HTMLElement>("[data-control]")) node.hidden = hide.has(node.dataset.control!);
    },
    destroy: () => {},
  };
}
