import { powerTeamSchedule } from './power-team-schedule.js';
import { roundRobinSchedule } from './round-robin-schedule.js';

/**
 * The power pairs' own course (power-team mode, issue 19): every connected set of power pairs (in practice one
 * contact sphere) walks a round robin of its own, all of them side by side. A sphere of k members is a complete
 * graph; the circle method splits it into k−1 perfect matchings (k even) or k near-perfect ones (k odd), so
 * following one class a round, every member meets every sphere partner within k rounds. A greedy "most power
 * pairs this round" cannot promise that: in a sphere of 5 it may leave a triangle, which needs three more rounds.
 *
 * The classes are computed from the pairs alone, never from history, so they are the same every round (positions
 * on the circle hash the member id); each round, each component follows the class with the most never-met pairs
 * left. A component that is not a complete graph (overlapping spheres, affinity pairs, an excluded pair) is edge
 * coloured by the never-met schedule's colouring instead; it keeps its classes but has no size promise.
 *
 * Returns whether the pair (vertex indices) is on this round's course.
 */
export function powerCourse(
  n: number,
  ids: readonly number[],
  edges: readonly (readonly [number, number])[],
  neverMet: (i: number, j: number) => boolean,
): (i: number, j: number) => boolean {
  const none = () => false;
  if (edges.length === 0) return none;
  const root = Int32Array.from({ length: n }, (_, v) => v);
  const find = (v: number): number => {
    while (root[v] !== v) {
      root[v] = root[root[v]!]!;
      v = root[v]!;
    }
    return v;
  };
  for (const [i, j] of edges) root[find(i)] = find(j);
  const byComponent = new Map<number, (readonly [number, number])[]>();
  for (const e of edges) {
    const c = find(e[0]);
    const list = byComponent.get(c);
    if (list) list.push(e);
    else byComponent.set(c, [e]);
  }
  const key = (i: number, j: number) => (i < j ? i * n + j : j * n + i);
  /** Per pair on a course: its component's root and its class there. */
  const classOf = new Map<number, number>();
  const chosen = new Map<number, number>();
  for (const [c, list] of byComponent) {
    const vertices = [...new Set(list.flat())].sort((a, b) => a - b);
    const local = new Map(vertices.map((v, x) => [v, x]));
    const m = vertices.length;
    const complete = list.length === (m * (m - 1)) / 2;
    const schedule = complete
      ? roundRobinSchedule(vertices.map((v) => ids[v]!))
      : powerTeamSchedule(
          m,
          list.map(([i, j]) => [local.get(i)!, local.get(j)!] as const),
          () => 0,
        );
    const left = new Map<number, number>();
    for (const [i, j] of list) {
      const cls = schedule ? schedule.classOf(local.get(i)!, local.get(j)!) : firstFit(list, i, j);
      if (cls < 0) continue;
      classOf.set(key(i, j), cls);
      if (neverMet(i, j)) left.set(cls, (left.get(cls) ?? 0) + 1);
    }
    // the class with the most pairs still to meet; the lowest on a tie, so every round agrees on the course
    let best = -1;
    for (const [cls, count] of left) {
      if (best < 0 || count > left.get(best)! || (count === left.get(best)! && cls < best)) best = cls;
    }
    if (best >= 0) chosen.set(c, best);
  }
  if (chosen.size === 0) return none;
  return (i, j) => {
    const cls = classOf.get(key(i, j));
    return cls !== undefined && chosen.get(find(i)) === cls;
  };
}

/** Classes for a component too small for the colouring (a path of three): each pair in a class of its own. */
function firstFit(list: readonly (readonly [number, number])[], i: number, j: number): number {
  return list.findIndex(([a, b]) => a === i && b === j);
}
