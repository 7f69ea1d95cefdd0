// The network: the inputs (named by their features), each hidden neuron as a live thumbnail of its
// output over the input plane (the neuron_maps trait; hovering one shows it large on the map), one
// line per weight (blue +, orange and dashed −, wider with |w|; hover tells its value, a click edits it), the
// +/− buttons for layers and for the neurons of each hidden layer, and a click on a neuron asking
// for its Value graph. The geometry is rebuilt when the layer sizes change; the edges are restyled
// and the thumbnails repainted on every update.
import { el, svgEl } from "../common/dom";
import { bytesOf, byteToUnit, edgeStyle, float32s, gridPixels, Ramp, rampOf, splitWeights } from "./plot";
import type { Context, ModelView, Part } from "./types";
import { createWeightTip, Edge } from "./weights";

const WIDTH = 520; // the SVG's viewBox width (it scales to its column)

/** The data-neuron value of neuron `index` of layer `layer` (0 = the first hidden layer). */
export function neuronKey(layer: number, index: number): string {
  return `${layer}:${index}`;
}

export interface Geometry {
  width: number;
  height: number;
  gap: number;
  radius: number;
  x(layer: number): number; // layer 0 = inputs, sizes.length - 1 = output
  y(layer: number, index: number): number;
}

/** Where the neurons of a network with these layer sizes go (pure: unit-tested); `left` is the
 * input column's x, room for its labels (longer feature names need more). */
export function geometry(sizes: number[], left = 44, right = 56): Geometry {
  const most = Math.max(1, ...sizes);
  const gap = Math.max(14, Math.min(30, 400 / most));
  const height = Math.max(160, most * gap + 30);
  const span = Math.max(1, sizes.length - 1);
  return {
    width: WIDTH,
    height,
    gap,
    radius: Math.max(5, Math.min(10, gap / 2 - 2)),
    x: (l) => left + (l * (WIDTH - right - left)) / span,
    y: (l, i) => height / 2 + (i - (sizes[l] - 1) / 2) * gap,
  };
}

interface Drawn {
  edges: Edge[];
  thumbs: HTMLCanvasElement[]; // one per hidden neuron, layer 0 first (the neuron_maps order)
}

/** The input column's names: the features (x1, x2, x1^2 ...), or x1, x2 ... when not known. */
export function inputNames(features: string[] | undefined, n: number): string[] {
  return Array.from({ length: n }, (_, i) => (features && features.length === n ? features[i] : `x${i + 1}`));
}

/** The network into `svg`: a line per weight (and a wider invisible one to hover) under the
 * neurons; hidden neurons are thumbnails; hidden and output neurons carry data-neuron and call
 * `ctx.chooseNeuron(layer, index)` when clicked. */
function drawNetwork(svg: SVGSVGElement, sizes: number[], g: Geometry, names: string[], ctx: Context): Drawn {
  svg.setAttribute("viewBox", `0 0 ${g.width} ${g.height}`);
  svg.setAttribute("aria-label", `Network with layers ${sizes.join(", ")}`);
  const edgeLayer = svgEl("g");
  const nodeLayer = svgEl("g");
  svg.append(edgeLayer, nodeLayer);
  const edges: Edge[] = [];
  for (let l = 1; l < sizes.length; l++) {
    for (let j = 0; j < sizes[l]; j++) {
      for (let i = 0; i < sizes[l - 1]; i++) {
        const ends = { x1: g.x(l - 1), y1: g.y(l - 1, i), x2: g.x(l), y2: g.y(l, j) };
        const line = svgEl("line", ends);
        const hit = svgEl("line", { ...ends, class: "mgw-hit" });
        edgeLayer.append(line, hit);
        edges.push({ line, hit, layer: l - 1, neuron: j, input: i, index: j * sizes[l - 1] + i });
      }
    }
  }
  const last = sizes.length - 1;
  const side = thumbSide(g);
  const thumbs: HTMLCanvasElement[] = [];
  for (let l = 0; l < sizes.length; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      const node = svgEl("g");
      const [cx, cy] = [g.x(l), g.y(l, i)];
      const hidden = l > 0 && l < last;
      if (hidden) {
        node.append(svgEl("rect", { x: cx - side / 2, y: cy - side / 2, width: side, height: side, rx: 2 }));
        const box = svgEl("foreignObject", { x: cx - side / 2, y: cy - side / 2, width: side, height: side });
        const thumb = el("canvas", "mgw-thumb");
        thumb.dataset.field = "neuron-map";
        thumb.width = thumb.height = 1;
        box.append(thumb);
        node.append(box);
        thumbs.push(thumb);
      } else {
        node.append(svgEl("circle", { cx, cy, r: g.radius }));
        const t = svgEl("text", { x: cx + (l === 0 ? -g.radius - 4 : g.radius + 4), y: cy });
        t.setAttribute("text-anchor", l === 0 ? "end" : "start");
        t.textContent = l === 0 ? names[i] : "out";
        node.append(t);
      }
      if (l > 0) {
        const layer = l - 1;
        node.dataset.neuron = neuronKey(layer, i);
        const title = svgEl("title");
        title.textContent = l === last
          ? "output neuron: click for its Value graph"
          : `layer ${layer}, neuron ${i}: its output over the plane (hover: large on the map); click for its Value graph`;
        node.append(title);
        node.addEventListener("click", () => ctx.chooseNeuron(layer, i));
        if (hidden) {
          node.addEventListener("mouseenter", () => ctx.setView({ hovered: [layer, i] }));
          node.addEventListener("mouseleave", () => ctx.setView({ hovered: null }));
        }
      }
      nodeLayer.append(node);
    }
  }
  return { edges, thumbs };
}

/** The input column's x in viewBox units: the longest name, at the page's text size, fits left of
 * it inside the SVG (so that "sin(x1)" never reaches into the data column). */
export function labelRoom(names: string[], svgWidth: number, fs: number, least = 44): number {
  const k = svgWidth / WIDTH; // CSS px per viewBox unit
  const chars = Math.max(2, ...names.map((n) => n.length));
  const text = (chars * 0.6 * 0.9 * fs) / k; // the labels are drawn at 0.9 fs (see fit)
  return Math.min(WIDTH / 3, Math.max(least, Math.ceil((text + 18) / 4) * 4));
}

/** A hidden neuron's thumbnail side in viewBox units: as big as the column's spacing allows. */
export function thumbSide(g: Geometry): number {
  return Math.max(10, Math.min(34, g.gap - 3));
}

/** Paints each hidden neuron's map (uint8, res x res each) into its thumbnail canvas. */
function paintThumbs(thumbs: HTMLCanvasElement[], maps: Uint8Array, res: number, discretize: boolean, ramp: Ramp): void {
  if (!(res > 0) || maps.length !== thumbs.length * res * res) return; // none yet, or of an older network
  thumbs.forEach((canvas, k) => {
    if (canvas.width !== res) canvas.width = canvas.height = res;
    const c = canvas.getContext("2d");
    if (!c) return;
    const px = gridPixels(maps, k * res * res, res, discretize ? "sign" : "unit", byteToUnit, undefined, ramp);
    c.putImageData(new ImageData(px as unknown as Uint8ClampedArray<ArrayBuffer>, res, res), 0, 0);
  });
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
  const picture = el("div", "mgw-net-picture");
  const tip = createWeightTip(picture, svg, ctx);
  picture.prepend(svg);
  const hint = el("div", "mgw-small", "Click a neuron for its Value graph at the chosen point (click the map to choose); hover a line for its weight, click it to type one.");
  host.append(head, layerButtons, picture, hint);

  let edges: Edge[] = [];
  let thumbs: HTMLCanvasElement[] = [];
  let names: string[] = [];
  let left = 44;
  const right = () => labelRoom(["out"], svg.clientWidth || WIDTH, fontSize(), 56);
  const fontSize = () => parseFloat(getComputedStyle(ctx.root).getPropertyValue("--mgw-fs")) || 14;
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
    thumbs = [];
    tip.setEdges([]);
    if (sizes.length < 2) return;
    const g = geometry(sizes, left, right());
    ({ edges, thumbs } = drawNetwork(svg, sizes, g, names, ctx));
    tip.setEdges(edges);
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
    const k = width / WIDTH;
    const g = geometry(sizes, left, right());
    const apart = sizes.length > 3 ? (g.x(2) - g.x(1)) * k : 999; // between two hidden columns
    const fs = fontSize();
    // the widest "− 16 +" is measured (fonts differ) against the room between two columns:
    // side by side at full size, else smaller, else stacked (+ above −)
    const widest = () => Math.max(0, ...[...layerButtons.children].map((c) => (c as HTMLElement).offsetWidth));
    layerButtons.classList.remove("mgw-tight", "mgw-stack");
    if (widest() + 6 > apart) layerButtons.classList.add("mgw-tight");
    if (widest() + 4 > apart) layerButtons.classList.add("mgw-stack");
    svg.style.setProperty("--mgw-net-fs", `${Math.min(2.5 * fs, (0.9 * fs) / k).toFixed(1)}px`);
  };

  const styleEdges = (model: ModelView) => {
    let layers;
    try {
      layers = splitWeights(float32s(model.get("weights")), sizes);
    } catch {
      return; // weights of an older shape: the next update brings matching ones
    }
    tip.setWeights(layers, names);
    let scale = 0;
    for (const { W } of layers) for (let i = 0; i < W.length; i++) scale = Math.max(scale, Math.abs(W[i]) || 0);
    for (const e of edges) {
      const s = edgeStyle(layers[e.layer].W[e.index], scale);
      // palette colours through style (a presentation attribute takes no var()): the theme
      // recolours the lines by itself; a negative weight is dashed as well as orange
      e.line.style.stroke = `var(--mgw-${s.color})`;
      e.line.style.strokeDasharray = s.dashed ? "5 3" : "";
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
    topics: [
      "layer_sizes", "hidden", "weights", "selected", "presentation", "size", "features", "neuron_maps", "neuron_resolution", "discretize",
      "theme",
    ],
    update(model) {
      hidden = [...(model.get("hidden") ?? [])];
      const next = model.get("layer_sizes") ?? [];
      const nextNames = inputNames(model.get("features"), next[0] ?? 0);
      const nextLeft = labelRoom(nextNames, svg.clientWidth || WIDTH, fontSize());
      if (next.join(",") !== sizes.join(",") || nextNames.join(",") !== names.join(",") || nextLeft !== left || !svg.firstChild) {
        sizes = [...next];
        names = nextNames;
        left = nextLeft;
        build();
      }
      fit();
      styleEdges(model);
      paintThumbs(
        thumbs, bytesOf(model.get("neuron_maps")), Number(model.get("neuron_resolution") ?? 0), Boolean(model.get("discretize")),
        rampOf(ctx.colors()),
      );
      markSelected();
    },
    destroy: () => tip.destroy(),
  };
}
