import { expect } from 'vitest';
import type { PairingParticipant, PastMeeting, RoundInput, RoundResult } from '../../src/pairing/matcher.js';
import { mentorCapacity } from '../../src/pairing/matcher.js';
import { type Random, seededRandom } from '../../src/random.js';

export const NOW = new Date(Date.UTC(2025, 5, 2, 9));
export const DAY = 86_400_000;

export function person(id: number, extra: Partial<PairingParticipant> = {}): PairingParticipant {
  return { id, category: null, mentor: null, utcOffsetMinutes: null, ...extra };
}

export const people = (n: number, from = 1) => Array.from({ length: n }, (_, k) => person(from + k));

export const pairKey = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

/** Every pair inside the groups. */
export function pairsOf(result: RoundResult): [number, number][] {
  const out: [number, number][] = [];
  for (const g of result.groups)
    for (let x = 0; x < g.length; x++) for (let y = x + 1; y < g.length; y++) out.push([g[x]!, g[y]!]);
  return out;
}

/** A random round: categories, zones, mentor roles, exclusions and a history of past meetings. */
export function randomInput(seed: number, n: number, overrides: Partial<RoundInput> = {}): RoundInput {
  const rnd: Random = seededRandom(seed);
  const categories = Math.max(1, Math.round(n / (2 + rnd.int(4))));
  const participants = Array.from({ length: n }, (_, k) =>
    person(10 + k * 3, {
      category: rnd.next() < 0.1 ? null : `cat${rnd.int(categories)}`,
      mentor: rnd.next() < 0.45 ? 'can' : rnd.next() < 0.85 ? 'seeks' : null,
      utcOffsetMinutes: rnd.next() < 0.2 ? null : (rnd.int(27) - 12) * 60,
      mentorCapacity: rnd.next() < 0.3 ? 1 + rnd.int(3) : undefined,
    }),
  );
  const ids = participants.map((p) => p.id);
  const excluded: [number, number][] = [];
  const history: PastMeeting[] = [];
  const exclusionRate = rnd.next() * 0.15;
  const historyRate = rnd.next() * 0.8;
  for (let x = 0; x < n; x++) {
    for (let y = x + 1; y < n; y++) {
      if (rnd.next() < exclusionRate) excluded.push([ids[x]!, ids[y]!]);
      if (rnd.next() < historyRate) {
        history.push({ a: ids[y]!, b: ids[x]!, lastMetAt: new Date(NOW.getTime() - (1 + rnd.int(400)) * DAY) });
      }
    }
  }
  return { participants, excluded, history, now: NOW, ...overrides };
}

/** Asserts the hard rules and that each participant is in exactly one group or unplaced. */
export function expectHardRules(input: RoundInput, result: RoundResult): void {
  const byId = new Map(input.participants.map((p) => [p.id, p]));
  const seen = [...result.groups.flat(), ...result.unplaced.map((u) => u.memberId)].sort((a, b) => a - b);
  expect(seen).toEqual([...byId.keys()].sort((a, b) => a - b));
  const excluded = new Set((input.excluded ?? []).map(([a, b]) => pairKey(a, b)));
  for (const [a, b] of pairsOf(result)) expect(excluded.has(pairKey(a, b)), `excluded ${a}-${b}`).toBe(false);
  for (const g of result.groups) {
    expect(g.length).toBeGreaterThanOrEqual(2);
    if (input.mode === 'cross-category') {
      const cats = g.map((id) => byId.get(id)!.category).filter((c) => c !== null);
      expect(new Set(cats).size, `one category twice in ${g}`).toBe(cats.length);
    }
    if (input.mode === 'mentor-mentee') {
      const mentors = g.filter((id) => byId.get(id)!.mentor === 'can');
      expect(mentors.length).toBe(1);
      expect(g.filter((id) => byId.get(id)!.mentor === 'seeks').length).toBe(g.length - 1);
      expect(g.length - 1).toBeLessThanOrEqual(mentorCapacity(byId.get(mentors[0]!)!.mentorCapacity));
    }
  }
}

export function neverMetCount(input: RoundInput, result: RoundResult): number {
  const met = new Set((input.history ?? []).map((m) => pairKey(m.a, m.b)));
  return pairsOf(result).filter(([a, b]) => !met.has(pairKey(a, b))).length;
}

/**
 * Exhaustive optimum for standard/cross-category size-2 rounds: over every partition of all members into pairs (and
 * one trio when n is odd) that respects the hard rules, the most never-met pairs; null when no such partition exists.
 * Also returns the maximum matching size, for the trio bound.
 */
export function bruteForceRound(input: RoundInput): { bestNeverMet: number | null; maxMatching: number } {
  const ids = input.participants.map((p) => p.id);
  const n = ids.length;
  const cat = input.participants.map((p) => p.category);
  const excluded = new Set((input.excluded ?? []).map(([a, b]) => pairKey(a, b)));
  const met = new Set((input.history ?? []).map((m) => pairKey(m.a, m.b)));
  const ok = (x: number, y: number) =>
    !excluded.has(pairKey(ids[x]!, ids[y]!)) &&
    !(input.mode === 'cross-category' && cat[x] !== null && cat[x] === cat[y]);
  const fresh = (x: number, y: number) => (met.has(pairKey(ids[x]!, ids[y]!)) ? 0 : 1);
  const used = new Array<boolean>(n).fill(false);
  let best: number | null = null;
  let maxMatching = 0;
  const partitions = (trioLeft: boolean, score: number) => {
    const i = used.indexOf(false);
    if (i === -1) {
      if (!trioLeft && (best === null || score > best)) best = score;
      return;
    }
    used[i] = true;
    for (let j = i + 1; j < n; j++) {
      if (used[j] || !ok(i, j)) continue;
      used[j] = true;
      partitions(trioLeft, score + fresh(i, j));
      if (trioLeft) {
        for (let k = j + 1; k < n; k++) {
          if (used[k] || !ok(i, k) || !ok(j, k)) continue;
          used[k] = true;
          partitions(false, score + fresh(i, j) + fresh(i, k) + fresh(j, k));
          used[k] = false;
        }
      }
      used[j] = false;
    }
    used[i] = false;
  };
  partitions(n % 2 === 1, 0);
  const matchings = (size: number) => {
    const i = used.indexOf(false);
    if (i === -1) {
      maxMatching = Math.max(maxMatching, size);
      return;
    }
    used[i] = true;
    matchings(size);
    for (let j = i + 1; j < n; j++) {
      if (used[j] || !ok(i, j)) continue;
      used[j] = true;
      matchings(size + 1);
      used[j] = false;
    }
    used[i] = false;
  };
  matchings(0);
  return { bestNeverMet: best, maxMatching };
}
