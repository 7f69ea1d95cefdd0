// Loss and accuracy of the last step, on the training and the test points.
import { el } from "../dom";
import type { Context, Part } from "./types";
import { num, pct } from "./ui";

export function createMetrics(host: HTMLElement, _ctx: Context): Part {
  const table = el("div", "mgw-metrics");
  const cells: Record<string, HTMLElement> = {};
  table.append(el("span"), el("span", "mgw-small", "train"), el("span", "mgw-small", "test"));
  for (const [key, label] of [["loss", "Loss"], ["acc", "Accuracy"]]) {
    table.append(el("span", undefined, label));
    for (const part of ["train", "test"]) {
      const cell = el("b", undefined, "–");
      cell.dataset.field = `${part}-${key}`;
      cells[`${part}-${key}`] = cell;
      table.append(cell);
    }
  }
  host.append(table);
  return {
    topics: ["metrics"],
    update(model) {
      const m = model.get("metrics") ?? {};
      cells["train-loss"].textContent = num(m.train_loss);
      cells["test-loss"].textContent = num(m.test_loss);
      cells["train-acc"].textContent = pct(m.accuracy);
      cells["test-acc"].textContent = pct(m.test_accuracy);
    },
    destroy: () => {},
  };
}
