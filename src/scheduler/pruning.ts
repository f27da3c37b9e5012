import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, rowsOf } from '../../db/client.js';
import { defineJobKind, type TickHook } from './job-kinds.js';
import { createSchedule } from './jobs-repo.js';

const DAY = 86_400_000;
/** Platforms retry for minutes, not days: a week of processed interaction ids is plenty for deduplication. */
const INTERACTION_DAYS = 7;
export const DEFAULT_OUTBOX_RETENTION_DAYS = 30;
export const PRUNE_KIND = 'maintenance.prune';

/**
 * The nightly pruning of one community, a job like the others: outbox messages done with (sent, failed, blocked)
 * longer than the retention ago (their text names members and prospects, so it is not kept for ever), the finished
 * one-off jobs as old, and the platform's processed interaction ids older than a week.
 */
export function pruneJob(retentionDays = DEFAULT_OUTBOX_RETENTION_DAYS) {
  return defineJobKind({
    kind: PRUNE_KIND,
    coalesce: true,
    payload: z.object({}).loose(),
    async run(job, ctx) {
      const before = new Date(ctx.now.getTime() - retentionDays * DAY).toISOString();
      const outbox = await ctx.db.execute(sql`
        delete from outbox where community_id = ${job.communityId}
          and status in ('sent', 'failed', 'blocked', 'expired') and coalesce(sent_at, created_at) < ${before}::timestamptz`);
      const jobs = await ctx.db.execute(sql`
        delete from jobs where community_id = ${job.communityId} and schedule_id is distinct from ${job.scheduleId}
          and status in ('done', 'failed', 'cancelled') and coalesce(finished_at, created_at) < ${before}::timestamptz
          and (dedupe_key is null or dedupe_key not like 'schedule:%:latest')`);
      const interactions = await ctx.db.execute(sql`
        delete from processed_interactions
        where platform = (select platform from communities where id = ${job.communityId})
          and created_at < ${new Date(ctx.now.getTime() - INTERACTION_DAYS * DAY).toISOString()}::timestamptz`);
      ctx.log.info(
        {
          communityId: job.communityId,
          outbox: affected(outbox),
          jobs: affected(jobs),
          interactions: affected(interactions),
        },
        'pruned',
      );
    },
  });
}

/** Rows a DELETE touched, from either driver's result (postgres.js: `count`; PGlite: `affectedRows`). */
function affected(r: unknown): number {
  const o = r as { count?: number; affectedRows?: number };
  return Number(o.count ?? o.affectedRows ?? 0);
}

/**
 * Tick hook: every community gets its nightly pruning schedule (03:17 UTC, a quiet hour for most). Two processes
 * creating it at once make two schedules at worst: pruning twice is harmless.
 */
export const ensurePruneSchedules: TickHook = async (db: Db, now: Date) => {
  const missing = rowsOf<{ id: number }>(
    await db.execute(sql`
      select c.id from communities c
      where not exists (select 1 from schedules s where s.community_id = c.id and s.kind = ${PRUNE_KIND})`),
  );
  for (const { id } of missing) {
    await createSchedule(db, {
      kind: PRUNE_KIND,
      communityId: Number(id),
      spec: '17 3 * * *',
      timezone: 'UTC',
      from: now,
    });
  }
};
