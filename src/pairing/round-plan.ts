import { and, eq, isNull, lte, max, or, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { groupMemberships, members, pairingEnrollments, pairingRounds, profiles } from '../../db/schema.js';
import type { GroupRow, MemberRow } from '../communities/rows.js';
import type { ProfileRow } from '../members/profile-repo.js';
import { powerPairsFor } from '../powerteam/pairing-input.js';
import { utcOffsetMinutes } from './cadence.js';
import {
  type MentorRole,
  matchRound,
  type PairingMode,
  type PairingParticipant,
  type PastMeeting,
  type RoundResult,
} from './matcher.js';
import { exclusionPairs, type ProgramRow } from './program-repo.js';

/** A member who takes part in a round, with their card (delivery shows it). */
export interface Person {
  member: MemberRow;
  profile: ProfileRow;
}

export interface RoundPlan {
  number: number;
  seed: number;
  people: Map<number, Person>;
  result: RoundResult;
}

/**
 * Who takes part in the next round of a program: active members of the group with a card, enrolled (opt-in) or not
 * opted out (everyone), minus the paused, the snoozed, the away and those skipping this round.
 */
export async function roundParticipants(db: Db, program: ProgramRow, now: Date): Promise<Person[]> {
  const enrolled =
    program.enrollment === 'everyone'
      ? sql`(${pairingEnrollments.status} is null or ${pairingEnrollments.status} = 'in')`
      : sql`${pairingEnrollments.status} = 'in'`;
  const rows = await db
    .select({ member: members, profile: profiles })
    .from(groupMemberships)
    .innerJoin(members, eq(members.id, groupMemberships.memberId))
    .innerJoin(profiles, eq(profiles.memberId, members.id))
    .leftJoin(
      pairingEnrollments,
      and(eq(pairingEnrollments.programId, program.id), eq(pairingEnrollments.memberId, members.id)),
    )
    .where(
      and(
        eq(groupMemberships.groupId, program.groupId),
        eq(groupMemberships.status, 'active'),
        enrolled,
        or(isNull(pairingEnrollments.snoozedUntil), lte(pairingEnrollments.snoozedUntil, now)),
        sql`coalesce(${pairingEnrollments.skipNext}, false) = false`,
        // away (issue 18, /me away:…): skipped while the period lasts
        sql`not exists (select 1 from member_availability a where a.member_id = ${members.id} and a.away_from <= ${now.toISOString()}::timestamptz and a.away_until > ${now.toISOString()}::timestamptz)`,
      ),
    )
    .orderBy(members.id);
  return rows;
}

/** When each pair of these members last met in any round of the group's programs (rematches included). */
export async function pairingHistory(db: Db, groupId: number, ids: number[]): Promise<PastMeeting[]> {
  if (ids.length < 2) return [];
  const rows = rowsOf<{ a: number; b: number; last: string | Date }>(
    await db.execute(sql`
      select a.member_id as a, b.member_id as b, max(r.started_at) as last
      from pairing_group_members a
      join pairing_group_members b on b.pairing_group_id = a.pairing_group_id and a.member_id < b.member_id
      join pairing_groups g on g.id = a.pairing_group_id
      join pairing_rounds r on r.id = g.round_id
      join pairing_programs p on p.id = r.program_id
      where p.group_id = ${groupId}
        and a.member_id = any(${sql.param(ids)}::int[]) and b.member_id = any(${sql.param(ids)}::int[])
      group by a.member_id, b.member_id`),
  );
  return rows.map((r) => ({ a: Number(r.a), b: Number(r.b), lastMetAt: new Date(r.last) }));
}

/** FNV-1a of the program and round number: the seed is reproducible, so /pair preview shows what /pair start does. */
export function roundSeed(programId: number, number: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${programId}:${number}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & 0x7fffffff;
}

export async function nextRoundNumber(db: Db, programId: number): Promise<number> {
  const [row] = await db
    .select({ n: max(pairingRounds.number) })
    .from(pairingRounds)
    .where(eq(pairingRounds.programId, programId));
  return (row?.n ?? 0) + 1;
}

const mentorRole = (p: ProfileRow): MentorRole | null => (p.mentor === 'can' || p.mentor === 'seeks' ? p.mentor : null);

/** The matcher's view of a person: seat, mentoring role and time zone. */
export function participantOf(person: Person, program: ProgramRow, group: GroupRow, now: Date): PairingParticipant {
  return {
    id: person.member.id,
    category: person.profile.categoryKey || null,
    mentor: mentorRole(person.profile),
    utcOffsetMinutes: utcOffsetMinutes(person.member.timezone ?? group.timezone, now),
    mentorCapacity: program.mentorCapacity,
  };
}

/** Plans the next round of a program without writing anything (what /pair preview shows and /pair start runs). */
export async function planRound(
  db: Db,
  program: ProgramRow,
  group: GroupRow,
  now: Date,
  number?: number,
): Promise<RoundPlan> {
  const n = number ?? (await nextRoundNumber(db, program.id));
  const seed = roundSeed(program.id, n);
  const people = await roundParticipants(db, program, now);
  const ids = people.map((p) => p.member.id);
  const powerPairs = program.mode === 'power-team' ? await powerPairsFor(db, group, ids) : undefined;
  const result = matchRound(
    {
      participants: people.map((p) => participantOf(p, program, group, now)),
      groupSize: program.groupSize as 2 | 3 | 4,
      mode: program.mode as PairingMode,
      excluded: await exclusionPairs(db, program.communityId),
      history: await pairingHistory(db, group.id, ids),
      now,
      ...(powerPairs ? { powerPairs } : {}),
    },
    seed,
  );
  return { number: n, seed, people: new Map(people.map((p) => [p.member.id, p])), result };
}
