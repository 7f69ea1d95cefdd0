// The graph view's CSS (one <style> per view; every rule is scoped under .mgw-graphview).
export const GRAPH_CSS = `
.mgw-graphview { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  color: var(--mgw-fg); }
.mgw-graphview .mgw-toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap;
  font-family: system-ui, sans-serif; font-size: 12px; margin-bottom: 4px; }
.mgw-graphview .mgw-toolbar button, .mgw-graphview .mgw-opened button { font: inherit; cursor: pointer; color: var(--mgw-fg);
  background: var(--mgw-bg-raised); border: 1px solid var(--mgw-border); border-radius: 4px; }
.mgw-graphview .mgw-toolbar button { padding: 2px 10px; }
.mgw-graphview .mgw-toolbar button:hover, .mgw-graphview .mgw-opened button:hover { background: var(--mgw-bg-sunken); }
.mgw-graphview .mgw-toolbar button[aria-pressed="true"] { background: var(--mgw-accent-soft); border-color: var(--mgw-accent);
  box-shadow: inset 0 0 0 1px var(--mgw-accent); color: var(--mgw-fg-strong); font-weight: 600; }
.mgw-graphview .mgw-status { color: var(--mgw-fg-muted); }
.mgw-graphview .mgw-status[data-fail="true"] { color: var(--mgw-bad-text); font-weight: 600; }
.mgw-graphview .mgw-notice { font-family: system-ui, sans-serif; font-size: 13px; margin: 0 0 4px;
  padding: 3px 8px; border-left: 4px solid var(--mgw-warn); background: var(--mgw-warn-soft); }
.mgw-graphview .mgw-viewport { position: relative; overflow: hidden; cursor: grab; touch-action: none;
  border: 1px solid var(--mgw-border-soft); border-radius: 4px;
  background: var(--mgw-bg); }
.mgw-graphview .mgw-viewport.mgw-dragging { cursor: grabbing; }
.mgw-graphview svg { display: block; width: 100%; height: 100%; user-select: none; }
.mgw-graphview .mgw-box rect.mgw-frame { fill: var(--mgw-bg); stroke: currentColor; stroke-width: 1; }
.mgw-graphview .mgw-box rect.mgw-fill { fill: transparent; stroke: none; pointer-events: none; }
.mgw-graphview .mgw-box line, .mgw-graphview .mgw-box path.mgw-cell-lines { fill: none; stroke: currentColor; stroke-width: 1; }
.mgw-graphview text { fill: currentColor; dominant-baseline: central; text-anchor: middle; }
.mgw-graphview .mgw-op ellipse { fill: var(--mgw-bg); stroke: currentColor; }
.mgw-graphview .mgw-folded rect.mgw-frame { stroke-dasharray: 4 2; fill: var(--mgw-bg-sunken); }
.mgw-graphview .mgw-folded { cursor: pointer; }
.mgw-graphview .mgw-folded text.mgw-sub { fill: currentColor; font-size: 11px; }
.mgw-graphview path.mgw-edge { fill: none; stroke: var(--mgw-line); stroke-width: 1; }
.mgw-graphview path.mgw-arrows { fill: var(--mgw-line); stroke: none; }
.mgw-graphview .mgw-dim { opacity: 0.18; }
.mgw-graphview [data-highlight="true"] rect.mgw-frame, .mgw-graphview [data-highlight="true"] ellipse { stroke-width: 2; }
.mgw-graphview path.mgw-edges-strong { stroke-width: 2; stroke: var(--mgw-fg-strong); }
.mgw-graphview path.mgw-edges-dim, .mgw-graphview path.mgw-arrows-dim { opacity: 0.18; }
.mgw-graphview [data-active="true"] rect.mgw-frame { stroke: var(--mgw-warn); stroke-width: 3; }
/* gradient check: a failing box must stand out from across a classroom. Not by colour alone: a
   failure has a frame two and a half times as thick and its slope cell filled */
.mgw-graphview [data-gradcheck="ok"] rect.mgw-frame { stroke: var(--mgw-ok); stroke-width: 2; }
.mgw-graphview [data-gradcheck="fail"] rect.mgw-frame { stroke: var(--mgw-bad); stroke-width: 5; }
.mgw-graphview [data-gradcheck="fail"] rect.mgw-slope { fill: var(--mgw-bad-text); }
.mgw-graphview [data-gradcheck="fail"] text.mgw-slope { fill: var(--mgw-bg); font-weight: 700; }
.mgw-graphview [data-gradcheck="ok"] rect.mgw-slope { fill: color-mix(in srgb, var(--mgw-ok) 14%, var(--mgw-bg)); }
.mgw-graphview rect.mgw-slope { fill: transparent; stroke: none; }
.mgw-graphview .mgw-tooltip { position: absolute; pointer-events: none; z-index: 10; white-space: pre;
  background: var(--mgw-bg); color: var(--mgw-fg); border: 1px solid var(--mgw-border);
  border-radius: 4px; padding: 4px 8px; box-shadow: 0 2px 6px rgba(0,0,0,.25); font-size: 12px; }
.mgw-graphview .mgw-opened { display: flex; gap: 6px; align-items: center; flex-wrap: wrap;
  font-family: system-ui, sans-serif; font-size: 12px; margin-bottom: 4px; }
.mgw-graphview .mgw-opened button { padding: 1px 8px; }
.mgw-graphview rect.mgw-opened-frame { fill: color-mix(in srgb, var(--mgw-warn) 8%, transparent); stroke: var(--mgw-warn);
  stroke-width: 2.5; stroke-dasharray: 8 4; vector-effect: non-scaling-stroke; pointer-events: none; }
.mgw-graphview .mgw-hint { font-family: system-ui, sans-serif; font-size: 12px; margin-top: 4px; padding-left: 6px;
  border-left: 3px solid var(--mgw-warn); color: var(--mgw-fg); }
.mgw-graphview [hidden] { display: none !important; }
`;
