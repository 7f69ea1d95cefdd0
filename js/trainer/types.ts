// The trainer's model (the synced traits of micrograd_widgets.widgets.trainer.TrainerWidget),
// the messages the page sends, and what every part of the view shares: a part is
// `create(host, ctx) -> { topics, update(model), destroy() }`, wired by js/widgets/trainer.ts.
import type { AnyModel } from "@anywidget/types";
import type { Palette } from "../common/palette";
import type { GraphPayload } from "../graph/data";
import type { TrainerConfig } from "./config";

/** A bytes trait: a DataView in a notebook (and in save_html's page), other views in tests. */
export type Binary = DataView | ArrayBuffer | ArrayBufferView | null;

/** The last history entry (None -> null where not known yet). */
export interface Metrics {
  step?: number;
  train_loss?: number | null;
  test_loss?: number | null;
  accuracy?: number | null;
  test_accuracy?: number | null;
  r2?: number | null; // regression: in place of accuracy
  test_r2?: number | null;
  epoch?: number; // training points seen / training set size
  next_learning_rate?: number | null;
  n_train?: number;
}

/** The data points, sent on reset: coordinates, label (-1/1; the target for regression) and test (0/1) per point. */
export interface Points {
  x?: number[];
  y?: number[];
  label?: number[];
  test?: number[];
}

export interface NeuronInfo {
  layer?: number;
  index?: number;
  point?: number[];
  step?: number;
  output?: number;
  output_layer?: boolean;
  root?: string;
}

export interface TrainerTraits {
  // settings: the page may set these
  dataset: string;
  n: number;
  noise: number;
  test_fraction: number;
  hidden: number[];
  activation: string;
  loss: string;
  l2: number;
  l1: number;
  features: string[]; // in the config's FEATURES order; layer_sizes[0] is their number
  show_test: boolean; // draw the test points on the map
  discretize: boolean; // the map shows the sign of the score only
  schedule: string;
  seed: number;
  learning_rate: number;
  batch_size: number | null;
  engine: string;
  presentation: boolean;
  hide: string[];
  // what the page shows: Python writes these
  config: unknown; // checked by readConfig
  playing: boolean;
  step_count: number;
  steps_per_second: number;
  epochs_per_second: number;
  status: string;
  status_kind: string; // info | reset | error | cost
  metrics: Metrics;
  curves: Binary;
  grid: Binary;
  resolution: number;
  task: string; // classification | regression (follows dataset)
  neuron_maps: Binary; // uint8: one neuron_resolution^2 map per hidden neuron, layer 0 first
  neuron_resolution: number;
  extent: number[];
  points: Points;
  weights: Binary;
  layer_sizes: number[];
  has_custom: boolean;
  neuron_graph: GraphPayload | Record<string, never>;
  neuron_info: NeuronInfo;
  _standalone?: boolean; // set by save_html's page (no kernel behind it)
}

/** The slice of anywidget's model the trainer uses; save_html's page shim provides the same. */
export type TrainerModel = Pick<AnyModel<TrainerTraits>, "get" | "set" | "save_changes" | "on" | "off" | "send">;

/** What a part reads in update(). */
export type ModelView = Pick<AnyModel<TrainerTraits>, "get">;

/** The settings the page may set. */
export type Setting =
  | "dataset" | "n" | "noise" | "test_fraction" | "hidden" | "activation" | "loss" | "l2"
  | "schedule" | "learning_rate" | "batch_size" | "engine" | "l1" | "features" | "show_test" | "discretize"
  | "seed";

/** Page -> Python messages (JSON only: marimo drops page -> Python binary buffers). */
export type PageMessage =
  | { type: "play" | "pause" | "step" | "reset" | "close_neuron" | "use_numpy" }
  | { type: "neuron"; layer: number; index: number; point: [number, number] }
  | { type: "expand_neuron"; key: string }
  | { type: "add_points"; points: [number, number, number][] }
  | { type: "erase_points"; x: number; y: number; radius: number }
  | { type: "set_weight"; layer: number; neuron: number; input: number | "b"; value: number };

/** A pen over the map: add points of class +1 or -1, or erase. */
export type Pen = "+1" | "-1" | "erase";

/** State of the view itself (not in the model): the chosen point, the clicked neuron, a notice. */
export interface ViewState {
  chosen: [number, number] | null; // the point for neuron graphs (data coordinates)
  selected: [number, number] | null; // [layer, index] of the clicked neuron
  notice: string; // a message of the page's own (e.g. "this saved page has no kernel")
  size: number; // bumped when the view's box changes size (canvases redraw)
  hovered: [number, number] | null; // [layer, index] of the hidden neuron under the pointer
  pen: Pen | null; // the pen toggled on (null: a click on the map chooses a point)
  width: number; // the view's width in CSS pixels (the layout's class follows it)
  theme: number; // bumped when the page's theme changes (canvases redraw in its colours)
}

/** What a part's update depends on: traits of the model, or the view's own state. */
export type Topic = keyof TrainerTraits | keyof ViewState;

export interface Context {
  root: HTMLElement; // the view's root (computed font size, presentation class)
  config: TrainerConfig;
  standalone: boolean; // save_html's page: no Python behind it
  set<K extends Setting>(name: K, value: TrainerTraits[K]): void;
  send(message: PageMessage): void;
  view: Readonly<ViewState>;
  setView(patch: Partial<ViewState>): void;
  chooseNeuron(layer: number, index: number): void;
  choosePoint(point: [number, number]): void;
  /** The palette resolved for canvases, in the page's current theme. */
  colors(): Palette;
}

export interface Part {
  /** The traits and view state update() reads: the wiring calls it when one of them changed. */
  topics: readonly Topic[];
  update(model: ModelView): void;
  destroy(): void;
}

export type CreatePart = (host: HTMLElement, ctx: Context) => Part;
