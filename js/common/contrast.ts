// Colour arithmetic for the palette and its tests: parse a CSS colour, lay a translucent one over
// its background, WCAG 2 contrast, and how a colour looks with a colour-vision deficiency
// (Machado, Oliveira & Fernandes 2009, full severity) with the CIE76 distance between two.

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** "#abc", "#aabbcc", "#aabbccdd", "rgb(1, 2, 3)", "rgba(1,2,3,.5)", "rgb(1 2 3 / 50%)",
 * "color(srgb 0.1 0.2 0.3)" -> Rgba (0-255, alpha 0-1); null for anything else. */
export function parseColor(text: string | null | undefined): Rgba | null {
  const s = (text ?? "").trim().toLowerCase();
  if (s === "white") return { r: 255, g: 255, b: 255, a: 1 };
  if (s === "black") return { r: 0, g: 0, b: 0, a: 1 };
  if (s === "transparent") return { r: 0, g: 0, b: 0, a: 0 };
  let m = /^#([0-9a-f]{3,8})$/.exec(s);
  if (m) {
    let h = m[1];
    if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join("");
    if (h.length !== 6 && h.length !== 8) return null;
    const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  m = /^rgba?\(([^)]*)\)$/.exec(s);
  if (m) {
    const parts = m[1].split(/[\s,/]+/).filter(Boolean);
    if (parts.length < 3) return null;
    const alpha = parts[3] === undefined ? 1 : parts[3].endsWith("%") ? parseFloat(parts[3]) / 100 : parseFloat(parts[3]);
    const [r, g, b] = parts.slice(0, 3).map((p) => (p.endsWith("%") ? (parseFloat(p) * 255) / 100 : parseFloat(p)));
    return [r, g, b, alpha].every(Number.isFinite) ? { r, g, b, a: alpha } : null;
  }
  m = /^color\(srgb ([^)]*)\)$/.exec(s);
  if (m) {
    const parts = m[1].split(/[\s/]+/).filter(Boolean).map(parseFloat);
    if (parts.length < 3 || !parts.every(Number.isFinite)) return null;
    return { r: parts[0] * 255, g: parts[1] * 255, b: parts[2] * 255, a: parts[3] ?? 1 };
  }
  return null;
}

/** `top` laid over the opaque `bottom` (alpha blending): an opaque colour. */
export function composite(top: Rgba, bottom: Rgba): Rgba {
  const a = Math.max(0, Math.min(1, top.a));
  const mix = (t: number, b: number) => Math.round(t * a + b * (1 - a));
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

const linear = (c: number) => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
};
const gamma = (v: number) => {
  const c = Math.max(0, Math.min(1, v));
  return 255 * (c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055);
};

/** WCAG 2 relative luminance of an opaque colour. */
export function luminance(c: Rgba): number {
  return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
}

/** WCAG 2 contrast ratio (1 … 21) of `fg` drawn over the opaque `bg`. */
export function contrast(fg: Rgba, bg: Rgba): number {
  const a = luminance(composite(fg, bg));
  const b = luminance(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}

export type Deficiency = "protan" | "deutan" | "tritan";

const MACHADO: Record<Deficiency, number[]> = {
  protan: [0.152286, 1.052583, -0.204868, 0.114503, 0.786281, 0.099216, -0.003882, -0.048116, 1.051998],
  deutan: [0.367322, 0.860646, -0.227968, 0.280085, 0.672501, 0.047413, -0.01182, 0.04294, 0.968881],
  tritan: [1.255528, -0.076749, -0.178779, -0.078411, 0.930809, 0.147602, 0.004733, 0.691367, 0.3039],
};

/** How an opaque colour looks to someone with dichromacy `kind`. */
export function simulate(c: Rgba, kind: Deficiency): Rgba {
  const m = MACHADO[kind];
  const v = [linear(c.r), linear(c.g), linear(c.b)];
  const row = (i: number) => m[3 * i] * v[0] + m[3 * i + 1] * v[1] + m[3 * i + 2] * v[2];
  return { r: gamma(row(0)), g: gamma(row(1)), b: gamma(row(2)), a: 1 };
}

function lab(c: Rgba): [number, number, number] {
  const [r, g, b] = [linear(c.r), linear(c.g), linear(c.b)];
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

/** CIE76 colour difference of two opaque colours (about 2.3 is just noticeable; 20+ is plain). */
export function deltaE(a: Rgba, b: Rgba): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/** The smallest deltaE of two colours across normal vision and the three dichromacies. */
export function worstDistance(a: Rgba, b: Rgba): number {
  const kinds: Deficiency[] = ["protan", "deutan", "tritan"];
  return Math.min(deltaE(a, b), ...kinds.map((k) => deltaE(simulate(a, k), simulate(b, k))));
}

export const rgbText = (c: Rgba): string => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
