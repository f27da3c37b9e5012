import { matchUnits } from './block-matching.js';
import { improveBySwaps } from './group-swaps.js';
import { attachToPairs, type Grouping, joinWeight, pairUp } from './pair-round.js';
import { FULL_GRAPH_LIMIT, type RoundContext } from './round-context.js';

/**
 * Sizes for n members in groups of about `target`: all within one of each other, none below 2. Of the two nearest
 * group counts, the one whose sizes stray least from the target wins (then the closer average, then more groups).
 */
export function groupSizes(n: number, target: number): number[] {
  if (n < 2) return [];
  const candidates = [Math.floor(n / target), Math.ceil(n / target)].filter((g) => g >= 1 && Math.floor(n / g) >= 2);
  const score = (g: number) => [
    Math.max(Math.abs(Math.floor(n / g) - target), Math.abs(Math.ceil(n / g) - target)),
    Math.abs(n / g - target),
    -g,
  ];
  const g = candidates.sort((a, b) => {
    const x = score(a);
    const y = score(b);
    return x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]!;
  })[0]!;
  const big = n % g;
  return Array.from({ length: g }, (_, k) => Math.floor(n / g) + (k < big ? 1 : 0));
}

/** Interleaves two lists by a key, so that blocks cut from the result hold some of each. */
function interleave(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Take from whichever list is behind in proportion.
    if (j >= b.length || (i < a.length && i / a.length <= j / b.length)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

/**
 * Groups of 3 or 4. Every group is one or two "core" pairs plus at most one single: pairs come from the
 * maximum-weight matching; the weakest pairs are split into singles when the size plan needs fewer pairs; pairs are
 * merged two by two by a maximum-weight matching on the pairs (weight: the four cross edges; placeholder vertices
 * stand for the groups that keep a single pair); then singles join the groups that need one, by a maximum-weight
 * assignment. All three steps obey the hard rules on every pair inside a group.
 */
export function groupRound(ctx: RoundContext, target: 3 | 4): Grouping {
  const pairWeigher = ctx.weigher(Math.floor(ctx.n / 2) + 3);
  const { pairs, singles } = pairUp(ctx, pairWeigher);
  const sizes = groupSizes(ctx.n, target);
  let twoPairGroups = sizes.filter((s) => s >= 4).length;
  let onePairGroups = sizes.length - twoPairGroups;
  const oddSize = sizes.find((s) => s % 2 === 1);
  const needed = 2 * twoPairGroups + onePairGroups;
  const byStrength = pairs
    .map((p) => ({ p, w: pairWeigher.weight(p[0], p[1]) }))
    .sort((x, y) => y.w - x.w || x.p[0] - y.p[0]);
  const cores = byStrength.slice(0, needed).map((x) => x.p);
  for (const { p } of byStrength.slice(needed)) singles.push(...p);
  if (cores.length < needed) {
    // Hard rules left too few pairs: keep as many two-pair groups as the pairs allow.
    twoPairGroups = Math.min(twoPairGroups, Math.floor(cores.length / 2));
    onePairGroups = cores.length - 2 * twoPairGroups;
  }

  const weigher = ctx.weigher(2 * ctx.n + 4, 0, 4);
  const groups = mergePairs(ctx, cores, onePairGroups, twoPairGroups, (x, g) => joinWeight(ctx, weigher, x, g));
  // Singles go to groups planned with an odd size: those with floor(oddSize / 2) core pairs.
  const wantCores = oddSize === undefined ? -1 : Math.floor(oddSize / 2);
  const eligible = groups.filter((g) => wantCores === -1 || g.length === 2 * wantCores);
  const left = assignSingles(ctx, eligible, singles, (x, g) => joinWeight(ctx, weigher, x, g));
  // Anyone still out may join any group a hard rule allows, smallest groups first (placing people beats sizes).
  const stillLeft = attachToPairs(ctx, weigher, groups, left);
  const last: number[] = [];
  for (const x of stillLeft) {
    const open = groups
      .filter((g) => g.length <= target && joinWeight(ctx, weigher, x, g) >= 0)
      .sort((a, b) => a.length - b.length);
    if (open[0]) open[0].push(x);
    else last.push(x);
  }
  // Local search costs O(n²) per pass: three passes up to the full-graph size, one above it.
  improveBySwaps(ctx, weigher, groups, ctx.n <= FULL_GRAPH_LIMIT ? 3 : 1);
  return { groups, left: last };
}

function mergePairs(
  ctx: RoundContext,
  cores: [number, number][],
  placeholders: number,
  merges: number,
  join: (x: number, g: readonly number[]) => number,
): number[][] {
  if (merges === 0) return cores.map((p) => [...p]);
  const p = cores.length;
  const zone = (c: [number, number]) => ctx.people[c[0]]!.utcOffsetMinutes ?? Number.POSITIVE_INFINITY;
  const pairOrder = Array.from({ length: p }, (_, k) => k).sort((a, b) => zone(cores[a]!) - zone(cores[b]!) || a - b);
  const dummyOrder = Array.from({ length: placeholders }, (_, k) => p + k);
  const crossWeight = (a: number, b: number) => {
    const [x, y] = cores[a]!;
    const wx = join(x, cores[b]!);
    const wy = join(y, cores[b]!);
    return wx < 0 || wy < 0 ? -1 : wx + wy;
  };
  const mate = matchUnits({
    count: p + placeholders,
    allowed: (a, b) => (a < p && b < p ? crossWeight(a, b) >= 0 : a < p || b < p),
    weight: (a, b) => (a < p && b < p ? crossWeight(a, b) : 0),
    blockOrder: interleave(pairOrder, dummyOrder),
  });
  const groups: number[][] = [];
  for (let a = 0; a < p; a++) {
    const m = mate[a]!;
    if (m >= 0 && m < p) {
      if (a < m) groups.push([...cores[a]!, ...cores[m]!]);
    } else {
      groups.push([...cores[a]!]);
    }
  }
  return groups;
}

/** Maximum-weight assignment of singles to groups, at most one single per group; returns who found no group. */
function assignSingles(
  ctx: RoundContext,
  groups: number[][],
  singles: readonly number[],
  join: (x: number, g: readonly number[]) => number,
): number[] {
  if (singles.length === 0) return [];
  const s = singles.length;
  const zone = (i: number) => ctx.people[i]!.utcOffsetMinutes ?? Number.POSITIVE_INFINITY;
  const singleOrder = Array.from({ length: s }, (_, k) => k).sort((a, b) => zone(singles[a]!) - zone(singles[b]!));
  const groupOrder = Array.from({ length: groups.length }, (_, k) => s + k).sort(
    (a, b) => zone(groups[a - s]![0]!) - zone(groups[b - s]![0]!),
  );
  const isSingle = (u: number) => u < s;
  const mate = matchUnits({
    count: s + groups.length,
    allowed: (a, b) => isSingle(a) !== isSingle(b) && join(singles[Math.min(a, b)]!, groups[Math.max(a, b) - s]!) >= 0,
    weight: (a, b) => join(singles[Math.min(a, b)]!, groups[Math.max(a, b) - s]!),
    blockOrder: interleave(singleOrder, groupOrder),
  });
  const left: number[] = [];
  for (let k = 0; k < s; k++) {
    const m = mate[k]!;
    if (m >= s) groups[m - s]!.push(singles[k]!);
    else left.push(singles[k]!);
  }
  return left;
}
