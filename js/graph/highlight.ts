// Emphasis: the boxes in a set (and edges between them) drawn strong, everything else dimmed.
export interface Highlightable {
  boxes: SVGGElement[]; // per node
  opNodes: (SVGGElement | null)[]; // per node
  edgePaths: SVGPathElement[]; // data-from / data-to: node indices
  arrows?(states: Uint8Array | null): void; // per edge: 0 plain, 1 dimmed, 2 highlighted
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
    const states = new Uint8Array(scene.edgePaths.length);
    scene.edgePaths.forEach((p, e) => {
      const on = set === null || (set.has(Number(p.dataset.from)) && set.has(Number(p.dataset.to)));
      mark(p, on, set);
      states[e] = set === null ? 0 : on ? 2 : 1;
    });
    scene.arrows?.(set === null ? null : states);
  };
  return { update, destroy: () => update(null) };
}
