// Small building blocks of the trainer's parts (the generic ones live in ../dom.ts).
import { el } from "../common/dom";

/** A labelled control block; `name` is what `hide=[...]` refers to (data-control). */
export function knob(name: string, title: string, ...children: Node[]): HTMLDivElement {
  const box = el("div", "mgw-knob");
  box.dataset.control = name;
  const row = el("div", "mgw-row");
  row.append(...children);
  box.append(el("span", undefined, title), row);
  return box;
}

export interface Toggle {
  node: HTMLDivElement;
  /** Marks `value`'s button pressed (aria-checked) and the others not. */
  show(value: string): void;
  setDisabled(disabled: boolean): void;
}

/** A segmented control of [value, text, title] choices (a radio group of buttons): one click,
 * and the current choice readable from across a classroom. */
export function toggle(choices: [string, string, string][], label: string, onChoose: (value: string) => void): Toggle {
  const node = el("div", "mgw-toggle");
  node.setAttribute("role", "radiogroup");
  node.setAttribute("aria-label", label);
  const buttons = choices.map(([value, text, title]) => {
    const b = el("button", undefined, text);
    b.type = "button";
    b.dataset.value = value;
    b.setAttribute("role", "radio");
    b.setAttribute("aria-checked", "false");
    if (title) b.title = title;
    b.addEventListener("click", () => {
      if (b.getAttribute("aria-checked") !== "true") onChoose(value);
    });
    return b;
  });
  node.append(...buttons);
  return {
    node,
    show(value) {
      for (const b of buttons) b.setAttribute("aria-checked", String(b.dataset.value === value));
    },
    setDisabled(disabled) {
      for (const b of buttons) b.disabled = disabled;
    },
  };
}

export const pct = (x: number | null | undefined): string => (typeof x === "number" ? `${(100 * x).toFixed(1)}%` : "–");
export const num = (x: number | null | undefined): string => (typeof x === "number" ? x.toFixed(4) : "–");
