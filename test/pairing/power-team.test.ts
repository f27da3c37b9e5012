import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchRound, type PowerPair, type RoundInput } from '../../src/pairing/matcher.js';
import { seededRandom } from '../../src/random.js';
import { expectHardRules, NOW, pairKey, pairsOf, randomInput } from './pairing-fixtures.js';
import { simulate, syntheticChapter } from './power-team-chapter.js';

/** Random power pairs over an input's participants: sphere-like cliques plus a few affinity pairs. */
function withPowerPairs(input: RoundInput, seed: number): RoundInput {
  const rnd = seededRandom(seed ^ 0x5f3759df);
  const ids = input.participants.map((p) => p.id);
  const powerPairs: PowerPair[] = [];
  for (let x = 0; x < ids.length; x++) {
    for (let y = x + 1; y < ids.length; y++) {
      const r = rnd.next();
      if (r < 0.15) powerPairs.push({ a: ids[x]!, b: ids[y]!, score: 3 });
      else if (r < 0.2) powerPairs.push({ a: ids[y]!, b: ids[x]!, score: (1 + rnd.int(2)) as 1 | 2 });
    }
  }
  return { ...input, mode: 'power-team', powerPairs };
}

describe('power-team pairing mode', () => {
  it('never breaks a hard rule and places every member once (exclusions, groups of 2–4, any history)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 40 }),
        fc.constantFrom(2, 3, 4),
        (seed, n, groupSize) => {
          const input = withPowerPairs(randomInput(seed, n, { groupSize } as Partial<RoundInput>), seed);
          const result = matchRound(input, seed);
          expectHardRules(input, result);
          if (groupSize === 2) for (const g of result.groups) expect(g.length).toBeLessThanOrEqual(3);
        },
      ),
      { numRuns: 250 },
    );
  });

  it('pairs as many never-met pairs as standard mode does: power pairs never cost a repeat (even counts, pairs)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 1, max: 15 }), (seed, half) => {
        const base = randomInput(seed, 2 * half);
        const never = (input: RoundInput) => {
          const met = new Set((input.history ?? []).map((m) => pairKey(m.a, m.b)));
          return pairsOf(matchRound(input, seed)).filter(([a, b]) => !met.has(pairKey(a, b))).length;
        };
        const standard = matchRound(base, seed);
        const power = matchRound(withPowerPairs(base, seed), seed);
        expect(power.unplaced.length).toBe(standard.unplaced.length);
        expect(never(withPowerPairs(base, seed))).toBe(never(base));
      }),
      { numRuns: 120 },
    );
  });

  it('puts sphere partners together first when they have not met', () => {
    const participants = [1, 2, 3, 4, 5, 6].map((id) => ({ id, category: null, mentor: null, utcOffsetMinutes: 0 }));
    const powerPairs: PowerPair[] = [
      { a: 1, b: 4, score: 3 },
      { a: 2, b: 6, score: 3 },
      { a: 3, b: 5, score: 3 },
    ];
    for (let seed = 1; seed <= 20; seed++) {
      const r = matchRound({ participants, mode: 'power-team', powerPairs, now: NOW }, seed);
      expect(r.groups).toEqual([
        [1, 4],
        [2, 6],
        [3, 5],
      ]);
    }
    // standard mode ignores them
    const standard = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) =>
      JSON.stringify(matchRound({ participants, mode: 'standard', powerPairs, now: NOW }, seed).groups),
    );
    expect(
      standard.some(
        (g) =>
          g !==
          JSON.stringify([
            [1, 4],
            [2, 6],
            [3, 5],
          ]),
      ),
    ).toBe(true);
  });

  it('on a synthetic chapter, everyone meets every sphere partner within their sphere’s size, far sooner than standard', () => {
    // 50/1 has spheres of 5 and 7: odd spheres need their full size (a round robin leaves one out each round)
    for (const [n, seed] of [
      [24, 3],
      [30, 11],
      [50, 1],
    ] as const) {
      const chapter = syntheticChapter(n, seed);
      const standard = simulate(chapter, 'standard', n);
      const power = simulate(chapter, 'power-team', n);
      expect(power.roundsToMeetPartners).toBeLessThan(standard.roundsToMeetPartners);
      expect(power.roundsToMeetPartners).toBeLessThanOrEqual(Math.ceil(standard.roundsToMeetPartners / 2));
      for (const sphere of chapter.spheres) {
        for (const id of sphere) expect(power.perMember.get(id), `member ${id}`).toBeLessThanOrEqual(sphere.length);
      }
      // and over a full cycle no pair meets twice (n even: every round is a perfect matching)
      expect(power.repeatsWithinFullCycle).toBe(0);
      expect(standard.repeatsWithinFullCycle).toBe(0);
    }
  });
});
