import { and, asc, count, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  groups,
  members,
  pairingGroupMembers,
  pairingGroups,
  pairingPrograms,
  pairingRoundMembers,
  pairingRounds,
} from '../../db/schema.js';
import { openCommitments } from '../nudges/commitments.js';
import { formatLocalZoned } from '../time/zoned.js';

/**
 * What the meetings and reports code reads from other capabilities: the sections of the day-before reminder (a
 * plain list others append to) and the pairing figures the scorecard, the chart and the exports show.
 */

/** Lines added to a member's day-before reminder. */
export type ReminderSection = (db: Db, communityId: number, memberId: number, now: Date) => Promise<string[]>;

/**
 * Sections of the day-before reminder; the reminder shows whatever lines they return.
 */
export const reminderSections: ReminderSection[] = [openCommitmentLines];

/** The member's open commitments, for the day-before reminder (issue 8). */
async function openCommitmentLines(db: Db, _communityId: number, memberId: number): Promise<string[]> {
  const open = await openCommitments(db, memberId);
  if (!open.length) return [];
  // Deadlines in the member's own zone (their /me time zone, else the group's, as /commit read them), named.
  const [me] = await db.select({ tz: members.timezone }).from(members).where(eq(members.id, memberId));
  const groupId = open[0]!.groupId;
  const [group] = groupId ? await db.select({ tz: groups.timezone }).from(groups).where(eq(groups.id, groupId)) : [];
  const tz = me?.tz ?? group?.tz ?? 'UTC';
  return ['Your open commitments:', ...open.map((c) => `• ${c.what} (by ${formatLocalZoned(c.dueAt, tz)})`)];
}

/** 1-to-1s a member held (their round groups answered "met") in the group's rounds started since `from`. */
export async function oneToOnesHeld(db: Db, groupId: number, memberId: number, from: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(pairingRoundMembers)
    .innerJoin(pairingGroups, eq(pairingGroups.id, pairingRoundMembers.pairingGroupId))
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingRoundMembers.roundId))
    .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
    .where(
      and(
        eq(pairingPrograms.groupId, groupId),
        eq(pairingRoundMembers.memberId, memberId),
        eq(pairingGroups.status, 'met'),
        gte(pairingRounds.startedAt, from),
      ),
    );
  return Number(row?.n ?? 0);
}

/** Of the pairs made in the group's rounds since `from`, how many met. */
export async function oneToOneRate(db: Db, groupId: number, from: Date): Promise<{ met: number; total: number }> {
  const [row] = await db
    .select({ met: count(sql`case when ${pairingGroups.status} = 'met' then 1 end`), total: count() })
    .from(pairingGroups)
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
    .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
    .where(and(eq(pairingPrograms.groupId, groupId), gte(pairingRounds.startedAt, from)));
  return { met: Number(row?.met ?? 0), total: Number(row?.total ?? 0) };
}

/** The pairings export's rows, [round, started, pair id, member, status], in round and pair order. */
export async function pairingExportRows(db: Db, groupId: number, from: Date): Promise<(string | number)[][]> {
  const rows = await db
    .select({
      round: pairingRounds.number,
      started: pairingRounds.startedAt,
      pair: pairingGroups.id,
      member: members.displayName,
      status: pairingGroups.status,
    })
    .from(pairingGroups)
    .innerJoin(pairingRounds, eq(pairingRounds.id, pairingGroups.roundId))
    .innerJoin(pairingPrograms, eq(pairingPrograms.id, pairingRounds.programId))
    .innerJoin(pairingGroupMembers, eq(pairingGroupMembers.pairingGroupId, pairingGroups.id))
    .innerJoin(members, eq(members.id, pairingGroupMembers.memberId))
    .where(and(eq(pairingPrograms.groupId, groupId), gte(pairingRounds.startedAt, from)))
    .orderBy(asc(pairingRounds.startedAt), asc(pairingGroups.id), asc(members.displayName));
  return rows.map((r) => [r.round, r.started.toISOString(), r.pair, r.member, r.status]);
}
