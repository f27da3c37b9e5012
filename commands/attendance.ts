import { z } from 'zod';
import { type ActionContext, defineCommand, type HandlerContext } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { getMembership } from '../src/communities/community-repo.js';
import type { GroupRow } from '../src/communities/rows.js';
import { userError } from '../src/errors.js';
import {
  ATTENDANCE_STATUSES,
  type AttendanceStatus,
  absenceRuleMessages,
  recordAttendance,
} from '../src/meetings/attendance.js';
import { parseLocalDate } from '../src/meetings/calendar.js';
import {
  describeMeeting,
  getMeeting,
  latestStarted,
  type MeetingRow,
  meetingOnDate,
} from '../src/meetings/meetings.js';
import { groupOfMeeting, markNotHeld, ROLL_STATUSES, rollCallContent, rollOf } from '../src/meetings/roll-call.js';
import type { Reply } from '../src/messages.js';
import { dateOption } from './meetings.js';

/** The meeting a roll-call button points at (`meetingId|…`), for a moderator of its own group. */
async function rollCallMeeting(ctx: ActionContext) {
  const [id, ...rest] = (ctx.arg ?? '').split('|');
  const meeting = await getMeeting(ctx.db, ctx.community.id, Number(id));
  if (!meeting) throw userError.notFound('That meeting no longer exists.');
  const group = await groupOfMeeting(ctx.db, meeting);
  // The button may be pressed in a DM: the right to take the roll comes from the meeting's own group.
  const membership = await getMembership(ctx.db, meeting.groupId, ctx.actor.id);
  if (membership?.role !== 'moderator' || membership.status !== 'active') {
    throw userError.forbidden(`Only moderators of ${group.name} take its attendance.`);
  }
  if (meeting.startsAt > ctx.clock.now()) throw userError.conflict('That meeting has not started yet.');
  return { meeting, group, rest };
}

/** Records one member's status, applying the absence rule to a new absence. */
async function mark(
  ctx: HandlerContext,
  group: GroupRow,
  meeting: MeetingRow,
  memberId: number,
  status: AttendanceStatus,
): Promise<void> {
  const now = ctx.clock.now();
  await recordAttendance(ctx.db, meeting, memberId, status, ctx.actor.id, now);
  // Marking someone absent applies the absence rule at once (warnings are claimed per meeting and member).
  if (status === 'absent')
    for (const m of await absenceRuleMessages(ctx.db, group, meeting, [memberId], now)) ctx.send(m);
}

async function showRoll(
  ctx: HandlerContext,
  group: GroupRow,
  meeting: MeetingRow,
  page: number,
  note?: string,
): Promise<Reply> {
  const content = rollCallContent(group, meeting, await rollOf(ctx.db, meeting), page);
  return {
    ...content,
    text: note ? `${note}\n${content.text}` : content.text,
    visibility: 'private',
    replaceOriginal: true,
  };
}

export const attendanceCommand = defineCommand({
  name: 'attendance',
  description: 'Take the roll call of a meeting, or record one member present, absent, late, medical or substitute',
  access: 'moderator',
  options: z.object({
    member: memberOption('Whose attendance (leave out for the whole roll call)').optional(),
    status: z.enum(ATTENDANCE_STATUSES).optional().describe('present, absent, late, medical or substitute'),
    date: dateOption('Date of the meeting (default: the latest that has started)').optional(),
  }),
  examples: ['/attendance', '/attendance member:@bob status:medical date:2026-03-10'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const now = ctx.clock.now();
    const { member, status } = ctx.options;
    if (member && !status)
      throw userError.badOption(
        '`status` is missing: present, absent, late, medical or substitute.',
        'Usage: /attendance member:@bob status:present',
      );
    if (status && !member)
      throw userError.badOption(
        '`member` is missing: whose attendance to record.',
        'Or leave out both for the whole roll call: /attendance',
      );
    const meeting = ctx.options.date
      ? await meetingOnDate(ctx.db, group, parseLocalDate(ctx.options.date)!, 'pick a single one with the date', now)
      : await latestStarted(ctx.db, group, now);
    if (!meeting) throw userError.notFound(`${group.name} has had no meeting yet.`);
    if (meeting.startsAt > now) throw userError.conflict('That meeting has not started yet.');
    if (!member || !status) return { ...(await showRoll(ctx, group, meeting, 0)), replaceOriginal: false };
    if (meeting.status !== 'scheduled')
      throw userError.conflict(
        `${describeMeeting(meeting, group.timezone)} was not held: attendance at it counts for nobody.`,
      );
    const who = await ctx.resolveMember(member);
    if ((await getMembership(ctx.db, group.id, who.id))?.status !== 'active') {
      throw userError.notFound(`${who.displayName} is not an active member of ${group.name}.`);
    }
    await mark(ctx, group, meeting, who.id, status);
    return {
      text: `${who.displayName}: ${status} at ${describeMeeting(meeting, group.timezone)}.`,
      visibility: 'private',
    };
  },
  actions: {
    /** `meetingId|memberId|status|page`: one member's status from the roll call. */
    mark: {
      access: 'moderator',
      async run(ctx) {
        const { meeting, group, rest } = await rollCallMeeting(ctx);
        const [memberId, status, page] = rest;
        if (!ROLL_STATUSES.includes(status as AttendanceStatus))
          throw userError.badOption('Unknown attendance status.');
        if (meeting.status !== 'scheduled') return showRoll(ctx, group, meeting, 0);
        const entry = (await rollOf(ctx.db, meeting)).find((e) => e.memberId === Number(memberId));
        if (!entry) throw userError.notFound(`That member is no longer on ${group.name}’s roll.`);
        await mark(ctx, group, meeting, entry.memberId, status as AttendanceStatus);
        return showRoll(ctx, group, meeting, Number(page) || 0, `${entry.name}: ${status}.`);
      },
    },
    /** `meetingId|page`: everyone not yet marked is present. */
    all: {
      access: 'moderator',
      async run(ctx) {
        const { meeting, group, rest } = await rollCallMeeting(ctx);
        if (meeting.status !== 'scheduled') return showRoll(ctx, group, meeting, 0);
        const unmarked = (await rollOf(ctx.db, meeting)).filter((e) => !e.status);
        for (const e of unmarked) await mark(ctx, group, meeting, e.memberId, 'present');
        return showRoll(
          ctx,
          group,
          meeting,
          Number(rest[0]) || 0,
          unmarked.length
            ? `Marked present: ${unmarked.map((e) => e.name).join(', ')}.`
            : 'Everyone was already marked.',
        );
      },
    },
    /** `meetingId`: the meeting did not take place; it leaves every count. */
    notheld: {
      access: 'moderator',
      async run(ctx) {
        const { meeting, group } = await rollCallMeeting(ctx);
        await markNotHeld(ctx.db, meeting);
        return {
          text: `Recorded: ${group.name}’s meeting ${describeMeeting(meeting, group.timezone)} was not held. Nobody is counted present or absent for it.`,
          visibility: 'private',
          replaceOriginal: true,
        };
      },
    },
    /** `meetingId|page`: another page of the roll call. */
    roll: {
      access: 'moderator',
      async run(ctx) {
        const { meeting, group, rest } = await rollCallMeeting(ctx);
        return showRoll(ctx, group, meeting, Number(rest[0]) || 0);
      },
    },
  },
});
