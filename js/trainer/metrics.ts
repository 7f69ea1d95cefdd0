// Loss and accuracy (R^2 for regression) of the last step, on the training and the test points.
import { el } from "../common/dom";
import type { Context, Part } from "./types";
import { num, pct } from "./ui";

export function createMetrics(host: HTMLElement, _ctx: Context): Part {
  const table = el("div", "mgw-metrics");
  const cells: Record<string, HTMLElement> = {};
  table.append(el("span"), el("span", "mgw-small", "train"), el("span", "mgw-small", "test"));
  const names: Record<string, HTMLElement> = {};
  for (const [key, label] of [["loss", "Loss"], ["acc", "Accuracy"]]) {
    names[key] = el("span", undefined, label);
    table.append(names[key]);
    for (const part of ["train", "test"]) {
      const cell = el("b", undefined, "–");
      cell.dataset.field = `${part}-${key}`;
      cells[`${part}-${key}`] = cell;
      table.append(cell);
    }
  }
  host.append(table);
  return {
    topics: ["metrics", "task"],
    update(model) {
      const m = model.get("metrics") ?? {};
      const regression = model.get("task") === "regression";
      cells["train-loss"].textContent = num(m.train_loss);
      cells["test-loss"].textContent = num(m.test_loss);
      // regression: how much of the targets' variance the network explains, in place of accuracy
      names.acc.textContent = regression ? "R²" : "Accuracy";
      cells["train-acc"].textContent = regression ? num(m.r2) : pct(m.accuracy);
      cells["test-acc"].textContent = regression ? num(m.test_r2) : pct(m.test_accuracy);
    },
    destroy: () => {},
  };
}
