import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { communities, meetingCalendar, meetings } from '../../db/schema.js';
import type { GroupRow } from '../communities/rows.js';
import type { OutboxMessage } from '../delivery/outbox.js';
import { describeMeeting } from '../meetings/meetings.js';
import { calendarState } from './meeting-calendar.js';

/** Meetings published this far ahead (a weekly group shows its next two months). */
const AHEAD_MS = 60 * 86_400_000;
/** The platforms whose communities have their own calendar of events (Discord's guild scheduled events). */
const WITH_EVENTS = new Set(['discord']);

/**
 * A group's upcoming meetings as the platform's own events, where the platform has them: an outbox message per
 * meeting and calendar sequence (created once, updated when the meeting moves, cancelled with it), keyed by the
 * meeting so the sender edits the event it made before. Decided in the sweep's transaction like every message.
 */
export async function meetingEventMessages(db: Db, group: GroupRow, now: Date): Promise<OutboxMessage[]> {
  const [c] = await db
    .select({ platform: communities.platform })
    .from(communities)
    .where(eq(communities.id, group.communityId));
  if (!c || !WITH_EVENTS.has(c.platform)) return [];
  const rows = await db
    .select({ m: meetings, cal: meetingCalendar })
    .from(meetings)
    .leftJoin(meetingCalendar, eq(meetingCalendar.meetingId, meetings.id))
    .where(
      and(
        eq(meetings.groupId, group.id),
        gt(meetings.startsAt, now),
        lt(meetings.startsAt, new Date(now.getTime() + AHEAD_MS)),
      ),
    )
    .orderBy(asc(meetings.startsAt));
  const out: OutboxMessage[] = [];
  for (const { m, cal } of rows) {
    // nothing to do for an unpublished meeting that is cancelled, or a published one that has not changed
    if (!cal?.eventSequence && cal?.eventSequence !== 0 && m.status === 'cancelled') continue;
    const state = await calendarState(db, m);
    if (cal?.eventSequence != null && cal.eventSequence >= state.sequence) continue;
    await db
      .update(meetingCalendar)
      .set({ eventSequence: state.sequence, updatedAt: now })
      .where(eq(meetingCalendar.meetingId, m.id));
    out.push({
      target: { kind: 'channel', channelRef: group.homeChannelRef },
      key: `meeting-event:${m.id}`,
      idempotencyKey: `meeting-event:${m.id}:${state.sequence}`,
      content: {
        text: `${group.name}: ${describeMeeting(m, group.timezone)}`,
        event: {
          name: m.title ?? `${group.name} meeting`,
          description: `${group.name}: ${describeMeeting(m, group.timezone)}. RSVP with /meeting next.`,
          start: m.startsAt.toISOString(),
          end: m.endsAt.toISOString(),
          location: m.place ?? `${group.name}'s usual place`,
          cancelled: m.status === 'cancelled',
        },
      },
    });
  }
  return out;
}
