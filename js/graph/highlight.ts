// Emphasis: the boxes in a set (and edges between them) drawn strong, everything else dimmed.
export interface Highlightable {
  boxes: SVGGElement[]; // per node
  opNodes: (SVGGElement | null)[]; // per node
  edges: { from: Int32Array; to: Int32Array; show(states: Uint8Array | null): void }; // edges.ts
}

export interface Highlight {
  /** Emphasise node indices `set`; null shows everything plainly. */
  update(set: Set<number> | null): void;
  destroy(): void;
}

export function createHighlight(scene: Highlightable): Highlight {
  const mark = (g: Element, on: boolean, set: Set<number> | null) => {
    g.classList.toggle("mgw-dim", !on);
    const d = (g as SVGElement).dataset;
    if (set && on) d.highlight = "true";
    else delete d.highlight;
  };
  const update = (set: Set<number> | null) => {
    scene.boxes.forEach((box, i) => {
      const on = set === null || set.has(i);
      if (box) mark(box, on, set);
      const op = scene.opNodes[i];
      if (op) mark(op, on, set);
    });
    const { from, to } = scene.edges;
    if (set === null) return scene.edges.show(null);
    const states = new Uint8Array(from.length);
    for (let e = 0; e < from.length; e++) states[e] = set.has(from[e]) && set.has(to[e]) ? 2 : 1;
    scene.edges.show(states);
  };
  return { update, destroy: () => update(null) };
}
