// Number formatting shared by the views: the lecture's "%.4f" in boxes, full precision on hover.

/** A payload number: JSON numbers, or "NaN" / "Infinity" / "-Infinity" strings, or null. */
export type Num = number | string | null | undefined;

/** Payload number -> JS number (null/undefined -> NaN). */
export function toNumber(x: Num): number {
  if (typeof x === "number") return x;
  if (x === null || x === undefined) return NaN;
  return Number(x);
}

/** Like Python's "%.4f" (so boxes read like the lecture's draw_dot): nan, inf, -0.0000. */
export function fixed4(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  const text = x.toFixed(4);
  return x < 0 || Object.is(x, -0) ? (text.startsWith("-") ? text : "-" + text) : text;
}

/** Full precision, round-trippable (shortest representation), Python-style nan/inf. */
export function full(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return String(x);
}

/** 65818 -> "65,818" (no locale surprises in tests). */
export function thousands(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
