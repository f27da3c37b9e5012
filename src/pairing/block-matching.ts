import { type Edge, maxWeightMatching } from './max-weight-matching.js';
import { FULL_GRAPH_LIMIT } from './round-context.js';

/** Units to match (members, or pairs being merged into groups) with the hard rule and the packed weight. */
export interface UnitGraph {
  count: number;
  allowed(a: number, b: number): boolean;
  weight(a: number, b: number): number;
  /** Order in which units are cut into blocks for large inputs (neighbours in it share a block). */
  blockOrder?: readonly number[];
}

/** Block size for large rounds: about 256 keeps each block's blossom run in the tens of milliseconds. */
export const BLOCK_SIZE = 256;

/** Maximum-cardinality, maximum-weight matching of `units` on the complete graph of allowed edges. */
function matchComplete(g: UnitGraph, units: readonly number[], mate: Int32Array): void {
  const edges: Edge[] = [];
  for (let x = 0; x < units.length; x++) {
    for (let y = x + 1; y < units.length; y++) {
      const a = units[x]!;
      const b = units[y]!;
      if (g.allowed(a, b)) edges.push([x, y, g.weight(a, b)]);
    }
  }
  const local = maxWeightMatching(edges, true, units.length);
  local.forEach((m, x) => {
    if (m >= 0) mate[units[x]!] = units[m]!;
  });
}

/**
 * Returns mate[unit] (or -1). Up to FULL_GRAPH_LIMIT units: one exact matching on the complete candidate graph.
 * Above it, the candidate graph is sparse and block-diagonal: units are cut into blocks of about BLOCK_SIZE along
 * `blockOrder`, each block is solved exactly, and whoever a block leaves single is matched again across blocks.
 * In a large group almost every pair is still unmet, so a block of 256 keeps each member's best options (never met,
 * close time zone when the order follows time zones) while the blossom's O(n·m) cost drops from seconds to
 * milliseconds per block.
 */
export function matchUnits(g: UnitGraph): Int32Array {
  const mate = new Int32Array(g.count).fill(-1);
  const all = g.blockOrder ? [...g.blockOrder] : Array.from({ length: g.count }, (_, u) => u);
  if (all.length <= FULL_GRAPH_LIMIT) {
    matchComplete(g, all, mate);
    return mate;
  }
  const blocks = Math.ceil(all.length / BLOCK_SIZE);
  // Even block sizes, so that an even round leaves nobody single inside a block for want of a partner.
  const size = 2 * Math.ceil(all.length / blocks / 2);
  for (let start = 0; start < all.length; start += size) matchComplete(g, all.slice(start, start + size), mate);
  const single = all.filter((u) => mate[u] === -1);
  if (single.length > 1) matchComplete(g, single, mate);
  return mate;
}
