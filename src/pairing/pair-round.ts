import { matchUnits } from './block-matching.js';
import { type Edge, maxWeightMatching } from './max-weight-matching.js';
import type { EdgeWeigher, RoundContext } from './round-context.js';

/** Below this odd count the trio is chosen exactly (every allowed trio tried); above it, the leftover is attached. */
export const EXACT_TRIO_LIMIT = 15;

export interface Grouping {
  groups: number[][];
  /** Vertices nobody could take. */
  left: number[];
}

/** Vertices in time-zone order (unknown last), so that large rounds cut blocks of neighbouring zones. */
export function zoneOrder(ctx: RoundContext): number[] {
  const zone = (i: number) => ctx.people[i]!.utcOffsetMinutes ?? Number.POSITIVE_INFINITY;
  return Array.from({ length: ctx.n }, (_, i) => i).sort((a, b) => zone(a) - zone(b) || a - b);
}

/** A maximum-cardinality, maximum-weight set of pairs, and the vertices left single. */
export function pairUp(ctx: RoundContext, weigher: EdgeWeigher): { pairs: [number, number][]; singles: number[] } {
  const mate = matchUnits({
    count: ctx.n,
    allowed: (a, b) => ctx.allowed(a, b),
    weight: (a, b) => weigher.weight(a, b),
    blockOrder: zoneOrder(ctx),
  });
  const pairs: [number, number][] = [];
  const singles: number[] = [];
  for (let i = 0; i < ctx.n; i++) {
    if (mate[i]! < 0) singles.push(i);
    else if (i < mate[i]!) pairs.push([i, mate[i]!]);
  }
  return { pairs, singles };
}

/** Sum of the weights between `x` and every member of `group`, or -1 when a hard rule forbids joining it. */
export function joinWeight(ctx: RoundContext, weigher: EdgeWeigher, x: number, group: readonly number[]): number {
  let sum = 0;
  for (const y of group) {
    if (!ctx.allowed(x, y)) return -1;
    sum += weigher.weight(x, y);
  }
  return sum;
}

/**
 * Each single joins the pair where it adds the most (never-met edges first, by the weight tiers) and breaks no hard
 * rule; a pair takes at most one extra member. The most constrained singles choose first.
 */
export function attachToPairs(
  ctx: RoundContext,
  weigher: EdgeWeigher,
  groups: number[][],
  singles: number[],
): number[] {
  const options = (x: number) => groups.filter((g) => g.length === 2 && joinWeight(ctx, weigher, x, g) >= 0).length;
  const order = singles.map((x) => ({ x, k: options(x) })).sort((a, b) => a.k - b.k || a.x - b.x);
  const left: number[] = [];
  for (const { x } of order) {
    let best: number[] | null = null;
    let bestWeight = -1;
    for (const g of groups) {
      if (g.length !== 2) continue;
      const w = joinWeight(ctx, weigher, x, g);
      if (w > bestWeight) {
        bestWeight = w;
        best = g;
      }
    }
    if (best) best.push(x);
    else left.push(x);
  }
  return left;
}

/** Groups of two, with one trio when the count is odd (or when someone can only be placed in a trio). */
export function pairRound(ctx: RoundContext): Grouping {
  const weigher = ctx.weigher(Math.floor(ctx.n / 2) + 3);
  const { pairs, singles } = pairUp(ctx, weigher);
  const groups = pairs.map((p) => [...p]);
  const left = attachToPairs(ctx, weigher, groups, singles);
  if (ctx.n % 2 === 1 && ctx.n <= EXACT_TRIO_LIMIT) {
    const exact = bestTrioRound(ctx, weigher);
    if (exact && exact.left.length <= left.length) return exact;
  }
  return { groups, left };
}

/**
 * Odd and small: tries every allowed trio with an optimal matching of the rest and keeps the best by (members
 * placed, total weight of every pair inside a group). Exact, where attaching a leftover afterwards is not.
 */
function bestTrioRound(ctx: RoundContext, weigher: EdgeWeigher): Grouping | null {
  const n = ctx.n;
  let best: { placed: number; weight: number; groups: number[][] } | null = null;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (!ctx.allowed(a, b)) continue;
      for (let c = b + 1; c < n; c++) {
        if (!ctx.allowed(a, c) || !ctx.allowed(b, c)) continue;
        const rest = Array.from({ length: n }, (_, i) => i).filter((i) => i !== a && i !== b && i !== c);
        const edges: Edge[] = [];
        for (let x = 0; x < rest.length; x++) {
          for (let y = x + 1; y < rest.length; y++) {
            if (ctx.allowed(rest[x]!, rest[y]!)) edges.push([x, y, weigher.weight(rest[x]!, rest[y]!)]);
          }
        }
        const mate = maxWeightMatching(edges, true, rest.length);
        const groups: number[][] = [[a, b, c]];
        let weight = weigher.weight(a, b) + weigher.weight(a, c) + weigher.weight(b, c);
        mate.forEach((m, x) => {
          if (m > x) {
            groups.push([rest[x]!, rest[m]!]);
            weight += weigher.weight(rest[x]!, rest[m]!);
          }
        });
        const placed = 3 + 2 * (groups.length - 1);
        if (!best || placed > best.placed || (placed === best.placed && weight > best.weight)) {
          best = { placed, weight, groups };
        }
      }
    }
  }
  if (!best) return null;
  const placed = new Set(best.groups.flat());
  return { groups: best.groups, left: Array.from({ length: n }, (_, i) => i).filter((i) => !placed.has(i)) };
}
