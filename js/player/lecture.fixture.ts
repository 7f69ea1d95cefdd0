// The lecture's first example, L = (a*b + c) * f with a=2, b=-3, c=10, f=-2, exactly as
// animate_backward(L) sends it (graph payload, backward frames, forward frames): the shared test
// data of the player's vitest tests. tests/test_backprop_widget.py checks that Python still
// records exactly this, so the JS tests cannot drift from what the widget really receives.
import type { GraphPayload } from "../graph/data";
import type { FramePayload } from "./player";

export interface Recording {
  graph: GraphPayload;
  frames: FramePayload[];
  forward: FramePayload[];
}

export const lecture: Recording = {
  "graph": {
    "version": 0,
    "rankdir": "LR",
    "total": 7,
    "collapsed": false,
    "id": ["n0", "n1", "n2", "n3", "n4", "n5", "n6"],
    "kind": ["value", "value", "value", "value", "value", "value", "value"],
    "label": ["a", "b", "e", "c", "d", "f", "L"],
    "op": ["", "", "*", "", "+", "", "*"],
    "count": [1, 1, 1, 1, 1, 1, 1],
    "terms": [0, 0, 0, 0, 0, 0, 0],
    "data": [2.0, -3.0, -6.0, 10.0, 4.0, -2.0, -8.0],
    "grad": [6.0, -4.0, -2.0, -2.0, -2.0, 4.0, 1.0],
    "edges": [0, 2, 1, 2, 2, 4, 3, 4, 4, 6, 5, 6]
  },
  "frames": [
    {"node": "n6", "kind": "seed", "writes": [["n6", 0.0, 1.0]], "text": "L.grad = 1 (base case: dL/dL = 1)"},
    {"node": "n6", "kind": "op", "writes": [["n4", 0.0, -2.0], ["n5", 0.0, 4.0]], "text": "d.grad += f.data × L.grad = -2.0000 × 1.0000 = -2.0000\nf.grad += d.data × L.grad = 4.0000 × 1.0000 = 4.0000"},
    {"node": "n5", "kind": "leaf", "writes": [], "text": "f is a leaf: nothing to propagate (f.grad = 4.0000 is final)"},
    {"node": "n4", "kind": "op", "writes": [["n2", 0.0, -2.0], ["n3", 0.0, -2.0]], "text": "+ routes d.grad = -2.0000 to its inputs unchanged:\ne.grad += 1 × d.grad = 1 × -2.0000 = -2.0000\nc.grad += 1 × d.grad = 1 × -2.0000 = -2.0000"},
    {"node": "n3", "kind": "leaf", "writes": [], "text": "c is a leaf: nothing to propagate (c.grad = -2.0000 is final)"},
    {"node": "n2", "kind": "op", "writes": [["n0", 0.0, 6.0], ["n1", 0.0, -4.0]], "text": "a.grad += b.data × e.grad = -3.0000 × -2.0000 = 6.0000\nb.grad += a.data × e.grad = 2.0000 × -2.0000 = -4.0000"},
    {"node": "n1", "kind": "leaf", "writes": [], "text": "b is a leaf: nothing to propagate (b.grad = -4.0000 is final)"},
    {"node": "n0", "kind": "leaf", "writes": [], "text": "a is a leaf: nothing to propagate (a.grad = 6.0000 is final)"}
  ],
  "forward": [
    {"node": "n0", "value": 2.0, "text": "a = 2.0000"},
    {"node": "n1", "value": -3.0, "text": "b = -3.0000"},
    {"node": "n2", "value": -6.0, "text": "e = a × b = 2.0000 × -3.0000 = -6.0000"},
    {"node": "n3", "value": 10.0, "text": "c = 10.0000"},
    {"node": "n4", "value": 4.0, "text": "d = e + c = -6.0000 + 10.0000 = 4.0000"},
    {"node": "n5", "value": -2.0, "text": "f = -2.0000"},
    {"node": "n6", "value": -8.0, "text": "L = d × f = 4.0000 × -2.0000 = -8.0000"}
  ]
};
