import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/client.js';
import { commitments, groupMemberships, groups, nudgeDeliveries } from '../../db/schema.js';
import type { OutboxMessage } from '../delivery/outbox.js';
import { readSettings } from '../groups/group-settings.js';
import { defineJobKind, type JobContext } from '../scheduler/job-kinds.js';
import { formatLocalDay } from '../time/zoned.js';
import { COMMITMENT_DUE_KIND, doneQuestion } from './commitments.js';
import { weekDigest } from './weekly-digest.js';

const DAY = 86_400_000;

async function groupOf(ctx: JobContext, groupId: number | null) {
  if (groupId === null) return null;
  const [g] = await ctx.db.select().from(groups).where(eq(groups.id, groupId));
  return g ? { group: g, settings: readSettings(g.settings) } : null;
}

/**
 * Hourly per group: members without a card get a DM after 3 days, once more after 10, then never. Only the latest
 * step reached is sent (someone who joined 12 days before the feature existed gets one reminder, not two).
 */
export const introReminderJob = defineJobKind({
  kind: 'nudges.intro-reminder',
  coalesce: true,
  payload: z.object({}).loose(),
  async run(job, ctx) {
    const g = await groupOf(ctx, job.groupId);
    if (!g?.settings.nudges.introReminder.enabled) return;
    const days = [...g.settings.nudges.introReminder.days].sort((a, b) => a - b);
    const rows = rowsOf<{ member_id: number; joined_at: string | Date; sent: number | null }>(
      await ctx.db.execute(sql`
        select gm.member_id, gm.created_at as joined_at,
          (select max(step) from nudge_deliveries nd where nd.group_id = gm.group_id and nd.member_id = gm.member_id
            and nd.nudge = 'intro-reminder') as sent
        from group_memberships gm
        where gm.group_id = ${g.group.id} and gm.status = 'active'
          and gm.created_at <= ${new Date(ctx.now.getTime() - days[0]! * DAY).toISOString()}::timestamptz
          and not exists (select 1 from profiles p where p.member_id = gm.member_id)`),
    );
    const out: OutboxMessage[] = [];
    for (const r of rows) {
      const joined = new Date(r.joined_at).getTime();
      const step = days.filter((d) => joined + d * DAY <= ctx.now.getTime()).length;
      if (step <= (r.sent ?? 0)) continue;
      await ctx.db
        .insert(nudgeDeliveries)
        .values({ groupId: g.group.id, memberId: r.member_id, nudge: 'intro-reminder', step })
        .onConflictDoNothing();
      const last = step === days.length;
      out.push({
        target: { kind: 'dm', memberId: r.member_id },
        idempotencyKey: `intro-reminder:${g.group.id}:${r.member_id}:${step}`,
        optOutKey: 'intro-reminder',
        content: {
          // An absolute date: quiet hours may hold this DM for days, and "3 days ago" would then be untrue.
          text: `You joined ${g.group.name} on ${formatLocalDay(new Date(r.joined_at), g.group.timezone)} and, as of ${formatLocalDay(new Date(joined + days[step - 1]! * DAY), g.group.timezone)}, haven’t introduced yourself yet. Members pass referrals to people they know: tell them what you do with /intro.${last ? ' (This is the last reminder.)' : ''}`,
        },
      });
    }
    await ctx.send(out);
  },
});

/** Weekly per group: what members committed to and did in the week before the slot, posted to the group channel. */
export const weeklyDigestJob = defineJobKind({
  kind: 'nudges.weekly-digest',
  payload: z.object({}).loose(),
  async run(job, ctx) {
    const g = await groupOf(ctx, job.groupId);
    if (!g?.settings.nudges.weeklyDigest.enabled) return;
    const to = job.runAt;
    const { text, items } = await weekDigest(ctx.db, g.group, to);
    await ctx.send([
      {
        target: { kind: 'channel', channelRef: g.group.homeChannelRef },
        idempotencyKey: `weekly-digest:${g.group.id}:${to.toISOString()}`,
        // Too long for one post, it shows its first page and "Show all" (the same week, privately, in pages).
        content: {
          text,
          ...(items.length ? { list: { items } } : {}),
          more: { command: 'commitments', options: { week: 'true', until: to.toISOString() } },
        },
      },
    ]);
  },
});

/** At a commitment's deadline: "Done?" with Done / Not yet / Drop, if it is still open at that deadline. */
export const commitmentDueJob = defineJobKind({
  kind: COMMITMENT_DUE_KIND,
  payload: z.object({ commitmentId: z.number().int() }),
  async run(job, ctx) {
    const [c] = await ctx.db.select().from(commitments).where(eq(commitments.id, job.payload.commitmentId));
    if (!c || c.status !== 'open' || c.dueAt.getTime() !== job.runAt.getTime()) return;
    const g = await groupOf(ctx, c.groupId);
    if (g && !g.settings.nudges.commitmentCheck.enabled) return;
    const [m] = rowsOf<{ tz: string | null }>(
      await ctx.db.execute(sql`select timezone as tz from members where id = ${c.memberId}`),
    );
    const tz = m?.tz ?? g?.group.timezone ?? 'UTC';
    await ctx.send([
      {
        target: { kind: 'dm', memberId: c.memberId },
        idempotencyKey: `commitment-due:${c.id}:${c.dueAt.toISOString()}`,
        optOutKey: 'commitment-check',
        content: doneQuestion(c, tz),
      },
    ]);
  },
});

export const ANNOUNCEMENT_KIND = 'nudges.announcement';
export const announcementPayload = z.object({
  message: z.string().min(1),
  to: z.enum(['everyone', 'channel', 'moderators']),
  /** The group's own numbering (#1, #2 …) for /nudge pause and /nudge delete. */
  number: z.number().int().positive(),
});

/** A moderator's scheduled announcement: to the group channel, or a DM to each active member (or moderator). */
export const announcementJob = defineJobKind({
  kind: ANNOUNCEMENT_KIND,
  payload: announcementPayload,
  async run(job, ctx) {
    const g = await groupOf(ctx, job.groupId);
    if (!g) return;
    const key = `announcement:${job.scheduleId ?? job.id}:${job.runAt.toISOString()}`;
    const content = { text: `📣 ${g.group.name}: ${job.payload.message}` };
    if (job.payload.to === 'channel') {
      await ctx.send([
        { target: { kind: 'channel', channelRef: g.group.homeChannelRef }, idempotencyKey: key, content },
      ]);
      return;
    }
    const who = await ctx.db
      .select({ id: groupMemberships.memberId })
      .from(groupMemberships)
      .where(
        and(
          eq(groupMemberships.groupId, g.group.id),
          eq(groupMemberships.status, 'active'),
          ...(job.payload.to === 'moderators' ? [eq(groupMemberships.role, 'moderator')] : []),
        ),
      );
    await ctx.send(
      who.map((m) => ({ target: { kind: 'dm' as const, memberId: m.id }, idempotencyKey: `${key}:${m.id}`, content })),
    );
  },
});

export const nudgeJobKinds = [introReminderJob, weeklyDigestJob, commitmentDueJob, announcementJob];
