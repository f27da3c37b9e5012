import { and, asc, eq, gt, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { meetings } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import { UserError } from '../errors.js';
import { readSettings } from '../groups/group-settings.js';
import { formatMeetingTime, type LocalDate, localToUtc, occurrences } from './calendar.js';

export type MeetingRow = typeof meetings.$inferSelect;

const DAY = 86_400_000;
/** Far enough ahead to see the next monthly meeting. */
const HORIZON_DAYS = 40;

/**
 * Writes the group's regular meetings in [from, to) from its rhythm. Callers pass `from` no earlier than now:
 * meetings are only ever materialised ahead of time, so a date the bot never saw coming (before the group existed,
 * or while it was down) never gets closed with everyone absent. Inserting is idempotent (unique start), so a
 * cancelled date stays cancelled; regular meetings that no longer fit a changed rhythm are removed while nobody
 * has answered them yet.
 */
export async function ensureMeetings(db: Db, group: GroupRow, from: Date, to: Date): Promise<void> {
  const settings = readSettings(group.settings);
  const rhythm = settings.meeting;
  const starts = rhythm ? occurrences(rhythm, group.timezone, from, to) : [];
  const lasting = settings.meetings.durationMinutes * 60_000;
  if (starts.length) {
    await db
      .insert(meetings)
      .values(
        starts.map((s) => ({
          communityId: group.communityId,
          groupId: group.id,
          startsAt: s,
          endsAt: new Date(s.getTime() + lasting),
          kind: 'regular',
          place: rhythm?.place ?? null,
        })),
      )
      .onConflictDoNothing();
  }
  // Passed as one text: postgres.js cannot bind an empty (or timestamptz) array parameter.
  const keep = starts.map((s) => s.toISOString());
  await db.execute(sql`
    delete from meetings m where m.group_id = ${group.id} and m.kind = 'regular' and m.status = 'scheduled'
      and m.starts_at >= ${from.toISOString()} and m.starts_at < ${to.toISOString()}
      and not (m.starts_at = any(string_to_array(${keep.join(',')}, ',')::timestamptz[]))
      and not exists (select 1 from attendance a where a.meeting_id = m.id)
      and not exists (select 1 from visitors v where v.meeting_id = m.id)`);
}

/** The next meeting that has not ended (cancelled ones skipped), or null when the group has no rhythm or events. */
export async function nextMeeting(db: Db, group: GroupRow, now: Date): Promise<MeetingRow | null> {
  await ensureMeetings(db, group, now, new Date(now.getTime() + HORIZON_DAYS * DAY));
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.groupId, group.id), eq(meetings.status, 'scheduled'), gt(meetings.endsAt, now)))
    .orderBy(asc(meetings.startsAt))
    .limit(1);
  return row ?? null;
}

/** The meetings on a local calendar date of the group (regular ones materialised first). */
export async function meetingsOn(db: Db, group: GroupRow, date: LocalDate, now: Date): Promise<MeetingRow[]> {
  const start = localToUtc(date, '00:00', group.timezone);
  const end = localToUtc(
    (() => {
      const t = new Date(Date.UTC(date.y, date.m - 1, date.d + 1));
      return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
    })(),
    '00:00',
    group.timezone,
  );
  if (end > now) await ensureMeetings(db, group, start > now ? start : now, end);
  return db
    .select()
    .from(meetings)
    .where(and(eq(meetings.groupId, group.id), gte(meetings.startsAt, start), lt(meetings.startsAt, end)))
    .orderBy(asc(meetings.startsAt));
}

/** The latest meeting that has started (for /attendance without a date). */
export async function latestStarted(db: Db, group: GroupRow, now: Date): Promise<MeetingRow | null> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.groupId, group.id), eq(meetings.status, 'scheduled'), lt(meetings.startsAt, now)))
    .orderBy(sql`${meetings.startsAt} desc`)
    .limit(1);
  return row ?? null;
}

/** The one scheduled meeting on a date, or a user error naming what is there instead. */
export async function meetingOnDate(
  db: Db,
  group: GroupRow,
  date: LocalDate,
  what: string,
  now: Date,
): Promise<MeetingRow> {
  const found = (await meetingsOn(db, group, date, now)).filter((m) => m.status === 'scheduled');
  const label = `${date.y}-${String(date.m).padStart(2, '0')}-${String(date.d).padStart(2, '0')}`;
  if (!found.length) {
    throw new UserError('not_found', `${group.name} has no meeting on ${label}. /meeting next shows the next one.`);
  }
  if (found.length > 1) throw new UserError('conflict', `${group.name} has several meetings on ${label}: ${what}.`);
  return found[0]!;
}

export async function getMeeting(db: Db, communityId: number, id: number): Promise<MeetingRow | null> {
  const [row] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.id, id), eq(meetings.communityId, communityId)));
  return row ?? null;
}

export async function cancelMeeting(db: Db, meeting: MeetingRow, note: string | undefined): Promise<void> {
  await db
    .update(meetings)
    .set({ status: 'cancelled', note: note ?? null })
    .where(eq(meetings.id, meeting.id));
}

/** A one-off event; refuses a second meeting at the very same start. */
export async function addEvent(
  db: Db,
  group: GroupRow,
  input: { date: LocalDate; time: string; title: string; place?: string; minutes?: number },
): Promise<MeetingRow> {
  const startsAt = localToUtc(input.date, input.time, group.timezone);
  const minutes = input.minutes ?? readSettings(group.settings).meetings.durationMinutes;
  // The regular meeting of that slot may not be materialised yet: it is, first, so the event never hides it.
  await ensureMeetings(db, group, startsAt, new Date(startsAt.getTime() + 1));
  const [row] = await db
    .insert(meetings)
    .values({
      communityId: group.communityId,
      groupId: group.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * 60_000),
      kind: 'event',
      title: input.title,
      place: input.place ?? readSettings(group.settings).meeting?.place ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (row) return row;
  const [there] = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.groupId, group.id), eq(meetings.startsAt, startsAt)))
    .for('update');
  const when = formatMeetingTime(startsAt, group.timezone);
  if (there?.status === 'cancelled') {
    // The slot of a cancelled meeting is free again: the event takes it (one meeting per start).
    const [reused] = await db
      .update(meetings)
      .set({
        kind: 'event',
        title: input.title,
        place: input.place ?? readSettings(group.settings).meeting?.place ?? null,
        endsAt: new Date(startsAt.getTime() + minutes * 60_000),
        status: 'scheduled',
        note: null,
      })
      .where(eq(meetings.id, there.id))
      .returning();
    return reused!;
  }
  const date = `${input.date.y}-${String(input.date.m).padStart(2, '0')}-${String(input.date.d).padStart(2, '0')}`;
  throw new UserError(
    'conflict',
    there?.kind === 'regular'
      ? `${when} is ${group.name}'s regular meeting.`
      : `${group.name} already has ${there?.title ?? 'a meeting'} at ${when}.`,
    there?.kind === 'regular'
      ? `To hold the event instead, cancel the regular one first (/meeting cancel date:${date}) and add it again; to hold both, pick another time (time:HH:MM).`
      : 'Pick another time (time:HH:MM) or another date.',
  );
}

/** "Tue 13 Jan 2026, 07:00 at The Grand Hotel" (or the event's title first). */
export function describeMeeting(m: MeetingRow, tz: string): string {
  const when = formatMeetingTime(m.startsAt, tz);
  return `${m.title ? `${m.title}: ` : ''}${when}${m.place ? ` at ${m.place}` : ''}`;
}
