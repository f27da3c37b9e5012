import type { RoundRobinSchedule } from './round-robin-schedule.js';

const ATTEMPTS = 6;

function shuffledWithinScore(
  edges: readonly (readonly [number, number])[],
  power: (i: number, j: number) => number,
  rand: (m: number) => number,
): (readonly [number, number])[] {
  const keyed = edges.map((e) => ({ e, p: power(e[0], e[1]), r: rand(1 << 30) }));
  keyed.sort((x, y) => y.p - x.p || x.r - y.r);
  return keyed.map((x) => x.e);
}

/**
 * The power-team mode's course (issue 19): the pairs that have never met, split into classes that are each a
 * perfect matching (an edge colouring with as many colours as the most never-met partners anyone has), power pairs
 * coloured first so that they gather in a few classes. The round then follows one class, the one with the most power
 * still to gain. Rebuilt every round from who has met whom, so a round that had to leave the course costs nothing
 * later; and while the colouring is complete, following it never repeats a pair before everyone met everyone, which a
 * greedy "most power this round" would (it paints itself into a corner of odd cycles in the last rounds).
 *
 * Colouring: first fit, and where the two ends have no free colour in common, the Kempe chain of two colours is
 * swapped from one end (Vizing's argument) so that a colour frees up at both. Dense never-met graphs colour
 * completely in practice; an edge left uncoloured is simply in no class (the matcher's other tiers still hold).
 */
export function powerTeamSchedule(
  n: number,
  edges: readonly (readonly [number, number])[],
  power: (i: number, j: number) => number,
): RoundRobinSchedule | null {
  if (n < 4 || edges.length === 0) return null;
  const degree = new Int32Array(n);
  for (const [i, j] of edges) {
    degree[i]!++;
    degree[j]!++;
  }
  let k = 0;
  for (let v = 0; v < n; v++) k = Math.max(k, degree[v]!);
  // an odd count cannot be split into perfect matchings: one more class, each leaving someone out (like K_n, n odd)
  if (n % 2 === 1) k += 1;
  // at[v * k + c]: the vertex v meets in class c, or -1
  const at = new Int32Array(n * k).fill(-1);
  const free = (v: number, c: number) => at[v * k + c] === -1;
  const set = (u: number, v: number, c: number) => {
    at[u * k + c] = v;
    at[v * k + c] = u;
  };
  /** Swaps colours a and b along the a/b path that starts at v with its a-edge; returns the path's far end. */
  const swapChain = (v: number, a: number, b: number): number => {
    const path: number[] = [v];
    let x = v;
    let c = a;
    for (;;) {
      const y = at[x * k + c]!;
      if (y === -1) break;
      path.push(y);
      x = y;
      c = c === a ? b : a;
      if (path.length > n + 1) break;
    }
    // re-colour the path's edges: edge p (path[p] – path[p+1]) had a when p is even, b when odd
    for (let p = 0; p + 1 < path.length; p++) {
      at[path[p]! * k + (p % 2 === 0 ? a : b)] = -1;
      at[path[p + 1]! * k + (p % 2 === 0 ? a : b)] = -1;
    }
    for (let p = 0; p + 1 < path.length; p++) set(path[p]!, path[p + 1]!, p % 2 === 0 ? b : a);
    return x;
  };
  const colourOf = (u: number, v: number): boolean => {
    for (let c = 0; c < k; c++) {
      if (free(u, c) && free(v, c)) {
        set(u, v, c);
        return true;
      }
    }
    // no common free colour: try a Kempe swap for each free colour a of u and b of v
    for (let a = 0; a < k; a++) {
      if (!free(u, a)) continue;
      for (let b = 0; b < k; b++) {
        if (!free(v, b)) continue;
        // free a at v by swapping the a/b chain from v; fine unless that chain ends at u
        const end = swapChain(v, a, b);
        if (end !== u && free(u, a) && free(v, a)) {
          set(u, v, a);
          return true;
        }
        swapChain(v, b, a); // undo: the chain now starts at v with its b-edge
      }
    }
    return false;
  };
  const byPower = [...edges].sort((x, y) => power(y[0], y[1]) - power(x[0], x[1]));
  let left: (readonly [number, number])[] = [];
  let state = (n * 2654435761 + edges.length) >>> 0;
  const rand = (m: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % m;
  };
  // A few attempts: the first in power order, later ones shuffled within each power score.
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    at.fill(-1);
    const order = attempt === 0 ? byPower : shuffledWithinScore(byPower, power, rand);
    left = [];
    for (const e of order) if (!colourOf(e[0], e[1])) left.push(e);
    repair(left, rand);
    if (!left.length) break;
  }
  if (left.length && process.env.PT_DEBUG) console.error('uncoloured', left.length, 'of', edges.length, 'k', k);
  /**
   * Where no Kempe chain of the two ends' free colours does (the a/b chain joins the two ends: with the edge it would
   * close an odd cycle), a third colour c is rotated in first: swapping u's c/a chain makes c the colour u misses,
   * and the a/b deadlock is gone. c comes from a generator seeded by the graph, so the schedule is deterministic;
   * bounded, so a graph without such a colouring stops with some edges in no class.
   */
  function repair(left: (readonly [number, number])[], rand: (m: number) => number): void {
    let budget = 20 * edges.length + 5_000;
    while (left.length && budget-- > 0) {
      const [x, y] = left[left.length - 1]!;
      if (colourOf(x, y)) {
        left.pop();
        continue;
      }
      const [u, v] = rand(2) ? [x, y] : [y, x];
      let a = 0;
      while (a < k && !free(u, a)) a++;
      const c = rand(k);
      if (c === a || free(u, c) || free(v, c)) continue;
      swapChain(u, c, a);
    }
  }
  const classOfPair = new Int32Array(n * n).fill(-1);
  for (let v = 0; v < n; v++) {
    for (let c = 0; c < k; c++) {
      const u = at[v * k + c]!;
      if (u >= 0) classOfPair[v * n + u] = c;
    }
  }
  return { classCount: k, classOf: (i, j) => classOfPair[i * n + j]! };
}
