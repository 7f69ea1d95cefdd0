// The `config` trait: every list and limit the page offers comes from Python once (the lists Python
// validates against), read and checked here. Display labels are the page's own, falling back to
// the name itself, so a name Python adds shows up without a change here. Pure, no DOM.

export interface Limits {
  max_layers: number;
  max_neurons: number;
  batch_max: number;
}

/** A page slider's range: a part of the setting's own (the constructor takes all of it). */
export interface Slider {
  min: number;
  max: number;
  step?: number; // the learning rate's slider is a log scale: no step
}

export interface TrainerConfig {
  datasets: string[]; // the generated ones
  custom: string; // the name of the user's own (X, y), offered when has_custom
  activations: string[];
  losses: string[];
  engines: string[];
  schedules: string[];
  l2_choices: number[];
  l1_choices: number[]; // [] when Python offers no L1 (an older package): the control is left out
  features: string[]; // the input features the page offers as toggles ([] = none offered)
  tasks: Record<string, string>; // dataset -> classification | regression
  limits: Limits;
  sliders: { n: Slider; noise: Slider; test_fraction: Slider; learning_rate: Slider };
}

const LISTS = ["datasets", "activations", "losses", "engines", "schedules"] as const;
const LIMITS = ["max_layers", "max_neurons", "batch_max"] as const;
const SLIDERS = ["n", "noise", "test_fraction", "learning_rate"] as const;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const isNumber = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** Checks the trait's shape; throws an Error naming what is missing (a Python/JS version mismatch). */
export function readConfig(raw: unknown): TrainerConfig {
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    throw new Error("the trainer's config trait is missing: the Python package and its JavaScript differ in version");
  }
  const bad = (what: string) => new Error(`the trainer's config trait: ${what}`);
  const lists = {} as Record<(typeof LISTS)[number], string[]>;
  for (const key of LISTS) {
    const v = raw[key];
    if (!Array.isArray(v) || v.length === 0 || !v.every((s) => typeof s === "string")) throw bad(`${key} must be a list of names`);
    lists[key] = v;
  }
  if (typeof raw.custom !== "string") throw bad("custom must be a name");
  const l2 = raw.l2_choices;
  if (!Array.isArray(l2) || !l2.every(isNumber)) throw bad("l2_choices must be a list of numbers");
  const rawLimits = isRecord(raw.limits) ? raw.limits : {};
  const limits = {} as Limits;
  for (const key of LIMITS) {
    const v = rawLimits[key];
    if (!isNumber(v)) throw bad(`limits.${key} must be a number`);
    limits[key] = v;
  }
  const rawSliders = isRecord(raw.sliders) ? raw.sliders : {};
  const sliders = {} as TrainerConfig["sliders"];
  for (const key of SLIDERS) {
    const v = rawSliders[key];
    if (!isRecord(v) || !isNumber(v.min) || !isNumber(v.max) || !(v.max > v.min) || (v.step !== undefined && !isNumber(v.step))) {
      throw bad(`sliders.${key} must have numbers min < max (and a step)`);
    }
    sliders[key] = { min: v.min, max: v.max, ...(v.step === undefined ? {} : { step: v.step }) };
  }
  if (!(sliders.learning_rate.min > 0)) throw bad("sliders.learning_rate.min must be > 0 (a log scale)");
  // issue 13's keys: optional, so that a page meeting an older Python still draws what it can
  const l1 = raw.l1_choices ?? [];
  if (!Array.isArray(l1) || !l1.every(isNumber)) throw bad("l1_choices must be a list of numbers");
  const features = raw.features ?? [];
  if (!Array.isArray(features) || !features.every((s) => typeof s === "string")) throw bad("features must be a list of names");
  const rawTasks = raw.tasks ?? {};
  if (!isRecord(rawTasks) || !Object.values(rawTasks).every((t) => typeof t === "string")) throw bad("tasks must map datasets to tasks");
  const tasks = rawTasks as Record<string, string>;
  return { ...lists, custom: raw.custom, l2_choices: l2, l1_choices: l1, features, tasks, limits, sliders };
}

// ---------------------------------------------------------------------------------------------
// what the page calls the names (presentation only)

const LABELS: Record<string, string> = {
  custom: "your data",
  relu: "ReLU",
  tanh: "Tanh",
  linear: "Linear",
  sigmoid: "Sigmoid",
  hinge: "Hinge (max-margin)",
  bce: "Cross-entropy",
  mse: "MSE",
  exponential: "Exponential decay",
  constant: "Constant",
};

/** The page's name for a setting's value; the schedule "linear" is a decay, not an activation. */
export function label(name: string, kind?: "schedule"): string {
  if (kind === "schedule" && name === "linear") return "Linear decay";
  return LABELS[name] ?? name;
}

/** Hover text of the engine toggle's choices. */
export const ENGINE_TITLES: Record<string, string> = {
  micrograd: "micrograd: one Value per number, the graph the lecture builds",
  numpy: "numpy: the same math as matrix products, the same numbers, much faster",
};
