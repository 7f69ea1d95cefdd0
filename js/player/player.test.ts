import { describe, expect, it } from "vitest";
import { lecture } from "./lecture.fixture";
import { buildSteps, Clock, Player, Timeline } from "./player";

// The lecture's L = (a*b + c) * f as the widget receives it (see lecture.fixture.ts):
// a=2, b=-3, e=a*b=-6, c=10, d=e+c=4, f=-2, L=d*f=-8; ids n0..n6 in that order.
const { graph, frames: backward, forward } = lecture;
const ids = graph.id;

function timeline(withForward = false): Timeline {
  return new Timeline(buildSteps(ids, backward, withForward ? forward : []), ids.length);
}

describe("Timeline", () => {
  it("starts with every grad pending and nothing active", () => {
    const t = timeline();
    expect(t.step).toBe(0);
    expect(t.total).toBe(8);
    expect(t.active).toBe(-1);
    expect(Array.from(t.gradKnown)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Number.isNaN(t.grad[0])).toBe(true);
    expect(Array.from(t.valueKnown)).toEqual([1, 1, 1, 1, 1, 1, 1]); // no forward pass: values shown
  });

  it("steps forward applying writes and back restoring them", () => {
    const t = timeline();
    t.forward();
    expect(t.active).toBe(6);
    expect(t.grad[6]).toBe(1);
    const changed = t.forward();
    expect([...changed].sort()).toEqual([4, 5]);
    expect(t.grad[4]).toBe(-2);
    expect(t.gradKnown[4]).toBe(1);
    t.back();
    expect(t.step).toBe(1);
    expect(t.gradKnown[4]).toBe(0);
    expect(Number.isNaN(t.grad[4])).toBe(true);
    expect(t.active).toBe(6);
  });

  it("clamps at both ends", () => {
    const t = timeline();
    t.back();
    expect(t.step).toBe(0);
    t.seek(100);
    expect(t.step).toBe(8);
    expect(t.atEnd).toBe(true);
    t.forward();
    expect(t.step).toBe(8);
    t.seek(-5);
    expect(t.step).toBe(0);
    t.seek(Number.NaN);
    expect(t.step).toBe(0);
  });

  it("ends with the recorded grads whichever way it got there", () => {
    const direct = timeline();
    direct.seek(8);
    const stepped = timeline();
    for (let k = 0; k < 20; k++) stepped.forward();
    stepped.seek(3);
    stepped.seek(8);
    expect(Array.from(stepped.grad)).toEqual(Array.from(direct.grad));
    expect(Array.from(direct.grad)).toEqual([6, -4, -2, -2, -2, 4, 1]);
  });

  it("shows accumulation: a second write starts from the first and undoes to it", () => {
    // a used twice: b = a + a is one write of +2, but here two frames write a in turn
    const steps = buildSteps(["n0", "n1", "n2"], [
      { node: "n2", kind: "seed", writes: [["n2", 0, 1]] },
      { node: "n2", writes: [["n1", 0, -6], ["n0", 0, 3]] },
      { node: "n1", writes: [["n0", 3, -3]] },
    ]);
    const t = new Timeline(steps, 3);
    t.seek(3);
    expect(t.grad[0]).toBe(-3);
    t.back();
    expect(t.grad[0]).toBe(3);
    expect(t.gradKnown[0]).toBe(1);
    t.back();
    expect(t.gradKnown[0]).toBe(0);
  });

  it("plays the forward pass first, revealing values in order", () => {
    const t = timeline(true);
    expect(t.total).toBe(15);
    expect(t.hasForward).toBe(true);
    expect(t.valueKnown[0]).toBe(0);
    t.forward();
    expect(t.phase).toBe("forward");
    expect(t.valueKnown[0]).toBe(1);
    expect(t.value[0]).toBe(2);
    t.seek(7);
    expect(Array.from(t.valueKnown)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(t.gradKnown[6]).toBe(0);
    t.forward();
    expect(t.phase).toBe("backward");
    expect(t.grad[6]).toBe(1);
    t.seek(0);
    expect(Array.from(t.valueKnown)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it("reads non-finite numbers sent as strings", () => {
    const steps = buildSteps(["n0", "n1"], [{ node: "n1", writes: [["n0", 0, "Infinity"]] }]);
    const t = new Timeline(steps, 2);
    t.forward();
    expect(t.grad[0]).toBe(Infinity);
  });

  it("rejects frames that name unknown nodes", () => {
    expect(() => buildSteps(["n0"], [{ node: "n9", writes: [] }])).toThrow(/n9.*does not have/);
  });
});

describe("Clock", () => {
  it("steps at the chosen speed and answers play at once", () => {
    const c = new Clock(4);
    expect(c.tick(1000)).toBe(0); // paused
    c.play();
    expect(c.tick(16)).toBe(1);
    let n = 0;
    for (let k = 0; k < 60; k++) n += c.tick(1000 / 60);
    expect(n).toBe(4);
    c.stepsPerSecond = 60;
    n = 0;
    for (let k = 0; k < 60; k++) n += c.tick(1000 / 60);
    expect(n).toBeGreaterThanOrEqual(59);
    expect(n).toBeLessThanOrEqual(61);
  });

  it("does not fast-forward after a long gap", () => {
    const c = new Clock(10);
    c.play();
    c.tick(16);
    expect(c.tick(60_000)).toBeLessThanOrEqual(3);
  });

  it("rejects a bad speed", () => {
    expect(() => new Clock(0)).toThrow(/speed must be a positive/);
    expect(() => new Clock(Number.NaN)).toThrow(/speed/);
  });
});

describe("Player", () => {
  it("step, back and reset pause playback", () => {
    const p = new Player(timeline());
    p.play();
    expect(p.state).toBe("playing");
    p.step();
    expect(p.state).toBe("paused");
    expect(p.timeline.step).toBe(1);
    p.play();
    p.back();
    expect(p.state).toBe("paused");
    expect(p.timeline.step).toBe(0);
    p.play();
    p.tick(16);
    p.reset();
    expect(p.state).toBe("paused");
    expect(p.timeline.step).toBe(0);
  });

  it("plays to the end and stops there; play again starts over", () => {
    const p = new Player(timeline(), new Clock(30));
    p.play();
    for (let k = 0; k < 120 && p.state === "playing"; k++) p.tick(1000 / 60);
    expect(p.state).toBe("ended");
    expect(p.timeline.step).toBe(8);
    expect(p.timeline.active).toBe(0);
    p.play();
    expect(p.timeline.step).toBe(0);
    expect(p.state).toBe("playing");
    p.tick(16);
    expect(p.timeline.step).toBe(1);
  });

  it("toggle flips between playing and paused", () => {
    const p = new Player(timeline());
    p.toggle();
    expect(p.state).toBe("playing");
    p.toggle();
    expect(p.state).toBe("paused");
  });

  it("seek pauses and clamps", () => {
    const p = new Player(timeline());
    p.play();
    p.seek(5);
    expect(p.state).toBe("paused");
    expect(p.timeline.step).toBe(5);
    p.seek(99);
    expect(p.state).toBe("ended");
  });

  it("an empty recording never plays", () => {
    const p = new Player(new Timeline([], 0));
    p.play();
    expect(p.state).toBe("paused");
  });
});
