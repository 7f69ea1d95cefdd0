// The graph view's CSS (one <style> per view; every rule is scoped under .mgw-graphview).
export const GRAPH_CSS = `
.mgw-graphview { font: 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
  color: var(--jp-ui-font-color1, #1f2328); }
.mgw-graphview .mgw-toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap;
  font-family: system-ui, sans-serif; font-size: 12px; margin-bottom: 4px; }
.mgw-graphview .mgw-toolbar button { font: inherit; padding: 2px 10px; cursor: pointer; }
.mgw-graphview .mgw-toolbar button[aria-pressed="true"] { background: #166534; border-color: #14532d; color: #fff; }
.mgw-graphview .mgw-status { color: var(--jp-ui-font-color2, #59636e); }
.mgw-graphview .mgw-status[data-fail="true"] { color: #b91c1c; font-weight: 600; }
.mgw-graphview .mgw-notice { font-family: system-ui, sans-serif; font-size: 13px; margin: 0 0 4px;
  padding: 3px 8px; border-left: 4px solid #d97706; background: var(--jp-layout-color1, #fff8eb); }
.mgw-graphview .mgw-viewport { position: relative; overflow: hidden; cursor: grab; touch-action: none;
  border: 1px solid var(--jp-border-color2, #d0d7de); border-radius: 4px;
  background: var(--jp-layout-color0, #fff); }
.mgw-graphview .mgw-viewport.mgw-dragging { cursor: grabbing; }
.mgw-graphview svg { display: block; width: 100%; height: 100%; user-select: none; }
.mgw-graphview .mgw-box rect.mgw-frame { fill: var(--jp-layout-color0, #fff); stroke: currentColor; stroke-width: 1; }
.mgw-graphview .mgw-box rect.mgw-fill { fill: transparent; stroke: none; pointer-events: none; }
.mgw-graphview .mgw-box line { stroke: currentColor; stroke-width: 1; }
.mgw-graphview text { fill: currentColor; dominant-baseline: central; text-anchor: middle; }
.mgw-graphview .mgw-op ellipse { fill: var(--jp-layout-color0, #fff); stroke: currentColor; }
.mgw-graphview .mgw-folded rect.mgw-frame { stroke-dasharray: 4 2; fill: var(--jp-layout-color2, #f3f4f6); }
.mgw-graphview .mgw-folded { cursor: pointer; }
.mgw-graphview .mgw-folded text.mgw-sub { fill: var(--jp-ui-font-color2, #59636e); font-size: 11px; }
.mgw-graphview path.mgw-edge { fill: none; stroke: var(--jp-ui-font-color2, #57606a); stroke-width: 1; }
.mgw-graphview .mgw-dim { opacity: 0.18; }
.mgw-graphview [data-highlight="true"] rect.mgw-frame, .mgw-graphview [data-highlight="true"] ellipse { stroke-width: 2; }
.mgw-graphview path.mgw-edge[data-highlight="true"] { stroke-width: 2; stroke: var(--jp-ui-font-color0, #000); }
.mgw-graphview [data-active="true"] rect.mgw-frame { stroke: #d97706; stroke-width: 3; }
/* gradient check: a failing box must stand out from across a classroom */
.mgw-graphview [data-gradcheck="ok"] rect.mgw-frame { stroke: #16a34a; stroke-width: 2; }
.mgw-graphview [data-gradcheck="fail"] rect.mgw-frame { stroke: #dc2626; stroke-width: 5; }
.mgw-graphview [data-gradcheck="fail"] rect.mgw-slope { fill: rgba(220, 38, 38, 0.9); }
.mgw-graphview [data-gradcheck="fail"] text.mgw-slope { fill: #fff; font-weight: 700; }
.mgw-graphview [data-gradcheck="ok"] rect.mgw-slope { fill: rgba(22, 163, 74, 0.14); }
.mgw-graphview rect.mgw-slope { fill: transparent; stroke: none; }
.mgw-graphview .mgw-tooltip { position: absolute; pointer-events: none; z-index: 10; white-space: pre;
  background: var(--jp-layout-color0, #fff); border: 1px solid var(--jp-border-color1, #8c959f);
  border-radius: 4px; padding: 4px 8px; box-shadow: 0 2px 6px rgba(0,0,0,.15); font-size: 12px; }
.mgw-graphview .mgw-opened { display: flex; gap: 6px; align-items: center; flex-wrap: wrap;
  font-family: system-ui, sans-serif; font-size: 12px; margin-bottom: 4px; }
.mgw-graphview .mgw-opened button { font: inherit; padding: 1px 8px; cursor: pointer; }
.mgw-graphview rect.mgw-opened-frame { fill: rgba(217, 119, 6, 0.08); stroke: #d97706;
  stroke-width: 2.5; stroke-dasharray: 8 4; vector-effect: non-scaling-stroke; pointer-events: none; }
.mgw-graphview .mgw-hint { font-family: system-ui, sans-serif; font-size: 12px; margin-top: 4px;
  color: var(--jp-warn-color0, #9a6700); }
.mgw-graphview [hidden] { display: none !important; }
`;
