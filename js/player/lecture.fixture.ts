// The lecture's first example, L = (a*b + c) * f with a=2, b=-3, c=10, f=-2, exactly as
// animate_backward(L) sends it (graph payload with its scenes, backward frames, forward frames):
// the shared test data of the player's vitest tests, written by scripts/layout_fixtures.py.
// tests/widgets/test_backprop.py checks that Python still records exactly this, so the JS tests
// cannot drift from what the widget really receives.
import type { GraphPayload } from "../graph/data";
import type { FramePayload } from "./player";
import recording from "../graph/fixtures/lecture_player.json";

export interface Recording {
  graph: GraphPayload;
  frames: FramePayload[];
  forward: FramePayload[];
}

export const lecture: Recording = recording as unknown as Recording;
