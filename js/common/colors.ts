// Gradient colouring: sign picks the hue, magnitude (relative to the largest |grad|) the strength.
// The hues are the palette's (--mgw-grad-pos / --mgw-grad-neg, js/common/palette.ts), so a fill
// follows the theme without a redraw; the strength is the fill's opacity.

/** A box's gradient fill: a palette colour and an opacity. */
export interface GradFill {
  color: "grad-pos" | "grad-neg" | "line";
  opacity: number;
}

/** Largest finite |x| (0 when there is none). */
export function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = Math.abs(values[i]);
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

/** The strongest fill's opacity: text on it keeps 4.5:1 in both themes (palette.test.ts). */
export const MAX_OPACITY = 0.62;

/**
 * Fill for a node with gradient `grad` when the largest |grad| is `scale`: null (no fill) for a
 * zero gradient, grey for NaN/inf, otherwise blue (+) or red (-) with opacity growing with the
 * magnitude (square root, so small gradients stay visible next to a big one). The sign is also
 * in the box's text ("grad -0.5"): the hue is never the only cue.
 */
export function gradColor(grad: number, scale: number): GradFill | null {
  if (!Number.isFinite(grad)) return { color: "line", opacity: 0.45 };
  if (grad === 0 || !(scale > 0)) return null;
  const t = Math.min(1, Math.sqrt(Math.abs(grad) / scale));
  return { color: grad > 0 ? "grad-pos" : "grad-neg", opacity: Math.round((0.12 + (MAX_OPACITY - 0.12) * t) * 1000) / 1000 };
}

/** The CSS fill of a GradFill ("" for none). */
export function cssColor(c: GradFill | null): string {
  return c === null ? "" : `var(--mgw-${c.color})`;
}
