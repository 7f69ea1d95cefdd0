// The view's toolbar: Fit, colour by grad, the gradient-check toggle (when the caller handles it)
// and a status line. The buttons only report; the view decides what they do.
import { el } from "../common/dom";

export interface ToolbarOptions {
  colorOn: boolean;
  /** Present: show the toggle [data-action="gradcheck"] in this state (aria-pressed). */
  gradcheck?: boolean;
  onFit(): void;
  onColor(on: boolean): void;
  onGradcheck?(on: boolean): void;
}

export interface Toolbar {
  root: HTMLElement;
  /** The status text; `fail` shows it as a warning (a gradient check disagreed). */
  update(state: { status?: string; fail?: boolean }): void;
  destroy(): void;
}

export function createToolbar(host: HTMLElement, o: ToolbarOptions): Toolbar {
  const root = el("div", "mgw-toolbar");
  const fit = el("button", undefined, "Fit");
  fit.type = "button";
  fit.dataset.action = "fit";
  fit.title = "Show the whole graph";
  const colorLabel = el("label");
  const colorBox = el("input");
  colorBox.type = "checkbox";
  colorBox.checked = o.colorOn;
  colorBox.dataset.action = "color";
  colorLabel.append(colorBox, " colour by grad");
  colorLabel.title = "Blue: positive gradient, red: negative; stronger = larger |grad|";
  root.append(fit, colorLabel);
  let check: HTMLButtonElement | null = null;
  if (o.gradcheck !== undefined && o.onGradcheck) {
    check = el("button", undefined, "gradcheck");
    check.type = "button";
    check.dataset.action = "gradcheck";
    check.setAttribute("aria-pressed", String(o.gradcheck));
    check.title = "Gradient check: nudge each Value by a tiny h, measure how the output moves, and compare that slope with its grad";
    root.append(check);
  }
  const status = el("span", "mgw-status");
  status.dataset.field = "status";
  root.append(status);
  host.append(root);

  const onFit = () => o.onFit();
  const onColor = () => o.onColor(colorBox.checked);
  const onCheck = () => {
    if (!check) return;
    const on = check.getAttribute("aria-pressed") !== "true";
    check.setAttribute("aria-pressed", String(on));
    o.onGradcheck?.(on);
  };
  fit.addEventListener("click", onFit);
  colorBox.addEventListener("change", onColor);
  check?.addEventListener("click", onCheck);

  return {
    root,
    update({ status: text, fail }) {
      if (text !== undefined) status.textContent = text;
      if (fail !== undefined) status.dataset.fail = String(fail);
    },
    destroy() {
      fit.removeEventListener("click", onFit);
      colorBox.removeEventListener("change", onColor);
      check?.removeEventListener("click", onCheck);
      root.remove();
    },
  };
}

/** The payload's one-line notice ([data-field="notice"], e.g. "Every grad is 0: call
 * o.backward()…"), hidden when empty; returns its setter. */
export function createNotice(host: HTMLElement): (text: string) => void {
  const notice = el("div", "mgw-notice");
  notice.dataset.field = "notice";
  notice.setAttribute("role", "status");
  host.append(notice);
  return (text) => {
    notice.textContent = text;
    notice.hidden = text === "";
  };
}

/** The hint line under the graph (`.mgw-hint`: "expanding …", why Python refused); returns its
 * setter, which shows it. */
export function createHint(host: HTMLElement): (text: string) => void {
  const hint = el("div", "mgw-hint");
  hint.hidden = true;
  host.append(hint);
  return (text) => {
    hint.textContent = text;
    hint.hidden = false;
  };
}
