// The hover text of a box: what it is, its numbers in full, the line that made it, its gradient
// check and, for a Value used more than once, each contribution to its grad and their sum.
// tooltipLines() is pure (tested); createTooltip() places it under the pointer.
import { el } from "../common/dom";
import { fixed4, full, thousands } from "../common/format";
import { contributions, GraphData, headText, openedName } from "./data";

export interface HoverState {
  data: ArrayLike<number>;
  grad: ArrayLike<number>;
  dataKnown: ArrayLike<number> | null; // 0 = not computed yet (player)
  gradKnown: ArrayLike<number> | null;
  gradcheck: boolean; // the gradcheck display is on
  canExpand: boolean;
  canCollapse: boolean;
}

const nameOf = (g: GraphData, i: number) => g.labels[i] || g.ids[i];

/** The tooltip of box i, one string per line. */
export function tooltipLines(g: GraphData, i: number, s: HoverState): string[] {
  const lines: string[] = [];
  if (g.kinds[i] !== "value") {
    lines.push(headText(g, i));
    if (g.kinds[i] === "sum") lines.push(`data ${full(s.data[i])}`, `grad ${full(s.grad[i])}`);
    lines.push(`${thousands(g.counts[i])} values folded`);
    lines.push(s.canExpand ? "click to expand" : "expanding needs a running kernel");
    return lines;
  }
  lines.push(g.labels[i] ? `${g.labels[i]}  (${g.ids[i]})` : g.ids[i]);
  const gradReached = s.gradKnown === null || s.gradKnown[i] !== 0;
  const dataKnown = s.dataKnown === null || s.dataKnown[i] !== 0;
  // a tensor (PyTorch graphs): its shape and first numbers, then `detail` says more
  lines.push(dataKnown && g.dataText[i] ? g.dataText[i] : `data ${dataKnown ? full(s.data[i]) : "? (not computed yet)"}`);
  lines.push(gradReached && g.gradText[i] ? g.gradText[i] : `grad ${gradReached ? full(s.grad[i]) : "? (not reached yet)"}`);
  lines.push(g.ops[i] ? `op   ${g.ops[i]}` : "leaf (no op)");
  if (g.source[i]) lines.push(`line ${g.source[i]}`);
  if (g.detail[i]) lines.push(...g.detail[i].split("\n"));
  if (s.gradcheck && g.slopeKnown[i]) {
    const verdict = g.check[i] === "fail" ? "  ✗ DISAGREES with grad" : g.check[i] === "ok" ? "  ✓ agrees" : "";
    lines.push(`slope ${full(g.slope[i])} (nudged by h)${verdict}`);
  }
  const parts = contributions(g, i);
  if (parts.length > 1) {
    lines.push(`used ${parts.length} times; grad is the sum of what each use sends back:`);
    let sum = 0;
    for (const p of parts) {
      sum += p.amount;
      const op = g.ops[p.to] ? ` (${g.ops[p.to]})` : "";
      lines.push(`  + ${fixed4(p.amount)}  via ${nameOf(g, p.to)}${op}`);
    }
    lines.push(`  = ${fixed4(sum)}${gradReached ? "" : "  (after backward)"}`);
  }
  if (g.scope[i] >= 0) {
    const name = openedName(g.opened[g.scope[i]]);
    lines.push(s.canCollapse ? `in ${name} (⊟ ${name} above folds it)` : `in ${name}`);
  }
  return lines;
}

export interface Tooltip {
  show(lines: string[], clientX: number, clientY: number): void;
  hide(): void;
  destroy(): void;
}

/** A tooltip inside `viewport` (position: relative), kept inside it; hidden when the pointer leaves. */
export function createTooltip(viewport: HTMLElement): Tooltip {
  const tip = el("div", "mgw-tooltip");
  tip.hidden = true;
  tip.setAttribute("role", "tooltip");
  viewport.append(tip);
  const hide = () => {
    tip.hidden = true;
  };
  viewport.addEventListener("pointerleave", hide);
  return {
    show(lines, clientX, clientY) {
      tip.textContent = lines.join("\n");
      tip.hidden = false;
      const r = viewport.getBoundingClientRect();
      const x = clientX - r.left + 14;
      const y = clientY - r.top + 14;
      tip.style.left = `${Math.min(x, Math.max(0, r.width - tip.offsetWidth - 4))}px`;
      tip.style.top = `${Math.min(y, Math.max(0, r.height - tip.offsetHeight - 4))}px`;
    },
    hide,
    destroy() {
      viewport.removeEventListener("pointerleave", hide);
      tip.remove();
    },
  };
}
