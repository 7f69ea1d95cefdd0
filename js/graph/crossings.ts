// Edge crossings of a layered drawing, counted the same way for our layout and for Graphviz dot's:
// ranks are the distinct centre coordinates of the nodes along the rank axis (x in LR); each edge
// is a curve from its tail's centre to its head's centre; between two neighbouring ranks, two edge
// pieces cross when their order across the axis swaps (strictly: pieces that meet at a shared node
// do not count). That is the quantity dot's ordering phase minimises (its "crossings").
export interface Pt {
  x: number;
  y: number;
}

/** y of a polyline (sorted by x) at x, by linear interpolation (clamped at its ends). */
function yAt(line: Pt[], x: number): number {
  if (x <= line[0].x) return line[0].y;
  for (let k = 1; k < line.length; k++) {
    const a = line[k - 1];
    const b = line[k];
    if (x <= b.x) return b.x === a.x ? b.y : a.y + ((b.y - a.y) * (x - a.x)) / (b.x - a.x);
  }
  return line[line.length - 1].y;
}

/**
 * Crossings of `edges` (each a polyline from tail centre to head centre, in LR space: x grows
 * along the ranks) given the node centres (their x values define the ranks).
 */
export function countCrossings(centres: Pt[], edges: Pt[][], eps = 0.5): number {
  const xs = [...centres.map((c) => c.x)].sort((a, b) => a - b);
  const ranks: number[] = [];
  for (const x of xs) if (!ranks.length || x - ranks[ranks.length - 1] > eps) ranks.push(x);
  const rankOf = (x: number) => ranks.findIndex((r) => Math.abs(r - x) <= eps);
  // per gap between rank r and r+1: the pieces [y at r, y at r+1]
  const gaps: [number, number][][] = ranks.map(() => []);
  for (const line of edges) {
    const a = rankOf(line[0].x);
    const b = rankOf(line[line.length - 1].x);
    if (a < 0 || b < 0) throw new Error("an edge does not start and end at a node's centre");
    for (let r = Math.min(a, b); r < Math.max(a, b); r++) gaps[r].push([yAt(line, ranks[r]), yAt(line, ranks[r + 1])]);
  }
  let crossings = 0;
  for (const pieces of gaps) {
    for (let i = 0; i < pieces.length; i++) {
      for (let j = i + 1; j < pieces.length; j++) {
        const d0 = pieces[i][0] - pieces[j][0];
        const d1 = pieces[i][1] - pieces[j][1];
        if ((d0 > eps && d1 < -eps) || (d0 < -eps && d1 > eps)) crossings++;
      }
    }
  }
  return crossings;
}

/** Points along a cubic B-spline given as Bezier control points p0 c1 c2 p1 c3 c4 p2 ... */
export function sampleBezier(ctrl: Pt[], perSegment = 32): Pt[] {
  const out: Pt[] = [ctrl[0]];
  for (let s = 0; s + 3 < ctrl.length; s += 3) {
    const [p0, p1, p2, p3] = [ctrl[s], ctrl[s + 1], ctrl[s + 2], ctrl[s + 3]];
    for (let k = 1; k <= perSegment; k++) {
      const t = k / perSegment;
      const u = 1 - t;
      out.push({
        x: u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
        y: u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y,
      });
    }
  }
  return out;
}
