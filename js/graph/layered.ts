// A small layered (Sugiyama-style) layout, the kind Graphviz's dot draws, fast enough for a few
// thousand boxes in well under a second (dagre 3 needed 1.7-10 s for 1,000 Values here).
//
// 1. ranks: longest path from the sources, then every node pulled right up to its first user
//    (so parameters sit next to the multiplication that uses them, as in draw_dot); in small
//    graphs, then moved to the side where most of its edges are (shorter edges, like dot's);
// 2. long edges get invisible dummy nodes, one per rank they cross;
// 3. order within a rank: a few barycenter sweeps down and up; in small graphs then transposing,
//    sifting, restarts and an iterated local search, keeping the order that crosses least;
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
  if (n <= MAX_REFINED) balanceRanks(topo, rank, ins, outs, edgeFrom, edgeTo);
  let minRank = Infinity;
  for (let v = 0; v < n; v++) minRank = Math.min(minRank, rank[v]);
  let maxRank = 0;
  for (let v = 0; v < n; v++) maxRank = Math.max(maxRank, (rank[v] -= minRank));

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
  const both = up.map((u, v) => [...u, ...down[v]]); // every third refining sweep looks both ways
  const sweep = (s: number, median = false, keepLoose = false, twoSided = false) => {
    const downward = s % 2 === 0;
    for (let k = 0; k <= maxRank; k++) {
      const r = downward ? k : maxRank - k;
      const nb = twoSided ? both : downward ? up : down;
      sortByBarycenter(layers[r], nb, pos, median, keepLoose);
      layers[r].forEach((v, i) => (pos[v] = i));
    }
  };
  for (let s = 0; s < o.sweeps; s++) sweep(s);
  // 3b. while edges still cross: more sweeps, each followed by transposing neighbours (as dot
  // does), from this order and from a walk down from the sources, keeping the best order seen.
  // Crossing-free orders are left exactly as they were.
  work = 0;
  let best = crossings(layers, down, pos);
  if (best > 0 && total <= MAX_REFINED) {
    let bestLayers = layers.map((l) => l.slice());
    const refine = () => {
      for (let s = 0; s < REFINE_SWEEPS && best > 0 && work < WORK_BUDGET; s++) {
        sweep(s, s % 4 >= 2, true, s % 3 === 2);
        transpose(layers, up, down, pos, s % 2 === 1);
        sift(layers, up, down, pos);
        const c = crossings(layers, down, pos);
        if (c < best) {
          best = c;
          bestLayers = layers.map((l) => l.slice());
        }
      }
    };
    refine();
    if (best > 0) {
      layers.forEach((l) => (l.length = 0));
      placed.fill(0);
      const seen = new Uint8Array(total);
      const queue: number[] = [];
      for (let v = 0; v < total; v++) if (up[v].length === 0) (queue.push(v), (seen[v] = 1));
      for (let k = 0; k < queue.length; k++) {
        const v = queue[k];
        layers[vRank[v]].push(v);
        for (const w of down[v]) if (!seen[w]) (queue.push(w), (seen[w] = 1));
      }
      setPos();
      const c = crossings(layers, down, pos);
      if (c < best) {
        best = c;
        bestLayers = layers.map((l) => l.slice());
      }
      refine();
    }
    // small graphs: a few more starts from shuffled orders (seeded: the same graph always gets
    // the same picture); the work stays about that of refining a graph of RESTART_BUDGET nodes
    const restarts = Math.min(MAX_RESTARTS, Math.floor(RESTART_BUDGET / total));
    let seed = 0x9e3779b9;
    const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let k = 0; k < restarts && best > 0 && work < WORK_BUDGET; k++) {
      for (const layer of layers) {
        for (let i = layer.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [layer[i], layer[j]] = [layer[j], layer[i]];
        }
      }
      setPos();
      refine();
    }
    bestLayers.forEach((l, r) => (layers[r] = l.slice()));
    setPos();
    // iterated local search: perturb the current order (a few nodes moved to random places in
    // their layers) and descend again by sifting and transposing; keep it when no worse (so
    // plateaus are walked), draw the best seen. Seeded, and bounded by counted work: deterministic.
    const kicksBudget = work + KICK_BUDGET * Math.min(1, KICK_FULL / total);
    let current = best;
    for (let k = 0, stall = 0; best > 0 && work < kicksBudget && stall < KICK_STALL; k++, stall++) {
      const saved = layers.map((l) => l.slice());
      for (let q = 0; q < KICK_MOVES; q++) {
        const layer = layers[Math.floor(random() * layers.length)];
        if (layer.length < 2) continue;
        const [v] = layer.splice(Math.floor(random() * layer.length), 1);
        layer.splice(Math.floor(random() * (layer.length + 1)), 0, v);
        layer.forEach((u, j) => (pos[u] = j));
      }
      let c = crossings(layers, down, pos);
      for (let t = 0; t < 8; t++) {
        sift(layers, up, down, pos);
        transpose(layers, up, down, pos);
        const d = crossings(layers, down, pos);
        if (d >= c) break;
        c = d;
      }
      if (c <= current) {
        current = c;
        if (c < best) {
          best = c;
          bestLayers = layers.map((l) => l.slice());
          stall = 0;
        }
      } else {
        saved.forEach((l, q) => (layers[q] = l));
        setPos();
      }
    }
    bestLayers.forEach((l, r) => (layers[r] = l.slice()));
    setPos();
    // finally, local moves only, until they stop paying
    for (let k = 0; k < 20 && best > 0 && work < 2 * WORK_BUDGET; k++) {
      sift(layers, up, down, pos);
      transpose(layers, up, down, pos);
      const c = crossings(layers, down, pos);
      if (c >= best) break;
      best = c;
      bestLayers = layers.map((l) => l.slice());
    }
    bestLayers.forEach((l, r) => (layers[r] = l.slice()));
    setPos();
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

/**
 * Shortens edges (fewer dummies, fewer crossings): each node moves, within the ranks its
 * neighbours allow, towards the side where more of its edges are, ties towards its inputs (an op
 * node and its box stay side by side), until nothing moves: coordinate descent on the total edge
 * length that Graphviz's network simplex minimises exactly.
 */
function balanceRanks(
  topo: number[],
  rank: Int32Array,
  ins: number[][],
  outs: number[][],
  edgeFrom: ArrayLike<number>,
  edgeTo: ArrayLike<number>,
): void {
  for (let pass = 0; pass < 16; pass++) {
    let moved = false;
    for (const v of topo) {
      if (ins[v].length === 0 || ins[v].length < outs[v].length) continue;
      let r = -Infinity;
      for (const e of ins[v]) r = Math.max(r, rank[edgeFrom[e]] + 1);
      if (r < rank[v]) {
        rank[v] = r;
        moved = true;
      }
    }
    for (let k = topo.length - 1; k >= 0; k--) {
      const v = topo[k];
      if (outs[v].length === 0 || outs[v].length <= ins[v].length) continue;
      let r = Infinity;
      for (const e of outs[v]) r = Math.min(r, rank[edgeTo[e]] - 1);
      if (r > rank[v]) {
        rank[v] = r;
        moved = true;
      }
    }
    if (!moved) break;
  }
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

// Balancing ranks and refining the order are for the graphs people read box by box: past this
// many nodes (dummies included, for the order) the plain ranks and sweeps keep big graphs fast
// (balancing gave a 3,000-step unrolled loop more dummies: its layout took 3x as long).
const MAX_REFINED = 1500;
// ... and within a budget of elementary steps (pair comparisons), so that refining stays within
// ~100 ms on a slow machine whatever the graph; the count makes it deterministic, unlike a clock.
const WORK_BUDGET = 800_000;
let work = 0;
const REFINE_SWEEPS = 24;
const MAX_RESTARTS = 12;
const SIFT_MAX = 80; // sifting a layer costs its length squared
const RESTART_BUDGET = 3000;
// Perturbing the best order: a kick moves KICK_MOVES nodes to random places, then local moves
// descend again; kicks stop after KICK_BUDGET steps (50-85 ms on a busy 2-core machine for the
// 151-node random expression; less past KICK_FULL nodes) or KICK_STALL kicks in a row that
// found nothing better.
const KICK_MOVES = 4;
const KICK_BUDGET = 6_500_000;
const KICK_STALL = 120;
const KICK_FULL = 250; // past this many nodes (dummies included) the budget shrinks with the size

/** Edge crossings between each layer and the next (Fenwick-tree inversion count per pair). */
export function crossings(layers: number[][], down: number[][], pos: Float64Array): number {
  let total = 0;
  work += pos.length;
  for (let r = 0; r + 1 < layers.length; r++) {
    const size = layers[r + 1].length;
    if (size === 0) continue;
    const tree = new Int32Array(size + 1);
    let seen = 0;
    for (const v of layers[r]) {
      // this node's edges in order of their lower end; an inversion is a crossing
      const ends = down[v].map((w) => pos[w]).sort((a, b) => a - b);
      for (const p of ends) {
        let greater = seen;
        for (let i = p + 1; i > 0; i -= i & -i) greater -= tree[i];
        total += greater;
      }
      for (const p of ends) {
        for (let i = p + 1; i <= size; i += i & -i) tree[i]++;
        seen++;
      }
    }
  }
  return total;
}

/** Crossings between the edges of u and of v (u left of / above v) towards neighbours `nb`. */
function pairCrossings(u: number, v: number, nb: number[][], pos: Float64Array): number {
  work += nb[u].length * nb[v].length + 1;
  let c = 0;
  for (const a of nb[u]) for (const b of nb[v]) if (pos[a] > pos[b]) c++;
  return c;
}

/** Swaps neighbours in a layer while that lowers the crossings on both sides (dot's transpose). */
function transpose(layers: number[][], up: number[][], down: number[][], pos: Float64Array, ties = false): void {
  for (let pass = 0, improved = true; improved && pass < 8; pass++) {
    improved = false;
    for (const layer of layers) {
      for (let i = 0; i + 1 < layer.length; i++) {
        const u = layer[i];
        const v = layer[i + 1];
        const now = pairCrossings(u, v, up, pos) + pairCrossings(u, v, down, pos);
        const swapped = pairCrossings(v, u, up, pos) + pairCrossings(v, u, down, pos);
        if (swapped < now || (ties && pass === 0 && swapped === now && now > 0)) {
          layer[i] = v;
          layer[i + 1] = u;
          pos[v] = i;
          pos[u] = i + 1;
          improved = true;
        }
      }
    }
  }
}

/**
 * Sifting: each node in turn moves to the place in its layer where its edges cross fewest
 * others (both sides counted; a tie keeps its place).
 */
function sift(layers: number[][], up: number[][], down: number[][], pos: Float64Array): void {
  const cost = (a: number, b: number) => pairCrossings(a, b, up, pos) + pairCrossings(a, b, down, pos);
  for (const layer of layers) {
    if (layer.length < 3 || layer.length > SIFT_MAX) continue;
    for (const v of layer.slice()) {
      const others = layer.filter((u) => u !== v);
      // crossings with v placed before every other node, then moved past them one by one
      let c = 0;
      for (const u of others) c += cost(v, u);
      const from = layer.indexOf(v);
      let best = c;
      let at = 0;
      let here = from === 0 ? c : Infinity;
      for (let k = 0; k < others.length; k++) {
        c += cost(others[k], v) - cost(v, others[k]);
        if (k + 1 === from) here = c;
        if (c < best) [best, at] = [c, k + 1];
      }
      if (best >= here) continue;
      others.splice(at, 0, v);
      others.forEach((u, i) => ((layer[i] = u), (pos[u] = i)));
    }
  }
}

/**
 * Stable sort of a layer by the mean (or median) position of each node's neighbours in the
 * previous layer. `keepLoose`: nodes with no such neighbours keep their places and the others
 * are sorted into the remaining ones (as dot does); else they sort by their own index.
 */
export function sortByBarycenter(layer: number[], neighbours: number[][], pos: Float64Array, median = false, keepLoose = false): void {
  const key = new Map<number, number>();
  layer.forEach((v, i) => {
    const ns = neighbours[v];
    if (!ns.length) {
      key.set(v, i);
      return;
    }
    if (median) {
      const ps = ns.map((w) => pos[w]).sort((a, b) => a - b);
      const h = ps.length >> 1;
      key.set(v, ps.length % 2 ? ps[h] : (ps[h - 1] + ps[h]) / 2);
      return;
    }
    let s = 0;
    for (const w of ns) s += pos[w];
    key.set(v, s / ns.length);
  });
  const index = new Map(layer.map((v, i) => [v, i]));
  const order = (a: number, b: number) => (key.get(a) as number) - (key.get(b) as number) || (index.get(a) as number) - (index.get(b) as number);
  if (!keepLoose) {
    layer.sort(order);
    return;
  }
  const slots: number[] = [];
  const moving: number[] = [];
  layer.forEach((v, i) => {
    if (neighbours[v].length) {
      slots.push(i);
      moving.push(v);
    }
  });
  moving.sort(order);
  slots.forEach((slot, k) => (layer[slot] = moving[k]));
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
