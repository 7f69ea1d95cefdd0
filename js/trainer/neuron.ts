// The clicked neuron's Value graph at the chosen point (Python builds it with the real micrograd
// Values at the current weights; the shared graph view draws it). A Σ box opens on a click
// (Python re-sends the graph); Close asks Python to forget the neuron.
import { decodeGraph, GraphPayload } from "../graph/data";
import { createGraphView, GraphView } from "../graph/view";
import { el } from "../common/dom";
import type { Context, Part } from "./types";
import { num } from "./ui";

/** An empty dict means no neuron is shown. */
const isGraph = (p: GraphPayload | Record<string, never>): p is GraphPayload =>
  "id" in p && Array.isArray(p.id) && p.id.length > 0;

export function createNeuronPanel(host: HTMLElement, ctx: Context): Part {
  host.classList.add("mgw-neuron");
  host.dataset.field = "neuron";
  host.hidden = true;
  const head = el("div", "mgw-neuron-head");
  const title = el("b");
  const close = el("button", undefined, "Close");
  close.type = "button";
  head.append(title, close);
  const graphBox = el("div");
  host.append(head, graphBox);
  let view: GraphView | null = null;

  close.addEventListener("click", () => {
    host.hidden = true;
    ctx.setView({ selected: null });
    ctx.send({ type: "close_neuron" });
  });

  return {
    topics: ["neuron_graph", "neuron_info"],
    update(model) {
      const payload = model.get("neuron_graph") as GraphPayload | Record<string, never> | null;
      const info = model.get("neuron_info") ?? {};
      view?.destroy();
      view = null;
      if (!payload || !isGraph(payload)) {
        host.hidden = true;
        ctx.setView({ selected: null });
        return;
      }
      host.hidden = false;
      const who = info.output_layer ? "output neuron" : `layer ${info.layer}, neuron ${info.index}`;
      const [px, py] = info.point ?? [0, 0];
      title.textContent = `${who} at point (${px.toFixed(3)}, ${py.toFixed(3)}), step ${info.step}: output ${num(info.output)}`;
      ctx.setView({ selected: [info.layer ?? 0, info.index ?? 0], chosen: [px, py] });
      try {
        const shown = createGraphView(graphBox, decodeGraph(payload), {
          toolbar: true,
          maxHeight: 420,
          onExpand: ctx.standalone ? undefined : (key) => ctx.send({ type: "expand_neuron", key }),
          expandHint: "This saved page has no Python kernel: the Σ box opens in the notebook.",
        });
        view = shown;
        // the neuron's output box: marked and scrolled into view (the graph is wider than the page)
        shown.ready.then(() => view === shown && info.root && shown.setActive(info.root)).catch(() => {});
      } catch (error) {
        title.textContent = `Could not draw the graph: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
    destroy: () => view?.destroy(),
  };
}
