import { type SimulationResult, simulate, syntheticChapter } from '../pairing/power-team-chapter.js';
import { emit } from './bench-output.js';

/**
 * Issue 19, quality: synthetic chapters of 25, 50 and 200 members in contact spheres of 3–8, weekly rounds of pairs,
 * everybody taking part. Figure: rounds until every member has had a 1-to-1 with every sphere partner, power-team
 * mode against standard mode on the same chapter in the same run. Targets: power-team ≤ each member's sphere size,
 * and ≤ half of standard's; repeats within the first n−1 rounds beyond those an odd count's trios force: 0.
 */
const SIZES = (process.env.BENCH_SIZES ?? '25,50,200').split(',').map(Number);
const SEEDS = Number(process.env.BENCH_SEEDS ?? 2);

for (const n of SIZES) {
  for (let seed = 1; seed <= SEEDS; seed++) {
    const chapter = syntheticChapter(n, seed);
    const t0 = performance.now();
    const standard = simulate(chapter, 'standard', n, seed);
    const t1 = performance.now();
    const power = simulate(chapter, 'power-team', n, seed);
    const t2 = performance.now();
    const overSize = (r: SimulationResult) => {
      let worst = Number.NEGATIVE_INFINITY;
      for (const s of chapter.spheres)
        for (const id of s) worst = Math.max(worst, (r.perMember.get(id) ?? Infinity) - s.length);
      return worst;
    };
    const common = {
      bench: 'powerteam-quality',
      members: n,
      seed,
      spheres: chapter.spheres.map((s) => s.length).join(' '),
    };
    emit({
      ...common,
      metric: 'rounds_to_meet_every_sphere_partner',
      value: power.roundsToMeetPartners,
      baseline: standard.roundsToMeetPartners,
      unit: 'rounds',
      target: 'ratio <= 0.5',
    });
    emit({
      ...common,
      metric: 'worst_member_rounds_over_sphere_size',
      value: overSize(power),
      baseline: overSize(standard),
      unit: 'rounds',
      target: 'value <= 0',
    });
    emit({
      ...common,
      metric: 'avoidable_repeats_within_n_minus_1_rounds',
      value: power.repeatsWithinFullCycle - power.unavoidableRepeats,
      baseline: standard.repeatsWithinFullCycle - standard.unavoidableRepeats,
      ratio: null,
      repeats: power.repeatsWithinFullCycle,
      unavoidable: power.unavoidableRepeats,
      target: 'value = 0',
    });
    emit({
      ...common,
      metric: 'ms_per_round',
      value: (t2 - t1) / Math.max(n, power.roundsToMeetPartners),
      baseline: (t1 - t0) / Math.max(n, standard.roundsToMeetPartners),
      unit: 'ms',
    });
  }
}
