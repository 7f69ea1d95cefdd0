// The `config` trait: every list and limit the page offers comes from Python once (the lists Python
// validates against), read and checked here. Display labels are the page's own, falling back to
// the name itself, so a name Python adds shows up without a change here. Pure, no DOM.

export interface Limits {
  max_layers: number;
  max_neurons: number;
  n_min: number;
  n_max: number;
  noise_max: number;
  batch_max: number;
  learning_rate_min: number;
  learning_rate_max: number;
  test_fraction_min: number;
  test_fraction_max: number;
  updates_per_second?: number; // not read by the page today
}

export interface TrainerConfig {
  datasets: string[];
  activations: string[];
  losses: string[];
  engines: string[];
  schedules: string[];
  l2_choices: number[];
  limits: Limits;
}

const LISTS = ["datasets", "activations", "losses", "engines", "schedules"] as const;
const LIMITS: Exclude<keyof Limits, "updates_per_second">[] = [
  "max_layers", "max_neurons", "n_min", "n_max", "noise_max", "batch_max", "learning_rate_min",
  "learning_rate_max", "test_fraction_min", "test_fraction_max",
];

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

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
  const l2 = raw.l2_choices;
  if (!Array.isArray(l2) || !l2.every((x) => typeof x === "number" && Number.isFinite(x))) throw bad("l2_choices must be a list of numbers");
  const rawLimits = raw.limits;
  if (!isRecord(rawLimits)) throw bad("limits is missing");
  const limits = {} as Limits;
  for (const key of LIMITS) {
    const v = rawLimits[key];
    if (typeof v !== "number" || !Number.isFinite(v)) throw bad(`limits.${key} must be a number`);
    limits[key] = v;
  }
  if (!(limits.learning_rate_min > 0 && limits.learning_rate_max > limits.learning_rate_min)) {
    throw bad("limits.learning_rate_min must be > 0 and below learning_rate_max");
  }
  return { ...lists, l2_choices: l2, limits };
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
