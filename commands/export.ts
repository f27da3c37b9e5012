import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { PERIODS, periodLabel, periodStart } from '../src/referrals/periods.js';
import { EXPORTS, exportCsv } from '../src/reports/exports.js';

export const exportCommand = defineCommand({
  name: 'export',
  description: 'Download the group’s members, referrals, attendance or pairings as CSV (moderators)',
  access: 'moderator',
  options: z.object({
    what: z.enum(EXPORTS).describe('members, referrals, attendance or pairings'),
    period: z.enum(PERIODS).default('quarter').describe('Over which period (members: everyone, always)'),
  }),
  positional: 'what',
  examples: ['/export what:attendance period:year'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const now = ctx.clock.now();
    const { csv, rows } = await exportCsv(ctx.db, group, ctx.options.what, periodStart(ctx.options.period, now));
    const date = now.toISOString().slice(0, 10);
    // The file goes to the moderator alone: exports may hold members' contacts.
    return {
      text: `${ctx.options.what} of ${group.name}, ${ctx.options.what === 'members' ? 'everyone' : periodLabel(ctx.options.period)}: ${rows} row${rows === 1 ? '' : 's'}.`,
      attachments: [
        {
          filename: `${ctx.options.what}-${date}.csv`,
          contentType: 'text/csv',
          data: new TextEncoder().encode(csv),
          description: `${ctx.options.what} export as CSV`,
        },
      ],
      visibility: 'private',
    };
  },
});
