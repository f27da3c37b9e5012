import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { schedules } from '../db/schema.js';
import { defineCommand, type HandlerContext } from '../src/commands/define.js';
import { longText } from '../src/commands/options.js';
import { UserError } from '../src/errors.js';
import { frequencyProblem } from '../src/nudges/nudge-interval.js';
import { ANNOUNCEMENT_KIND, announcementPayload } from '../src/nudges/nudge-jobs.js';
import { createSchedule, reschedule } from '../src/scheduler/jobs-repo.js';
import { recurrenceProblem } from '../src/scheduler/recurrence.js';
import { formatLocal } from '../src/time/zoned.js';

const TO_LABEL = { everyone: 'everyone (by DM)', channel: 'the group channel', moderators: 'the moderators (by DM)' };

/** A moderator's announcement of this group, or a user error. */
async function announcement(ctx: HandlerContext, id: number) {
  const group = ctx.requireGroup();
  const [row] = await ctx.db
    .select()
    .from(schedules)
    .where(
      and(
        eq(schedules.groupId, group.id),
        eq(schedules.kind, ANNOUNCEMENT_KIND),
        sql`(${schedules.payload}->>'number')::int = ${id}`,
      ),
    );
  if (!row) throw new UserError('not_found', `There is no announcement #${id} here.`, 'See them with /nudge list.');
  return row;
}

const idOption = z.number().int().positive().describe('The announcement’s number (see /nudge list)');

export const nudgeCreate = defineCommand({
  name: 'nudge create',
  description: 'Schedule a recurring announcement (plain words or cron)',
  access: 'moderator',
  options: z.object({
    schedule: z
      .string()
      .trim()
      .min(3)
      .max(80)
      .describe('"every monday 9:00", "first tuesday of the month 18:30" or cron'),
    message: longText('What to say', 1500),
    to: z.enum(['everyone', 'channel', 'moderators']).optional().describe('Who gets it (default: the group channel)'),
  }),
  examples: ['/nudge create schedule:"every monday 9:00" message:"Who will you invite this week?" to:everyone'],
  async run(ctx) {
    const group = ctx.requireGroup();
    const problem = recurrenceProblem(ctx.options.schedule);
    if (problem) throw new UserError('bad_option', problem);
    const to = ctx.options.to ?? 'channel';
    const tooOften = frequencyProblem(
      ctx.options.schedule,
      group.timezone,
      to === 'channel' ? 'channel' : 'dm',
      ctx.clock.now(),
      true,
    );
    if (tooOften) throw new UserError('bad_option', tooOften);
    const [last] = await ctx.db
      .select({ n: sql<number>`coalesce(max((${schedules.payload}->>'number')::int), 0)` })
      .from(schedules)
      .where(and(eq(schedules.groupId, group.id), eq(schedules.kind, ANNOUNCEMENT_KIND)));
    const number = Number(last?.n ?? 0) + 1;
    const row = await createSchedule(ctx.db, {
      kind: ANNOUNCEMENT_KIND,
      communityId: ctx.community.id,
      groupId: group.id,
      spec: ctx.options.schedule,
      timezone: group.timezone,
      payload: announcementPayload.parse({ message: ctx.options.message, to, number }),
      createdBy: ctx.actor.id,
      from: ctx.clock.now(),
    });
    if (!row) throw new UserError('bad_option', `“${ctx.options.schedule}” never happens.`);
    return {
      text: `Announcement #${number} scheduled ${ctx.options.schedule} (${group.timezone}) to ${TO_LABEL[to]}. First: ${formatLocal(row.nextRunAt, group.timezone)}.`,
      visibility: 'private',
    };
  },
});

export const nudgeList = defineCommand({
  name: 'nudge list',
  description: 'The group’s scheduled announcements',
  access: 'moderator',
  options: z.object({}),
  async run(ctx) {
    const group = ctx.requireGroup();
    const rows = await ctx.db
      .select()
      .from(schedules)
      .where(and(eq(schedules.groupId, group.id), eq(schedules.kind, ANNOUNCEMENT_KIND), isNull(schedules.systemKey)))
      .orderBy(asc(schedules.id));
    if (rows.length === 0) return { text: 'No announcements yet. Add one with /nudge create.', visibility: 'private' };
    const items = rows.map((r) => {
      const p = announcementPayload.parse(r.payload);
      const when = r.paused ? 'paused' : `next ${formatLocal(r.nextRunAt, r.timezone)}`;
      return `#${p.number} ${r.spec} → ${TO_LABEL[p.to]} (${when}): ${p.message.slice(0, 80)}`;
    });
    return { text: `Announcements of ${group.name}:`, list: { items }, visibility: 'private' };
  },
});

export const nudgePause = defineCommand({
  name: 'nudge pause',
  description: 'Pause an announcement (or resume it)',
  access: 'moderator',
  options: z.object({
    id: idOption,
    resume: z.boolean().optional().describe('Resume instead of pausing'),
  }),
  async run(ctx) {
    const row = await announcement(ctx, ctx.options.id);
    if (ctx.options.resume) {
      // resuming does not replay the slots that passed while paused: the next one is after now
      await ctx.db.update(schedules).set({ paused: false }).where(eq(schedules.id, row.id));
      await reschedule(ctx.db, row.id, row.spec, row.timezone, ctx.clock.now());
      return { text: `Announcement #${ctx.options.id} resumed.`, visibility: 'private' };
    }
    await ctx.db.update(schedules).set({ paused: true }).where(eq(schedules.id, row.id));
    return {
      text: `Announcement #${ctx.options.id} paused. Resume it with /nudge pause id:${ctx.options.id} resume:true.`,
      visibility: 'private',
    };
  },
});

export const nudgeDelete = defineCommand({
  name: 'nudge delete',
  description: 'Delete an announcement',
  access: 'moderator',
  options: z.object({ id: idOption }),
  async run(ctx) {
    const row = await announcement(ctx, ctx.options.id);
    await ctx.db.delete(schedules).where(eq(schedules.id, row.id));
    return { text: `Announcement #${ctx.options.id} deleted.`, visibility: 'private' };
  },
});
