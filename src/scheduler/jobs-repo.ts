import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { jobs, schedules } from '../../db/schema.js';
import { nextOccurrence, parseRecurrence } from './recurrence.js';

export interface NewJob {
  kind: string;
  communityId: number;
  groupId?: number | null;
  runAt: Date;
  payload?: unknown;
  /** Same key twice = one job (e.g. `commitment:12:2026-12-04T16:00:00.000Z`). */
  dedupeKey?: string;
  scheduleId?: number | null;
}

/** Schedules one job (in the caller's transaction); returns its id, or null when the dedupe key already exists. */
export async function scheduleJob(db: Db, job: NewJob): Promise<number | null> {
  const [row] = await db
    .insert(jobs)
    .values({
      kind: job.kind,
      communityId: job.communityId,
      groupId: job.groupId ?? null,
      runAt: job.runAt,
      payload: job.payload ?? {},
      dedupeKey: job.dedupeKey ?? null,
      scheduleId: job.scheduleId ?? null,
    })
    .onConflictDoNothing({ target: jobs.dedupeKey })
    .returning({ id: jobs.id });
  return row?.id ?? null;
}

/** Cancels pending jobs whose dedupe key starts with a prefix (`commitment:12:`); returns how many. */
export async function cancelJobs(db: Db, dedupePrefix: string): Promise<number> {
  const rows = await db
    .update(jobs)
    .set({ status: 'cancelled' })
    .where(
      and(eq(jobs.status, 'pending'), sql`${jobs.dedupeKey} like ${`${dedupePrefix.replace(/[%_\\]/g, '\\$&')}%`}`),
    )
    .returning({ id: jobs.id });
  return rows.length;
}

export interface NewSchedule {
  kind: string;
  communityId: number;
  groupId?: number | null;
  /** Plain words or cron (recurrence.ts). */
  spec: string;
  timezone: string;
  payload?: unknown;
  /** Built-in schedules of a group: one per key (`weekly-digest`). */
  systemKey?: string;
  createdBy?: number | null;
  /** Slots after this instant are the schedule's (default: now). A past instant lets missed slots catch up. */
  from: Date;
}

/** Creates a recurring schedule; its first slot is the first after `from`. Throws RecurrenceError on a bad spec. */
export async function createSchedule(db: Db, s: NewSchedule): Promise<typeof schedules.$inferSelect | null> {
  const first = nextOccurrence(parseRecurrence(s.spec), s.from, s.timezone);
  if (!first) return null;
  const [row] = await db
    .insert(schedules)
    .values({
      kind: s.kind,
      communityId: s.communityId,
      groupId: s.groupId ?? null,
      systemKey: s.systemKey ?? null,
      spec: s.spec,
      timezone: s.timezone,
      payload: s.payload ?? {},
      nextRunAt: first,
      createdBy: s.createdBy ?? null,
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

/** Changes a schedule's rule (or time zone): the next slot is recomputed from `now`. */
export async function reschedule(db: Db, id: number, spec: string, timezone: string, now: Date): Promise<void> {
  const next = nextOccurrence(parseRecurrence(spec), now, timezone);
  await db
    .update(schedules)
    .set({ spec, timezone, ...(next ? { nextRunAt: next } : { paused: true }) })
    .where(eq(schedules.id, id));
}
