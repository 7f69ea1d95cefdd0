import { describe, expect, it } from "vitest";
import { composite, contrast, deltaE, parseColor, Rgba, simulate, worstDistance } from "./contrast";
import { cssValue, fallbackPalette, Mode, NAMES, PALETTE, paletteCss, resolvePalette } from "./palette";

const rgb = (s: string): Rgba => parseColor(s)!;

describe("colour arithmetic", () => {
  it("parses the forms browsers compute", () => {
    expect(parseColor("#fff")).toEqual({ r: 255, g: 255, b: 255, a: 1 });
    expect(parseColor("#11223380")).toEqual({ r: 17, g: 34, b: 51, a: 128 / 255 });
    expect(parseColor("rgba(255, 255, 255, 0.87)")).toEqual({ r: 255, g: 255, b: 255, a: 0.87 });
    expect(parseColor("rgb(1 2 3 / 50%)")).toEqual({ r: 1, g: 2, b: 3, a: 0.5 });
    expect(parseColor("color(srgb 1 0 0.5)")).toEqual({ r: 255, g: 0, b: 127.5, a: 1 });
    expect(parseColor("var(--x)")).toBeNull();
    expect(parseColor("")).toBeNull();
  });
  it("measures WCAG contrast (black on white is 21, a colour on itself 1)", () => {
    expect(contrast(rgb("#000"), rgb("#fff"))).toBeCloseTo(21, 5);
    expect(contrast(rgb("#777"), rgb("#777"))).toBeCloseTo(1, 5);
    // WebAIM's checker: #767676 on white is 4.54:1, the lightest grey that passes AA
    expect(contrast(rgb("#767676"), rgb("#fff"))).toBeCloseTo(4.54, 2);
    expect(contrast(rgb("#777777"), rgb("#fff"))).toBeLessThan(4.5);
  });
  it("lays translucent colours over their background", () => {
    expect(composite(rgb("rgba(0,0,0,0.5)"), rgb("#fff"))).toEqual({ r: 128, g: 128, b: 128, a: 1 });
    // JupyterLab Dark's text colour: 87% white over #111
    expect(contrast(rgb("rgba(255,255,255,0.87)"), rgb("#111"))).toBeGreaterThan(13);
  });
  it("simulates colour-vision deficiencies: red and green merge for deuteranopes, blue and orange do not", () => {
    const red = rgb("#d00000");
    const green = rgb("#00a000");
    expect(deltaE(red, green)).toBeGreaterThan(80);
    expect(deltaE(simulate(red, "deutan"), simulate(green, "deutan"))).toBeLessThan(25);
    expect(worstDistance(rgb("#1d63c8"), rgb("#c2410c"))).toBeGreaterThan(40);
    // grey stays grey
    const grey = simulate(rgb("#808080"), "protan");
    expect(Math.abs(grey.r - grey.b)).toBeLessThan(2);
  });
});

// what is drawn on what, in both themes: text needs 4.5:1, lines, points and box edges 3:1
type Pair = [fg: string, bg: string, min: number];
const TEXT = 4.5;
const LINE = 3;
const PAIRS: Pair[] = [
  ["fg", "bg", TEXT], ["fg", "bg-raised", TEXT], ["fg", "bg-sunken", TEXT],
  ["fg-muted", "bg", TEXT], ["fg-muted", "bg-raised", TEXT],
  ["accent", "bg", TEXT], ["accent", "bg-raised", TEXT], ["bad-text", "bg", TEXT],
  ["on-accent", "accent-fill", TEXT], ["tip-fg", "tip-bg", TEXT],
  ["line", "bg", LINE], ["line", "bg-sunken", LINE], ["pos", "bg", LINE], ["neg", "bg", LINE],
  ["warn", "bg", LINE], ["ok", "bg", LINE], ["bad", "bg", LINE], ["accent", "bg", LINE],
  ["fg", "bg", LINE], ["warn", "bg-raised", LINE],
];
const MODES: Mode[] = ["light", "dark"];

describe("the palette's fallbacks (marimo, the saved page)", () => {
  for (const mode of MODES) {
    const p = fallbackPalette(mode);
    it(`${mode}: every text reaches 4.5:1 and every line 3:1 on what it is drawn on`, () => {
      const low = PAIRS.map(([f, b, min]) => [f, b, min, contrast(p[f as keyof typeof p], p[b as keyof typeof p])] as const)
        .filter(([, , min, c]) => c < min);
      expect(low).toEqual([]);
    });
    it(`${mode}: text stays readable on the strongest gradient fill and the running node`, () => {
      for (const fill of ["grad-pos", "grad-neg"] as const) {
        const strongest = composite({ ...p[fill], a: 0.62 }, p.bg);
        expect(contrast(p.fg, strongest)).toBeGreaterThanOrEqual(TEXT);
      }
      const running = composite({ ...p.warn, a: 0.42 }, p.bg);
      expect(contrast(p.fg, running)).toBeGreaterThanOrEqual(TEXT);
    });
    it(`${mode}: colours that carry meaning stay apart for the common colour-vision deficiencies`, () => {
      const apart: [string, string][] = [["pos", "neg"], ["grad-pos", "grad-neg"], ["ok", "bad"], ["warn", "ok"], ["fg", "neg"]];
      const close = apart
        .map(([a, b]) => [a, b, worstDistance(p[a as keyof typeof p], p[b as keyof typeof p])] as const)
        .filter(([, , d]) => d < 20);
      expect(close).toEqual([]);
    });
  }
  it("the two themes differ where it matters: background and text swap", () => {
    const light = fallbackPalette("light");
    const dark = fallbackPalette("dark");
    expect(contrast(light.bg, dark.bg)).toBeGreaterThan(15);
    expect(contrast(light.fg, dark.fg)).toBeGreaterThan(10);
  });
});

// JupyterLab 4's own values of the variables the palette reads (theme-light / theme-dark-extension)
const JUPYTERLAB: Record<Mode, Record<string, string>> = {
  light: {
    "--jp-layout-color0": "#fff", "--jp-layout-color1": "#fff", "--jp-layout-color2": "#eee",
    "--jp-ui-font-color0": "#000", "--jp-ui-font-color1": "rgba(0,0,0,.87)", "--jp-ui-font-color2": "rgba(0,0,0,.54)",
    "--jp-border-color1": "#bdbdbd", "--jp-border-color2": "#e0e0e0",
    "--jp-brand-color0": "#0d47a1", "--jp-brand-color1": "#1976d2", "--jp-brand-color2": "#64b5f6",
    "--jp-warn-color0": "#e65100", "--jp-warn-color1": "#f57c00", "--jp-info-color0": "#006064", "--jp-info-color1": "#0097a7",
    "--jp-error-color0": "#b71c1c", "--jp-error-color1": "#d32f2f", "--jp-error-color2": "#e57373",
    "--jp-inverse-layout-color1": "#212121", "--jp-ui-inverse-font-color0": "#fff",
  },
  dark: {
    "--jp-layout-color0": "#111", "--jp-layout-color1": "#212121", "--jp-layout-color2": "#424242",
    "--jp-ui-font-color0": "#fff", "--jp-ui-font-color1": "rgba(255,255,255,.87)", "--jp-ui-font-color2": "rgba(255,255,255,.54)",
    "--jp-border-color1": "#616161", "--jp-border-color2": "#424242",
    "--jp-brand-color0": "#1976d2", "--jp-brand-color1": "#2196f3", "--jp-brand-color2": "#64b5f6",
    "--jp-warn-color0": "#f57c00", "--jp-warn-color1": "#ff9800", "--jp-info-color0": "#0097a7", "--jp-info-color1": "#00bcd4",
    "--jp-error-color0": "#d32f2f", "--jp-error-color1": "#f44336", "--jp-error-color2": "#e57373",
    "--jp-inverse-layout-color1": "#fff", "--jp-ui-inverse-font-color0": "#000",
  },
};

describe("the palette in JupyterLab Light and Dark", () => {
  for (const mode of MODES) {
    const side = mode === "light" ? 0 : 1;
    const raw = Object.fromEntries(NAMES.map((n) => {
      const [jp, fallback] = PALETTE[n][side];
      return [n, rgb(jp ? JUPYTERLAB[mode][jp] ?? fallback : fallback)];
    })) as Record<string, Rgba>;
    const p = Object.fromEntries(NAMES.map((n) => [n, composite(raw[n], raw.bg)])) as Record<string, Rgba>;
    it(`${mode}: reads every variable it names from the theme`, () => {
      for (const n of NAMES) {
        const jp = PALETTE[n][side][0];
        if (jp) expect(JUPYTERLAB[mode][jp], `${n} reads ${jp}`).toBeDefined();
      }
    });
    it(`${mode}: the same contrast as the fallbacks`, () => {
      const low = PAIRS.map(([f, b, min]) => [f, b, min, contrast(p[f], p[b])] as const).filter(([, , min, c]) => c < min);
      expect(low).toEqual([]);
      for (const fill of ["grad-pos", "grad-neg"]) expect(contrast(p.fg, composite({ ...p[fill], a: 0.62 }, p.bg))).toBeGreaterThanOrEqual(TEXT);
    });
    it(`${mode}: meaning colours stay apart`, () => {
      for (const [a, b] of [["pos", "neg"], ["grad-pos", "grad-neg"], ["ok", "bad"], ["warn", "ok"]]) {
        expect(worstDistance(p[a], p[b]), `${a} / ${b}`).toBeGreaterThan(20);
      }
    });
  }
});

describe("palette CSS", () => {
  it("defines every name from a --jp-* variable where one exists, for both themes", () => {
    const css = paletteCss();
    for (const n of NAMES) {
      expect(css).toContain(`--mgw-${n}: ${cssValue(n, "light")};`);
      expect(css).toContain(`--mgw-${n}: ${cssValue(n, "dark")};`);
    }
    expect(cssValue("bg", "dark")).toBe("var(--jp-layout-color0, #111111)");
    expect(cssValue("on-accent", "light")).toBe("#ffffff");
    expect(css).toMatch(/\[data-mgw-theme="dark"\] \{[^}]*color-scheme: dark/);
  });
  it("every fallback parses (canvases use them outside a browser)", () => {
    for (const n of NAMES) for (const side of PALETTE[n]) expect(parseColor(side[1])).not.toBeNull();
  });
  it("resolves to the mode's fallbacks where the DOM computes no custom properties", () => {
    const root = document.createElement("div");
    document.body.append(root);
    const p = resolvePalette(root, "dark");
    expect(p.bg).toEqual(fallbackPalette("dark").bg);
    expect(root.childElementCount).toBe(0); // the probe is gone
    root.remove();
  });
});
