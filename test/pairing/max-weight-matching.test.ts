import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Edge, maxWeightMatching } from '../../src/pairing/max-weight-matching.js';
import { seededRandom } from '../../src/random.js';

/** Best (cardinality, weight) over every matching, by exhaustive search: the oracle for small graphs. */
function bruteForce(n: number, edges: readonly Edge[], maxCardinality: boolean): { size: number; weight: number } {
  const w = new Map<number, number>();
  for (const [u, v, x] of edges) w.set(u * n + v, x).set(v * n + u, x);
  let best = { size: 0, weight: 0 };
  const used = new Array<boolean>(n).fill(false);
  const visit = (from: number, size: number, weight: number) => {
    let i = from;
    while (i < n && used[i]) i++;
    if (i >= n) {
      const better = maxCardinality
        ? size > best.size || (size === best.size && weight > best.weight)
        : weight > best.weight;
      if (better) best = { size, weight };
      return;
    }
    used[i] = true;
    visit(i + 1, size, weight); // i stays single
    for (let j = i + 1; j < n; j++) {
      const x = w.get(i * n + j);
      if (used[j] || x === undefined) continue;
      used[j] = true;
      visit(i + 1, size + 1, weight + x);
      used[j] = false;
    }
    used[i] = false;
  };
  visit(0, 0, 0);
  return best;
}

function checkMate(n: number, edges: readonly Edge[], mate: number[]): { size: number; weight: number } {
  const w = new Map<number, number>();
  for (const [u, v, x] of edges) w.set(u * n + v, x).set(v * n + u, x);
  let size = 0;
  let weight = 0;
  for (let v = 0; v < mate.length; v++) {
    const m = mate[v]!;
    if (m === -1) continue;
    expect(mate[m]).toBe(v);
    const x = w.get(v * n + m);
    expect(x).toBeDefined();
    if (v < m) {
      size++;
      weight += x!;
    }
  }
  return { size, weight };
}

function randomGraph(seed: number, n: number, density: number, maxWeight: number, allowNegative: boolean): Edge[] {
  const rnd = seededRandom(seed);
  const edges: Edge[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (rnd.next() >= density) continue;
      const x = rnd.int(maxWeight + 1) - (allowNegative ? rnd.int(maxWeight / 2 + 1) : 0);
      edges.push(rnd.next() < 0.5 ? [i, j, x] : [j, i, x]);
    }
  }
  return rnd.shuffle(edges);
}

describe('maxWeightMatching', () => {
  it('handles the empty graph and isolated vertices', () => {
    expect(maxWeightMatching([])).toEqual([]);
    expect(maxWeightMatching([], false, 3)).toEqual([-1, -1, -1]);
    expect(maxWeightMatching([[0, 1, 1]], false, 4)).toEqual([1, 0, -1, -1]);
  });

  it('solves the reference test cases', () => {
    // Cases from the reference implementation's own test suite.
    expect(maxWeightMatching([[0, 1, 1]])).toEqual([1, 0]);
    expect(
      maxWeightMatching([
        [1, 2, 10],
        [2, 3, 11],
      ]),
    ).toEqual([-1, -1, 3, 2]);
    expect(
      maxWeightMatching([
        [1, 2, 5],
        [2, 3, 11],
        [3, 4, 5],
      ]),
    ).toEqual([-1, -1, 3, 2, -1]);
    expect(
      maxWeightMatching(
        [
          [1, 2, 5],
          [2, 3, 11],
          [3, 4, 5],
        ],
        true,
      ),
    ).toEqual([-1, 2, 1, 4, 3]);
    // Blossom creation, S-blossom, T-blossom expansion, nested blossoms, relabelling.
    expect(
      maxWeightMatching([
        [1, 2, 8],
        [1, 3, 9],
        [2, 3, 10],
        [3, 4, 7],
      ]),
    ).toEqual([-1, 2, 1, 4, 3]);
    expect(
      maxWeightMatching([
        [1, 2, 8],
        [1, 3, 9],
        [2, 3, 10],
        [3, 4, 7],
        [1, 6, 5],
        [4, 5, 6],
      ]),
    ).toEqual([-1, 6, 3, 2, 5, 4, 1]);
    expect(
      maxWeightMatching([
        [1, 2, 9],
        [1, 3, 8],
        [2, 3, 10],
        [1, 4, 5],
        [4, 5, 4],
        [1, 6, 3],
      ]),
    ).toEqual([-1, 6, 3, 2, 5, 4, 1]);
    expect(
      maxWeightMatching([
        [1, 2, 9],
        [1, 3, 9],
        [2, 3, 10],
        [2, 4, 8],
        [3, 5, 8],
        [4, 5, 10],
        [5, 6, 6],
      ]),
    ).toEqual([-1, 3, 4, 1, 2, 6, 5]);
    expect(
      maxWeightMatching([
        [1, 2, 23],
        [1, 5, 22],
        [1, 6, 15],
        [2, 3, 25],
        [3, 4, 22],
        [4, 5, 25],
        [4, 8, 14],
        [5, 7, 13],
      ]),
    ).toEqual([-1, 6, 3, 2, 8, 7, 1, 5, 4]);
    expect(
      maxWeightMatching([
        [1, 2, 45],
        [1, 5, 45],
        [2, 3, 50],
        [3, 4, 45],
        [4, 5, 50],
        [1, 6, 30],
        [3, 9, 35],
        [4, 8, 35],
        [5, 7, 26],
        [9, 10, 5],
      ]),
    ).toEqual([-1, 6, 3, 2, 8, 7, 1, 5, 4, 10, 9]);
    expect(
      maxWeightMatching([
        [1, 2, 40],
        [1, 3, 40],
        [2, 3, 60],
        [2, 4, 55],
        [3, 5, 55],
        [4, 5, 50],
        [1, 8, 15],
        [5, 7, 30],
        [7, 6, 10],
        [8, 10, 10],
        [4, 9, 30],
      ]),
    ).toEqual([-1, 2, 1, 5, 9, 3, 7, 6, 10, 4, 8]);
  });

  it('matches brute force on many small random graphs (weight)', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const rnd = seededRandom(seed * 7919);
      const n = 1 + rnd.int(10);
      const edges = randomGraph(seed, n, 0.2 + rnd.next() * 0.8, [3, 10, 1000][seed % 3]!, seed % 5 === 0);
      const got = checkMate(n, edges, maxWeightMatching(edges, false, n));
      expect(got.weight, `seed ${seed}`).toBe(bruteForce(n, edges, false).weight);
    }
  });

  it('matches brute force on many small random graphs (max cardinality)', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const rnd = seededRandom(seed * 104729);
      const n = 1 + rnd.int(10);
      const edges = randomGraph(seed + 99_999, n, 0.15 + rnd.next() * 0.7, [2, 9, 500][seed % 3]!, seed % 4 === 0);
      const got = checkMate(n, edges, maxWeightMatching(edges, true, n));
      const want = bruteForce(n, edges, true);
      expect(got, `seed ${seed}`).toEqual(want);
    }
  });

  it('is exact with the large lexicographic weights the matcher uses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 9 }), fc.integer(), fc.boolean(), (n, seed, card) => {
        const base = randomGraph(seed, n, 0.7, 5, false);
        // Tiered weights near 2^49: a tier-1 unit dwarfs everything beneath it.
        const edges: Edge[] = base.map(([u, v, x]) => [u, v, (x % 2) * 2 ** 48 + ((x * 7919) % 100_000)]);
        const got = checkMate(n, edges, maxWeightMatching(edges, card, n));
        const want = bruteForce(n, edges, card);
        expect(got.weight).toBe(want.weight);
        if (card) expect(got.size).toBe(want.size);
      }),
      { numRuns: 300 },
    );
  });
});
