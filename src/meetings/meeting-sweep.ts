import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.js';
import { groups, meetings } from '../../db/schema.js';
import { meetingEventMessages } from '../calendar/event-sync.js';
import { meetingInvites } from '../calendar/meeting-calendar.js';
import type { GroupRow } from '../communities/rows.js';
import type { OutboxMessage } from '../delivery/outbox.js';
import { readSettings } from '../groups/group-settings.js';
import type { Button } from '../messages.js';
import { defineJobKind } from '../scheduler/job-kinds.js';
import { claimNotice } from './attendance.js';
import { reminderSections } from './hooks.js';
import { describeMeeting, ensureMeetings, type MeetingRow } from './meetings.js';
import { rollCallMessages, unmarkedCount } from './roll-call.js';
import { formatTally, rsvpTally } from './rsvp-tally.js';
import { visitorsOf } from './visitors.js';

const DAY = 86_400_000;
/** Meetings further back than this are not caught up (a bot down for weeks does not send stale prompts). */
const CATCH_UP_DAYS = 35;
/** How long after a meeting the moderators are reminded of a roll call that still has members unmarked. */
const ROLL_CALL_REMINDER_HOURS = 24;

export const RSVP_BUTTONS = (meetingId: number): Button[] => [
  {
    label: 'Attending',
    action: { command: 'meeting next', action: 'rsvp', arg: `${meetingId}|attending` },
    style: 'primary',
  },
  { label: 'Absent', action: { command: 'meeting next', action: 'rsvp', arg: `${meetingId}|absent` } },
  {
    label: 'Sending a substitute',
    action: { command: 'meeting next', action: 'rsvp', arg: `${meetingId}|substitute` },
  },
];

/**
 * The meetings sweep, a job kind every group runs each minute: for each meeting, once each — the RSVP reminder the
 * /nudges lead time before (with the member's open referrals and the visitor reminders), the check-in button in the
 * group's channel when it starts, and at its end the attendance closed, the absence rule applied and the inviters
 * of visitors asked to follow up. One-time steps are claimed in meeting_notices in the job's transaction, which
 * queues their messages in the outbox.
 */
export const meetingsSweepJob = defineJobKind({
  kind: 'meetings.sweep',
  coalesce: true,
  payload: z.object({}).loose(),
  async run(job, ctx) {
    if (job.groupId === null) return;
    const [group] = await ctx.db.select().from(groups).where(eq(groups.id, job.groupId));
    if (group) {
      await ctx.send(await sweepGroup(ctx.db, group, ctx.now));
      // its meetings as the platform's own events, where it has them (issue 18)
      await ctx.send(await meetingEventMessages(ctx.db, group, ctx.now));
    }
  },
});

async function sweepGroup(db: Db, group: GroupRow, now: Date): Promise<OutboxMessage[]> {
  const settings = readSettings(group.settings);
  // The reminder's switch and lead time are a nudge (/nudges, issue 8); the meeting's own rules live in `meetings`.
  const remind = settings.nudges.meetingReminder;
  const ahead = remind.hoursBefore * 3_600_000;
  const from = new Date(now.getTime() - CATCH_UP_DAYS * DAY);
  await ensureMeetings(db, group, now, new Date(now.getTime() + ahead + 1));
  const due = await db
    .select()
    .from(meetings)
    .where(
      and(
        eq(meetings.groupId, group.id),
        eq(meetings.status, 'scheduled'),
        gte(meetings.startsAt, from),
        lte(meetings.startsAt, new Date(now.getTime() + ahead)),
        sql`not exists (select 1 from meeting_notices n where n.meeting_id = ${meetings.id} and n.kind = 'closed')`,
      ),
    )
    .orderBy(asc(meetings.startsAt));
  const out: OutboxMessage[] = [];
  for (const meeting of due) {
    const id = meeting.id;
    const start = meeting.startsAt.getTime();
    const end = meeting.endsAt.getTime();
    const t = now.getTime();
    if (remind.enabled && t < start && (await claimNotice(db, id, 'reminder')))
      out.push(...(await reminders(db, group, meeting, now)));
    if (t >= start && t < end && (await claimNotice(db, id, 'checkin'))) {
      out.push({
        target: { kind: 'channel', channelRef: group.homeChannelRef },
        // checking in to a meeting that is over records nothing
        validUntil: meeting.endsAt,
        content: {
          text: `${group.name}'s meeting has started: ${describeMeeting(meeting, group.timezone)}. Check in to record your attendance.`,
          buttons: [
            {
              label: 'Check in',
              action: { command: 'meeting next', action: 'checkin', arg: String(id) },
              style: 'primary',
            },
          ],
        },
      });
    }
    if (t >= end && (await claimNotice(db, id, 'closed'))) {
      // Nobody is marked absent by the clock: the moderators take the roll (check-ins are already present), and
      // a meeting whose attendance was not taken counts for nobody.
      out.push(...(await rollCallMessages(db, group, meeting)));
      for (const v of await visitorsOf(db, id)) {
        out.push({
          target: { kind: 'dm', memberId: v.inviterId },
          content: {
            text: `Your visitor ${v.name} was invited to ${describeMeeting(meeting, group.timezone)}. Follow up while it is fresh: thank them, and ask whether they would like to apply.`,
            buttons: [
              { label: 'Followed up', action: { command: 'visitor invite', action: 'followed', arg: String(v.id) } },
            ],
          },
        });
      }
    }
  }
  out.push(...(await rollCallReminders(db, group, now)));
  return out;
}

/** A day after a meeting whose roll call is incomplete, its moderators are reminded once, with the roll call. */
async function rollCallReminders(db: Db, group: GroupRow, now: Date): Promise<OutboxMessage[]> {
  const due = await db
    .select()
    .from(meetings)
    .where(
      and(
        eq(meetings.groupId, group.id),
        eq(meetings.status, 'scheduled'),
        gte(meetings.endsAt, new Date(now.getTime() - CATCH_UP_DAYS * DAY)),
        lte(meetings.endsAt, new Date(now.getTime() - ROLL_CALL_REMINDER_HOURS * 3_600_000)),
        sql`exists (select 1 from meeting_notices n where n.meeting_id = ${meetings.id} and n.kind = 'closed')`,
        sql`not exists (select 1 from meeting_notices n where n.meeting_id = ${meetings.id} and n.kind = 'rollcall-reminder')`,
      ),
    );
  const out: OutboxMessage[] = [];
  for (const meeting of due) {
    if (!(await claimNotice(db, meeting.id, 'rollcall-reminder'))) continue;
    const missing = await unmarkedCount(db, meeting);
    if (!missing) continue;
    out.push(
      ...(await rollCallMessages(
        db,
        group,
        meeting,
        `Reminder: attendance for ${describeMeeting(meeting, group.timezone)} is not taken for ${missing} member${missing === 1 ? '' : 's'}.`,
      )),
    );
  }
  return out;
}

/** The day-before RSVP DMs to active members, and a reminder to each inviter of a visitor. */
async function reminders(db: Db, group: GroupRow, meeting: MeetingRow, now: Date): Promise<OutboxMessage[]> {
  const people = rowsOf<{ member_id: number }>(
    await db.execute(sql`
      select member_id from group_memberships
      where group_id = ${group.id} and status = 'active' order by member_id`),
  ).map((r) => Number(r.member_id));
  const open = rowsOf<{ receiver_id: number; number: number; status: string; giver: string | null }>(
    await db.execute(sql`
      select r.receiver_id, r.number, r.status, g.display_name as giver from referrals r
      left join members g on g.id = r.giver_id
      where r.community_id = ${group.communityId} and r.status in ('new', 'accepted', 'contacted', 'meeting')
        and r.receiver_id = any(string_to_array(${people.join(',')}, ',')::int[])
      order by r.number`),
  );
  const what = describeMeeting(meeting, group.timezone);
  const tally = formatTally(await rsvpTally(db, meeting));
  // each reminder carries the meeting's calendar invite (issue 18)
  const invites = await meetingInvites(db, group, meeting, people, now);
  const out: OutboxMessage[] = [];
  for (const id of people) {
    const mine = open.filter((r) => Number(r.receiver_id) === id);
    const extra: string[] = [];
    for (const section of reminderSections) extra.push(...(await section(db, group.communityId, id, now)));
    const lines = [
      ...(mine.length
        ? [
            'Open referrals you hold (the group will ask where they stand):',
            ...mine.map((r) => `• #${r.number} from ${r.giver ?? 'a former member'}: ${r.status}`),
          ]
        : []),
      ...extra,
    ];
    out.push({
      target: { kind: 'dm', memberId: id },
      optOutKey: 'meeting-reminder',
      // an RSVP prompt for a meeting that has begun is noise: held past the start (quiet hours), it is dropped
      validUntil: meeting.startsAt,
      content: {
        text: [`Reminder: ${group.name} meets ${what}. Will you be there?`, `${tally}.`, ...lines].join('\n'),
        buttons: RSVP_BUTTONS(meeting.id),
        // Too long for one message (dozens of open referrals), the rest reads in pages of /referrals open.
        more: { command: 'referrals', options: { which: 'open' } },
        ...(invites.has(id) ? { attachments: [invites.get(id)!] } : {}),
      },
    });
  }
  for (const v of await visitorsOf(db, meeting.id)) {
    out.push({
      target: { kind: 'dm', memberId: v.inviterId },
      optOutKey: 'meeting-reminder',
      validUntil: meeting.startsAt,
      content: {
        text: `Your visitor ${v.name} is expected at ${what}. A short message to them today helps them come.`,
      },
    });
  }
  return out;
}
