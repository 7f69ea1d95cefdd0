// A weight under the pointer: hovering an edge of the network tells its value
// ([data-field=weight-tip]), clicking it opens an input to type a new one (Enter sends set_weight
// to Python, which writes the model's Value.data; Escape or leaving the input cancels).
import { el } from "../common/dom";
import type { Context } from "./types";

export interface Edge {
  line: SVGLineElement; // the drawn line
  hit: SVGLineElement; // a wider invisible one on top: what the pointer finds
  layer: number; // 0 = into the first hidden layer (set_weight's numbering)
  neuron: number;
  input: number;
  index: number; // into that layer's W (nout x nin)
}

type Layers = { W: Float32Array; b: Float32Array }[];

/** "layer 0, neuron 3: w2 (from x1^2) = 0.5312" (the output neuron and deeper inputs by place). */
export function describeEdge(e: Edge, layers: Layers, names: string[]): string {
  const last = layers.length - 1;
  const who = e.layer === last ? "output neuron" : `layer ${e.layer}, neuron ${e.neuron}`;
  const from = e.layer === 0 ? names[e.input] ?? `x${e.input + 1}` : `layer ${e.layer - 1}, neuron ${e.input}`;
  const w = layers[e.layer]?.W[e.index];
  return `${who}: w${e.input} (from ${from}) = ${typeof w === "number" ? w.toFixed(4) : "–"}`;
}

/** What a typed weight is: a finite number, or null (then nothing is sent). */
export function parseWeight(text: string): number | null {
  const t = text.trim();
  if (!t) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

export function createWeightTip(host: HTMLElement, svg: SVGSVGElement, ctx: Context) {
  const tip = el("div", "mgw-weight-tip");
  tip.dataset.field = "weight-tip";
  tip.hidden = true;
  tip.setAttribute("role", "status");
  const text = el("span");
  const input = el("input");
  input.type = "text";
  input.inputMode = "decimal";
  input.setAttribute("aria-label", "New weight (Enter sets it, Escape cancels)");
  input.hidden = true;
  tip.append(text, input);
  host.append(tip);

  const byHit = new Map<Element, Edge>();
  let layers: Layers = [];
  let names: string[] = [];
  let shown: Edge | null = null;
  let editing: Edge | null = null;

  const place = (event: MouseEvent) => {
    const box = host.getBoundingClientRect();
    const x = Math.max(0, Math.min(box.width - 40, event.clientX - box.left + 12));
    tip.style.left = `${x}px`;
    tip.style.top = `${Math.max(0, event.clientY - box.top + 14)}px`;
  };
  const show = (e: Edge) => {
    shown = e;
    text.textContent = describeEdge(e, layers, names);
    tip.hidden = false;
    e.line.classList.add("mgw-edge-hover");
  };
  const hide = () => {
    shown?.line.classList.remove("mgw-edge-hover");
    shown = null;
    if (!editing) tip.hidden = true;
  };
  const stopEditing = () => {
    editing?.line.classList.remove("mgw-edge-hover");
    editing = null;
    input.hidden = true;
    tip.hidden = true;
    tip.removeAttribute("data-editing");
  };

  const over = (event: MouseEvent) => {
    const e = byHit.get(event.target as Element);
    if (!e || editing) return;
    show(e);
    place(event);
  };
  const out = (event: MouseEvent) => {
    if (byHit.has(event.target as Element) && !editing) hide();
  };
  const click = (event: MouseEvent) => {
    const e = byHit.get(event.target as Element);
    if (!e) return;
    if (ctx.standalone) return ctx.setView({ notice: "This saved page has no Python kernel: weights are set in the notebook." });
    editing = null;
    show(e);
    place(event);
    editing = e;
    tip.dataset.editing = "true";
    const w = layers[e.layer]?.W[e.index];
    input.value = typeof w === "number" ? String(Number(w.toPrecision(6))) : "";
    input.hidden = false;
    input.focus();
    input.select();
  };
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      stopEditing();
    } else if (event.key === "Enter") {
      event.preventDefault();
      const e = editing;
      const value = parseWeight(input.value);
      if (!e) return stopEditing();
      if (value === null) {
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      ctx.send({ type: "set_weight", layer: e.layer, neuron: e.neuron, input: e.input, value });
      stopEditing();
    }
  });
  input.addEventListener("blur", () => editing && stopEditing());
  svg.addEventListener("mouseover", over);
  svg.addEventListener("mousemove", (event) => shown && !editing && place(event));
  svg.addEventListener("mouseout", out);
  svg.addEventListener("click", click);

  return {
    setEdges(edges: Edge[]) {
      stopEditing();
      hide();
      byHit.clear();
      for (const e of edges) byHit.set(e.hit, e);
    },
    setWeights(next: Layers, inputNames: string[]) {
      layers = next;
      names = inputNames;
      if (shown && !editing) text.textContent = describeEdge(shown, layers, names);
    },
    destroy: () => {},
  };
}
