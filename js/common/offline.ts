// The page that save_html writes: every widget rendered with no kernel, from file:// too.
// The page carries each distinct bundle once (#mgw-bundles, a JSON list of sources) and each
// view's saved state (#mgw-states: which bundle, which traits). Each bundle is imported once from
// a Blob URL; each view gets a model that serves its saved state. A view cannot tell it is not in
// a notebook, except that send() goes nowhere (views read `_standalone` to say so where it matters).
import type { WidgetModel } from "./model";

type Listener = (...args: unknown[]) => void;
type Render = (props: { model: WidgetModel; el: HTMLElement }) => unknown;
type WidgetModule = { render?: Render } | (() => { render?: Render } | Promise<{ render?: Render }>);

export interface SavedView {
  bundle: number;
  state: Record<string, unknown>;
}

/** Saved traits -> model state: `{"$binary": base64}` becomes a DataView, as a kernel's buffers do. */
export function decodeState(raw: Record<string, unknown>): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== null && typeof value === "object" && "$binary" in value) {
      const text = atob(String((value as { $binary: unknown }).$binary));
      const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0));
      state[key] = new DataView(bytes.buffer);
    } else {
      state[key] = value;
    }
  }
  return state;
}

/** A model serving `state`: set() notifies `change:<name>` listeners; send() goes nowhere. */
export function offlineModel(state: Record<string, unknown>): WidgetModel {
  const listeners = new Map<string, Listener[]>();
  return {
    get: (name) => state[name],
    set: (name, value) => {
      state[name] = value;
      for (const callback of listeners.get(`change:${name}`) ?? []) callback();
    },
    save_changes: () => {},
    on: (event, callback) => listeners.set(event, [...(listeners.get(event) ?? []), callback]),
    off: (event, callback) => {
      if (!event) return listeners.clear();
      const kept = callback ? (listeners.get(event) ?? []).filter((f) => f !== callback) : [];
      listeners.set(event, kept);
    },
    send: () => {},
  };
}

/** Imports a bundle's source as an ES module (a Blob URL works from file://, no server needed). */
export function importSource(source: string): Promise<unknown> {
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return import(/* @vite-ignore */ url);
}

async function widgetOf(module: unknown): Promise<{ render?: Render }> {
  const exported = ((module as { default?: unknown }).default ?? module) as WidgetModule;
  return typeof exported === "function" ? await exported() : exported;
}

function readJson<T>(doc: Document, id: string): T {
  const element = doc.getElementById(id);
  if (!element) throw new Error(`this page has no #${id}: was it written by save_html?`);
  return JSON.parse(element.textContent ?? "") as T;
}

/** Renders every saved view into its #mgw-<i>; one that fails says why and the rest still render. */
export async function renderPage(doc: Document, load: (source: string) => Promise<unknown> = importSource): Promise<void> {
  const bundles = readJson<string[]>(doc, "mgw-bundles");
  const views = readJson<SavedView[]>(doc, "mgw-states");
  const modules = new Map<number, Promise<{ render?: Render }>>();
  const widget = (index: number) => {
    if (!modules.has(index)) modules.set(index, load(bundles[index]).then(widgetOf));
    return modules.get(index)!;
  };
  for (const [i, view] of views.entries()) {
    const el = doc.getElementById(`mgw-${i}`);
    if (!el) continue;
    try {
      const { render } = await widget(view.bundle);
      if (typeof render !== "function") throw new Error("the bundle exports no render()");
      await render({ model: offlineModel(decodeState(view.state)), el });
    } catch (error) {
      const box = doc.createElement("div");
      box.className = "mgw-error";
      box.setAttribute("role", "alert");
      box.textContent = `This widget could not be shown: ${error instanceof Error ? error.message : String(error)}`;
      el.replaceChildren(box);
    }
  }
}
