// Which theme a view sits in, and following it. JupyterLab (and Notebook 7) say it on <body>:
// data-jp-theme-light="true" | "false"; VS Code says data-vscode-theme-kind; marimo puts its
// resolved theme in body[data-theme] and the classes "dark" / "dark-theme"; elsewhere (the saved
// page) the system's prefers-color-scheme decides. The view's root gets data-mgw-theme, which
// picks the palette's light or dark side (js/common/palette.ts); canvases redraw through onChange.
import { styleElement } from "./dom";
import { Mode, paletteCss } from "./palette";

const DARK_QUERY = "(prefers-color-scheme: dark)";

/** The theme of `doc` (pure but for reading the document and the media query). */
export function detectMode(doc: Document = document, prefersDark?: () => boolean): Mode {
  const body = doc.body;
  const jp = body?.dataset.jpThemeLight;
  if (jp === "true") return "light";
  if (jp === "false") return "dark";
  const vscode = body?.dataset.vscodeThemeKind;
  if (vscode) return vscode === "vscode-light" ? "light" : "dark";
  for (const node of [body, doc.documentElement]) {
    if (!node) continue;
    const t = node.dataset.theme;
    if (t === "dark" || t === "light") return t;
    if (node.classList.contains("dark-theme") || node.classList.contains("vscode-dark")) return "dark";
    if (node.classList.contains("light-theme") || node.classList.contains("vscode-light")) return "light";
  }
  const media = prefersDark ?? (() => typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches);
  return media() ? "dark" : "light";
}

export interface ThemeWatch {
  readonly mode: Mode;
  destroy(): void;
}

/** What tells one theme from another: its mode and the name the page gives it. */
function signature(mode: Mode): string {
  const body = document.body;
  return [mode, body?.dataset.jpThemeName, body?.dataset.theme, body?.dataset.vscodeThemeKind].join("|");
}

/** The attributes on <html> and <body> that tell the theme. */
const WATCHED = ["data-jp-theme-light", "data-jp-theme-name", "data-vscode-theme-kind", "data-theme", "class"];

/**
 * Puts the palette's <style> into `root`, sets root's data-mgw-theme and keeps it current:
 * a MutationObserver on <body> and <html> and the prefers-color-scheme query. `onChange(mode)`
 * runs after each change, once the new theme's CSS has applied (next animation frame), so that
 * canvases read the new colours. destroy() disconnects both.
 */
export function watchTheme(root: HTMLElement, onChange: (mode: Mode) => void = () => {}): ThemeWatch {
  root.prepend(styleElement(paletteCss()));
  let mode = detectMode();
  root.dataset.mgwTheme = mode;
  let seen = signature(mode);
  let frame = 0;
  const check = () => {
    frame = 0;
    mode = detectMode();
    root.dataset.mgwTheme = mode;
    // a theme of the same mode (JupyterLab Dark -> Dark High Contrast) has other colours too;
    // other class changes on <body> (JupyterLab sets some while dragging) are not a new theme
    const now = signature(mode);
    if (now === seen) return;
    seen = now;
    onChange(mode);
  };
  const later = () => {
    if (frame) return;
    frame = typeof requestAnimationFrame === "function" ? requestAnimationFrame(check) : (setTimeout(check, 0) as unknown as number);
  };
  const observer = typeof MutationObserver === "function" ? new MutationObserver(later) : null;
  for (const node of [document.body, document.documentElement]) {
    if (node) observer?.observe(node, { attributes: true, attributeFilter: WATCHED });
  }
  const media = typeof matchMedia === "function" ? matchMedia(DARK_QUERY) : null;
  media?.addEventListener?.("change", later);
  return {
    get mode() {
      return mode;
    },
    destroy() {
      observer?.disconnect();
      media?.removeEventListener?.("change", later);
      if (frame && typeof cancelAnimationFrame === "function") cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
