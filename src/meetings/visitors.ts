import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { meetings, members, visitors } from '../../db/schema.js';
import type { MeetingRow } from './meetings.js';

export type VisitorRow = typeof visitors.$inferSelect;

export async function inviteVisitor(
  db: Db,
  meeting: MeetingRow,
  inviterId: number,
  name: string,
  contact: string,
): Promise<VisitorRow> {
  const [row] = await db
    .insert(visitors)
    .values({
      communityId: meeting.communityId,
      groupId: meeting.groupId,
      meetingId: meeting.id,
      inviterId,
      name,
      contact,
    })
    .returning();
  return row!;
}

/** Visitors the inviter brought in since `from`: a giving the scorecard counts (givers gain). */
export async function visitorsInvited(
  db: Db,
  communityId: number,
  groupId: number,
  inviterId: number,
  from: Date,
): Promise<number> {
  const [row] = rowsOf<{ n: string }>(
    await db.execute(sql`
      select count(*) as n from visitors
      where community_id = ${communityId} and group_id = ${groupId} and inviter_id = ${inviterId} and created_at >= ${from.toISOString()}`),
  );
  return Number(row?.n ?? 0);
}

export interface VisitorListing {
  id: number;
  name: string;
  contact: string;
  status: string;
  inviter: string;
  startsAt: Date | null;
}

/** Upcoming and recent visitors of a group: all of them for moderators, the inviter's own otherwise. */
export async function listVisitors(
  db: Db,
  groupId: number,
  since: Date,
  inviterId: number | null,
): Promise<VisitorListing[]> {
  const rows = await db
    .select({ v: visitors, inviter: members.displayName, startsAt: meetings.startsAt })
    .from(visitors)
    .innerJoin(members, eq(members.id, visitors.inviterId))
    .leftJoin(meetings, eq(meetings.id, visitors.meetingId))
    .where(
      and(
        eq(visitors.groupId, groupId),
        gte(visitors.createdAt, since),
        inviterId === null ? undefined : eq(visitors.inviterId, inviterId),
      ),
    )
    .orderBy(asc(meetings.startsAt), asc(visitors.id));
  return rows.map((r) => ({
    id: r.v.id,
    name: r.v.name,
    contact: r.v.contact,
    status: r.v.status,
    inviter: r.inviter,
    startsAt: r.startsAt,
  }));
}

export async function visitorsOf(db: Db, meetingId: number): Promise<VisitorRow[]> {
  return db.select().from(visitors).where(eq(visitors.meetingId, meetingId)).orderBy(asc(visitors.id));
}

export async function getVisitor(db: Db, communityId: number, id: number): Promise<VisitorRow | null> {
  const [row] = await db
    .select()
    .from(visitors)
    .where(and(eq(visitors.id, id), eq(visitors.communityId, communityId)));
  return row ?? null;
}

export async function setVisitorStatus(db: Db, id: number, status: 'followed_up' | 'invited'): Promise<void> {
  await db.update(visitors).set({ status }).where(eq(visitors.id, id));
}
