import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { commitments } from '../../db/schema.js';
import { UserError } from '../errors.js';
import type { Button, Content } from '../messages.js';
import { cancelJobs, scheduleJob } from '../scheduler/jobs-repo.js';
import { formatLocalZoned } from '../time/zoned.js';

export type CommitmentRow = typeof commitments.$inferSelect;
export const COMMITMENT_DUE_KIND = 'commitments.due';

const jobKey = (c: Pick<CommitmentRow, 'id' | 'dueAt'>) => `commitment:${c.id}:${c.dueAt.toISOString()}`;

/** Records a commitment and schedules its "Done?" at the deadline (same transaction). */
export async function createCommitment(
  db: Db,
  c: { communityId: number; groupId: number | null; memberId: number; what: string; dueAt: Date; private: boolean },
  now: Date,
): Promise<CommitmentRow> {
  const [row] = await db
    .insert(commitments)
    .values({
      ...c,
      createdAt: now,
      number: sql`(select coalesce(max(number), 0) + 1 from commitments where member_id = ${c.memberId})`,
    })
    .returning();
  await scheduleJob(db, {
    kind: COMMITMENT_DUE_KIND,
    communityId: c.communityId,
    groupId: c.groupId,
    runAt: row!.dueAt,
    payload: { commitmentId: row!.id },
    dedupeKey: jobKey(row!),
  });
  return row!;
}

/** One of the member's own commitments, by its row id (buttons) or their number (#2); anyone else's is "not found". */
export async function ownCommitment(
  db: Db,
  memberId: number,
  ref: { id: number } | { number: number },
): Promise<CommitmentRow> {
  const [row] = await db
    .select()
    .from(commitments)
    .where(
      and(
        eq(commitments.memberId, memberId),
        'id' in ref ? eq(commitments.id, ref.id) : eq(commitments.number, ref.number),
      ),
    );
  if (!row) {
    throw new UserError(
      'not_found',
      'id' in ref ? 'That commitment no longer exists.' : `You have no commitment #${ref.number}.`,
      'See yours with /commitments.',
    );
  }
  return row;
}

/** Moves an open commitment to a new deadline: the old "Done?" is cancelled and a new one scheduled. */
export async function moveCommitment(db: Db, c: CommitmentRow, dueAt: Date): Promise<CommitmentRow> {
  if (c.status !== 'open') throw new UserError('conflict', `Commitment #${c.id} is already ${c.status}.`);
  await cancelJobs(db, `commitment:${c.id}:`);
  const [row] = await db.update(commitments).set({ dueAt }).where(eq(commitments.id, c.id)).returning();
  await scheduleJob(db, {
    kind: COMMITMENT_DUE_KIND,
    communityId: c.communityId,
    groupId: c.groupId,
    runAt: dueAt,
    payload: { commitmentId: c.id },
    dedupeKey: jobKey(row!),
  });
  return row!;
}

/** Closes an open commitment (done or dropped); false when it was closed already (a double click). */
export async function closeCommitment(db: Db, c: CommitmentRow, status: 'done' | 'dropped', now: Date) {
  const rows = await db
    .update(commitments)
    .set({ status, closedAt: now })
    .where(and(eq(commitments.id, c.id), eq(commitments.status, 'open')))
    .returning({ id: commitments.id });
  if (rows.length) await cancelJobs(db, `commitment:${c.id}:`);
  return rows.length > 0;
}

export async function openCommitments(db: Db, memberId: number): Promise<CommitmentRow[]> {
  return db
    .select()
    .from(commitments)
    .where(and(eq(commitments.memberId, memberId), eq(commitments.status, 'open')))
    .orderBy(asc(commitments.dueAt));
}

/** Commitments of a group made or completed in [from, to): the weekly digest's material. */
export async function commitmentsOfWeek(db: Db, groupId: number, from: Date, to: Date) {
  return db
    .select({
      c: commitments,
      name: sql<string>`(select display_name from members where id = ${commitments.memberId})`,
    })
    .from(commitments)
    .where(
      and(
        eq(commitments.groupId, groupId),
        sql`((${commitments.createdAt} >= ${from.toISOString()}::timestamptz and ${commitments.createdAt} < ${to.toISOString()}::timestamptz) or (${commitments.status} = 'done' and ${commitments.closedAt} >= ${from.toISOString()}::timestamptz and ${commitments.closedAt} < ${to.toISOString()}::timestamptz))`,
      ),
    )
    .orderBy(asc(commitments.createdAt));
}

export const describeCommitment = (c: CommitmentRow, tz: string) =>
  `#${c.number} ${c.what} — by ${formatLocalZoned(c.dueAt, tz)}${c.private ? ' (private)' : ''}`;

/** The "Done?" DM at a deadline. */
export function doneQuestion(c: CommitmentRow, tz: string): Content {
  const b = (label: string, action: string, style?: Button['style']): Button => ({
    label,
    action: { command: 'commit', action, arg: String(c.id) },
    ...(style ? { style } : {}),
  });
  return {
    text: `Done? You committed to “${c.what}” by ${formatLocalZoned(c.dueAt, tz)}.`,
    buttons: [b('Done', 'done', 'primary'), b('Not yet', 'later'), b('Drop', 'drop', 'danger')],
  };
}
