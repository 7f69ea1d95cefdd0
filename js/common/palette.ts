// The one palette of every widget: each colour is a CSS custom property --mgw-<name>, defined
// from a JupyterLab theme variable (--jp-*) with a fallback for where those don't exist (marimo,
// the saved page, VS Code). The light and the dark theme each have their own choice, because
// one --jp-* role rarely reads well in both (JupyterLab Light's brand-color0 is a deep blue that
// vanishes on JupyterLab Dark's #111). The view's root carries data-mgw-theme="light" | "dark"
// (js/common/theme.ts decides which and follows changes); CSS uses var(--mgw-<name>), canvases
// resolve the same names to rgb with resolvePalette.
import { composite, parseColor, Rgba } from "./contrast";

/** A palette entry in one theme: the --jp-* variable it comes from (or null) and the fallback. */
export type Source = [jp: string | null, fallback: string];

export type Mode = "light" | "dark";

/** name -> [light, dark]. The fallbacks alone pass the contrast and colour-vision tests in
 * palette.test.ts; JupyterLab's own values are measured in tests/browser/test_themes_browser.py. */
export const PALETTE = {
  // surfaces
  bg: [["--jp-layout-color0", "#ffffff"], ["--jp-layout-color0", "#111111"]],
  "bg-raised": [["--jp-layout-color1", "#f6f8fa"], ["--jp-layout-color1", "#1e1e1e"]],
  "bg-sunken": [["--jp-layout-color2", "#eaeef2"], ["--jp-layout-color1", "#262626"]],
  // text and lines in the text colour
  fg: [["--jp-ui-font-color1", "#1f2328"], ["--jp-ui-font-color1", "#e6e6e6"]],
  "fg-strong": [["--jp-ui-font-color0", "#000000"], ["--jp-ui-font-color0", "#ffffff"]],
  "fg-muted": [["--jp-ui-font-color2", "#59636e"], ["--jp-ui-font-color2", "#9aa1a9"]],
  // graph edges, axes, dashed (not yet reached) boxes: thin lines that must still read (3:1)
  line: [["--jp-ui-font-color2", "#57606a"], ["--jp-ui-font-color2", "#8b949e"]],
  // control borders (decorative: buttons also differ by their fill)
  border: [["--jp-border-color1", "#8c959f"], ["--jp-border-color1", "#5c6370"]],
  "border-soft": [["--jp-border-color2", "#d0d7de"], ["--jp-border-color2", "#3d444d"]],
  // the accent: links, focus, selected and pressed controls (text and lines on bg)
  accent: [["--jp-brand-color0", "#1d4ed8"], ["--jp-brand-color2", "#60a5fa"]],
  // filled buttons (Play): white text on it
  "accent-fill": [["--jp-brand-color1", "#1d4ed8"], ["--jp-brand-color0", "#1d63c8"]],
  "on-accent": [[null, "#ffffff"], [null, "#ffffff"]],
  // amber: the node being processed, notices (lines and borders; text stays fg)
  warn: [["--jp-warn-color0", "#b45309"], ["--jp-warn-color1", "#f59e0b"]],
  // gradcheck ok / a grad just written, and a failure (red): lines. Teal rather than green:
  // green and red merge for deuteranopes (palette.test.ts simulates it), teal and red do not.
  ok: [["--jp-info-color0", "#0f766e"], ["--jp-info-color1", "#2dd4bf"]],
  bad: [["--jp-error-color1", "#dc2626"], ["--jp-error-color2", "#f47174"]],
  "bad-text": [["--jp-error-color0", "#b91c1c"], ["--jp-error-color2", "#f47174"]],
  // gradient fills (translucent, under text): + blue, − red
  "grad-pos": [["--jp-brand-color1", "#2563eb"], ["--jp-brand-color0", "#1d63c8"]],
  "grad-neg": [["--jp-error-color1", "#dc2626"], ["--jp-error-color0", "#c62828"]],
  // the data's classes (and the weights' signs): +1 blue, −1 orange; lines, points, swatches
  pos: [["--jp-brand-color1", "#1d63c8"], ["--jp-brand-color2", "#60a5fa"]],
  neg: [["--jp-warn-color0", "#c2410c"], ["--jp-warn-color1", "#fb923c"]],
  // the inverse surface of tooltips over a picture
  "tip-bg": [["--jp-inverse-layout-color1", "#1f2328"], ["--jp-inverse-layout-color1", "#f0f0f0"]],
  "tip-fg": [["--jp-ui-inverse-font-color0", "#ffffff"], ["--jp-ui-inverse-font-color0", "#000000"]],
} satisfies Record<string, [Source, Source]>;

export type ColorName = keyof typeof PALETTE;
/** The palette resolved to opaque colours (what canvases draw with). */
export type Palette = Record<ColorName, Rgba>;
export const NAMES = Object.keys(PALETTE) as ColorName[];

/** The CSS value of `name` in `mode`: var(--jp-x, fallback), or the fallback alone. */
export function cssValue(name: ColorName, mode: Mode): string {
  const [jp, fallback] = PALETTE[name][mode === "light" ? 0 : 1];
  return jp ? `var(${jp}, ${fallback})` : fallback;
}

/** The custom properties for both themes, on any element carrying data-mgw-theme (the widget
 * roots). Derived tints mix a palette colour into the background, so they follow it too. */
export function paletteCss(): string {
  const block = (mode: Mode) => NAMES.map((n) => `--mgw-${n}: ${cssValue(n, mode)};`).join(" ");
  const tints = [
    "--mgw-accent-soft: color-mix(in srgb, var(--mgw-accent) 16%, var(--mgw-bg));",
    "--mgw-warn-soft: color-mix(in srgb, var(--mgw-warn) 14%, var(--mgw-bg));",
    "--mgw-bad-soft: color-mix(in srgb, var(--mgw-bad) 14%, var(--mgw-bg));",
    "--mgw-running: color-mix(in srgb, var(--mgw-warn) 42%, var(--mgw-bg));",
  ].join(" ");
  return [
    `[data-mgw-theme] { ${block("light")} ${tints} color-scheme: light; }`,
    `[data-mgw-theme="dark"] { ${block("dark")} color-scheme: dark; }`,
  ].join("\n");
}

/** The palette as opaque colours: the fallbacks of `mode` (canvases without a computed style). */
export function fallbackPalette(mode: Mode): Palette {
  const out = {} as Palette;
  for (const n of NAMES) out[n] = parseColor(PALETTE[n][mode === "light" ? 0 : 1][1])!;
  return out;
}

/**
 * The palette as the page computes it under `root` (JupyterLab's values where they exist), each
 * colour made opaque over the resolved background. A hidden probe element reads each custom
 * property through `color`, so var() chains and named colours come back as rgb(); where the
 * browser does not compute them (a test's DOM), the mode's fallbacks are used.
 */
export function resolvePalette(root: HTMLElement, mode: Mode): Palette {
  const out = fallbackPalette(mode);
  // one look first: a view not in the page yet computes nothing, a DOM that does not resolve
  // var() (a test's) leaves it in: the fallbacks then
  if (typeof getComputedStyle !== "function") return out;
  const bgValue = getComputedStyle(root).getPropertyValue("--mgw-bg").trim();
  if (!bgValue || bgValue.includes("var(")) return out;
  const probe = document.createElement("span");
  probe.hidden = true;
  root.append(probe);
  try {
    for (const n of NAMES) {
      probe.style.color = `var(--mgw-${n})`;
      const c = parseColor(getComputedStyle(probe).color);
      if (c) out[n] = c;
    }
  } finally {
    probe.remove();
  }
  const bg = composite(out.bg, mode === "light" ? WHITE : BLACK);
  for (const n of NAMES) out[n] = n === "bg" ? bg : composite(out[n], bg);
  return out;
}

const WHITE: Rgba = { r: 255, g: 255, b: 255, a: 1 };
const BLACK: Rgba = { r: 0, g: 0, b: 0, a: 1 };
