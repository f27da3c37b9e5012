import type { Random } from '../random.js';

/**
 * Keeps a stable group on a round-robin course.
 *
 * Maximising never-met pairs round by round is not enough on its own: greedy rounds can paint themselves into a
 * corner (with 6 members, three rounds forming K3,3 leave two never-met triangles, which have no perfect matching,
 * so round 4 must repeat a pair). The circle method of round-robin tournaments splits all pairs into n−1 (n odd: n)
 * classes, each a perfect (n odd: near-perfect) matching. Among rounds equal on never-met pairs and recency, the
 * matcher prefers the edges of one class: the class with the most never-met pairs. A stable group then walks the
 * classes one by one and meets everybody exactly once in n−1 rounds.
 *
 * Positions on the circle come from a fixed hash of the member id, so they stay put from round to round (the seed
 * must not move them) and do not follow join order.
 */
export interface RoundRobinSchedule {
  /** Circle class of the pair (i, j), indices into the round's vertex list. */
  classOf(i: number, j: number): number;
  readonly classCount: number;
}

function mixId(id: number): number {
  // A 32-bit integer hash (murmur3 finaliser): stable across rounds, unrelated to id order.
  let h = (id ^ (id / 2 ** 32)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function roundRobinSchedule(ids: readonly number[]): RoundRobinSchedule {
  const n = ids.length;
  const order = ids.map((id, i) => ({ i, key: mixId(id), id })).sort((a, b) => a.key - b.key || a.id - b.id);
  const position = new Int32Array(n);
  order.forEach((o, p) => {
    position[o.i] = p;
  });
  if (n % 2 === 1) {
    // Odd n: classes (p + q) mod n, each leaving out the one member with 2p ≡ class.
    return { classCount: n, classOf: (i, j) => (position[i]! + position[j]!) % n };
  }
  // Even n: n−1 members on the circle, the last position fixed in the middle.
  const m = n - 1;
  return {
    classCount: Math.max(1, m),
    classOf(i, j) {
      const p = position[i]!;
      const q = position[j]!;
      if (p === m) return (2 * q) % m;
      if (q === m) return (2 * p) % m;
      return (p + q) % m;
    },
  };
}

/** Picks the class to favour: best by the given score tuples (compared in order), ties broken by the seed. */
export function pickClass(scores: readonly (readonly number[])[], random: Random): number {
  const tiebreak = scores.map(() => random.next());
  let best = 0;
  for (let c = 1; c < scores.length; c++) {
    const a = scores[c]!;
    const b = scores[best]!;
    let cmp = 0;
    for (let t = 0; t < a.length && cmp === 0; t++) cmp = a[t]! - b[t]!;
    if (cmp > 0 || (cmp === 0 && tiebreak[c]! > tiebreak[best]!)) best = c;
  }
  return best;
}
