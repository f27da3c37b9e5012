import { matchRound, type PairingParticipant, type PastMeeting } from '../../src/pairing/matcher.js';
import { seededRandom } from '../../src/random.js';
import { emit, percentile } from './bench-output.js';
import { greedyPairs, randomPairs } from './pairing-baselines.js';

/**
 * Pairing quality and speed: our matcher against a random shuffle and a greedy history-aware matcher, on the same
 * members and the same replacement sequence. Each method keeps its own history (its own earlier rounds).
 *   stable_repeats:  pairs met before, over n−1 rounds of a stable group (2,000: a reduced number of rounds)
 *   churn_repeats:   pairs met before, over 20 rounds with 10% of members replaced each round
 *   cc_violations:   pairs of one category in a group, cross-category mode, members over ~n/5 categories, 5 rounds
 *   ms_per_round:    our time per round (stable scenario), against the greedy's
 */
type Method = 'ours' | 'random' | 'greedy';
const METHODS: Method[] = ['ours', 'random', 'greedy'];
const WEEK = 7 * 86_400_000;
const START = Date.UTC(2025, 0, 6, 9);
const key = (a: number, b: number) => (a < b ? a * 1e7 + b : b * 1e7 + a);

class Tracker {
  readonly lastMet = new Map<number, number>();
  readonly history: PastMeeting[] = [];
  repeats = 0;
  sameCategory = 0;
  record(groups: number[][], at: number, category?: Map<number, string>): void {
    for (const g of groups) {
      for (let x = 0; x < g.length; x++) {
        for (let y = x + 1; y < g.length; y++) {
          const [a, b] = [g[x]!, g[y]!];
          if (this.lastMet.has(key(a, b))) this.repeats++;
          if (category && category.get(a) === category.get(b)) this.sameCategory++;
          this.lastMet.set(key(a, b), at);
          this.history.push({ a, b, lastMetAt: new Date(at) });
        }
      }
    }
  }
}

interface Scenario {
  rounds: number;
  /** Members of round r (0-based). */
  members(r: number): PairingParticipant[];
  mode: 'standard' | 'cross-category';
}

function run(s: Scenario, seed: number, category?: Map<number, string>) {
  const trackers = { ours: new Tracker(), random: new Tracker(), greedy: new Tracker() };
  const ms = { ours: [] as number[], random: [] as number[], greedy: [] as number[] };
  for (let r = 0; r < s.rounds; r++) {
    const at = START + r * WEEK;
    const participants = s.members(r);
    const ids = participants.map((p) => p.id);
    for (const m of METHODS) {
      const t = trackers[m];
      const t0 = performance.now();
      let groups: number[][];
      if (m === 'ours') {
        const res = matchRound({ participants, mode: s.mode, history: t.history, now: new Date(at) }, seed + r);
        groups = res.groups;
      } else if (m === 'random') {
        groups = randomPairs(ids, seededRandom(seed + r));
      } else {
        groups = greedyPairs(
          ids,
          (a, b) => t.lastMet.get(key(a, b)) ?? Number.NEGATIVE_INFINITY,
          seededRandom(seed + r),
        );
      }
      ms[m].push(performance.now() - t0);
      t.record(groups, at, category);
    }
  }
  return { trackers, ms };
}

// Members spread over a few real time zones (and some unknown), so the preference tier has work to do.
const ZONES = [-480, -300, 0, 0, 60, 60, 120, 330, 540, null];
function person(id: number, category: string | null = null): PairingParticipant {
  return { id, category, mentor: null, utcOffsetMinutes: ZONES[(id * 2654435761) % ZONES.length] ?? null };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const rows: string[] = [];
const SIZES = [20, 50, 200, 2000];

for (const n of SIZES) {
  // Stable group: n−1 rounds meet everyone once; 2,000 would take 1,999 rounds (several minutes), so 40.
  const stableRounds = n <= 200 ? n - 1 : 40;
  const group = Array.from({ length: n }, (_, k) => person(1000 + k));
  const stable = run({ rounds: stableRounds, members: () => group, mode: 'standard' }, 11);

  // Churn: 10% of members replaced each round by newcomers.
  const rnd = seededRandom(n * 7 + 3);
  let current = Array.from({ length: n }, (_, k) => person(1000 + k));
  let nextId = 1000 + n;
  const perRound: PairingParticipant[][] = [];
  for (let r = 0; r < 20; r++) {
    perRound.push(current);
    const leaving = new Set(rnd.shuffle(current.map((p) => p.id)).slice(0, Math.round(n / 10)));
    current = [...current.filter((p) => !leaving.has(p.id)), ...[...leaving].map(() => person(nextId++))];
  }
  const churn = run({ rounds: 20, members: (r) => perRound[r]!, mode: 'standard' }, 23);

  // Cross-category: members spread over ~n/5 categories, 5 rounds.
  const categories = Math.max(2, Math.round(n / 5));
  const catRnd = seededRandom(n + 99);
  const category = new Map<number, string>();
  const ccGroup = Array.from({ length: n }, (_, k) => {
    const c = `seat${catRnd.int(categories)}`;
    category.set(2000 + k, c);
    return person(2000 + k, c);
  });
  const cc = run({ rounds: 5, members: () => ccGroup, mode: 'cross-category' }, 37, category);

  const line = (metric: string, ours: number, m: 'random' | 'greedy', base: number, extra: object = {}) =>
    emit({ bench: 'pairing', metric, value: ours, baseline: base, n, baseline_method: m, ...extra });
  for (const m of ['random', 'greedy'] as const) {
    line('stable_repeats', stable.trackers.ours.repeats, m, stable.trackers[m].repeats, { rounds: stableRounds });
    line('churn_repeats', churn.trackers.ours.repeats, m, churn.trackers[m].repeats, { rounds: 20 });
    line('cc_violations', cc.trackers.ours.sameCategory, m, cc.trackers[m].sameCategory, { rounds: 5 });
  }
  const oursMs = mean(stable.ms.ours);
  emit({
    bench: 'pairing',
    metric: 'ms_per_round',
    value: oursMs,
    baseline: mean(stable.ms.greedy),
    n,
    baseline_method: 'greedy',
    unit: 'ms',
    target: n === 200 ? '< 100' : n === 2000 ? '< 2000' : undefined,
    p95: percentile(stable.ms.ours, 95),
    max: Math.max(...stable.ms.ours),
  });
  const t = (x: { trackers: Record<Method, Tracker> }, f: (k: Tracker) => number) =>
    METHODS.map((m) => f(x.trackers[m])).join(' / ');
  rows.push(
    `| ${n} | ${stableRounds}${n > 200 ? ' (reduced)' : ''} | ${t(stable, (k) => k.repeats)} | ${t(churn, (k) => k.repeats)} | ${t(cc, (k) => k.sameCategory)} | ${oursMs.toFixed(1)} (p95 ${percentile(stable.ms.ours, 95).toFixed(0)}, max ${Math.max(...stable.ms.ours).toFixed(0)}) / ${mean(stable.ms.greedy).toFixed(1)} |`,
  );
}

process.stderr.write(
  [
    '',
    'Pairing: ours / random / greedy',
    '| n | stable rounds | stable repeats | churn repeats (20 rounds, 10%) | cross-category violations (5 rounds) | ms per round ours (p95, max) / greedy |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
