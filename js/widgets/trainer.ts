// The live trainer, wired from its parts (js/lib/trainer/): Python trains in a thread and
// publishes at most ~20 updates a second; each part redraws when a trait it reads changed, at
// most once per animation frame. Parts never touch the model: they read it in update() and
// report the user's actions through the context (set a setting, send a message).
import type { RenderProps } from "@anywidget/types";
import { styleElement } from "../common/dom";
import { setState, showError } from "../common/model";
import { Palette, resolvePalette } from "../common/palette";
import { watchTheme } from "../common/theme";
import { readConfig, TrainerConfig } from "../trainer/config";
import { createControls } from "../trainer/controls";
import { createCurves } from "../trainer/curves";
import { createData } from "../trainer/data";
import { createLayout } from "../trainer/layout";
import { createMap } from "../trainer/map";
import { createMetrics } from "../trainer/metrics";
import { createNetwork } from "../trainer/network";
import { createNeuronPanel } from "../trainer/neuron";
import { createStatus } from "../trainer/status";
import { createTransport } from "../trainer/transport";
import css from "../trainer/trainer.css";
import type { Context, Part, Topic, TrainerModel, TrainerTraits, ViewState } from "../trainer/types";

/** The model save_html's page provides has only this slice of anywidget's; so does render. */
type Props = Pick<RenderProps<TrainerTraits>, "el"> & { model: TrainerModel };

function render({ model, el: host }: Props) {
  const root = document.createElement("div");
  root.className = "mgw-trainer";
  root.dataset.mgw = "trainer";
  setState(root, "loading");
  host.replaceChildren(root);
  let config: TrainerConfig;
  try {
    config = readConfig(model.get("config"));
  } catch (error) {
    showError(root, error);
    return () => {};
  }
  root.append(styleElement(css));
  const standalone = Boolean(model.get("_standalone"));

  // ---- the view's own state, and the parts' way back to Python --------------------------------
  const view: ViewState = { chosen: null, selected: null, notice: "", size: 0, hovered: null, pen: null, width: 0, theme: 0 };
  const dirty = new Set<Topic>();
  let frame = 0;
  const mark = (topic: Topic) => {
    dirty.add(topic);
    if (!frame) frame = requestAnimationFrame(flush);
  };
  const setView = (patch: Partial<ViewState>) => {
    for (const [key, value] of Object.entries(patch) as [keyof ViewState, unknown][]) {
      if (JSON.stringify(view[key]) === JSON.stringify(value)) continue;
      (view as unknown as Record<string, unknown>)[key] = value;
      mark(key);
    }
  };
  // the page's theme: CSS follows it by itself, the canvases redraw (view.theme's topic)
  let palette: Palette | null = null;
  let paletteInPage = false;
  const theme = watchTheme(root, () => {
    palette = null;
    setView({ theme: view.theme + 1 });
  });
  const send: Context["send"] = (message) => {
    if (!standalone) model.send(message);
  };
  const defaultPoint = (): [number, number] => {
    const pts = model.get("points");
    return pts?.x?.length && pts.y?.length ? [pts.x[0], pts.y[0]] : [0, 0];
  };
  const ctx: Context = {
    root,
    config,
    standalone,
    view,
    setView,
    send,
    set(name, value) {
      model.set(name, value);
      model.save_changes();
    },
    chooseNeuron(layer, index) {
      if (standalone) return setView({ notice: "This saved page has no Python kernel: neuron graphs need the notebook." });
      const point = view.chosen ?? defaultPoint();
      setView({ selected: [layer, index], chosen: point });
      send({ type: "neuron", layer, index, point });
    },
    choosePoint(point) {
      setView({ chosen: point });
      if (view.selected) send({ type: "neuron", layer: view.selected[0], index: view.selected[1], point });
    },
    // resolved once per theme, and again once the view is in the page (detached, nothing computes)
    colors() {
      if (!palette || paletteInPage !== root.isConnected) {
        paletteInPage = root.isConnected;
        palette = resolvePalette(root, theme.mode);
      }
      return palette;
    },
  };

  // ---- the parts, in the order they draw --------------------------------------------------------
  const layout = createLayout(root, ctx);
  const { slots } = layout;
  const parts: Part[] = [
    createControls(slots.controls, ctx),
    createTransport(slots.transport, ctx),
    createStatus(slots.status, ctx),
    createData(slots.data, ctx),
    createNetwork(slots.network, ctx),
    createMetrics(slots.metrics, ctx),
    createCurves(slots.curves, ctx),
    createMap(slots.map, ctx),
    createNeuronPanel(slots.neuron, ctx),
    layout, // last: presentation and hide=[...] apply to what the others built
  ];

  function flush() {
    frame = 0;
    const what = new Set(dirty);
    dirty.clear();
    try {
      for (const part of parts) if (part.topics.some((t) => what.has(t))) part.update(model);
      if (root.dataset.state !== "ready") setState(root, "ready");
    } catch (error) {
      showError(root, error);
    }
  }

  // ---- model events: a changed trait marks its topic -------------------------------------------
  const topics = new Set<Topic>(parts.flatMap((p) => p.topics));
  const listeners: [string, () => void][] = [];
  for (const topic of topics) {
    if (topic in view) continue; // the view's own state, marked by setView
    const cb =
      topic === "points"
        ? () => {
            // new data: the old point means nothing (but points drawn with a pen only add to it)
            if (!view.pen) setView({ chosen: null });
            mark("points");
          }
        : topic === "layer_sizes"
          ? () => {
              setView({ hovered: null }); // that neuron may be gone
              mark("layer_sizes");
            }
          : () => mark(topic);
    model.on(`change:${topic}`, cb);
    listeners.push([`change:${topic}`, cb]);
  }
  // the widget's own width picks the layout (not the window's: a notebook column, marimo's, a
  // side panel); the columns' sizes redraw the canvases and the network
  const resize =
    typeof ResizeObserver === "undefined"
      ? null
      : new ResizeObserver(() => setView({ size: view.size + 1, width: Math.round(root.getBoundingClientRect().width) }));
  resize?.observe(root);
  for (const node of layout.watched) resize?.observe(node);
  for (const topic of topics) dirty.add(topic);
  flush();

  return () => {
    for (const [event, cb] of listeners) model.off(event, cb);
    resize?.disconnect();
    theme.destroy();
    if (frame) cancelAnimationFrame(frame);
    for (const part of parts) part.destroy();
  };
}

export default { render };
