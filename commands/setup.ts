import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { channelOption, longText } from '../src/commands/options.js';
import { groupCard } from '../src/groups/group-card.js';
import { GROUP_TYPES, WEEKDAYS } from '../src/groups/group-settings.js';
import { setupGroup } from '../src/groups/setup-group.js';
import { isTimezone } from '../src/time/timezones.js';

export const setup = defineCommand({
  name: 'setup',
  description: 'Create or change the group of this channel (the first person to run it becomes moderator)',
  access: 'moderator',
  bootstrap: true,
  options: z.object({
    name: z.string().trim().min(2).max(80).optional().describe('Group name, e.g. "Downtown Referral Chapter"'),
    type: z.enum(GROUP_TYPES).optional().describe('Kind of group; it sets sensible defaults'),
    timezone: z
      .string()
      .trim()
      .refine(isTimezone, { message: 'must be an IANA time zone such as Europe/Berlin' })
      .optional()
      .describe('Time zone, e.g. Europe/Berlin'),
    meeting_frequency: z.enum(['weekly', 'biweekly', 'monthly']).optional().describe('How often the group meets'),
    meeting_day: z.enum(WEEKDAYS).optional().describe('Day of the meeting'),
    meeting_time: z
      .string()
      .trim()
      .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a 24-hour time such as 07:30' })
      .optional()
      .describe('Time of the meeting, 24-hour HH:MM'),
    place: z.string().trim().max(200).optional().describe('Where you meet: an address or a video link'),
    one_seat: z.boolean().optional().describe('Only one member per profession (category)'),
    approval: z.boolean().optional().describe('Newcomers apply and moderators approve'),
    intro_channel: channelOption('Channel where introduction cards are posted').optional(),
    description: longText('A few words about the group, shown on its card', 500).optional(),
  }),
  examples: [
    '/setup name:"Downtown Chapter" type:referral timezone:Europe/London meeting_day:tuesday meeting_time:07:00',
  ],
  async run(ctx) {
    const o = ctx.options;
    const here = ctx.group && ctx.group.homeChannelRef === ctx.channelRef ? ctx.group : null;
    const { group, created } = await setupGroup(
      ctx.db,
      {
        communityId: ctx.community.id,
        channelRef: ctx.channelRef,
        existing: here,
        actor: ctx.actor,
        defaultName: ctx.community.name,
        defaultTimezone: ctx.defaultTimezone,
        defaultIntroChannel: ctx.platform === 'shell' ? 'intros' : ctx.channelRef,
        now: ctx.clock.now(),
      },
      {
        name: o.name,
        type: o.type,
        timezone: o.timezone,
        meetingFrequency: o.meeting_frequency,
        meetingDay: o.meeting_day,
        meetingTime: o.meeting_time,
        place: o.place,
        oneSeat: o.one_seat,
        approval: o.approval,
        introChannelRef: o.intro_channel,
        description: o.description,
      },
    );
    const card = await groupCard(ctx.db, group);
    const text = created
      ? `Group “${group.name}” is set up and you are its moderator. Members introduce themselves with /intro.`
      : `Group “${group.name}” updated.`;
    return { text, card, visibility: 'private' };
  },
});
