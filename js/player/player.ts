// The backprop player's state, without any DOM: which step we are at, which node is active, which
// values and grads are known so far. Python records the frames (micrograd_widgets/graph/backprop.py);
// this replays them in either direction by applying each write's `after` (forward in time) or
// restoring its `before` (backward in time), so a step costs only its own writes.
import { Num, toNumber } from "../common/format";

/** One frame as Python sends it (backward: writes; forward: value). */
export interface FramePayload {
  node: string;
  kind?: string; // "seed" | "op" | "leaf" for backward frames
  writes?: [string, Num, Num][];
  value?: Num;
  text?: string;
}

export type Phase = "forward" | "backward";

export interface Step {
  phase: Phase;
  node: number; // index into the graph's ids
  kind: string;
  text: string;
  writes: Int32Array; // node indices written
  before: Float64Array;
  after: Float64Array;
}

/** Frames -> steps over node indices; throws a readable Error for ids the graph does not have. */
export function buildSteps(
  ids: string[],
  backward: FramePayload[],
  forward: FramePayload[] = [],
): Step[] {
  const index = new Map(ids.map((id, i) => [id, i] as [string, number]));
  const at = (id: string, where: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new Error(`${where} refers to node ${JSON.stringify(id)}, which the graph does not have`);
    return i;
  };
  const steps: Step[] = [];
  forward.forEach((f, k) => {
    const node = at(f.node, `forward frame ${k}`);
    steps.push({
      phase: "forward",
      node,
      kind: "forward",
      text: String(f.text ?? ""),
      writes: Int32Array.of(node),
      before: Float64Array.of(NaN),
      after: Float64Array.of(toNumber(f.value)),
    });
  });
  backward.forEach((f, k) => {
    const writes = f.writes ?? [];
    steps.push({
      phase: "backward",
      node: at(f.node, `frame ${k}`),
      kind: String(f.kind ?? "op"),
      text: String(f.text ?? ""),
      writes: Int32Array.from(writes, (w) => at(w[0], `frame ${k}`)),
      before: Float64Array.from(writes, (w) => toNumber(w[1])),
      after: Float64Array.from(writes, (w) => toNumber(w[2])),
    });
  });
  return steps;
}

/**
 * The replay: `step` frames applied (0 = nothing yet, steps.length = the whole pass).
 * `grad[i]` is node i's grad so far and `gradKnown[i]` whether any frame has written it yet
 * (pending grads show as "?"); with a forward pass, `value` / `valueKnown` likewise for data.
 */
export class Timeline {
  readonly steps: Step[];
  readonly total: number;
  readonly firstBackward: number; // index of the first backward step
  step = 0;
  readonly grad: Float64Array;
  readonly gradKnown: Uint8Array;
  readonly value: Float64Array;
  readonly valueKnown: Uint8Array;
  private readonly gradWrites: Uint32Array; // how many applied writes touched node i
  private readonly valueWrites: Uint32Array;

  constructor(steps: Step[], nodeCount: number) {
    this.steps = steps;
    this.total = steps.length;
    const f = steps.findIndex((s) => s.phase === "backward");
    this.firstBackward = f < 0 ? steps.length : f;
    this.grad = new Float64Array(nodeCount).fill(NaN);
    this.gradKnown = new Uint8Array(nodeCount);
    this.value = new Float64Array(nodeCount).fill(NaN);
    this.valueKnown = new Uint8Array(nodeCount).fill(this.firstBackward === 0 ? 1 : 0);
    this.gradWrites = new Uint32Array(nodeCount);
    this.valueWrites = new Uint32Array(nodeCount);
  }

  get hasForward(): boolean {
    return this.firstBackward > 0;
  }

  /** The node of the last applied step (the one to highlight), or -1 before the first. */
  get active(): number {
    return this.step > 0 ? this.steps[this.step - 1].node : -1;
  }

  /** The last applied step, or null before the first. */
  get current(): Step | null {
    return this.step > 0 ? this.steps[this.step - 1] : null;
  }

  get phase(): Phase | "start" {
    const s = this.current;
    return s === null ? "start" : s.phase;
  }

  get atEnd(): boolean {
    return this.step >= this.total;
  }

  /** Moves to step k (clamped to [0, total]); returns the node indices whose numbers changed. */
  seek(k: number): Set<number> {
    const target = clamp(Math.round(Number.isFinite(k) ? k : 0), 0, this.total);
    const changed = new Set<number>();
    while (this.step < target) this.apply(this.steps[this.step++], changed);
    while (this.step > target) this.undo(this.steps[--this.step], changed);
    return changed;
  }

  forward(): Set<number> {
    return this.seek(this.step + 1);
  }

  back(): Set<number> {
    return this.seek(this.step - 1);
  }

  reset(): Set<number> {
    return this.seek(0);
  }

  private apply(s: Step, changed: Set<number>): void {
    for (let w = 0; w < s.writes.length; w++) {
      const i = s.writes[w];
      if (s.phase === "forward") {
        this.value[i] = s.after[w];
        this.valueWrites[i]++;
        this.valueKnown[i] = 1;
      } else {
        this.grad[i] = s.after[w];
        this.gradWrites[i]++;
        this.gradKnown[i] = 1;
      }
      changed.add(i);
    }
  }

  private undo(s: Step, changed: Set<number>): void {
    for (let w = s.writes.length - 1; w >= 0; w--) {
      const i = s.writes[w];
      if (s.phase === "forward") {
        this.value[i] = s.before[w];
        if (--this.valueWrites[i] === 0) this.valueKnown[i] = 0;
      } else {
        this.grad[i] = s.before[w];
        if (--this.gradWrites[i] === 0) {
          this.gradKnown[i] = 0;
          this.grad[i] = NaN;
        }
      }
      changed.add(i);
    }
  }
}

/**
 * Play/pause timing: call tick(ms since the last animation frame) from requestAnimationFrame; it
 * returns how many steps to advance (0 most frames). Speed is in steps per second.
 */
export class Clock {
  playing = false;
  private speed: number;
  private carry = 0;

  constructor(stepsPerSecond = 2) {
    this.speed = Clock.checkSpeed(stepsPerSecond);
  }

  static checkSpeed(s: number): number {
    if (!(Number.isFinite(s) && s > 0)) throw new Error(`speed must be a positive number of steps per second, got ${s}`);
    return s;
  }

  get stepsPerSecond(): number {
    return this.speed;
  }

  set stepsPerSecond(s: number) {
    this.speed = Clock.checkSpeed(s);
  }

  play(): void {
    this.playing = true;
    this.carry = 1; // the first step shows on the next frame: pressing play answers at once
  }

  pause(): void {
    this.playing = false;
    this.carry = 0;
  }

  tick(ms: number): number {
    if (!this.playing || !(ms > 0)) return 0;
    // a long pause (tab in the background) must not fast-forward through the whole pass
    this.carry += (Math.min(ms, 250) * this.speed) / 1000;
    const n = Math.floor(this.carry);
    this.carry -= n;
    return n;
  }
}

export type PlayState = "paused" | "playing" | "ended";

/**
 * The buttons' state machine. step/back/reset/seek pause playback; play at the end starts over;
 * playing stops by itself at the end. Every move returns the node indices whose numbers changed.
 */
export class Player {
  readonly timeline: Timeline;
  readonly clock: Clock;

  constructor(timeline: Timeline, clock: Clock = new Clock()) {
    this.timeline = timeline;
    this.clock = clock;
  }

  get state(): PlayState {
    if (this.clock.playing) return "playing";
    return this.timeline.atEnd && this.timeline.total > 0 ? "ended" : "paused";
  }

  play(): Set<number> {
    const changed = this.timeline.atEnd ? this.timeline.reset() : new Set<number>();
    if (this.timeline.total > 0) this.clock.play();
    return changed;
  }

  pause(): Set<number> {
    this.clock.pause();
    return new Set<number>();
  }

  toggle(): Set<number> {
    return this.clock.playing ? this.pause() : this.play();
  }

  step(): Set<number> {
    this.clock.pause();
    return this.timeline.forward();
  }

  back(): Set<number> {
    this.clock.pause();
    return this.timeline.back();
  }

  reset(): Set<number> {
    this.clock.pause();
    return this.timeline.reset();
  }

  seek(k: number): Set<number> {
    this.clock.pause();
    return this.timeline.seek(k);
  }

  /** Advance by the clock; stops playing at the end. */
  tick(ms: number): Set<number> {
    const n = this.clock.tick(ms);
    const changed = n > 0 ? this.timeline.seek(this.timeline.step + n) : new Set<number>();
    if (this.clock.playing && this.timeline.atEnd) this.clock.pause();
    return changed;
  }
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
