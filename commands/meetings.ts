import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { groups } from '../db/schema.js';
import { meetingInvites } from '../src/calendar/meeting-calendar.js';
import { type ActionContext, defineCommand } from '../src/commands/define.js';
import { meetingScope } from '../src/commands/object-scopes.js';
import { getMembership } from '../src/communities/community-repo.js';
import type { GroupRow } from '../src/communities/rows.js';
import { UserError, userError } from '../src/errors.js';
import { readSettings } from '../src/groups/group-settings.js';
import { type Rsvp, recordAttendance, recordRsvp } from '../src/meetings/attendance.js';
import { parseLocalDate } from '../src/meetings/calendar.js';
import { RSVP_BUTTONS } from '../src/meetings/meeting-sweep.js';
import {
  addEvent,
  cancelMeeting,
  describeMeeting,
  getMeeting,
  type MeetingRow,
  meetingOnDate,
  nextMeeting,
} from '../src/meetings/meetings.js';
import { formatTally, rsvpTally } from '../src/meetings/rsvp-tally.js';

export const dateOption = (description: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date such as 2026-03-17' })
    // 2026-02-31 is refused, never rolled over into March.
    .refine((v) => parseLocalDate(v) !== null, { message: 'is not a day of the calendar: that month has no such day' })
    .describe(description);

const RSVP_TEXT: Record<Rsvp, string> = {
  attending: 'you are attending',
  absent: 'you will be absent',
  substitute: 'you are sending a substitute',
};

/** The meeting a button points at, with its group, provided the presser is an active member of that group. */
async function meetingForButton(ctx: ActionContext): Promise<{ meeting: MeetingRow; group: GroupRow }> {
  const meeting = await getMeeting(ctx.db, ctx.community.id, Number((ctx.arg ?? '').split('|')[0]));
  if (!meeting) throw userError.notFound('That meeting no longer exists.');
  const [group] = await ctx.db.select().from(groups).where(eq(groups.id, meeting.groupId));
  const membership = await getMembership(ctx.db, meeting.groupId, ctx.actor.id);
  if (!group || membership?.status !== 'active') {
    throw userError.forbidden('Only active members of the group answer for its meetings.');
  }
  return { meeting, group };
}

export const meetingNext = defineCommand({
  name: 'meeting next',
  description: 'When and where the group meets next, with RSVP buttons',
  access: 'member',
  options: z.object({}),
  async run(ctx) {
    const group = ctx.requireGroup();
    const m = await nextMeeting(ctx.db, group, ctx.clock.now());
    if (!m) {
      return {
        text: `${group.name} has no meetings planned. A moderator sets the rhythm with /setup meeting_day:… meeting_time:…`,
        visibility: 'private',
      };
    }
    const tally = formatTally(await rsvpTally(ctx.db, m));
    // the meeting as a calendar invite for the asker (issue 18)
    const invite = (await meetingInvites(ctx.db, group, m, [ctx.actor.id], ctx.clock.now())).get(ctx.actor.id);
    return {
      text: `${group.name} meets next: ${describeMeeting(m, group.timezone)}.\n${tally}.`,
      buttons: RSVP_BUTTONS(m.id),
      ...(invite ? { attachments: [invite] } : {}),
    };
  },
  actions: {
    rsvp: {
      access: 'member',
      scope: meetingScope,
      async run(ctx) {
        const { meeting, group } = await meetingForButton(ctx);
        const answer = (ctx.arg ?? '').split('|')[1] as Rsvp;
        if (!(answer in RSVP_TEXT)) throw userError.badOption('Unknown answer.');
        if (meeting.status !== 'scheduled') throw userError.conflict('That meeting was cancelled.');
        if (meeting.startsAt <= ctx.clock.now()) throw userError.conflict('That meeting has already started.');
        if (!(await recordRsvp(ctx.db, meeting, ctx.actor.id, answer, ctx.clock.now()))) {
          return {
            text: `You already answered: ${RSVP_TEXT[answer]} at ${describeMeeting(meeting, group.timezone)}. Nothing changed.`,
            visibility: 'private',
          };
        }
        return {
          text: `Thanks: ${RSVP_TEXT[answer]} at ${describeMeeting(meeting, group.timezone)}.`,
          visibility: 'private',
        };
      },
    },
    checkin: {
      access: 'member',
      scope: meetingScope,
      async run(ctx) {
        const { meeting, group } = await meetingForButton(ctx);
        const now = ctx.clock.now();
        if (meeting.status !== 'scheduled' || now < meeting.startsAt || now >= meeting.endsAt) {
          throw userError.conflict(
            'Check-in is open only while the meeting runs.',
            'A moderator can record it with /attendance.',
          );
        }
        const late =
          now.getTime() - meeting.startsAt.getTime() > readSettings(group.settings).meetings.lateAfterMinutes * 60_000;
        await recordAttendance(ctx.db, meeting, ctx.actor.id, late ? 'late' : 'present', ctx.actor.id, now);
        return {
          text: `Checked in${late ? ' (late)' : ''}: welcome to ${group.name}'s meeting.`,
          visibility: 'private',
        };
      },
    },
  },
});

export const meetingCancel = defineCommand({
  name: 'meeting cancel',
  description: 'Cancel the meeting on a date (a holiday); members are told in the group channel',
  access: 'moderator',
  options: z.object({
    date: dateOption('Date of the meeting, e.g. 2026-12-24'),
    reason: z.string().trim().max(200).optional().describe('Why, shown to members'),
  }),
  positional: 'date',
  examples: ['/meeting cancel date:2026-12-24 reason:"Christmas Eve"'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const date = parseLocalDate(ctx.options.date)!;
    const meeting = await meetingOnDate(ctx.db, group, date, 'cancel events one by one', ctx.clock.now());
    if (meeting.endsAt <= ctx.clock.now()) throw userError.conflict('That meeting is already over.');
    await cancelMeeting(ctx.db, meeting, ctx.options.reason);
    ctx.send({
      target: { kind: 'channel', channelRef: group.homeChannelRef },
      content: {
        text: `No meeting ${describeMeeting(meeting, group.timezone)}${ctx.options.reason ? `: ${ctx.options.reason}` : ''}. The next one: /meeting next`,
      },
    });
    return { text: `Cancelled: ${describeMeeting(meeting, group.timezone)}.`, visibility: 'private' };
  },
});

export const meetingAdd = defineCommand({
  name: 'meeting add',
  description: 'Add a one-off event or extra meeting to the group’s calendar',
  access: 'moderator',
  options: z.object({
    title: z.string().trim().min(2).max(100).describe('What it is, e.g. "Visitors day"'),
    date: dateOption('Date, e.g. 2026-03-17'),
    time: z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a 24-hour time such as 18:30' })
      .describe('Start, 24-hour HH:MM in the group’s time zone'),
    place: z.string().trim().max(200).optional().describe('Address or video link (default: the usual place)'),
    minutes: z.number().int().min(15).max(720).optional().describe('How long it lasts (default: the usual)'),
  }),
  examples: ['/meeting add title:"Visitors day" date:2026-03-17 time:18:30 place:"Town Hall"'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const o = ctx.options;
    const event = await addEvent(ctx.db, group, {
      date: parseLocalDate(o.date)!,
      time: o.time,
      title: o.title,
      place: o.place,
      minutes: o.minutes,
    });
    if (event.startsAt <= ctx.clock.now()) throw new UserError('bad_option', 'That time has already passed.');
    ctx.send({
      target: { kind: 'channel', channelRef: group.homeChannelRef },
      // its RSVP buttons are for before the event
      validUntil: event.startsAt,
      content: {
        text: `New on ${group.name}'s calendar: ${describeMeeting(event, group.timezone)}.`,
        buttons: RSVP_BUTTONS(event.id),
      },
    });
    return { text: `Added: ${describeMeeting(event, group.timezone)}.`, visibility: 'private' };
  },
});
