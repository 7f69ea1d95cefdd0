// Element, SVG, button and icon helpers shared by every view (graph, player, trainer).
// All text goes in through textContent: labels are user data, never markup.

export const SVG_NS = "http://www.w3.org/2000/svg";

/** An HTML element with an optional class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** An SVG element with attributes. */
export function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** An SVG text node at (x, y). */
export function svgText(x: number, y: number, content: string, cls?: string): SVGTextElement {
  const t = svgEl("text", { x: x.toFixed(1), y: y.toFixed(1) });
  if (cls) t.setAttribute("class", cls);
  t.textContent = content;
  return t;
}

// Icons as SVG paths in a 16x16 box: symbol glyphs such as ⏮ are missing from many fonts.
export const ICONS: Record<string, string> = {
  reset: "M8 2a6 6 0 1 1-5.6 3.9l1.8.7A4 4 0 1 0 8 4v2.5L4.5 3.3 8 0z",
  rewind: "M3 2h2v12H3zM14 2v12L6 8z",
  back: "M12 2v12L4 8z",
  play: "M4 2v12l9-6z",
  pause: "M3 2h3.5v12H3zM9.5 2H13v12H9.5z",
  step: "M2 2v12l8-6zM11 2h2v12h-2z",
};

/** A 16x16 icon drawn from ICONS (hidden from screen readers: the button has a label). */
export function icon(name: string): SVGSVGElement {
  const svg = svgEl("svg", { viewBox: "0 0 16 16", "aria-hidden": "true" });
  svg.append(svgEl("path", { d: ICONS[name] ?? "", fill: "currentColor" }));
  return svg;
}

/** A button carrying `data-action`, an icon (`iconName`, default the action) and a label. */
export function actionButton(action: string, label: string, title: string, iconName: string = action): HTMLButtonElement {
  const b = el("button");
  b.type = "button";
  b.dataset.action = action;
  b.title = title;
  b.setAttribute("aria-label", title);
  if (ICONS[iconName]) b.append(icon(iconName));
  b.append(el("span", undefined, label));
  return b;
}

/** A <style> element with the given CSS text. */
export function styleElement(css: string): HTMLStyleElement {
  const style = el("style");
  style.textContent = css;
  return style;
}

/**
 * Puts a <style> with `css` once into the document (or shadow root) that `host` is in, marked
 * data-mgw-style=`key`, for every view there to share; false if `host` is not in a page yet (the
 * caller then keeps a <style> of its own). Why: a stylesheet added to or removed from a page makes
 * the browser match its rules against the whole page again, so a <style> per view restyled every
 * graph already in the notebook (tens of thousands of SVG elements) each time a graph was drawn
 * or redrawn. The shared one stays (views come and go; it is a few KB).
 */
export function sharedStyle(host: Node, key: string, css: string): boolean {
  if (!host.isConnected) return false;
  const scope = host.getRootNode();
  const isShadow = typeof ShadowRoot !== "undefined" && scope instanceof ShadowRoot;
  const isDocument = typeof Document !== "undefined" && scope instanceof Document;
  if (!isShadow && !isDocument) return false;
  const within = scope as Document | ShadowRoot;
  const found = within.querySelector(`style[data-mgw-style="${key}"]`);
  if (found) {
    if (found.textContent !== css) found.textContent = css; // another version of the bundle
    return true;
  }
  const style = styleElement(css);
  style.dataset.mgwStyle = key;
  (isDocument ? (within as Document).head ?? (within as Document).documentElement : within).append(style);
  return true;
}

/** Yields to the browser so a "loading" state paints before long work. */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(resolve, 0));
    else setTimeout(resolve, 0);
  });
}

/** A range input with its bounds and an accessible label. */
export function range(min: number, max: number, step: number | "any", label: string): HTMLInputElement {
  const r = el("input");
  r.type = "range";
  r.min = String(min);
  r.max = String(max);
  r.step = String(step);
  r.setAttribute("aria-label", label);
  return r;
}

/** A <select> of [value, text] options with an accessible label. */
export function select(options: [string, string][], label: string): HTMLSelectElement {
  const s = el("select");
  s.setAttribute("aria-label", label);
  setOptions(s, options);
  return s;
}

/** Replaces a <select>'s options (keeps its value when it is still offered). */
export function setOptions(s: HTMLSelectElement, options: [string, string][]): void {
  const value = s.value;
  s.replaceChildren(
    ...options.map(([v, text]) => {
      const o = el("option", undefined, text);
      o.value = v;
      return o;
    }),
  );
  if (options.some(([v]) => v === value)) s.value = value;
}

/** Sizes a canvas's backing store to its CSS box (times the device pixel ratio) and clears it;
 * returns the 2-D context scaled so that drawing uses CSS pixels, and the CSS size. */
export function canvas2d(canvas: HTMLCanvasElement): { ctx: CanvasRenderingContext2D; w: number; h: number } | null {
  const ctx = canvas.getContext("2d");
  if (!ctx) return null;
  const w = canvas.clientWidth || 320;
  const h = canvas.clientHeight || 120;
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}
