// Where the parts go: the bar (transport and knobs), the status line under it, three columns
// (data | network and curves under it | metrics, map and its tools) and the neuron panel. The
// columns stay side by side down to a ~560 px widget (Play, network and map on one projector
// screen), narrowing by the width the widget itself gets (`width`, from a ResizeObserver on the
// root): data-layout="wide" | "medium" | "narrow" | "stacked". It also applies presentation mode
// (bigger text) and hide=[...] (by data-control) to whatever the parts built.
import { el } from "../common/dom";
import type { Context, ModelView, Part } from "./types";

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

/** The layout for a widget this wide (CSS pixels; 0 = not measured yet: the medium one). */
export function layoutFor(width: number): "wide" | "medium" | "narrow" | "stacked" {
  if (width >= 1060) return "wide";
  if (width >= 760 || width === 0) return "medium";
  if (width >= 540) return "narrow";
  return "stacked";
}

export function createLayout(root: HTMLElement, ctx: Pick<Context, "view">): Part & { slots: Slots; watched: HTMLElement[] } {
  const bar = el("div", "mgw-bar");
  const transport = el("div", "mgw-transport");
  const controls = el("div", "mgw-controls");
  bar.append(transport, controls);
  const status = el("div");
  const data = el("div", "mgw-col mgw-data");
  const middle = el("div", "mgw-col mgw-mid");
  const network = el("div", "mgw-col mgw-net");
  const curves = el("div", "mgw-col mgw-curves");
  middle.append(network, curves);
  const output = el("div", "mgw-col mgw-out");
  const metrics = el("div");
  const map = el("div", "mgw-col mgw-map");
  output.append(metrics, map);
  const main = el("div", "mgw-main");
  main.append(data, middle, output);
  const neuron = el("div");
  root.append(bar, status, main, neuron);
  return {
    slots: { transport, controls, status, data, network, metrics, curves, map, neuron },
    watched: [network, output], // their size decides the canvases' and the network's drawing
    topics: ["presentation", "hide", "width"],
    update(model: ModelView) {
      root.classList.toggle("mgw-present", Boolean(model.get("presentation")));
      root.dataset.layout = layoutFor(ctx.view.width);
      const hide = new Set(model.get("hide") ?? []);
      // a class, not `hidden`: a part may hide a control of its own accord (not offered here)
      for (const node of root.querySelectorAll<HTMLElement>("[data-control]")) node.classList.toggle("mgw-off", hide.has(node.dataset.control!));
    },
    destroy: () => {},
  };
}
