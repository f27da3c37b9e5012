import type { EdgeWeigher, RoundContext } from './round-context.js';

/**
 * Local improvement for groups of 3–4: swap two members of different groups whenever that raises the total weight
 * of the pairs inside groups (the same lexicographic tiers, so a swap that removes a repeat always wins) and breaks
 * no hard rule. Building groups from pairs and then merging them optimises each step but not the whole; swaps
 * repair the cross edges the merge had to accept. Sizes never change.
 */
export function improveBySwaps(ctx: RoundContext, weigher: EdgeWeigher, groups: number[][], maxPasses: number): void {
  const groupOf = new Int32Array(ctx.n).fill(-1);
  groups.forEach((g, k) => {
    for (const x of g) groupOf[x] = k;
  });
  const members = groups.flat();
  // Weight x would have inside group g without member `without`, or -Infinity if a hard rule forbids it.
  const gain = (x: number, g: readonly number[], without: number) => {
    let sum = 0;
    for (const y of g) {
      if (y === without || y === x) continue;
      if (!ctx.allowed(x, y)) return Number.NEGATIVE_INFINITY;
      sum += weigher.weight(x, y);
    }
    return sum;
  };
  for (let pass = 0; pass < maxPasses; pass++) {
    let improved = false;
    for (let s = 0; s < members.length; s++) {
      for (let t = s + 1; t < members.length; t++) {
        const x = members[s]!;
        const y = members[t]!;
        const gx = groupOf[x]!;
        const gy = groupOf[y]!;
        if (gx === gy) continue;
        const a = groups[gx]!;
        const b = groups[gy]!;
        const before = gain(x, a, x) + gain(y, b, y);
        const after = gain(y, a, x) + gain(x, b, y);
        if (after > before) {
          a[a.indexOf(x)] = y;
          b[b.indexOf(y)] = x;
          groupOf[x] = gy;
          groupOf[y] = gx;
          improved = true;
        }
      }
    }
    if (!improved) return;
  }
}
