import { MAX_SAFE_MATCHING_WEIGHT } from './max-weight-matching.js';

/**
 * Packs several objective tiers into one integer edge weight so that a maximum-weight matching optimises them
 * lexicographically: one unit of a tier is worth more than the largest possible total of every tier below it over
 * all the edges a solution can sum (`maxTerms`). A higher tier therefore always dominates, whatever the lower ones do.
 */
export interface LexicographicWeight {
  /** Tier values from the most important to the least, each within 0..max of its tier. */
  pack(values: readonly number[]): number;
  readonly maxWeight: number;
}

export function lexicographicWeight(maxTerms: number, maxima: readonly number[]): LexicographicWeight {
  const units = new Array<number>(maxima.length).fill(0);
  let below = 0; // largest per-edge total of the tiers already placed beneath
  for (let t = maxima.length - 1; t >= 0; t--) {
    units[t] = below === 0 ? 1 : maxTerms * below + 1;
    below += maxima[t]! * units[t]!;
  }
  const maxWeight = below;
  return {
    maxWeight,
    pack(values) {
      let w = 0;
      for (let t = 0; t < values.length; t++) w += values[t]! * units[t]!;
      return w;
    },
  };
}

/** True when sums of `edgeTerms` packed weights stay exact inside the blossom algorithm's arithmetic. */
export function fitsMatching(scale: LexicographicWeight, edgeTerms = 1): boolean {
  return scale.maxWeight * edgeTerms <= MAX_SAFE_MATCHING_WEIGHT / 2;
}
