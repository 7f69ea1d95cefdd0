// The fold buttons: one per opened box (outer first), so every expand can be undone. Hovering one
// outlines (and highlights) what it folds; clicking asks the caller to fold it.
import { el, svgEl } from "../common/dom";
import { boxesExtent, GraphData, insideOpened, Layout, openedName } from "./data";

export interface OpenedRow {
  /** Draw the outline frame for this layout (after layout). */
  update(layout: Layout): void;
  destroy(): void;
}

export function createOpenedRow(
  host: HTMLElement,
  scene: SVGGElement,
  g: GraphData,
  hooks: { onCollapse(key: string): void; onHover(key: string | null): void },
): OpenedRow {
  const row = el("div", "mgw-opened");
  row.append(el("span", "mgw-status", "Opened (click to fold):"));
  const frame = svgEl("rect", { class: "mgw-opened-frame", rx: 8 });
  frame.style.display = "none";
  scene.prepend(frame);
  let layout: Layout | null = null;

  const outline = (key: string | null) => {
    const box = key === null || !layout ? null : boxesExtent(layout, insideOpened(g, key));
    frame.style.display = box ? "" : "none";
    if (!box) return;
    const m = 8;
    frame.setAttribute("x", (box.x - m).toFixed(1));
    frame.setAttribute("y", (box.y - m).toFixed(1));
    frame.setAttribute("width", (box.width + 2 * m).toFixed(1));
    frame.setAttribute("height", (box.height + 2 * m).toFixed(1));
  };
  const cleanups: (() => void)[] = [];
  for (const key of g.opened) {
    const b = el("button", undefined, `⊟ ${openedName(key)}`);
    b.type = "button";
    b.dataset.action = "collapse";
    b.dataset.opened = key;
    b.title = `Fold ${openedName(key)} back into one box`;
    const enter = () => {
      hooks.onHover(key);
      outline(key);
    };
    const leave = () => {
      hooks.onHover(null);
      outline(null);
    };
    const click = () => hooks.onCollapse(key);
    b.addEventListener("mouseenter", enter);
    b.addEventListener("mouseleave", leave);
    b.addEventListener("click", click);
    cleanups.push(() => {
      b.removeEventListener("mouseenter", enter);
      b.removeEventListener("mouseleave", leave);
      b.removeEventListener("click", click);
    });
    row.append(b);
  }
  host.append(row);
  return {
    update(next) {
      layout = next;
    },
    destroy() {
      for (const c of cleanups) c();
      row.remove();
      frame.remove();
    },
  };
}
