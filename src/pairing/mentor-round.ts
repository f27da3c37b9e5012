import { matchUnits } from './block-matching.js';
import type { Grouping } from './pair-round.js';
import type { RoundContext } from './round-context.js';

/** A mentor's capacity per round: a whole number, at least 1 (a 'can' member who takes nobody would not sign up). */
export function mentorCapacity(raw: number | undefined): number {
  return raw === undefined || !Number.isFinite(raw) ? 1 : Math.max(1, Math.floor(raw));
}

/**
 * Mentor-mentee rounds: a b-matching between mentors and mentees, solved as a matching by giving each mentor one
 * vertex per unit of capacity. The mentor's first slot carries a top tier, so the matching first places as many
 * mentees as possible (maximum cardinality), then spreads them over as many mentors as possible (so a mentor with
 * capacity 2 takes a second mentee only when no free mentor is allowed for that mentee), then follows the usual
 * tiers. A mentor and their mentees form one group, so two mentees of one mentor must not be excluded from each
 * other either: a mentee caught by that waits for a further pass over the mentors' remaining slots.
 */
export function mentorRound(ctx: RoundContext): { grouping: Grouping; noRole: number[] } {
  const mentors: number[] = [];
  const mentees: number[] = [];
  const noRole: number[] = [];
  for (let i = 0; i < ctx.n; i++) {
    const role = ctx.people[i]!.mentor;
    if (role === 'can') mentors.push(i);
    else if (role === 'seeks') mentees.push(i);
    else noRole.push(i);
  }
  const weigher = ctx.weigher(mentees.length + 1, 1);
  const taken = new Map<number, number[]>(mentors.map((m) => [m, []]));
  const room = (m: number) => mentorCapacity(ctx.people[m]!.mentorCapacity) - taken.get(m)!.length;
  // A mentee may join a mentor's group only if no exclusion stands between them and anyone already in it.
  const fits = (x: number, m: number) => ctx.allowed(x, m) && taken.get(m)!.every((y) => !ctx.excludedPair(x, y));
  let waiting = mentees;
  const leftMentees: number[] = [];
  // Each pass is one b-matching of the waiting mentees to the mentors' remaining slots. Two mentees put with one
  // mentor in the same pass may be excluded from each other; the later one then waits for the next pass.
  for (let pass = 0; waiting.length > 0 && pass < 4; pass++) {
    const slots: { mentor: number; first: boolean }[] = [];
    for (const m of mentors) {
      const free = Math.min(room(m), waiting.length);
      for (let k = 0; k < free; k++) slots.push({ mentor: m, first: k === 0 && taken.get(m)!.length === 0 });
    }
    if (slots.length === 0) break;
    const e = waiting.length;
    const queue = waiting;
    const vertexOf = (u: number) => (u < e ? queue[u]! : slots[u - e]!.mentor);
    const mate = matchUnits({
      count: e + slots.length,
      allowed: (a, b) => a < e !== b < e && fits(vertexOf(Math.min(a, b)), vertexOf(Math.max(a, b))),
      weight: (a, b) => weigher.weight(vertexOf(a), vertexOf(b), slots[Math.max(a, b) - e]!.first ? 1 : 0),
      // Mentor slots spread between mentees, so that large rounds' blocks hold both sides.
      blockOrder: Array.from({ length: e + slots.length }, (_, u) => u).sort(
        (a, b) => (a < e ? a / e : (a - e) / slots.length) - (b < e ? b / e : (b - e) / slots.length) || a - b,
      ),
    });
    const next: number[] = [];
    for (let u = 0; u < e; u++) {
      const x = queue[u]!;
      // Without a slot now, no later pass (with fewer slots) can place them.
      if (mate[u]! < 0) leftMentees.push(x);
      else if (fits(x, vertexOf(mate[u]!))) taken.get(vertexOf(mate[u]!))!.push(x);
      else next.push(x);
    }
    waiting = next;
  }
  leftMentees.push(...waiting);
  const groups: number[][] = [];
  const left: number[] = [...leftMentees];
  for (const m of mentors) {
    const mine = taken.get(m)!;
    if (mine.length > 0) groups.push([m, ...mine]);
    else left.push(m);
  }
  return { grouping: { groups, left }, noRole };
}
