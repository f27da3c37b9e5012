import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { memberOption } from '../src/commands/options.js';
import { getMembership } from '../src/communities/community-repo.js';
import { userError } from '../src/errors.js';
import { ATTENDANCE_STATUSES, absenceRuleMessages, recordAttendance } from '../src/meetings/attendance.js';
import { parseLocalDate } from '../src/meetings/calendar.js';
import { describeMeeting, latestStarted, meetingOnDate } from '../src/meetings/meetings.js';
import { dateOption } from './meetings.js';

export const attendanceCommand = defineCommand({
  name: 'attendance',
  description: 'Record a member present, absent, late, medical or substitute at a meeting',
  access: 'moderator',
  options: z.object({
    member: memberOption('Whose attendance'),
    status: z.enum(ATTENDANCE_STATUSES).describe('present, absent, late, medical or substitute'),
    date: dateOption('Date of the meeting (default: the latest that has started)').optional(),
  }),
  examples: ['/attendance member:@bob status:medical date:2026-03-10'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const now = ctx.clock.now();
    const meeting = ctx.options.date
      ? await meetingOnDate(ctx.db, group, parseLocalDate(ctx.options.date)!, 'pick a single one with the date', now)
      : await latestStarted(ctx.db, group, now);
    if (!meeting) throw userError.notFound(`${group.name} has had no meeting yet.`);
    if (meeting.startsAt > now) throw userError.conflict('That meeting has not started yet.');
    const who = await ctx.resolveMember(ctx.options.member);
    if ((await getMembership(ctx.db, group.id, who.id))?.status !== 'active') {
      throw userError.notFound(`${who.displayName} is not an active member of ${group.name}.`);
    }
    await recordAttendance(ctx.db, meeting, who.id, ctx.options.status, ctx.actor.id, now);
    // Marking someone absent after the meeting closed applies the absence rule at once.
    if (ctx.options.status === 'absent') {
      for (const m of await absenceRuleMessages(ctx.db, group, meeting, [who.id], now)) ctx.send(m);
    }
    return {
      text: `${who.displayName}: ${ctx.options.status} at ${describeMeeting(meeting, group.timezone)}.`,
      visibility: 'private',
    };
  },
});
