import { z } from 'zod';
import { feedUrl } from '../src/calendar/feed-route.js';
import { feedToken, groupFeed } from '../src/calendar/meeting-calendar.js';
import { defineCommand } from '../src/commands/define.js';
import { ensureMeetings } from '../src/meetings/meetings.js';

export const meetingCalendarCommand = defineCommand({
  name: 'meeting calendar',
  description: 'The group’s calendar feed: a private .ics link any calendar can subscribe to',
  access: 'moderator',
  options: z.object({
    rotate: z.boolean().optional().describe('Make a new link; the old one stops working (true)'),
  }),
  examples: ['/meeting calendar', '/meeting calendar rotate:true'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const now = ctx.clock.now();
    const token = await feedToken(ctx.db, group, ctx.options.rotate === true);
    await ensureMeetings(ctx.db, group, now, new Date(now.getTime() + 120 * 86_400_000));
    const feed = await groupFeed(ctx.db, group, now);
    return {
      text: [
        ctx.options.rotate ? 'New calendar link made: the old one no longer works.' : `${group.name}’s calendar feed:`,
        feedUrl(token),
        'Subscribe to it in Google Calendar (Other calendars → From URL), Outlook (Add calendar → Subscribe from web) or Apple Calendar. Anyone with the link sees the meetings: share it with members only, and make a new one with /meeting calendar rotate:true if it leaks.',
      ].join('\n'),
      attachments: [
        {
          filename: 'meetings.ics',
          contentType: 'text/calendar; charset=utf-8',
          data: new TextEncoder().encode(feed),
          description: 'The meetings as they stand now',
        },
      ],
      visibility: 'private',
    };
  },
});
