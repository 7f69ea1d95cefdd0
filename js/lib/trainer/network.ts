// The network: one circle per neuron, one line per weight (blue +, orange −, wider with |w|), the
// +/− buttons for layers and for the neurons of each hidden layer, and a click on a neuron asking
// for its Value graph. The geometry is rebuilt when the layer sizes change; the edges are restyled
// on every update of the weights.
import { el, svgEl } from "../dom";
import { edgeStyle, float32s, splitWeights } from "../trainerplot";
import type { Context, ModelView, Part } from "./types";

const WIDTH = 520; // the SVG's viewBox width (it scales to its column)

/** The data-neuron value of neuron `index` of layer `layer` (0 = the first hidden layer). */
export function neuronKey(layer: number, index: number): string {
  return `${layer}-${index}`;
}

export interface Geometry {
  width: number;
  height: number;
  gap: number;
  radius: number;
  x(layer: number): number; // layer 0 = inputs, sizes.length - 1 = output
  y(layer: number, index: number): number;
}

/** Where the neurons of a network with these layer sizes go (pure: unit-tested). */
export function geometry(sizes: number[]): Geometry {
  const most = Math.max(1, ...sizes);
  const gap = Math.max(14, Math.min(30, 400 / most));
  const height = Math.max(160, most * gap + 30);
  const span = Math.max(1, sizes.length - 1);
  return {
    width: WIDTH,
    height,
    gap,
    radius: Math.max(5, Math.min(10, gap / 2 - 2)),
    x: (l) => 44 + (l * (WIDTH - 100)) / span,
    y: (l, i) => height / 2 + (i - (sizes[l] - 1) / 2) * gap,
  };
}

interface Edge {
  line: SVGLineElement;
  layer: number;
  index: number; // into that layer's W (nout x nin)
}

/** The network into `svg`: a line per weight under a circle per neuron; hidden and output
 * neurons carry data-neuron and call `onNeuron(layer, index)` when clicked. Returns the edges. */
function drawNetwork(svg: SVGSVGElement, sizes: number[], g: Geometry, onNeuron: (layer: number, index: number) => void): Edge[] {
  svg.setAttribute("viewBox", `0 0 ${g.width} ${g.height}`);
  svg.setAttribute("aria-label", `Network with layers ${sizes.join(", ")}`);
  const edgeLayer = svgEl("g");
  const nodeLayer = svgEl("g");
  svg.append(edgeLayer, nodeLayer);
  const edges: Edge[] = [];
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      for (let i = 0; i < sizes[l - 1]; i++) {
        const line = svgEl("line", { x1: g.x(l - 1), y1: g.y(l - 1, i), x2: g.x(l), y2: g.y(l, j) });
        edgeLayer.append(line);
        edges.push({ line, layer: l - 1, index: j * sizes[l - 1] + i });
      }
    }
  }
  const last = sizes.length - 1;
  for (let l = 0; l < sizes.length; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      const node = svgEl("g");
      node.append(svgEl("circle", { cx: g.x(l), cy: g.y(l, i), r: g.radius }));
      if (l === 0 || l === last) {
        const t = svgEl("text", { x: g.x(l) + (l === 0 ? -g.radius - 4 : g.radius + 4), y: g.y(l, i) });
        t.setAttribute("text-anchor", l === 0 ? "end" : "start");
        t.textContent = l === 0 ? `x${i}` : "out";
        node.append(t);
      }
      if (l > 0) {
        const layer = l - 1;
        node.dataset.neuron = neuronKey(layer, i);
        const title = svgEl("title");
        title.textContent = l === last ? "output neuron: click for its Value graph" : `layer ${layer}, neuron ${i}: click for its Value graph`;
        node.append(title);
        node.addEventListener("click", () => onNeuron(layer, i));
      }
      nodeLayer.append(node);
    }
  }
  return edges;
}

/** − n + above each hidden column; `onChange(hiddenLayer, ±1)`. */
function neuronButtons(
  box: HTMLElement, sizes: number[], g: Geometry, maxNeurons: number, disabled: boolean,
  onChange: (layer: number, delta: number) => void,
): void {
  for (let l = 1; l < sizes.length - 1; l++) {
    const column = el("div");
    column.style.left = `${(g.x(l) / g.width) * 100}%`;
    const minus = el("button", undefined, "−");
    const plus = el("button", undefined, "+");
    minus.type = plus.type = "button";
    minus.title = `Fewer neurons in layer ${l - 1}`;
    plus.title = `More neurons in layer ${l - 1}`;
    minus.disabled = sizes[l] <= 1 || disabled;
    plus.disabled = sizes[l] >= maxNeurons || disabled;
    minus.addEventListener("click", () => onChange(l - 1, -1));
    plus.addEventListener("click", () => onChange(l - 1, 1));
    column.append(minus, el("span", "mgw-small", String(sizes[l])), plus);
    box.append(column);
  }
}

export function createNetwork(host: HTMLElement, ctx: Context): Part {
  const { max_layers: maxLayers, max_neurons: maxNeurons } = ctx.config.limits;
  host.dataset.control = "network";
  const head = el("div", "mgw-net-head");
  const addLayer = el("button", undefined, "+");
  const removeLayer = el("button", undefined, "−");
  addLayer.type = removeLayer.type = "button";
  addLayer.title = "Add a hidden layer";
  removeLayer.title = "Remove the last hidden layer";
  const layerCount = el("span");
  const layerControls = el("div", "mgw-net-head");
  layerControls.dataset.control = "layers";
  layerControls.append(addLayer, removeLayer, layerCount);
  head.append(el("h4", undefined, "Network"), layerControls);
  const layerButtons = el("div", "mgw-layer-buttons");
  layerButtons.dataset.control = "layers";
  const svg = svgEl("svg", { class: "mgw-network", role: "img" });
  const hint = el("div", "mgw-small", "Click a neuron to see its Value graph at the chosen point (click the map to choose).");
  host.append(head, layerButtons, svg, hint);

  let edges: Edge[] = [];
  let sizes: number[] = [];
  let hidden: number[] = [];

  const setHidden = (next: number[]) => ctx.set("hidden", next);
  addLayer.addEventListener("click", () => {
    if (hidden.length < maxLayers) setHidden([...hidden, hidden[hidden.length - 1] ?? 4]);
  });
  removeLayer.addEventListener("click", () => {
    if (hidden.length > 0) setHidden(hidden.slice(0, -1));
  });

  const build = () => {
    svg.replaceChildren();
    layerButtons.replaceChildren();
    edges = [];
    if (sizes.length < 2) return;
    const g = geometry(sizes);
    edges = drawNetwork(svg, sizes, g, ctx.chooseNeuron);
    neuronButtons(layerButtons, sizes, g, maxNeurons, ctx.standalone, (l, d) => {
      const next = [...hidden];
      next[l] = Math.min(maxNeurons, Math.max(1, next[l] + d));
      setHidden(next);
    });
    const count = sizes.length - 2;
    layerCount.textContent = `${count} hidden layer${count === 1 ? "" : "s"}`;
    addLayer.disabled = count >= maxLayers || ctx.standalone;
    removeLayer.disabled = count <= 0 || ctx.standalone;
  };

  /** Side by side when the columns are far enough apart, else stacked (+ above −); SVG text
   * scales with the viewBox: keep the labels at the page's text size. */
  const fit = () => {
    const width = svg.clientWidth || WIDTH;
    const apart = sizes.length > 1 ? (width * (440 / WIDTH)) / (sizes.length - 1) : 999;
    const fs = parseFloat(getComputedStyle(ctx.root).getPropertyValue("--mgw-fs")) || 14;
    layerButtons.classList.toggle("mgw-tight", apart < fs * 6.5);
    const k = width / WIDTH;
    svg.style.setProperty("--mgw-net-fs", `${Math.min(2.5 * fs, (0.9 * fs) / k).toFixed(1)}px`);
  };

  const styleEdges = (model: ModelView) => {
    let layers;
    try {
      layers = splitWeights(float32s(model.get("weights")), sizes);
    } catch {
      return; // weights of an older shape: the next update brings matching ones
    }
    let scale = 0;
    for (const { W } of layers) for (let i = 0; i < W.length; i++) scale = Math.max(scale, Math.abs(W[i]) || 0);
    for (const e of edges) {
      const s = edgeStyle(layers[e.layer].W[e.index], scale);
      e.line.setAttribute("stroke", s.color);
      e.line.setAttribute("stroke-width", String(s.width));
      e.line.setAttribute("stroke-opacity", String(s.opacity));
    }
  };

  const markSelected = () => {
    const sel = ctx.view.selected;
    const key = sel ? neuronKey(sel[0], sel[1]) : null;
    for (const node of svg.querySelectorAll<SVGGElement>("g[data-neuron]")) {
      if (node.dataset.neuron === key) node.setAttribute("data-selected", "true");
      else node.removeAttribute("data-selected");
    }
  };

  return {
    topics: ["layer_sizes", "hidden", "weights", "selected", "presentation", "size"],
    update(model) {
      hidden = [...(model.get("hidden") ?? [])];
      const next = model.get("layer_sizes") ?? [];
      if (next.join(",") !== sizes.join(",") || !svg.firstChild) {
        sizes = [...next];
        build();
      }
      fit();
      styleEdges(model);
      markSelected();
    },
    destroy: () => {},
  };
}
