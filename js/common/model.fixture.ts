// A stand-in for the anywidget model in jsdom tests: get/set/on/off as the widgets use them;
// `saved` holds what the view set, `sent` what it sent to Python.
import type { WidgetModel } from "./model";

export function fakeModel(state: Record<string, unknown>): WidgetModel & { saved: Record<string, unknown>; sent: unknown[] } {
  const listeners = new Map<string, ((...a: unknown[]) => void)[]>();
  const saved: Record<string, unknown> = {};
  const sent: unknown[] = [];
  return {
    saved,
    sent,
    get: (name) => state[name],
    set: (name, value) => {
      state[name] = value;
      saved[name] = value;
      for (const cb of listeners.get(`change:${name}`) ?? []) cb();
    },
    save_changes: () => {},
    on: (event, cb) => listeners.set(event, [...(listeners.get(event) ?? []), cb]),
    off: (event, cb) => {
      if (!event) return listeners.clear();
      listeners.set(event, (listeners.get(event) ?? []).filter((f) => f !== cb));
    },
    send: (content: unknown) => {
      sent.push(content);
    },
  };
}

