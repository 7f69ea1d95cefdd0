// The graph widget: draws the `graph` trait with the shared graph view; `values` updates the
// numbers in place (refresh()); clicking a folded box asks Python to expand it, a fold button
// (data-action="collapse") to fold an opened box again; the toolbar's gradcheck toggle sets the
// `gradcheck` trait (Python measures the slopes and re-sends `graph` with them).
import type { AnyWidget, RenderProps } from "@anywidget/types";
import { decodeGraph, GraphPayload } from "../graph/data";
import { createGraphView, GraphView } from "../graph/view";
import { Num } from "../common/format";
import { setState, showError } from "../common/model";
import { watchTheme } from "../common/theme";

interface ValuesPayload {
  version: number; // the `graph` these numbers are for; without data: graph's own numbers hold
  data?: Num[];
  grad?: Num[];
  slope?: Num[];
  check?: string[];
  notice?: string;
}

/** The GraphWidget traits the page reads and writes (micrograd_widgets/widgets/graph.py). */
export interface GraphModel {
  graph: GraphPayload;
  values: ValuesPayload | null;
  notice: string; // why an expand or a gradcheck was refused
  gradcheck: boolean;
  _standalone?: boolean; // save_html's page: no kernel
}

/** What render() uses of anywidget's props; save_html's page shim gives the same two. */
export type GraphProps = Pick<RenderProps<GraphModel>, "model" | "el">;

function render({ model, el }: GraphProps) {
  const root = document.createElement("div");
  root.dataset.mgw = "graph";
  el.replaceChildren(root);
  const theme = watchTheme(root); // all SVG and CSS: a theme change needs no redraw
  const standalone = Boolean(model.get("_standalone"));
  let view: GraphView | null = null;
  let version = -1;

  const applyValues = () => {
    const values = model.get("values");
    if (view && values && values.version === version && values.data && values.grad) {
      view.update({ ...values, data: values.data, grad: values.grad });
    }
  };

  // Python refused an expand or a check: say why where "expanding…" was.
  const showNotice = () => {
    const notice = model.get("notice");
    const box = view?.root.querySelector(".mgw-hint") as HTMLElement | null | undefined;
    if (notice && box) {
      box.textContent = notice;
      box.hidden = false;
    }
  };

  const draw = () => {
    setState(root, "loading");
    try {
      const data = decodeGraph(model.get("graph"));
      // a redraw after the user opened or folded a box, or of the same layout (the gradcheck
      // toggle), keeps their zoom
      const keep = view && (data.focus !== null || data.version === version);
      const camera = keep ? view?.camera() ?? null : null;
      const hadFocus = Boolean(view?.root.contains(document.activeElement));
      version = data.version;
      const next = createGraphView(root, data, {
        onExpand: standalone ? undefined : (key) => model.send({ type: "expand", group: key }),
        onCollapse: standalone ? undefined : (key) => model.send({ type: "collapse", group: key }),
        expandHint: "This saved page has no Python kernel: folded boxes can only be expanded in the notebook.",
        camera,
        // a redraw (an expand, a fold, the gradcheck toggle) is drawn at once, over the old picture
        immediate: view !== null,
        gradcheck: Boolean(model.get("gradcheck")),
        // offline there is no kernel to measure slopes: the toggle shows those already sent
        onGradcheck: standalone && !data.check.some((c) => c !== "") ? undefined : (on) => {
          model.set("gradcheck", on);
          model.save_changes();
          if (!on || data.check.some((c) => c !== "")) draw(); // off, or slopes at hand: redraw now
        },
      });
      view?.destroy();
      view = next;
      next.ready
        .then(() => {
          if (view !== next) return;
          applyValues();
          showNotice();
          if (hadFocus) (next.root.querySelector('[data-action="gradcheck"]') as HTMLElement | null)?.focus();
          setState(root, "ready");
        })
        .catch((error) => showError(root, error));
    } catch (error) {
      showError(root, error);
    }
  };

  // Python switched the check off itself (it could not run): redraw without the marks
  const onGradcheck = () => {
    const pressed = view?.root.querySelector('[data-action="gradcheck"]')?.getAttribute("aria-pressed") === "true";
    if (pressed !== Boolean(model.get("gradcheck"))) draw();
  };

  draw();
  model.on("change:graph", draw);
  model.on("change:values", applyValues);
  model.on("change:notice", showNotice);
  model.on("change:gradcheck", onGradcheck);
  return () => {
    model.off("change:graph", draw);
    model.off("change:values", applyValues);
    model.off("change:notice", showNotice);
    model.off("change:gradcheck", onGradcheck);
    view?.destroy();
    theme.destroy();
  };
}

export default { render } satisfies AnyWidget<GraphModel>;
