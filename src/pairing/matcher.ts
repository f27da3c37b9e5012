/**
 * The pairing matcher: one round of 1-to-1 (or small-group) pairing, pure and deterministic.
 *
 * ```ts
 * matchRound(input: RoundInput, seed: number): RoundResult
 *
 * RoundInput = {
 *   participants: { id, category: string | null, mentor: 'can' | 'seeks' | null,
 *                   utcOffsetMinutes: number | null, mentorCapacity?: number }[],
 *   groupSize?: 2 | 3 | 4,                 // default 2
 *   mode?: 'standard' | 'cross-category' | 'mentor-mentee',   // default 'standard'
 *   excluded?: [memberA, memberB][],       // never in one group (confidential "never pair me with")
 *   history?: { a, b, lastMetAt: Date }[], // earlier rounds; the latest meeting of a pair counts
 *   now: Date,                             // the round's time
 * }
 * RoundResult = { groups: number[][], unplaced: { memberId, code, reason }[] }
 * ```
 *
 * Who takes part: pass only the members in this round. Snoozed members, members who skipped this round, and
 * members who left are simply not passed in; the matcher knows nothing of them.
 *
 * Hard rules, never broken: no excluded pair in a group; in cross-category mode no two members of one category in a
 * group (a null category is treated as unknown, compatible with everyone); in mentor-mentee mode each group is one
 * 'can' mentor with 1..mentorCapacity (default 1) 'seeks' mentees, and members with neither role are unplaced.
 *
 * Objective, lexicographic (encoded as one integer per edge with tiers that provably dominate everything below them,
 * see lexicographic-weight.ts), after placing as many members as possible:
 *   1. as many never-met pairs as possible;
 *   2. then the longest since last met (log scale: fresh repeats are avoided first);
 *   3. then (≤ 300 participants) the round-robin class, which lets a stable group meet everyone in n−1 rounds;
 *   4. then mode preferences: overlapping time zones (smaller circular offset difference). Cross-category's
 *      "complementary categories" is the hard rule "different category".
 * Power-team mode (issue 19) has standard's hard rules; `powerPairs` (sphere partners, high-affinity seats) get a
 * tier of their own between the round-robin class and time zones, in which a pair on its sphere's own round robin
 * (power-course.ts) counts one more, so every member meets each sphere partner within the sphere's size in rounds;
 * its round-robin course is a schedule whose first classes hold those pairs (power-team-schedule.ts), so nobody
 * repeats before n−1.
 *
 * Group size 2: an odd count makes exactly one trio (chosen exactly up to 15 members, otherwise the leftover joins
 * the pair where it adds the most), never a silent leftover. A second trio appears only if a member can be placed
 * no other way. Group size 3 or 4: sizes differ by at most one and no group is smaller than 2 (groupSizes); only a
 * hard rule that leaves someone no other place can stretch a group by one. Mentor-mentee mode ignores groupSize.
 *
 * Anyone who cannot be placed comes back in `unplaced` with a code and a member-facing reason that never reveals an
 * exclusion. Every participant is in exactly one group or in `unplaced`.
 *
 * Determinism: the same input (in any order) and seed give the same result; another seed breaks ties differently
 * (vertex order is shuffled by `seededRandom(seed)`). Speed: complete candidate graph up to 300 participants; above,
 * blocks of about 256 solved exactly and a repair pass across blocks (block-matching.ts).
 */
import { seededRandom } from '../random.js';
import { groupRound } from './group-formation.js';
import { mentorCapacity, mentorRound } from './mentor-round.js';
import type { Grouping } from './pair-round.js';
import { pairRound } from './pair-round.js';
import type { RoundInput, RoundResult, Unplaced } from './pairing-types.js';
import { RoundContext } from './round-context.js';

export { groupSizes } from './group-formation.js';
export type {
  GroupSize,
  MentorRole,
  PairingMode,
  PairingParticipant,
  PastMeeting,
  PowerPair,
  RoundInput,
  RoundResult,
  Unplaced,
  UnplacedCode,
} from './pairing-types.js';

/** Runs one pairing round: groups of member ids and the members who could not be placed, with reasons. */
export function matchRound(input: RoundInput, seed: number): RoundResult {
  const groupSize = input.groupSize ?? 2;
  if (groupSize !== 2 && groupSize !== 3 && groupSize !== 4) throw new RangeError(`group size ${groupSize}`);
  const ctx = new RoundContext(input, seededRandom(seed));
  let grouping: Grouping;
  const unplaced: Unplaced[] = [];
  if (ctx.mode === 'mentor-mentee') {
    const r = mentorRound(ctx);
    grouping = r.grouping;
    for (const i of r.noRole) {
      unplaced.push({
        memberId: ctx.ids[i]!,
        code: 'no-mentor-role',
        reason: 'This is a mentor-mentee round and they are marked neither as a mentor nor as seeking one.',
      });
    }
    for (const i of grouping.left) unplaced.push(mentorUnplaced(ctx, i));
  } else {
    ctx.useRoundRobin();
    grouping = groupSize === 2 ? pairRound(ctx) : groupRound(ctx, groupSize);
    for (const i of grouping.left) unplaced.push(ctx.unplaced(i));
  }
  const groups = grouping.groups
    .map((g) => g.map((i) => ctx.ids[i]!).sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!);
  unplaced.sort((a, b) => a.memberId - b.memberId);
  return { groups, unplaced };
}

function mentorUnplaced(ctx: RoundContext, i: number): Unplaced {
  const memberId = ctx.ids[i]!;
  const isMentor = ctx.people[i]!.mentor === 'can';
  let anyAllowed = false;
  for (let j = 0; j < ctx.n && !anyAllowed; j++) anyAllowed = ctx.allowed(i, j);
  if (isMentor) {
    return {
      memberId,
      code: 'no-mentee-available',
      reason: anyAllowed
        ? 'There were fewer mentees than mentors this round; the mentees were paired with other mentors.'
        : 'No mentee in this round could be paired with them.',
    };
  }
  return {
    memberId,
    code: 'no-mentor-available',
    reason: anyAllowed
      ? "Every mentor's capacity for this round was already taken."
      : 'No mentor in this round could be paired with them.',
  };
}

export { mentorCapacity };
