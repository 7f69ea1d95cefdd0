// Pan (drag) and zoom (wheel, about the pointer) of the graph's scene inside its viewport. A press
// that does not move is a click; a move without a press is a hover (the tooltip's cue).
export interface Transform {
  x: number;
  y: number;
  k: number;
}

export interface PanZoomHooks {
  onClick(e: PointerEvent): void;
  onHover(e: PointerEvent): void;
  onDrag(): void;
}

export interface PanZoom {
  get(): Transform;
  /** Moves the camera; `byUser` marks that the user has looked elsewhere than the start view. */
  set(t: Transform, byUser?: boolean): void;
  /** Whether the user has panned or zoomed since the last set(..., false). */
  readonly moved: boolean;
  destroy(): void;
}

export const MIN_ZOOM = 0.02;
export const MAX_ZOOM = 8;

/** The camera after a wheel turn of `deltaY` at viewport point (px, py): that point stays put. */
export function zoomAt(t: Transform, px: number, py: number, deltaY: number): Transform {
  const k = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, t.k * Math.exp(-deltaY * 0.0015)));
  return { k, x: px - ((px - t.x) * k) / t.k, y: py - ((py - t.y) * k) / t.k };
}

export function createPanZoom(viewport: HTMLElement, scene: SVGGElement, hooks: PanZoomHooks): PanZoom {
  let t: Transform = { x: 0, y: 0, k: 1 };
  let moved = false;
  const apply = () => scene.setAttribute("transform", `translate(${t.x.toFixed(2)},${t.y.toFixed(2)}) scale(${t.k.toFixed(4)})`);

  const onWheel = (e: WheelEvent) => {
    e.preventDefault();
    const r = viewport.getBoundingClientRect();
    t = zoomAt(t, e.clientX - r.left, e.clientY - r.top, e.deltaY);
    moved = true;
    apply();
  };
  let drag: { x: number; y: number; tx: number; ty: number; moved: boolean; id: number } | null = null;
  const onDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    drag = { x: e.clientX, y: e.clientY, tx: t.x, ty: t.y, moved: false, id: e.pointerId };
  };
  const onMove = (e: PointerEvent) => {
    if (drag && e.pointerId === drag.id) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) > 3) {
        drag.moved = true;
        viewport.classList.add("mgw-dragging");
        try {
          viewport.setPointerCapture(e.pointerId);
        } catch {
          /* synthetic events */
        }
      }
      if (drag.moved) {
        t = { ...t, x: drag.tx + dx, y: drag.ty + dy };
        moved = true;
        apply();
        hooks.onDrag();
        return;
      }
    }
    hooks.onHover(e);
  };
  const onUp = (e: PointerEvent) => {
    const wasDrag = drag?.moved ?? false;
    drag = null;
    viewport.classList.remove("mgw-dragging");
    if (!wasDrag && e.type === "pointerup") hooks.onClick(e);
  };
  viewport.addEventListener("wheel", onWheel, { passive: false });
  viewport.addEventListener("pointerdown", onDown);
  viewport.addEventListener("pointermove", onMove);
  viewport.addEventListener("pointerup", onUp);
  viewport.addEventListener("pointercancel", onUp);
  apply();

  return {
    get: () => ({ ...t }),
    set(next, byUser = false) {
      t = { ...next };
      moved = byUser;
      apply();
    },
    get moved() {
      return moved;
    },
    destroy() {
      viewport.removeEventListener("wheel", onWheel);
      viewport.removeEventListener("pointerdown", onDown);
      viewport.removeEventListener("pointermove", onMove);
      viewport.removeEventListener("pointerup", onUp);
      viewport.removeEventListener("pointercancel", onUp);
    },
  };
}
