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
 * tiers. A mentor and their mentees form one group.
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
  // Units: mentees first, then one unit per mentor slot.
  const slots: { mentor: number; first: boolean }[] = [];
  for (const m of mentors) {
    const cap = Math.min(mentorCapacity(ctx.people[m]!.mentorCapacity), Math.max(1, mentees.length));
    for (let k = 0; k < cap; k++) slots.push({ mentor: m, first: k === 0 });
  }
  const e = mentees.length;
  const vertexOf = (u: number) => (u < e ? mentees[u]! : slots[u - e]!.mentor);
  const weigher = ctx.weigher(e + 1, 1);
  const mate = matchUnits({
    count: e + slots.length,
    allowed: (a, b) => a < e !== b < e && ctx.allowed(vertexOf(a), vertexOf(b)),
    weight: (a, b) => weigher.weight(vertexOf(a), vertexOf(b), slots[Math.max(a, b) - e]!.first ? 1 : 0),
    // Mentor slots spread between mentees, so that large rounds' blocks hold both sides.
    blockOrder: Array.from({ length: e + slots.length }, (_, u) => u).sort(
      (a, b) => (a < e ? a / e : (a - e) / slots.length) - (b < e ? b / e : (b - e) / slots.length) || a - b,
    ),
  });
  const byMentor = new Map<number, number[]>();
  const left: number[] = [];
  for (let u = 0; u < e; u++) {
    if (mate[u]! < 0) {
      left.push(mentees[u]!);
      continue;
    }
    const m = vertexOf(mate[u]!);
    byMentor.set(m, [...(byMentor.get(m) ?? []), mentees[u]!]);
  }
  const groups: number[][] = [];
  for (const m of mentors) {
    const taken = byMentor.get(m);
    if (taken) groups.push([m, ...taken]);
    else left.push(m);
  }
  return { grouping: { groups, left }, noRole };
}
