// How a data point is drawn, on the map's canvas and as an SVG key (the legend, the pens): its
// class colour, a ring in the strongest text colour (it reads on both ends of the map's ramp),
// and, so that the class is not told by colour alone, its sign inside: "+" for +1, "−" for −1.
// Training points are discs, test points squares.
import { rgbText } from "../common/contrast";
import { svgEl } from "../common/dom";
import type { Palette } from "../common/palette";
import type { Ramp, Rgb } from "./plot";

export interface Mark {
  label: number; // -1 / +1 (classification) or the target (regression)
  test: boolean;
  regression: boolean;
}

/** A point's fill: its class colour, or for regression its target on the full ramp. */
export function pointColor(label: number, regression: boolean, ramp: Ramp): Rgb {
  if (!regression) return label > 0 ? ramp.pos : ramp.neg;
  const t = Math.max(-1, Math.min(1, label));
  const end = t < 0 ? ramp.neg : ramp.pos;
  const a = Math.abs(t);
  return [0, 1, 2].map((k) => Math.round(ramp.mid[k] + (end[k] - ramp.mid[k]) * a)) as Rgb;
}

/** The sign drawn inside a point: "+" and "−" for the classes, none for regression targets. */
export function signOf(m: Mark): "+" | "−" | "" {
  return m.regression ? "" : m.label > 0 ? "+" : "−";
}

/** Draws the point `m` of radius r at (x, y) on a canvas. */
export function drawMark(c: CanvasRenderingContext2D, x: number, y: number, r: number, m: Mark, colors: Palette, ramp: Ramp): void {
  const [R, G, B] = pointColor(m.label, m.regression, ramp);
  c.fillStyle = `rgb(${R},${G},${B})`;
  c.strokeStyle = rgbText(colors["fg-strong"]);
  c.lineWidth = m.test ? 1.6 : 1.2;
  c.setLineDash([]);
  c.beginPath();
  if (m.test) c.rect(x - r, y - r, 2 * r, 2 * r);
  else c.arc(x, y, r, 0, 2 * Math.PI);
  c.fill();
  c.stroke();
  const sign = signOf(m);
  if (!sign || r < 3) return;
  const s = r * 0.62;
  c.strokeStyle = rgbText(colors.bg);
  c.lineWidth = Math.max(1.2, r * 0.32);
  c.beginPath();
  c.moveTo(x - s, y);
  c.lineTo(x + s, y);
  if (sign === "+") {
    c.moveTo(x, y - s);
    c.lineTo(x, y + s);
  }
  c.stroke();
}

/** The same mark as a small SVG (the legend's keys and the pens), coloured by the palette's CSS
 * variables so that it follows the theme by itself. `fill` is a palette name. */
export function markSvg(sign: "+" | "−" | "", test: boolean, fill: "pos" | "neg" | "line"): SVGSVGElement {
  const svg = svgEl("svg", { class: "mgw-mark", viewBox: "-7 -7 14 14", "aria-hidden": "true" });
  const style = `fill: var(--mgw-${fill}); stroke: var(--mgw-fg-strong); stroke-width: 1.4`;
  svg.append(test ? svgEl("rect", { x: -5.5, y: -5.5, width: 11, height: 11, style }) : svgEl("circle", { r: 6, style }));
  if (sign) {
    const d = sign === "+" ? "M-3.5 0H3.5M0 -3.5V3.5" : "M-3.5 0H3.5";
    svg.append(svgEl("path", { d, style: "stroke: var(--mgw-bg); stroke-width: 2; fill: none" }));
  }
  return svg;
}
