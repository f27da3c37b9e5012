import { matchRound, type PairingMode, type PastMeeting, type PowerPair } from '../../src/pairing/matcher.js';
import { seededRandom } from '../../src/random.js';

/** A synthetic chapter: members 1..n split into contact spheres of 3–8 members; every pair inside one is a partner. */
export interface SyntheticChapter {
  ids: number[];
  sphereOf: Map<number, number>;
  spheres: number[][];
  powerPairs: PowerPair[];
}

export function syntheticChapter(n: number, seed: number, minSize = 3, maxSize = 8): SyntheticChapter {
  const rnd = seededRandom(seed);
  const ids = rnd.shuffle(Array.from({ length: n }, (_, k) => k + 1));
  const spheres: number[][] = [];
  let at = 0;
  while (at < n) {
    let size = minSize + rnd.int(maxSize - minSize + 1);
    if (n - at - size < minSize) size = n - at <= maxSize ? n - at : size; // the last sphere stays within 3–8
    spheres.push(ids.slice(at, at + size));
    at += size;
  }
  const sphereOf = new Map<number, number>();
  const powerPairs: PowerPair[] = [];
  spheres.forEach((s, k) => {
    for (const id of s) sphereOf.set(id, k);
    for (let x = 0; x < s.length; x++)
      for (let y = x + 1; y < s.length; y++) powerPairs.push({ a: s[x]!, b: s[y]!, score: 3 });
  });
  return { ids: [...ids].sort((a, b) => a - b), sphereOf, spheres, powerPairs };
}

export interface SimulationResult {
  /** Rounds until every member has met every sphere partner (Infinity if not within the rounds run). */
  roundsToMeetPartners: number;
  /** Per member: the round in which they had met all their sphere partners. */
  perMember: Map<number, number>;
  /** Pairs that met a second time within the first n−1 rounds (a trio's third pair counts as a pair). */
  repeatsWithinFullCycle: number;
  /** The fewest repeats those rounds allow: pair-meetings beyond n(n−1)/2 (an odd count's trios force some). */
  unavoidableRepeats: number;
}

const WEEK = 7 * 86_400_000;

/** Runs weekly rounds of pairs on a stable chapter (everybody takes part every time). */
export function simulate(chapter: SyntheticChapter, mode: PairingMode, rounds: number, seed = 1): SimulationResult {
  const n = chapter.ids.length;
  const history: PastMeeting[] = [];
  const met = new Set<string>();
  const key = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);
  const perMember = new Map<number, number>();
  const partnersLeft = new Map<number, number>();
  for (const s of chapter.spheres) for (const id of s) partnersLeft.set(id, s.length - 1);
  for (const [id, left] of partnersLeft) if (left === 0) perMember.set(id, 0);
  let repeats = 0;
  let now = new Date(Date.UTC(2026, 0, 5, 9)).getTime();
  const participants = chapter.ids.map((id) => ({ id, category: `c${id}`, mentor: null, utcOffsetMinutes: 0 }));
  const fullCycle = n - 1;
  let meetingsWithinCycle = 0;
  for (let r = 1; r <= rounds; r++) {
    const result = matchRound(
      { participants, mode, history, now: new Date(now), powerPairs: chapter.powerPairs },
      seed * 1000 + r,
    );
    for (const g of result.groups) {
      for (let x = 0; x < g.length; x++) {
        for (let y = x + 1; y < g.length; y++) {
          const [a, b] = [g[x]!, g[y]!];
          const k = key(a, b);
          if (r <= fullCycle) meetingsWithinCycle++;
          if (met.has(k)) {
            if (r <= fullCycle) repeats++;
          } else {
            met.add(k);
            if (chapter.sphereOf.get(a) === chapter.sphereOf.get(b)) {
              for (const id of [a, b]) {
                const left = partnersLeft.get(id)! - 1;
                partnersLeft.set(id, left);
                if (left === 0) perMember.set(id, r);
              }
            }
          }
          history.push({ a, b, lastMetAt: new Date(now) });
        }
      }
    }
    now += WEEK;
    if (perMember.size === n && r >= fullCycle) break;
  }
  const done = perMember.size === n ? Math.max(...perMember.values()) : Number.POSITIVE_INFINITY;
  const unavoidableRepeats = Math.max(0, meetingsWithinCycle - (n * (n - 1)) / 2);
  return { roundsToMeetPartners: done, perMember, repeatsWithinFullCycle: repeats, unavoidableRepeats };
}
