// A trainer's state as Python first sends it (2-16-16-1 on moons, 80 training points), for the
// jsdom tests of the parts and the wiring. The config is the interface's (interface-12.md, and
// issue 13's keys from interface-13.md: features, tasks, l1_choices).
import type { TrainerTraits } from "./types";

export const CONFIG = {
  datasets: ["moons", "circles", "xor", "spiral", "blobs"],
  custom: "custom",
  activations: ["relu", "tanh", "sigmoid", "linear"],
  losses: ["hinge", "bce", "mse"],
  engines: ["micrograd", "numpy"],
  schedules: ["linear", "exponential", "constant"],
  controls: ["dataset", "noise", "size", "split", "layers", "activation", "loss", "l2", "schedule", "learning_rate", "batch_size", "network", "curves", "engine", "features", "l1", "show_test", "discretize", "pens"],
  presentation_hides: ["size", "split", "l2", "schedule", "loss"],
  l2_choices: [0, 1e-5, 1e-4, 1e-3, 1e-2, 0.1],
  l1_choices: [0, 1e-4, 1e-3, 1e-2, 0.03, 0.1],
  features: ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"],
  tasks: { moons: "classification", circles: "classification", xor: "classification", spiral: "classification",
    blobs: "classification", plane: "regression", gauss: "regression" },
  default_learning_rates: { hinge: 1.0, bce: 1.0, mse: 0.1 },
  limits: {
    max_layers: 6, max_neurons: 32, n_min: 4, n_max: 2000, noise_max: 2, batch_max: 2000,
    learning_rate_min: 0, learning_rate_max: 100, l2_max: 10, test_fraction_min: 0, test_fraction_max: 0.9,
    resolution_min: 10, resolution_max: 400, updates_per_second: 20,
  },
  sliders: {
    n: { min: 20, max: 1000, step: 10 },
    noise: { min: 0, max: 1, step: 0.05 },
    test_fraction: { min: 0, max: 0.8, step: 0.05 },
    learning_rate: { min: 1e-4, max: 10 },
  },
};

/** The number of float32s of the weights trait for these layer sizes. */
export const weightCount = (sizes: number[]): number =>
  sizes.slice(1).reduce((sum, nout, l) => sum + nout * sizes[l] + nout, 0);

export function trainerState(over: Partial<Record<keyof TrainerTraits, unknown>> = {}): Record<string, unknown> {
  const sizes = [2, 16, 16, 1];
  return {
    config: structuredClone(CONFIG),
    dataset: "moons", n: 100, noise: 0.1, test_fraction: 0.2, hidden: [16, 16], activation: "relu",
    loss: "hinge", l2: 1e-4, schedule: "linear", seed: 0, learning_rate: 1, batch_size: null,
    engine: "micrograd", presentation: false, hide: [],
    playing: false, step_count: 0, steps_per_second: 0, epochs_per_second: 0, status: "", status_kind: "info",
    metrics: { step: 0, train_loss: 1.2, test_loss: 1.3, accuracy: 0.5, test_accuracy: 0.45, n_train: 80 },
    curves: new Float32Array([0, 1.2, 1.3, 0.5, 0.45]),
    grid: new Float32Array(4), resolution: 2, extent: [-2, 3, -1.5, 2],
    points: { x: [0.5, -1], y: [0.25, 1], label: [1, -1], test: [0, 1] },
    weights: new Float32Array(weightCount(sizes)).fill(0.1), layer_sizes: sizes,
    has_custom: false, neuron_graph: {}, neuron_info: {},
    features: ["x1", "x2"], l1: 0, task: "classification", show_test: false, discretize: false,
    neuron_maps: new Uint8Array(32 * 4).fill(128), neuron_resolution: 2,
    ...over,
  };
}
