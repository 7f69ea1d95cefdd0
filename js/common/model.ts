// The slice of anywidget's model API the views use; save_html provides the same shape offline.
export interface WidgetModel {
  get(name: string): any;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: (...args: any[]) => void): void;
  off(event?: string | null, callback?: ((...args: any[]) => void) | null): void;
  send(content: unknown, callbacks?: unknown, buffers?: ArrayBuffer[]): void;
}

export interface RenderProps {
  model: WidgetModel;
  el: HTMLElement;
}

export type Cleanup = () => void;

/** Marks a view's root per the DOM contract: data-mgw and data-state. */
export function setState(root: HTMLElement, state: "loading" | "ready" | "error"): void {
  root.dataset.state = state;
}

/** Shows a readable message and flips the root to data-state="error". */
export function showError(root: HTMLElement, error: unknown): void {
  const box = document.createElement("div");
  box.className = "mgw-error";
  box.setAttribute("role", "alert");
  box.textContent = error instanceof Error ? error.message : String(error);
  root.replaceChildren(box);
  setState(root, "error");
}
