import { type Db, rowsOf } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import type { PowerPair } from '../pairing/matcher.js';
import type { RoundPlan } from '../pairing/round-plan.js';
import { AFFINITY_MIN, affinityKey, affinityTotal, HIGH_AFFINITY, loadAffinities } from './affinity.js';
import { groupSeats, oneToOnesSql } from './network.js';
import { loadSpheres, type Sphere, sharedSpheres } from './spheres.js';

interface PairFacts {
  spheres: Sphere[];
  affinity: number;
}

async function factsFor(db: Db, group: GroupRow, ids: readonly number[]) {
  const wanted = new Set(ids);
  const seats = (await groupSeats(db, group.id)).filter((m) => wanted.has(m.id));
  const spheres = await loadSpheres(db, group);
  const affinities = await loadAffinities(
    db,
    group.communityId,
    group.id,
    seats.map((s) => s.categoryKey ?? ''),
  );
  const category = new Map(seats.map((s) => [s.id, s.categoryKey]));
  const facts = (a: number, b: number): PairFacts => {
    const ca = category.get(a) ?? null;
    const cb = category.get(b) ?? null;
    return {
      spheres: sharedSpheres(spheres, ca, cb),
      affinity: ca && cb && ca !== cb ? affinityTotal(affinities.get(affinityKey(ca, cb))) : 0,
    };
  };
  return { seats, facts };
}

/** The score the power-team matcher gives a pair: 3 sphere partners, 2 high affinity, 1 some affinity, else 0. */
export function powerScore(f: PairFacts): 0 | 1 | 2 | 3 {
  if (f.spheres.length) return 3;
  if (f.affinity >= HIGH_AFFINITY) return 2;
  if (f.affinity >= AFFINITY_MIN) return 1;
  return 0;
}

/** The pairs among these members that the power-team mode prefers (round-plan.ts passes them to the matcher). */
export async function powerPairsFor(db: Db, group: GroupRow, ids: readonly number[]): Promise<PowerPair[]> {
  const { seats, facts } = await factsFor(db, group, ids);
  const out: PowerPair[] = [];
  for (let x = 0; x < seats.length; x++) {
    for (let y = x + 1; y < seats.length; y++) {
      const score = powerScore(facts(seats[x]!.id, seats[y]!.id));
      if (score) out.push({ a: seats[x]!.id, b: seats[y]!.id, score });
    }
  }
  return out;
}

const DAY = 86_400_000;

/** "3 weeks ago", "5 months ago". */
export function ago(then: Date, now: Date): string {
  const days = Math.max(0, Math.round((now.getTime() - then.getTime()) / DAY));
  if (days < 14) return `${days} day${days === 1 ? '' : 's'} ago`;
  if (days < 70) return `${Math.round(days / 7)} weeks ago`;
  const months = Math.round(days / 30.4);
  return months < 24 ? `${months} months ago` : `${Math.round(days / 365)} years ago`;
}

/** One line on why two members are a good pair, as the power-team preview shows it. */
export function explainPair(f: PairFacts, lastOneToOne: Date | null, now: Date): string {
  const why = f.spheres.length
    ? `both serve ${f.spheres[0]!.serves}`
    : f.affinity >= AFFINITY_MIN
      ? `their professions passed ${f.affinity} slips to each other in this community`
      : 'no shared sphere';
  const met = lastOneToOne ? `last 1-to-1 ${ago(lastOneToOne, now)}` : 'no 1-to-1 yet';
  return `${why}; ${met}`;
}

/**
 * For /pair preview in power-team mode: a function that explains a planned group in one line (a trio or more is
 * explained by its strongest pair).
 */
export async function explainPowerGroups(
  db: Db,
  group: GroupRow,
  plan: RoundPlan,
  now: Date,
): Promise<(members: number[]) => string> {
  const ids = [...plan.people.keys()];
  const { facts } = await factsFor(db, group, ids);
  const last = new Map<string, Date>();
  for (const r of rowsOf<{ a: number; b: number; last: string | Date | null }>(
    await db.execute(oneToOnesSql(group.id, new Date(0), now)),
  )) {
    if (r.last) last.set(`${Number(r.a)}:${Number(r.b)}`, new Date(r.last));
  }
  return (members) => {
    let best: { f: PairFacts; a: number; b: number } | null = null;
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const [a, b] = [members[x]!, members[y]!].sort((p, q) => p - q) as [number, number];
        const f = facts(a, b);
        if (!best || powerScore(f) > powerScore(best.f)) best = { f, a, b };
      }
    }
    if (!best) return '';
    return explainPair(best.f, last.get(`${best.a}:${best.b}`) ?? null, now);
  };
}
