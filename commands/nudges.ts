import { z } from 'zod';
import { defineCommand } from '../src/commands/define.js';
import { describeGroupNudges, updateGroupNudge } from '../src/nudges/group-nudges.js';
import { NUDGE_NAMES } from '../src/nudges/nudge-settings.js';

export const nudges = defineCommand({
  name: 'nudges',
  description: 'See or change the group’s nudges: each on or off, with its timing',
  access: 'moderator',
  options: z.object({
    nudge: z.enum(NUDGE_NAMES).optional().describe('Which nudge to change'),
    on: z.boolean().optional().describe('Turn it on (true) or off (false)'),
    timing: z.string().trim().min(1).max(80).optional().describe('Days ("3,10") or a schedule ("every friday 16:00")'),
    grace_hours: z
      .number()
      .int()
      .min(0)
      .max(168)
      .optional()
      .describe('Run slots missed during downtime if newer than this'),
  }),
  examples: ['/nudges nudge:intro-reminder on:false', '/nudges nudge:weekly-digest timing:"every friday 16:00"'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const o = ctx.options;
    if (o.nudge === undefined && o.grace_hours === undefined) {
      return { text: `Nudges of ${group.name}:`, list: { items: describeGroupNudges(group) }, visibility: 'private' };
    }
    if (o.nudge && o.on === undefined && o.timing === undefined) {
      return { text: `Say what to change: on:true, on:false or timing:… for ${o.nudge}.`, visibility: 'private' };
    }
    await updateGroupNudge(ctx.db, group, { ...o, graceHours: o.grace_hours }, ctx.clock.now());
    const [updated] = await ctx.db.query.groups.findMany({ where: (g, { eq }) => eq(g.id, group.id) });
    return { text: 'Saved. Nudges now:', list: { items: describeGroupNudges(updated!) }, visibility: 'private' };
  },
});
