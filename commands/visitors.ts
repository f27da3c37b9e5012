import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { visitorScope } from '../src/commands/object-scopes.js';
import { moderatorsOf } from '../src/communities/community-repo.js';
import { userError } from '../src/errors.js';
import { formatMeetingTime, parseLocalDate } from '../src/meetings/calendar.js';
import { describeMeeting, meetingOnDate, nextMeeting } from '../src/meetings/meetings.js';
import { getVisitor, inviteVisitor, listVisitors, setVisitorStatus } from '../src/meetings/visitors.js';
import { dateOption } from './meetings.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{6,20}$/;

export const visitorInvite = defineCommand({
  name: 'visitor invite',
  description: 'Invite a visitor to a meeting; their details stay with you and the moderators',
  access: 'member',
  options: z.object({
    name: z.string().trim().min(2).max(120).describe('The visitor’s name'),
    contact: z
      .string()
      .trim()
      .max(200)
      .refine((v) => EMAIL.test(v) || PHONE.test(v), { message: 'must be an email address or a phone number' })
      .describe('Their email or phone (only you and the moderators see it)'),
    meeting: dateOption('Date of the meeting (default: the next one)').optional(),
  }),
  examples: ['/visitor invite name:"Sam Lee" contact:sam@example.com meeting:2026-03-17'],
  async run(ctx) {
    const group = ctx.requireGroup();
    if (ctx.membership?.status !== 'active')
      throw userError.forbidden(`Only members of ${group.name} invite visitors.`);
    const now = ctx.clock.now();
    const meeting = ctx.options.meeting
      ? await meetingOnDate(ctx.db, group, parseLocalDate(ctx.options.meeting)!, 'name the date of a single one', now)
      : await nextMeeting(ctx.db, group, now);
    if (!meeting) throw userError.notFound(`${group.name} has no meeting planned to invite a visitor to.`);
    if (meeting.startsAt <= now) throw userError.conflict('That meeting has already started.');
    const v = await inviteVisitor(ctx.db, meeting, ctx.actor.id, ctx.options.name, ctx.options.contact);
    const when = describeMeeting(meeting, group.timezone);
    for (const mod of await moderatorsOf(ctx.db, group.id)) {
      if (mod.id === ctx.actor.id) continue;
      ctx.send({
        target: { kind: 'dm', memberId: mod.id },
        content: { text: `${ctx.actor.displayName} invited a visitor to ${when}: ${v.name} (${v.contact}).` },
      });
    }
    return {
      text: `${v.name} is invited to ${when}. You will get a reminder the day before and a nudge to follow up after. Thank you for bringing a visitor: it counts as giving.`,
      visibility: 'private',
    };
  },
  actions: {
    followed: {
      access: 'member',
      scope: visitorScope,
      async run(ctx) {
        const v = await getVisitor(ctx.db, ctx.community.id, Number(ctx.arg));
        if (!v || v.inviterId !== ctx.actor.id) throw userError.notFound('That visitor is not yours to follow up.');
        await setVisitorStatus(ctx.db, v.id, 'followed_up');
        return { text: `Noted: you followed up with ${v.name}.`, visibility: 'private', replaceOriginal: true };
      },
    },
  },
});

export const visitorList = defineCommand({
  name: 'visitor list',
  description: 'Visitors of the last 90 days and upcoming: yours, or everyone’s for moderators',
  access: 'member',
  options: z.object({}),
  async run(ctx) {
    const group = ctx.requireGroup();
    const since = new Date(ctx.clock.now().getTime() - 90 * 86_400_000);
    const rows = await listVisitors(ctx.db, group.id, since, ctx.isModerator ? null : ctx.actor.id);
    // A member sees only their own visitors: "no visitors" would be untrue when others invited some.
    if (!rows.length) {
      return {
        text: ctx.isModerator
          ? `No visitors to ${group.name} in the last 90 days or upcoming.`
          : `You have invited no visitors in the last 90 days or upcoming (members see only their own; moderators see everyone’s). Invite one with /visitor invite.`,
        visibility: 'private',
      };
    }
    return {
      text: ctx.isModerator ? `Visitors of ${group.name}:` : `Your visitors to ${group.name}:`,
      list: {
        items: rows.map(
          (r) =>
            `${r.name} (${r.contact}), invited by ${r.inviter} to ${r.startsAt ? formatMeetingTime(r.startsAt, group.timezone) : 'a removed meeting'}: ${r.status.replace('_', ' ')}`,
        ),
      },
      visibility: 'private',
    };
  },
});
