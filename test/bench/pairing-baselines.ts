import type { Random } from '../../src/random.js';

/** What the open-source pairing bots do: shuffle and pair neighbours; an odd one out joins the last pair. */
export function randomPairs(ids: readonly number[], random: Random): number[][] {
  const order = random.shuffle(ids);
  const groups: number[][] = [];
  for (let k = 0; k + 1 < order.length; k += 2) groups.push([order[k]!, order[k + 1]!]);
  if (order.length % 2 === 1 && groups.length > 0) groups[groups.length - 1]!.push(order[order.length - 1]!);
  return groups;
}

/**
 * The history-aware greedy the better bots use: members in random order each take their least-recently-met
 * available partner (never met counts as longest ago); an odd one out joins the last pair. Category-blind, like
 * the bots it stands for.
 */
export function greedyPairs(
  ids: readonly number[],
  lastMet: (a: number, b: number) => number,
  random: Random,
): number[][] {
  const order = random.shuffle(ids);
  const taken = new Set<number>();
  const groups: number[][] = [];
  for (const a of order) {
    if (taken.has(a)) continue;
    let best = -1;
    let bestWhen = Number.POSITIVE_INFINITY;
    for (const b of order) {
      if (b === a || taken.has(b)) continue;
      const when = lastMet(a, b); // -Infinity when never met
      if (when < bestWhen) {
        bestWhen = when;
        best = b;
      }
    }
    taken.add(a);
    if (best === -1) {
      if (groups.length > 0) groups[groups.length - 1]!.push(a);
      continue;
    }
    taken.add(best);
    groups.push([a, best]);
  }
  return groups;
}
