// The backprop player: the graph drawn by the shared graph view, plus buttons, a scrubber and the
// chain-rule sentence of each step. Everything runs here from the recorded frames (no kernel
// round trips), so it also plays in a saved HTML file. The step logic is js/player/player.ts.
import type { AnyWidget, RenderProps } from "@anywidget/types";
import { decodeGraph, GraphData, GraphPayload } from "../graph/data";
import { createGraphView, GraphView } from "../graph/view";
import { setState, showError } from "../common/model";
import { watchTheme } from "../common/theme";
import { createChrome } from "../player/chrome";
import { buildSteps, Clock, FramePayload, Player, Timeline } from "../player/player";
import CSS from "../player/player.css";

const SPEEDS = [0.5, 1, 2, 4, 8, 16, 32, 60];

/** The BackpropWidget traits the page reads and writes (micrograd_widgets/widgets/backprop.py). */
export interface BackpropModel {
  graph: GraphPayload;
  frames: FramePayload[];
  forward: FramePayload[];
  show_forward: boolean;
  speed: number;
  gradcheck: boolean;
  notice: string; // why a gradcheck could not run
  _standalone?: boolean;
}

/** What render() uses of anywidget's props; save_html's page shim gives the same two. */
export type BackpropProps = Pick<RenderProps<BackpropModel>, "model" | "el">;


function render({ model, el }: BackpropProps) {
  const root = document.createElement("div");
  root.className = "mgw-backprop";
  root.dataset.mgw = "backprop";
  root.tabIndex = 0;
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", "Backpropagation player: space plays or pauses, arrows step");
  setState(root, "loading");
  el.replaceChildren(root);
  const theme = watchTheme(root); // all SVG and CSS: a theme change needs no redraw

  const style = document.createElement("style");
  style.textContent = CSS;
  const { controls, reset, back, play, pause, step, speed, scrubber, counter, forwardLabel, forwardBox, phase,
    explanation, source, refused, legend, activeKey, writtenKey, pendingKey } = createChrome();
  const graphBox = document.createElement("div");
  root.append(style, controls, phase, explanation, source, refused, legend, graphBox);

  let view: GraphView | null = null;
  let player: Player | null = null;
  let ids: string[] = [];
  let labels: string[] = [];
  let ops: string[] = [];
  let sources: string[] = [];
  let graph: GraphData | null = null;
  let opElements: (SVGGElement | null)[] = [];
  let baseData: Float64Array = new Float64Array(0);
  let marked: HTMLElement[] = []; // boxes and op nodes carrying data-written / data-running
  let pending: (SVGGElement | null)[] = [];
  let pendingShown = new Uint8Array(0);
  let raf = 0;
  let last = 0;
  let disposed = false;

  const nameOf = (i: number) => labels[i] || ids[i];

  const setSpeedOptions = (current: number) => {
    const values = SPEEDS.includes(current) ? SPEEDS : [...SPEEDS, current].sort((a, b) => a - b);
    speed.replaceChildren(
      ...values.map((v) => {
        const o = document.createElement("option");
        o.value = String(v);
        o.textContent = String(v);
        return o;
      }),
    );
    speed.value = String(current);
  };

  /** Everything on screen follows the timeline; called after each move. */
  const paint = () => {
    if (!player || !view) return;
    const t = player.timeline;
    const forwardOn = t.hasForward;
    view.update({
      data: forwardOn ? t.value : baseData,
      grad: t.grad,
      dataKnown: forwardOn ? t.valueKnown : undefined,
      gradKnown: t.gradKnown,
    });
    const current = t.current;
    view.setActive(current ? ids[current.node] : null);
    for (const e of marked) {
      delete e.dataset.written;
      delete e.dataset.running;
    }
    marked = [];
    const mark = (e: HTMLElement | SVGElement | null, key: "written" | "running") => {
      if (!e) return;
      (e as HTMLElement).dataset[key] = "true";
      marked.push(e as HTMLElement);
    };
    if (current && (current.kind === "op" || current.kind === "forward") && ops[current.node]) {
      mark(opElements[current.node], "running"); // the op whose _backward (or forward) runs
    }
    if (current && current.phase === "backward") {
      for (const i of current.writes) if (i !== current.node) mark(view.element(ids[i]), "written");
    }
    // not reached yet: value unknown during the forward pass, grad unknown during backward
    const inForward = t.phase === "forward" || (t.phase === "start" && forwardOn);
    const known = inForward ? t.valueKnown : t.gradKnown;
    for (let i = 0; i < pending.length; i++) {
      const box = pending[i];
      const want = known[i] ? 0 : 1;
      if (!box || pendingShown[i] === want) continue; // touch only boxes that changed
      pendingShown[i] = want;
      if (want) box.dataset.pending = "true";
      else delete box.dataset.pending;
    }
    const state = player.state;
    root.dataset.step = String(t.step);
    root.dataset.total = String(t.total);
    root.dataset.phase = t.phase;
    root.dataset.playing = String(state === "playing");
    counter.textContent = `${t.step} / ${t.total}`;
    scrubber.max = String(t.total);
    scrubber.value = String(t.step);
    back.disabled = reset.disabled = t.step === 0;
    step.disabled = t.atEnd;
    play.disabled = state === "playing" || t.total === 0;
    pause.disabled = state !== "playing";
    activeKey.textContent = inForward ? "being computed" : "running _backward()";
    writtenKey.textContent = "grads it just wrote";
    (writtenKey.parentElement as HTMLElement).hidden = inForward;
    pendingKey.textContent = inForward ? "data ? = not computed yet" : "grad ? = not reached yet";
    const line = current ? sources[current.node] ?? "" : "";
    if (source.textContent !== line) source.textContent = line;
    source.hidden = line === "";
    if (!current) {
      explanation.textContent = forwardOn
        ? "Press Play or Step to run the forward pass, then backward(), one node at a time."
        : "Press Play or Step to run backward() one node at a time. Grads not reached yet show as ?.";
      phase.textContent = "Start";
    } else {
      explanation.textContent = current.text;
      const node = nameOf(current.node);
      const op = ops[current.node] ? ` (${ops[current.node]})` : "";
      if (current.phase === "forward") {
        phase.textContent = `Forward pass · computing ${node}${op}`;
      } else if (current.kind === "seed") {
        phase.textContent = `Backward pass · seeding ${node}`;
      } else {
        phase.textContent = `Backward pass · ${node}${op}._backward()`;
      }
      if (t.atEnd) phase.textContent += " · done: every grad is final";
    }
  };

  const loop = (now: number) => {
    raf = 0;
    if (!player || disposed) return;
    const dt = last ? now - last : 1000 / 60;
    last = now;
    const before = player.timeline.step;
    player.tick(dt);
    if (player.timeline.step !== before || !player.clock.playing) paint();
    if (player.clock.playing) raf = requestAnimationFrame(loop);
  };

  const startLoop = () => {
    last = 0;
    if (!raf) raf = requestAnimationFrame(loop);
  };

  const act = (action: string) => {
    if (!player) return;
    if (action === "play") {
      player.play();
      startLoop();
    } else if (action === "pause") player.pause();
    else if (action === "toggle") {
      player.toggle();
      if (player.clock.playing) startLoop();
    } else if (action === "step") player.step();
    else if (action === "back") player.back();
    else if (action === "reset") player.reset();
    else if (action === "end") player.seek(player.timeline.total);
    paint();
  };

  for (const b of [reset, back, play, pause, step]) {
    b.addEventListener("click", () => act(b.dataset.action as string));
  }
  scrubber.addEventListener("input", () => {
    player?.seek(Number(scrubber.value));
    paint();
  });
  speed.addEventListener("change", () => {
    const v = Number(speed.value);
    if (player) player.clock.stepsPerSecond = v;
    model.set("speed", v);
    model.save_changes();
  });
  forwardBox.addEventListener("change", () => {
    model.set("show_forward", forwardBox.checked); // change:show_forward rebuilds the timeline
    model.save_changes();
  });
  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = (e.target as HTMLElement | null)?.tagName;
    const inControl = tag === "INPUT" || tag === "SELECT" || tag === "BUTTON";
    if (e.key === " " && !inControl) act("toggle");
    else if (e.key === "ArrowRight" && tag !== "INPUT" && tag !== "SELECT") act("step");
    else if (e.key === "ArrowLeft" && tag !== "INPUT" && tag !== "SELECT") act("back");
    else if (e.key === "Home" && tag !== "INPUT") act("reset");
    else if (e.key === "End" && tag !== "INPUT") act("end");
    else return;
    e.preventDefault();
  };
  root.addEventListener("keydown", onKey);

  /** (Re)builds the timeline from the frames, keeping the speed; starts at step `at` (0). */
  const rebuild = (at = 0) => {
    const backward = (model.get("frames") ?? []) as FramePayload[];
    const showForward = Boolean(model.get("show_forward"));
    const forward = showForward ? ((model.get("forward") ?? []) as FramePayload[]) : [];
    const speedValue = Number(model.get("speed") ?? 2);
    const timeline = new Timeline(buildSteps(ids, backward, forward), ids.length);
    pending = ids.map((id) => view?.element(id) ?? null);
    pendingShown = new Uint8Array(ids.length);
    for (const box of pending) if (box) delete box.dataset.pending;
    const opOf = new Map<string, SVGGElement>();
    for (const g of graphBox.querySelectorAll<SVGGElement>("[data-op]")) opOf.set(g.dataset.op ?? "", g);
    opElements = ids.map((id) => opOf.get(id) ?? null);
    player?.pause();
    player = new Player(timeline, new Clock(speedValue));
    forwardBox.checked = showForward;
    forwardLabel.hidden = ((model.get("forward") ?? []) as FramePayload[]).length === 0;
    setSpeedOptions(speedValue);
    if (at > 0) player.seek(at);
    paint();
  };

  /** Draws the graph; a redraw of the same graph (the gradcheck toggle) keeps the step and zoom. */
  const draw = () => {
    setState(root, "loading");
    try {
      const data = decodeGraph(model.get("graph"));
      const same = graph !== null && view !== null && data.ids.join("\n") === graph.ids.join("\n");
      const at = same && player ? player.timeline.step : 0;
      const camera = same ? view?.camera() ?? null : null;
      graph = data;
      ids = data.ids;
      labels = data.labels;
      ops = data.ops;
      sources = data.source;
      baseData = data.data;
      const hasChecks = data.check.some((c) => c !== "");
      const standalone = Boolean(model.get("_standalone"));
      const next = createGraphView(graphBox, data, {
        maxHeight: 520,
        camera,
        gradcheck: Boolean(model.get("gradcheck")),
        // offline the toggle can only show checks the page was saved with
        onGradcheck: standalone && !hasChecks ? undefined : (on) => {
          model.set("gradcheck", on);
          model.save_changes();
          if (!on || hasChecks) draw(); // Python re-sends the graph when it has to measure
        },
      });
      view?.destroy();
      view = next;
      next.ready
        .then(() => {
          if (view !== next || disposed) return;
          rebuild(at);
          setState(root, "ready");
        })
        .catch((error) => showError(root, error));
    } catch (error) {
      showError(root, error);
    }
  };

  const onNotice = () => {
    const text = String(model.get("notice") ?? "");
    refused.textContent = text;
    refused.hidden = text === "";
  };
  // Python switched the check off itself (it could not run): redraw without the marks
  const onGradcheck = () => {
    const pressed = graphBox.querySelector('[data-action="gradcheck"]')?.getAttribute("aria-pressed") === "true";
    if (pressed !== Boolean(model.get("gradcheck"))) draw();
  };

  const onSpeed = () => {
    const v = Number(model.get("speed"));
    if (player && v > 0) player.clock.stepsPerSecond = v;
    setSpeedOptions(v);
  };
  const onFrames = () => {
    if (view) {
      try {
        rebuild();
      } catch (error) {
        showError(root, error);
      }
    }
  };

  draw();
  onNotice();
  model.on("change:graph", draw);
  model.on("change:notice", onNotice);
  model.on("change:gradcheck", onGradcheck);
  model.on("change:frames", onFrames);
  model.on("change:forward", onFrames);
  model.on("change:show_forward", onFrames);
  model.on("change:speed", onSpeed);
  return () => {
    disposed = true;
    if (raf) cancelAnimationFrame(raf);
    root.removeEventListener("keydown", onKey);
    model.off("change:graph", draw);
    model.off("change:notice", onNotice);
    model.off("change:gradcheck", onGradcheck);
    model.off("change:frames", onFrames);
    model.off("change:forward", onFrames);
    model.off("change:show_forward", onFrames);
    model.off("change:speed", onSpeed);
    view?.destroy();
    theme.destroy();
  };
}

export default { render } satisfies AnyWidget<BackpropModel>;
