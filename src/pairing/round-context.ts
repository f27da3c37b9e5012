import type { Random } from '../random.js';
import { fitsMatching, lexicographicWeight } from './lexicographic-weight.js';
import type { PairingMode, PairingParticipant, RoundInput, Unplaced } from './pairing-types.js';
import { powerCourse } from './power-course.js';
import { powerTeamSchedule } from './power-team-schedule.js';
import { pickClass, roundRobinSchedule } from './round-robin-schedule.js';

/** Up to this many participants the matcher uses the complete candidate graph (and the round-robin schedule). */
export const FULL_GRAPH_LIMIT = 300;

const DAY_MS = 86_400_000;
// Ages are compared on a log scale capped at ten years: concave, so two pairs that met 10 weeks ago each beat one
// pair from last week plus one from 19 weeks ago (a fresh repeat hurts more than an old one helps).
const AGE_CAP_DAYS = 3650;
const LOG_AGE_CAP = Math.log2(1 + AGE_CAP_DAYS);
/** Resolution of the mode-preference tier (time-zone overlap). */
export const PREFERENCE_MAX = 63;
const UNKNOWN_ZONE_PREFERENCE = 31;
/** Power-team mode: the highest power score of a pair (sphere partners). */
export const POWER_MAX = 3;
/** Power partners who met within this many days are not preferred again yet. */
const POWER_AGAIN_DAYS = 180;

/** Packs an edge's tiers (never met › time since last met › round-robin class › preferences) into one integer. */
export interface EdgeWeigher {
  weight(i: number, j: number, top?: number): number;
  readonly maxWeight: number;
}

/**
 * Everything about one round that scoring needs, in vertex-index space. Vertices are the participants sorted by id
 * and then shuffled by the seed: the matching's tie-breaks follow vertex order, so the seed varies the rounds while
 * the input's order does not matter.
 */
export class RoundContext {
  readonly n: number;
  readonly ids: number[];
  readonly people: PairingParticipant[];
  readonly mode: PairingMode;
  readonly random: Random;
  private readonly index = new Map<number, number>();
  private readonly excluded = new Set<number>();
  private readonly lastMetAge: Map<number, number>[];
  private scheduleClass: ((i: number, j: number) => boolean) | null = null;
  private readonly power = new Map<number, number>();
  /** Power-team mode: whether a power pair is on its sphere's round robin this round (power-course.ts). */
  private onCourse: ((i: number, j: number) => boolean) | null = null;

  constructor(input: RoundInput, random: Random) {
    this.mode = input.mode ?? 'standard';
    this.random = random;
    const sorted = [...input.participants].sort((a, b) => a.id - b.id);
    for (let k = 1; k < sorted.length; k++) {
      if (sorted[k]!.id === sorted[k - 1]!.id) throw new RangeError(`participant ${sorted[k]!.id} appears twice`);
    }
    this.people = random.shuffle(sorted);
    this.ids = this.people.map((p) => p.id);
    this.n = this.ids.length;
    for (const [i, id] of this.ids.entries()) this.index.set(id, i);
    for (const [a, b] of input.excluded ?? []) {
      const i = this.index.get(a);
      const j = this.index.get(b);
      if (i !== undefined && j !== undefined && i !== j) this.excluded.add(this.key(i, j));
    }
    if (this.mode === 'power-team') {
      for (const p of input.powerPairs ?? []) {
        const i = this.index.get(p.a);
        const j = this.index.get(p.b);
        if (i === undefined || j === undefined || i === j) continue;
        const k = this.key(i, j);
        this.power.set(k, Math.max(this.power.get(k) ?? 0, Math.min(POWER_MAX, Math.max(0, p.score))));
      }
    }
    this.lastMetAge = this.ids.map(() => new Map<number, number>());
    const now = input.now.getTime();
    for (const m of input.history ?? []) {
      const i = this.index.get(m.a);
      const j = this.index.get(m.b);
      if (i === undefined || j === undefined || i === j) continue;
      const age = Math.max(0, (now - m.lastMetAt.getTime()) / DAY_MS);
      const known = this.lastMetAge[i]!.get(j);
      if (known === undefined || age < known) {
        this.lastMetAge[i]!.set(j, age);
        this.lastMetAge[j]!.set(i, age);
      }
    }
  }

  private key(i: number, j: number): number {
    return i < j ? i * this.n + j : j * this.n + i;
  }

  /** Hard rules: exclusions, one category per pair in cross-category mode, a mentor with a mentee. */
  allowed(i: number, j: number): boolean {
    if (i === j || this.excluded.has(this.key(i, j))) return false;
    const a = this.people[i]!;
    const b = this.people[j]!;
    if (this.mode === 'cross-category') return a.category === null || a.category !== b.category;
    if (this.mode === 'mentor-mentee') {
      return (a.mentor === 'can' && b.mentor === 'seeks') || (a.mentor === 'seeks' && b.mentor === 'can');
    }
    return true;
  }

  /** True when either member excluded the other. */
  excludedPair(i: number, j: number): boolean {
    return this.excluded.has(this.key(i, j));
  }

  neverMet(i: number, j: number): boolean {
    return !this.lastMetAge[i]!.has(j);
  }

  /** Time since last met on a 0..1 log scale; 1 for never met. */
  private recency(i: number, j: number): number {
    const age = this.lastMetAge[i]!.get(j);
    if (age === undefined) return 1;
    return Math.min(0.999_999, Math.log2(1 + Math.min(age, AGE_CAP_DAYS)) / LOG_AGE_CAP);
  }

  /** Power-team mode: the pair's power score (0..3), whether or not they met. */
  staticPower(i: number, j: number): number {
    return this.power.size ? (this.power.get(this.key(i, j)) ?? 0) : 0;
  }

  /** The power score while it still counts: never met, or not for POWER_AGAIN_DAYS. */
  powerScore(i: number, j: number): number {
    const s = this.staticPower(i, j);
    if (s === 0) return 0;
    const age = this.lastMetAge[i]!.get(j);
    return age === undefined || age >= POWER_AGAIN_DAYS ? s : 0;
  }

  /** Mode preference: overlapping time zones (smaller circular offset difference is better). */
  preference(i: number, j: number): number {
    const a = this.people[i]!.utcOffsetMinutes;
    const b = this.people[j]!.utcOffsetMinutes;
    if (a === null || b === null) return UNKNOWN_ZONE_PREFERENCE;
    const d = Math.abs(a - b) % 1440;
    const apart = Math.min(d, 1440 - d); // 0..720 minutes
    return Math.round(PREFERENCE_MAX * (1 - apart / 720));
  }

  /**
   * A weigher whose tiers dominate over up to `maxTerms` summed edges; `topTierMax` reserves a tier above all others
   * (mentor spread); `edgeTerms` is how many weights one matching edge sums (4 when two pairs merge). The
   * time-since tier loses resolution only when the packed weight would not stay exact.
   */
  weigher(maxTerms: number, topTierMax = 0, edgeTerms = 1): EdgeWeigher {
    // Zero-width tiers leave the other modes' weights exactly as they were.
    // Power tier: score × 2, plus one for a pair on its sphere's course, so that among rounds with the most power
    // pairs the one that follows every sphere's round robin wins (a course class is a maximum matching of a sphere).
    const powerMax = this.mode === 'power-team' ? POWER_MAX * 2 + 1 : 0;
    const course = powerMax ? this.powerCourse() : null;
    for (const resolution of [255, 127, 63, 31, 15]) {
      const scale = lexicographicWeight(maxTerms, [topTierMax, 1, powerMax, resolution, 1, PREFERENCE_MAX]);
      if (!fitsMatching(scale, edgeTerms)) continue;
      return {
        maxWeight: scale.maxWeight,
        weight: (i, j, top = 0) => {
          const never = this.neverMet(i, j);
          const since = never ? resolution : Math.floor(resolution * this.recency(i, j));
          const onSchedule = this.scheduleClass?.(i, j) ? 1 : 0;
          const score = powerMax ? this.powerScore(i, j) : 0;
          const power = score ? score * 2 + (course?.(i, j) ? 1 : 0) : 0;
          return scale.pack([top, never ? 1 : 0, power, since, onSchedule, this.preference(i, j)]);
        },
      };
    }
    throw new RangeError(`too many participants (${this.n}) for one round`);
  }

  /** Turns on the round-robin tier for this round (small groups only: it scores all pairs). */
  useRoundRobin(): void {
    if (this.n < 4 || this.n > FULL_GRAPH_LIMIT || this.mode === 'mentor-mentee') return;
    // Power-team mode walks a schedule whose first classes hold the power pairs, choosing the class with the most
    // power still to gain among those equal on never-met pairs.
    const powered = this.mode === 'power-team' && this.power.size > 0;
    const schedule = (powered ? this.neverMetSchedule() : null) ?? roundRobinSchedule(this.ids);
    const scores = Array.from({ length: schedule.classCount }, () => (powered ? [0, 0, 0, 0] : [0, 0, 0]));
    for (let i = 0; i < this.n; i++) {
      for (let j = i + 1; j < this.n; j++) {
        const c = this.allowed(i, j) ? schedule.classOf(i, j) : -1;
        if (c < 0) continue; // a pair the power-team course leaves out (met already)
        const s = scores[c]!;
        let t = 0;
        s[t++]! += this.neverMet(i, j) ? 1 : 0;
        if (powered) s[t++]! += this.powerScore(i, j);
        s[t++]! += this.recency(i, j);
        s[t]! += this.preference(i, j);
      }
    }
    const chosen = pickClass(scores, this.random);
    this.scheduleClass = (i, j) => schedule.classOf(i, j) === chosen;
  }

  /** The power pairs' round robins (computed once a round, from the pairs alone: see power-course.ts). */
  private powerCourse(): (i: number, j: number) => boolean {
    if (this.onCourse) return this.onCourse;
    const edges: [number, number][] = [];
    for (const k of this.power.keys()) {
      const i = Math.floor(k / this.n);
      const j = k % this.n;
      if (this.allowed(i, j) && this.staticPower(i, j) > 0) edges.push([i, j]);
    }
    edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]); // the input's order must not matter
    this.onCourse = powerCourse(this.n, this.ids, edges, (i, j) => this.powerScore(i, j) > 0);
    return this.onCourse;
  }

  /** Power-team mode's course: the never-met pairs coloured into perfect matchings, power pairs first. */
  private neverMetSchedule() {
    const edges: [number, number][] = [];
    for (let i = 0; i < this.n; i++) {
      for (let j = i + 1; j < this.n; j++) if (this.allowed(i, j) && this.neverMet(i, j)) edges.push([i, j]);
    }
    return powerTeamSchedule(this.n, edges, (i, j) => this.staticPower(i, j));
  }

  /** Why vertex i is left out, worded for the member (never revealing an exclusion). */
  unplaced(i: number): Unplaced {
    const memberId = this.ids[i]!;
    let anyAllowed = false;
    let blockedBySeat = false;
    for (let j = 0; j < this.n && !anyAllowed; j++) {
      if (j === i) continue;
      if (this.allowed(i, j)) anyAllowed = true;
      else if (this.mode === 'cross-category' && this.people[i]!.category === this.people[j]!.category) {
        blockedBySeat = true;
      }
    }
    if (anyAllowed) {
      return {
        memberId,
        code: 'partners-taken',
        reason: 'Everyone they could meet this round was already placed in another group.',
      };
    }
    if (blockedBySeat) {
      return {
        memberId,
        code: 'same-category-only',
        reason: 'This is a cross-category round and nobody from another category was available to pair with them.',
      };
    }
    return { memberId, code: 'no-allowed-partner', reason: 'Nobody else in this round could be paired with them.' };
  }
}
