// The offline page's script in jsdom: saved state becomes a model the views can use, each bundle
// is loaded once however many views use it, and a view that fails does not stop the others.
import { afterEach, describe, expect, it } from "vitest";
import { decodeState, offlineModel, renderPage } from "./offline";

afterEach(() => document.body.replaceChildren());

function page(bundles: string[], views: { bundle: number; state: Record<string, unknown> }[]) {
  const json = (id: string, value: unknown) => {
    const script = document.createElement("script");
    script.type = "application/json";
    script.id = id;
    script.textContent = JSON.stringify(value);
    return script;
  };
  const hosts = views.map((_, i) => Object.assign(document.createElement("div"), { id: `mgw-${i}` }));
  document.body.replaceChildren(...hosts, json("mgw-bundles", bundles), json("mgw-states", views));
  return hosts;
}

describe("decodeState", () => {
  it("turns {$binary: base64} into a DataView of those bytes and keeps the rest", () => {
    const bytes = new Float64Array([1.5, -2]);
    const base64 = btoa(String.fromCharCode(...new Uint8Array(bytes.buffer)));
    const state = decodeState({ grid: { $binary: base64 }, label: "a", n: 3, none: null });
    const grid = state.grid as DataView;
    expect(grid).toBeInstanceOf(DataView);
    expect([grid.getFloat64(0, true), grid.getFloat64(8, true)]).toEqual([1.5, -2]);
    expect(state).toMatchObject({ label: "a", n: 3, none: null });
  });
});

describe("offlineModel", () => {
  it("serves state, tells change listeners, forgets removed ones, sends nowhere", () => {
    const model = offlineModel({ step: 0 });
    const seen: number[] = [];
    const listener = () => seen.push(model.get("step"));
    model.on("change:step", listener);
    model.set("step", 1);
    model.set("other", 5);
    model.off("change:step", listener);
    model.set("step", 2);
    expect(seen).toEqual([1]);
    expect(model.get("step")).toBe(2);
    model.on("change:step", listener);
    model.off();
    model.set("step", 3);
    expect(seen).toEqual([1]);
    expect(() => model.send({ type: "expand" })).not.toThrow();
    expect(() => model.save_changes()).not.toThrow();
  });
});

describe("renderPage", () => {
  it("loads each bundle once and renders every view into its own element", async () => {
    const hosts = page(["A", "B"], [
      { bundle: 0, state: { label: "first" } },
      { bundle: 1, state: { label: "second" } },
      { bundle: 0, state: { label: "third", _standalone: true } },
    ]);
    const loaded: string[] = [];
    await renderPage(document, async (source) => {
      loaded.push(source);
      return {
        default: {
          render: ({ model, el }: { model: { get(k: string): unknown }; el: HTMLElement }) => {
            el.textContent = `${source}:${model.get("label")}:${model.get("_standalone") ?? false}`;
          },
        },
      };
    });
    expect(loaded).toEqual(["A", "B"]);
    expect(hosts.map((h) => h.textContent)).toEqual(["A:first:false", "B:second:false", "A:third:true"]);
  });

  it("accepts a module exporting a function that returns the widget (anywidget's other form)", async () => {
    const [host] = page(["A"], [{ bundle: 0, state: {} }]);
    await renderPage(document, async () => ({
      default: () => ({ render: ({ el }: { el: HTMLElement }) => void (el.textContent = "ok") }),
    }));
    expect(host.textContent).toBe("ok");
  });

  it("shows why a view failed, as text, and still renders the next one", async () => {
    const hosts = page(["bad", "good"], [
      { bundle: 0, state: {} },
      { bundle: 1, state: {} },
    ]);
    await renderPage(document, async (source) => {
      if (source === "bad") throw new Error("<b>broken</b> bundle");
      return { render: ({ el }: { el: HTMLElement }) => void (el.textContent = "drawn") };
    });
    const alert = hosts[0].querySelector("[role='alert']")!;
    expect(alert.textContent).toBe("This widget could not be shown: <b>broken</b> bundle");
    expect(hosts[0].querySelector("b")).toBeNull();
    expect(hosts[1].textContent).toBe("drawn");
  });

  it("says what is missing on a page that has no saved state", async () => {
    document.body.replaceChildren();
    await expect(renderPage(document, async () => ({}))).rejects.toThrow(/#mgw-bundles.*save_html/);
  });
});
