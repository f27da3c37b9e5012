import { randomBytes } from 'node:crypto';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { calendarFeeds, meetingCalendar, meetings } from '../../db/schema.js';
import { feedText, type InviteEvent, inviteAttachment } from '../booking/invite.js';
import type { GroupRow } from '../communities/rows.js';
import type { MeetingRow } from '../meetings/meetings.js';
import type { Attachment } from '../messages.js';

export type MeetingCalendarRow = typeof meetingCalendar.$inferSelect;

/**
 * A meeting's calendar state: its sequence rises whenever its start or status differs from what was last recorded
 * (a moved or cancelled meeting), so every invite and the feed carry the same, rising SEQUENCE.
 */
export async function calendarState(db: Db, m: MeetingRow): Promise<MeetingCalendarRow> {
  const [row] = await db.select().from(meetingCalendar).where(eq(meetingCalendar.meetingId, m.id));
  if (!row) {
    const [made] = await db
      .insert(meetingCalendar)
      .values({ meetingId: m.id, startsAt: m.startsAt, status: m.status })
      .onConflictDoNothing()
      .returning();
    return made ?? (await db.select().from(meetingCalendar).where(eq(meetingCalendar.meetingId, m.id)))[0]!;
  }
  if (row.startsAt.getTime() === m.startsAt.getTime() && row.status === m.status) return row;
  const [raised] = await db
    .update(meetingCalendar)
    .set({ sequence: row.sequence + 1, startsAt: m.startsAt, status: m.status, updatedAt: new Date() })
    .where(eq(meetingCalendar.meetingId, m.id))
    .returning();
  return raised!;
}

/** What a sequence would be without writing (the feed is a GET: it reads, the commands and sweeps record). */
const sequenceOf = (m: MeetingRow, row: MeetingCalendarRow | undefined) =>
  !row
    ? 0
    : row.startsAt.getTime() === m.startsAt.getTime() && row.status === m.status
      ? row.sequence
      : row.sequence + 1;

const titleOf = (m: MeetingRow, group: GroupRow) => m.title ?? `${group.name} meeting`;

/** A meeting as a calendar event; the group is its organiser. */
export function meetingEvent(
  m: MeetingRow,
  group: GroupRow,
  sequence: number,
  stamp: Date,
  attendees: { memberId: number; name: string; email?: string | null }[],
): InviteEvent {
  return {
    uid: `meeting-${m.id}-${m.createdAt.getTime()}@roundtable`,
    sequence,
    start: m.startsAt,
    end: m.endsAt,
    title: titleOf(m, group),
    description: [
      `${group.name}${m.kind === 'event' ? ' event' : ' meeting'}.`,
      m.note ? `Note: ${m.note}` : null,
      'RSVP with /meeting next in the group’s channel.',
    ]
      .filter(Boolean)
      .join('\n'),
    location: m.place,
    // the group organises; its address is a stand-in on the reserved .invalid domain (calendars require one)
    organiser: { name: group.name, email: `group-${group.id}@roundtable.invalid`, memberId: 0 },
    attendees,
    timezone: group.timezone,
    stamp,
  };
}

/**
 * The meeting's invite (REQUEST, or CANCEL when it was cancelled) for these members: one file for all of them, made
 * once (a reminder goes to every member of the group; one iCalendar text per member made the sweep slow).
 */
export async function meetingInvites(
  db: Db,
  group: GroupRow,
  m: MeetingRow,
  memberIds: number[],
  now: Date,
): Promise<Map<number, Attachment>> {
  const out = new Map<number, Attachment>();
  if (memberIds.length === 0) return out;
  const state = await calendarState(db, m);
  const event = meetingEvent(m, group, state.sequence, now, []);
  const file = inviteAttachment(event, m.status === 'cancelled' ? 'CANCEL' : 'REQUEST', 'meeting.ics');
  for (const id of memberIds) out.set(id, file);
  return out;
}

/** The group's feed token, made on first use: 24 random bytes, so the URL cannot be guessed. */
export async function feedToken(db: Db, group: GroupRow, rotate = false): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  if (rotate) {
    await db
      .insert(calendarFeeds)
      .values({ groupId: group.id, communityId: group.communityId, token })
      .onConflictDoUpdate({ target: calendarFeeds.groupId, set: { token, createdAt: new Date() } });
    return token;
  }
  await db
    .insert(calendarFeeds)
    .values({ groupId: group.id, communityId: group.communityId, token })
    .onConflictDoNothing();
  const [row] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.groupId, group.id));
  return row!.token;
}

/** How far back the feed lists meetings (recent ones stay visible in subscribed calendars). */
const FEED_PAST_MS = 30 * 86_400_000;
/** The most meetings a feed lists. */
const FEED_LIMIT = 500;

export type FeedRow = { m: MeetingRow; c: MeetingCalendarRow | null };

/** The meetings a group's feed lists: from a month ago on, with their calendar state. */
export async function feedRows(db: Db, group: GroupRow, now: Date): Promise<FeedRow[]> {
  return db
    .select({ m: meetings, c: meetingCalendar })
    .from(meetings)
    .leftJoin(meetingCalendar, eq(meetingCalendar.meetingId, meetings.id))
    .where(and(eq(meetings.groupId, group.id), gte(meetings.startsAt, new Date(now.getTime() - FEED_PAST_MS))))
    .orderBy(asc(meetings.startsAt))
    .limit(FEED_LIMIT);
}

/**
 * A feed's group and what its text depends on, by the feed's token, as one short row (null for an unknown token):
 * calendars poll feeds often and the meetings rarely change, so the poll reads a fingerprint computed in the database
 * (the meetings' times, status, texts and sequence as sequenceOf reads it) and the rows only when it changed.
 */
export async function feedHead(
  db: Db,
  token: string,
  now: Date,
): Promise<{ groupId: number; fingerprint: string } | null> {
  const since = new Date(now.getTime() - FEED_PAST_MS).toISOString();
  const [row] = rowsOf<{ group_id: number; fingerprint: string }>(
    await db.execute(sql`
      select g.id as group_id, md5(concat_ws('|', g.name, g.timezone, (
        select string_agg(concat_ws(':', m.id, m.starts_at, m.ends_at, m.status, m.title, m.place, m.note,
                 case when c.meeting_id is null then 0
                      when c.starts_at = m.starts_at and c.status = m.status then c.sequence
                      else c.sequence + 1 end), '|' order by m.starts_at, m.id)
        from (select * from meetings where group_id = g.id and starts_at >= ${since}::timestamptz
              order by starts_at limit ${FEED_LIMIT}) m
        left join meeting_calendar c on c.meeting_id = m.id))) as fingerprint
      from calendar_feeds f join groups g on g.id = f.group_id
      where f.token = ${token}`),
  );
  return row ? { groupId: Number(row.group_id), fingerprint: row.fingerprint } : null;
}

/** The feed (METHOD:PUBLISH) of those rows; cancelled meetings stay in it as cancelled. */
export function renderFeed(group: GroupRow, rows: FeedRow[], now: Date): string {
  return feedText(
    `${group.name} meetings`,
    group.timezone,
    rows.map(({ m, c }) => ({
      ...meetingEvent(m, group, sequenceOf(m, c ?? undefined), now, []),
      cancelled: m.status === 'cancelled',
    })),
  );
}

/** The feed of a group as it stands now. */
export async function groupFeed(db: Db, group: GroupRow, now: Date): Promise<string> {
  return renderFeed(group, await feedRows(db, group, now), now);
}
