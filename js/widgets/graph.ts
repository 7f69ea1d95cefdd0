// The graph widget: draws the `graph` trait with the shared graph view; `values` updates the
// numbers in place (refresh()); clicking a folded box asks Python to expand it, a fold button
// (data-action="collapse") to fold an opened box again.
import { decodeGraph, GraphPayload } from "../lib/graphdata";
import { createGraphView, GraphView } from "../lib/graphview";
import { RenderProps, setState, showError } from "../lib/model";

interface ValuesPayload {
  version: number;
  data: (number | string | null)[];
  grad: (number | string | null)[];
}

function render({ model, el }: RenderProps) {
  const root = document.createElement("div");
  root.dataset.mgw = "graph";
  el.replaceChildren(root);
  const standalone = Boolean(model.get("_standalone"));
  let view: GraphView | null = null;
  let version = -1;

  const applyValues = () => {
    const values = model.get("values") as ValuesPayload | null;
    if (view && values && values.version === version) view.update(values);
  };

  // Python refused an expand (the picture would be too big): say why where "expanding…" was.
  const showNotice = () => {
    const notice = model.get("notice") as string | undefined;
    const box = view?.root.querySelector(".mgw-hint") as HTMLElement | null | undefined;
    if (notice && box) {
      box.textContent = notice;
      box.hidden = false;
    }
  };

  const draw = () => {
    setState(root, "loading");
    try {
      const data = decodeGraph(model.get("graph") as GraphPayload);
      version = data.version;
      // a redraw after the user opened or folded a box keeps their zoom, centred on that box
      const camera = view && data.focus !== null ? view.camera() : null;
      const next = createGraphView(root, data, {
        onExpand: standalone ? undefined : (key) => model.send({ type: "expand", group: key }),
        onCollapse: standalone ? undefined : (key) => model.send({ type: "collapse", group: key }),
        expandHint: "This saved page has no Python kernel: folded boxes can only be expanded in the notebook.",
        camera,
      });
      view?.destroy();
      view = next;
      next.ready
        .then(() => {
          if (view !== next) return;
          applyValues();
          showNotice();
          setState(root, "ready");
        })
        .catch((error) => showError(root, error));
    } catch (error) {
      showError(root, error);
    }
  };

  draw();
  model.on("change:graph", draw);
  model.on("change:values", applyValues);
  model.on("change:notice", showNotice);
  return () => {
    model.off("change:graph", draw);
    model.off("change:values", applyValues);
    model.off("change:notice", showNotice);
    view?.destroy();
  };
}

export default { render };
