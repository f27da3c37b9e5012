import { and, asc, eq, gt, inArray, isNotNull, lt, or, sql } from 'drizzle-orm';
import { communities, groups, meetingCalendar, meetings } from '../../db/schema.js';
import type { Core, DueRunner } from '../core.js';
import { describeMeeting } from '../meetings/meetings.js';
import { calendarState } from './meeting-calendar.js';

/** Meetings published this far ahead (a weekly group shows its next two months), a few per tick (rate limits). */
const AHEAD_MS = 60 * 86_400_000;
const PER_TICK = 20;

/**
 * Publishes each group's upcoming meetings as the platform's own events where the port can (Discord's guild
 * scheduled events): created once, updated when the meeting moves (its calendar sequence rose), cancelled with it.
 * The platform call runs outside any transaction; the event's id and synced sequence are recorded right after, so a
 * crash in between can at worst publish one meeting twice.
 */
export const syncMeetingEvents: DueRunner = async (core: Core, port) => {
  if (!port.publishEvent) return;
  const now = core.clock.now();
  const due = await core.db
    .select({ m: meetings, g: groups, ref: communities.platformRef, c: meetingCalendar })
    .from(meetings)
    .innerJoin(groups, eq(groups.id, meetings.groupId))
    .innerJoin(communities, eq(communities.id, meetings.communityId))
    .leftJoin(meetingCalendar, eq(meetingCalendar.meetingId, meetings.id))
    .where(
      and(
        eq(communities.platform, port.platform),
        eq(communities.active, true),
        port.communityRefs ? inArray(communities.platformRef, [...port.communityRefs]) : undefined,
        gt(meetings.startsAt, now),
        lt(meetings.startsAt, new Date(now.getTime() + AHEAD_MS)),
        // not yet published, or changed since (a new start or status), or cancelled after publishing
        or(
          sql`${meetingCalendar.eventSequence} is null and ${meetings.status} = 'scheduled'`,
          sql`${meetingCalendar.startsAt} <> ${meetings.startsAt}`,
          sql`${meetingCalendar.status} <> ${meetings.status}`,
          and(
            isNotNull(meetingCalendar.eventSequence),
            sql`${meetingCalendar.eventSequence} < ${meetingCalendar.sequence}`,
          ),
        ),
      ),
    )
    .orderBy(asc(meetings.startsAt))
    .limit(PER_TICK);
  for (const { m, g, ref, c } of due) {
    const state = await calendarState(core.db, m);
    if (c?.eventSequence != null && c.eventSequence >= state.sequence && c.eventRef) continue;
    try {
      const eventRef = await port.publishEvent(
        ref,
        {
          name: m.title ?? `${g.name} meeting`,
          description: `${g.name}: ${describeMeeting(m, g.timezone)}. RSVP with /meeting next.`,
          start: m.startsAt,
          end: m.endsAt,
          location: m.place ?? `${g.name}'s usual place`,
          cancelled: m.status === 'cancelled',
        },
        c?.eventRef ?? undefined,
      );
      await core.db
        .update(meetingCalendar)
        .set({ eventRef: eventRef ?? c?.eventRef ?? null, eventSequence: state.sequence, updatedAt: now })
        .where(eq(meetingCalendar.meetingId, m.id));
    } catch (err) {
      core.log.warn(
        { communityId: m.communityId, meetingId: m.id, err: { message: (err as Error).message } },
        'meeting event not published',
      );
    }
  }
};
