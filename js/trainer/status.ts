// The status line under the controls (where the eyes are when a click starts a new model or
// training diverges). It always holds a line, so nothing below it jumps when a message comes.
// When Python refused a setting as too costly for micrograd (status_kind "cost"), it offers the
// numpy engine in one click: Python then switches engines and applies the refused setting.
import { el } from "../common/dom";
import type { Context, Part } from "./types";

export const HINT = "Press Play to train. Rate and batch size apply at once; other changes start a new model.";
const SAVED = "Saved page: a snapshot, no Python kernel to train.";

export function createStatus(host: HTMLElement, ctx: Context): Part {
  host.classList.add("mgw-status");
  host.dataset.field = "status";
  host.setAttribute("aria-live", "polite");
  const text = el("span", "mgw-status-text");
  const useNumpy = el("button", "mgw-use-numpy", "Use numpy engine");
  useNumpy.type = "button";
  useNumpy.dataset.action = "use-numpy";
  useNumpy.title = "Switch to the numpy engine (same math, much faster) and apply the setting";
  useNumpy.hidden = true;
  useNumpy.addEventListener("click", () => {
    useNumpy.disabled = true; // until Python answers (a new status)
    ctx.send({ type: "use_numpy" });
  });
  host.append(text, useNumpy);
  return {
    topics: ["status", "status_kind", "notice", "engine"], // a switch answers a use-numpy click too
    update(model) {
      const status = model.get("status");
      const kind = model.get("status_kind") || "info";
      const message = ctx.view.notice || (ctx.standalone ? SAVED : status);
      text.textContent = message || HINT;
      host.dataset.kind = !message ? "hint" : ctx.standalone || ctx.view.notice ? "info" : kind;
      useNumpy.hidden = ctx.standalone || Boolean(ctx.view.notice) || kind !== "cost" || !status;
      useNumpy.disabled = false;
    },
    destroy: () => {},
  };
}
