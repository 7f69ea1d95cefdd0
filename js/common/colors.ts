// Gradient colouring: sign picks the hue, magnitude (relative to the largest |grad|) the strength.

export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

const POSITIVE = { r: 37, g: 99, b: 235 }; // blue: increasing this value increases the output
const NEGATIVE = { r: 220, g: 38, b: 38 }; // red: increasing it decreases the output
const INVALID = { r: 128, g: 128, b: 128 };

/** Largest finite |x| (0 when there is none). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

/**
 * Fill for a node with gradient `grad` when the largest |grad| is `scale`: null (no fill) for a
 * zero gradient, grey for NaN/inf, otherwise blue (+) or red (-) with alpha growing with the
 * magnitude (square root, so small gradients stay visible next to a big one).
 */
export function gradColor(grad: number, scale: number): Rgba | null {
  if (!Number.isFinite(grad)) return { ...INVALID, a: 0.45 };
  if (grad === 0 || !(scale > 0)) return null;
  const t = Math.min(1, Math.sqrt(Math.abs(grad) / scale));
  const base = grad > 0 ? POSITIVE : NEGATIVE;
  return { ...base, a: Math.round((0.12 + 0.5 * t) * 1000) / 1000 };
}

export function cssColor(c: Rgba | null): string {
  return c === null ? "" : `rgba(${c.r}, ${c.g}, ${c.b}, ${c.a})`;
}
