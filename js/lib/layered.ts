// A small layered (Sugiyama-style) layout, the kind Graphviz's dot draws, fast enough for a few
// thousand boxes in well under a second (dagre 3 needed 1.7-10 s for 1,000 Values here).
//
// 1. ranks: longest path from the sources, then every node pulled right up to its first user
//    (so parameters sit next to the multiplication that uses them, as in draw_dot);
// 2. long edges get invisible dummy nodes, one per rank they cross;
// 3. order within a rank: a few barycenter sweeps down and up;
// 4. positions across ranks: neighbours' mean, made non-overlapping by isotonic regression
//    (pool adjacent violators), alternating sweeps;
// 5. edges: points from the box's exit side through the dummies to the next box's entry side.
// Works in "LR space" (ranks along x); TB swaps the axes at the end.

export interface LayoutNode {
  width: number;
  height: number;
}

export interface LayoutOptions {
  rankdir: "LR" | "TB";
  nodesep: number; // gap between neighbours in a rank
  ranksep: number; // gap between ranks
  margin: number;
  sweeps: number;
}

export interface Pt {
  x: number;
  y: number;
}

export interface LayoutResult {
  width: number;
  height: number;
  centers: Pt[]; // per node
  edges: Pt[][]; // per edge, from the source's border to the target's border
}

const DEFAULTS: LayoutOptions = { rankdir: "LR", nodesep: 14, ranksep: 36, margin: 10, sweeps: 6 };

export function layered(
  nodes: LayoutNode[],
  edgeFrom: ArrayLike<number>,
  edgeTo: ArrayLike<number>,
  options: Partial<LayoutOptions> = {},
): LayoutResult {
  const o = { ...DEFAULTS, ...options };
  const lr = o.rankdir === "LR";
  const n = nodes.length;
  const m = edgeFrom.length;
  // Sizes along the rank axis ("long") and across it ("cross").
  const long = nodes.map((v) => (lr ? v.width : v.height));
  const cross = nodes.map((v) => (lr ? v.height : v.width));

  // ---- 1. ranks
  const outs: number[][] = Array.from({ length: n }, () => []);
  const ins: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < m; e++) {
    outs[edgeFrom[e]].push(e);
    ins[edgeTo[e]].push(e);
  }
  const topo = topologicalOrder(n, edgeFrom, edgeTo, outs);
  const rank = new Int32Array(n);
  for (const v of topo) for (const e of outs[v]) rank[edgeTo[e]] = Math.max(rank[edgeTo[e]], rank[v] + 1);
  for (let k = topo.length - 1; k >= 0; k--) {
    const v = topo[k];
    if (outs[v].length === 0) continue;
    let r = Infinity;
    for (const e of outs[v]) r = Math.min(r, rank[edgeTo[e]] - 1);
    rank[v] = r;
  }
  let maxRank = 0;
  for (let v = 0; v < n; v++) maxRank = Math.max(maxRank, rank[v]);

  // ---- 2. dummies: virtual node ids n, n+1, ...; chain[e] = [from, dummies..., to]
  const longest = longestRouted(n, edgeFrom, edgeTo, rank);
  const vRank: number[] = Array.from(rank);
  const vCross: number[] = cross.slice();
  const chains: number[][] = [];
  for (let e = 0; e < m; e++) {
    const a = edgeFrom[e];
    const b = edgeTo[e];
    const chain = [a];
    if (rank[b] - rank[a] - 1 > longest) {
      chains.push([a, b]); // drawn straight, and left out of the ordering below
      continue;
    }
    for (let r = rank[a] + 1; r < rank[b]; r++) {
      chain.push(vRank.length);
      vRank.push(r);
      vCross.push(2);
    }
    chain.push(b);
    chains.push(chain);
  }
  const total = vRank.length;
  const up: number[][] = Array.from({ length: total }, () => []);
  const down: number[][] = Array.from({ length: total }, () => []);
  for (const chain of chains) {
    if (chain.length === 2 && vRank[chain[1]] - vRank[chain[0]] > 1) continue; // a straight long edge
    for (let k = 0; k + 1 < chain.length; k++) {
      down[chain[k]].push(chain[k + 1]);
      up[chain[k + 1]].push(chain[k]);
    }
  }

  // ---- 3. order: initial by a depth-first walk from the sinks (keeps operands together)
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  const placed = new Uint8Array(total);
  const visit = (start: number) => {
    const stack = [start];
    while (stack.length) {
      const v = stack.pop() as number;
      if (placed[v]) continue;
      placed[v] = 1;
      layers[vRank[v]].push(v);
      for (let k = up[v].length - 1; k >= 0; k--) if (!placed[up[v][k]]) stack.push(up[v][k]);
    }
  };
  for (let k = topo.length - 1; k >= 0; k--) if (outs[topo[k]].length === 0) visit(topo[k]);
  for (let v = 0; v < total; v++) if (!placed[v]) visit(v);
  const pos = new Float64Array(total); // index within its layer
  const setPos = () => layers.forEach((layer) => layer.forEach((v, i) => (pos[v] = i)));
  setPos();
  for (let s = 0; s < o.sweeps; s++) {
    const downward = s % 2 === 0;
    for (let k = 0; k <= maxRank; k++) {
      const r = downward ? k : maxRank - k;
      const nb = downward ? up : down;
      sortByBarycenter(layers[r], nb, pos);
      layers[r].forEach((v, i) => (pos[v] = i));
    }
  }

  // ---- 4. coordinates across ranks (y in LR space)
  const isLoneLeaf = (v: number) => v < n && up[v].length === 0 && down[v].length === 1;
  const y = new Float64Array(total);
  for (const layer of layers) {
    let at = 0;
    for (const v of layer) {
      y[v] = at + vCross[v] / 2;
      at += vCross[v] + o.nodesep;
    }
  }
  for (let s = 0; s < 2 * o.sweeps; s++) {
    const downward = s % 2 === 0;
    const nb = downward ? up : down;
    for (let k = 0; k <= maxRank; k++) {
      const layer = layers[downward ? k : maxRank - k];
      const want = layer.map((v) => {
        const ns = nb[v];
        if (!ns.length) return y[v];
        // Going downstream, a node lines up with its inputs that carry a computation and lets
        // lone leaves (constants, parameters: used once, fed by nothing) sit beside it, so a
        // chain like x*c+1... stays straight instead of drifting half a box per step.
        let sum = 0;
        let count = 0;
        for (const w of ns) {
          if (downward && isLoneLeaf(w)) continue;
          sum += y[w];
          count++;
        }
        if (count === 0) for (const w of ns) (sum += y[w]), count++;
        return sum / count;
      });
      const gaps = layer.map((v, i) => (i === 0 ? 0 : (vCross[layer[i - 1]] + vCross[v]) / 2 + o.nodesep));
      const weights = layer.map((v) => (isLoneLeaf(v) ? 1e-3 : 1)); // leaves make way
      const placedY = isotonic(want, gaps, weights);
      layer.forEach((v, i) => (y[v] = placedY[i]));
    }
  }
  let minY = Infinity;
  let maxY = -Infinity;
  for (let v = 0; v < total; v++) {
    minY = Math.min(minY, y[v] - vCross[v] / 2);
    maxY = Math.max(maxY, y[v] + vCross[v] / 2);
  }
  if (!Number.isFinite(minY)) minY = maxY = 0;

  // ---- x in LR space: each rank is as wide as its widest box
  const rankWidth = new Float64Array(maxRank + 1);
  for (let v = 0; v < n; v++) rankWidth[rank[v]] = Math.max(rankWidth[rank[v]], long[v]);
  const rankX = new Float64Array(maxRank + 1);
  let at = o.margin;
  for (let r = 0; r <= maxRank; r++) {
    rankX[r] = at + rankWidth[r] / 2;
    at += rankWidth[r] + o.ranksep;
  }
  const width = at - o.ranksep + o.margin;
  const height = maxY - minY + 2 * o.margin;
  const shift = o.margin - minY;
  const toOut = (px: number, py: number): Pt => (lr ? { x: px, y: py + shift } : { x: py + shift, y: px });

  const centers: Pt[] = [];
  for (let v = 0; v < n; v++) centers.push(toOut(rankX[rank[v]], y[v]));
  const edges: Pt[][] = chains.map((chain) => {
    const a = chain[0];
    const b = chain[chain.length - 1];
    const pts: Pt[] = [toOut(rankX[rank[a]] + long[a] / 2, y[a])];
    for (let k = 1; k + 1 < chain.length; k++) {
      const d = chain[k];
      const r = vRank[d];
      pts.push(toOut(rankX[r] - rankWidth[r] / 2, y[d]), toOut(rankX[r] + rankWidth[r] / 2, y[d]));
    }
    pts.push(toOut(rankX[rank[b]] - long[b] / 2, y[b]));
    return pts;
  });
  return lr ? { width, height, centers, edges } : { width: height, height: width, centers, edges };
}

// Dummies an edge may add: one per rank it crosses. A Value reused all along an unrolled loop
// (a weight in x = (x*w + b).tanh(), 100 times) would need tens of thousands, and the ordering
// sweeps would freeze the page; past this budget the longest edges get none and are drawn straight.
const DUMMIES_PER_NODE = 4;
const MIN_DUMMIES = 2000;

/** The longest span (ranks crossed) that still gets dummies, keeping their total in budget. */
export function longestRouted(
  n: number,
  edgeFrom: ArrayLike<number>,
  edgeTo: ArrayLike<number>,
  rank: ArrayLike<number>,
): number {
  const spans: number[] = [];
  let total = 0;
  for (let e = 0; e < edgeFrom.length; e++) {
    const span = Math.max(0, rank[edgeTo[e]] - rank[edgeFrom[e]] - 1);
    spans.push(span);
    total += span;
  }
  const budget = Math.max(MIN_DUMMIES, DUMMIES_PER_NODE * n);
  if (total <= budget) return Infinity;
  spans.sort((a, b) => a - b);
  let used = 0;
  for (let k = 0; k < spans.length; k++) {
    if (used + spans[k] > budget) return spans[k] - 1;
    used += spans[k];
  }
  return Infinity;
}

/** Kahn's algorithm; nodes on a cycle (not expected in autograd graphs) go last. */
function topologicalOrder(
  n: number,
  edgeFrom: ArrayLike<number>,
  edgeTo: ArrayLike<number>,
  outs: number[][],
): number[] {
  const indeg = new Int32Array(n);
  for (let e = 0; e < edgeTo.length; e++) indeg[edgeTo[e]]++;
  const order: number[] = [];
  for (let v = 0; v < n; v++) if (indeg[v] === 0) order.push(v);
  for (let k = 0; k < order.length; k++) {
    for (const e of outs[order[k]]) if (--indeg[edgeTo[e]] === 0) order.push(edgeTo[e]);
  }
  if (order.length < n) {
    const seen = new Uint8Array(n);
    order.forEach((v) => (seen[v] = 1));
    for (let v = 0; v < n; v++) if (!seen[v]) order.push(v);
  }
  void edgeFrom;
  return order;
}

/** Stable sort of a layer by the mean position of each node's neighbours in the previous layer. */
export function sortByBarycenter(layer: number[], neighbours: number[][], pos: Float64Array): void {
  const key = new Map<number, number>();
  layer.forEach((v, i) => {
    const ns = neighbours[v];
    let s = 0;
    for (const w of ns) s += pos[w];
    key.set(v, ns.length ? s / ns.length : i);
  });
  const index = new Map(layer.map((v, i) => [v, i]));
  layer.sort((a, b) => (key.get(a) as number) - (key.get(b) as number) || (index.get(a) as number) - (index.get(b) as number));
}

/**
 * Positions p closest (weighted least squares) to `want` with p[i] - p[i-1] >= gaps[i]: subtract
 * the cumulative gaps, make the sequence non-decreasing by pooling adjacent violators, add them back.
 */
export function isotonic(want: number[], gaps: number[], weights?: number[]): number[] {
  const n = want.length;
  const offset = new Float64Array(n);
  for (let i = 1; i < n; i++) offset[i] = offset[i - 1] + gaps[i];
  // blocks of pooled neighbours: mean (weighted by how firmly each wants its place), weight, size
  const value: number[] = [];
  const weight: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < n; i++) {
    let v = want[i] - offset[i];
    let w = weights ? weights[i] : 1;
    let c = 1;
    while (value.length && value[value.length - 1] > v) {
      const pw = weight.pop() as number;
      const pv = value.pop() as number;
      v = (pv * pw + v * w) / (pw + w);
      w += pw;
      c += size.pop() as number;
    }
    value.push(v);
    weight.push(w);
    size.push(c);
  }
  const out: number[] = [];
  for (let b = 0; b < value.length; b++) for (let k = 0; k < size[b]; k++) out.push(value[b] + offset[out.length]);
  return out;
}
