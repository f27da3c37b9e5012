import { randomBytes } from 'node:crypto';
import { and, eq, lte, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { groups, jobs, schedules } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import { enqueueOutbox } from '../delivery/outbox.js';
import { OutboxSender, type OutboxSenderOptions } from '../delivery/outbox-sender.js';
import type { Logger } from '../logger.js';
import type { MessagePort } from '../platform.js';
import { type ClaimScope, claimScopeOf, withinScope } from './claim-scope.js';
import { payloadProblem, storedJobError } from './job-error.js';
import type { JobContext, JobRegistry, JobRow } from './job-kinds.js';
import { nextOccurrence, parseRecurrence } from './recurrence.js';

export const DEFAULT_GRACE_HOURS = 6;

export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  registry: JobRegistry;
  /**
   * What happens to slots found late. `grace` (a running bot): each runs if newer than the group's grace window,
   * older ones are skipped with a log line. `all` (the shell's `:advance`, where time jumps but the bot counts as
   * running throughout): every slot runs.
   */
  catchUp?: 'grace' | 'all';
  /** This process's name (leases, logs); random by default. */
  workerId?: string;
  batchSize?: number;
  sender?: Partial<OutboxSenderOptions>;
}

interface RawJob {
  id: number;
  kind: string;
  community_id: number;
  group_id: number | null;
  schedule_id: number | null;
  run_at: Date | string;
  payload: unknown;
  dedupe_key: string | null;
  attempts: number;
  last_error: string | null;
  created_at: Date | string;
  timezone: string | null;
}

/**
 * The durable scheduler. Every process runs one; they share the work through Postgres:
 * 1. due slots of recurring schedules become jobs (claimed with SKIP LOCKED; missed slots run once if newer than the
 *    group's grace window, else are skipped with a log line);
 * 2. due jobs are claimed with `FOR UPDATE SKIP LOCKED` and run inside the claiming transaction, so a job's writes,
 *    its queued messages and its `done` mark commit together — a process killed mid-batch rolls back and the rows
 *    are free for the next claimer, never lost and never run twice;
 * 3. the outbox is delivered through the ports this process holds.
 */
export class Scheduler {
  readonly workerId: string;
  readonly sender: OutboxSender;
  private readonly batchSize: number;
  private readonly catchUp: 'grace' | 'all';

  constructor(private readonly o: SchedulerOptions) {
    this.workerId = o.workerId ?? `worker-${randomBytes(4).toString('hex')}`;
    this.batchSize = o.batchSize ?? 100;
    this.catchUp = o.catchUp ?? 'grace';
    this.sender = new OutboxSender({
      db: o.db,
      clock: o.clock,
      log: o.log,
      workerId: this.workerId,
      // where time jumps (`all`), a message due before its end counts as sent in time, as slots count as run
      lateExpires: this.catchUp === 'grace',
      ...o.sender,
    });
  }

  /**
   * Runs everything due at the clock's current time, until nothing is: the one entry point of timed work, which the
   * ticker calls every TICK_SECONDS and the shell's `:advance` calls after moving its clock. Only work the ports can
   * deliver is claimed (claim-scope.ts); with no ports at all (unit tests, maintenance) every community's.
   */
  async runUntilIdle(ports: readonly MessagePort[]): Promise<void> {
    for (const hook of this.o.registry.hooks) await hook(this.o.db, this.o.clock.now(), this.o.log);
    const scope = ports.length ? claimScopeOf(ports) : null;
    for (let round = 0; round < 1000; round++) {
      let work = 0;
      for (let n = await this.materialize(scope); n > 0; n = await this.materialize(scope)) work += n;
      // each batch's messages go before the next batch runs: with thousands due at one tick (a 15 s gap), the first
      // due are sent first instead of after the last has run
      let ran = 0;
      for (let n = await this.runBatch(scope); n > 0; n = await this.runBatch(scope)) {
        ran += n;
        work += n + (await this.sender.flush(ports));
      }
      // after batches the last flush has sent what was due; otherwise what time alone made due (quiet hours ended)
      if (ran === 0) work += await this.sender.flush(ports);
      if (work === 0) return;
    }
  }

  /** Turns due slots of recurring schedules into jobs; returns how many schedules it moved on. */
  async materialize(scope: ClaimScope | null = null): Promise<number> {
    const now = this.o.clock.now();
    return this.o.db.transaction(async (tx) => {
      const due = await tx
        .select({
          s: schedules,
          graceHours: sql<number>`coalesce((${groups.settings}->'nudges'->>'graceHours')::float8, ${DEFAULT_GRACE_HOURS})`,
        })
        .from(schedules)
        .leftJoin(groups, eq(groups.id, schedules.groupId))
        .where(
          and(
            eq(schedules.paused, false),
            lte(schedules.nextRunAt, now),
            scope ? withinScope(schedules.communityId, scope) : undefined,
          ),
        )
        .orderBy(schedules.nextRunAt)
        .limit(200)
        .for('update', { of: schedules, skipLocked: true });
      for (const { s, graceHours } of due) await this.materializeOne(tx, s, Number(graceHours), now);
      return due.length;
    });
  }

  private async materializeOne(tx: Db, s: typeof schedules.$inferSelect, graceHours: number, now: Date) {
    let rule: ReturnType<typeof parseRecurrence>;
    try {
      rule = parseRecurrence(s.spec);
    } catch (err) {
      this.o.log.error({ scheduleId: s.id, err: { message: (err as Error).message } }, 'unreadable schedule paused');
      await tx.update(schedules).set({ paused: true }).where(eq(schedules.id, s.id));
      return;
    }
    const graceMs = graceHours * 3_600_000;
    if (this.o.registry.get(s.kind)?.coalesce) {
      // A sweep looks at the whole state: one run stands for every slot missed, so the slots are not walked (a
      // minute's sweep after a week's `:advance` would be 10,000 of them). It runs if any slot is in time.
      const inTime =
        this.catchUp === 'all' ||
        now.getTime() - s.nextRunAt.getTime() <= graceMs ||
        (nextOccurrence(rule, new Date(now.getTime() - graceMs), s.timezone)?.getTime() ?? Infinity) <= now.getTime();
      if (inTime) await this.armCoalesced(tx, s, now);
      else {
        this.o.log.info(
          { scheduleId: s.id, kind: s.kind, groupId: s.groupId, oldest: s.nextRunAt.toISOString(), graceHours },
          'missed schedule slots older than the grace window skipped',
        );
      }
    } else {
      const slots: Date[] = [];
      for (let n: Date | null = s.nextRunAt; n && n <= now && slots.length < 10_000; ) {
        slots.push(n);
        n = nextOccurrence(rule, n, s.timezone);
      }
      const inTime = this.catchUp === 'all' ? slots : slots.filter((t) => now.getTime() - t.getTime() <= graceMs);
      for (const slot of inTime) await this.insertSlot(tx, s, slot);
      const tooOld = slots.length - inTime.length;
      if (tooOld > 0) {
        this.o.log.info(
          {
            scheduleId: s.id,
            kind: s.kind,
            groupId: s.groupId,
            skipped: tooOld,
            oldest: s.nextRunAt.toISOString(),
            graceHours,
          },
          'missed schedule slots older than the grace window skipped',
        );
      }
    }
    const next = nextOccurrence(rule, now, s.timezone);
    await tx
      .update(schedules)
      .set(next ? { nextRunAt: next } : { paused: true })
      .where(eq(schedules.id, s.id));
  }

  /**
   * A coalescing schedule keeps one job row, armed again at each slot (pending, runAt now) once its last run is over,
   * so a per-minute sweep of every group does not grow the jobs table by a row a minute. Still pending: the slot is
   * already covered.
   */
  private async armCoalesced(tx: Db, s: typeof schedules.$inferSelect, now: Date): Promise<void> {
    await tx
      .insert(jobs)
      .values({
        kind: s.kind,
        communityId: s.communityId,
        groupId: s.groupId,
        scheduleId: s.id,
        runAt: now,
        payload: s.payload,
        dedupeKey: `schedule:${s.id}:latest`,
      })
      .onConflictDoUpdate({
        target: jobs.dedupeKey,
        set: { status: 'pending', runAt: now, attempts: 0, lastError: null, finishedAt: null, payload: s.payload },
        setWhere: sql`${jobs.status} <> 'pending'`,
      });
  }

  private async insertSlot(tx: Db, s: typeof schedules.$inferSelect, slot: Date): Promise<void> {
    await tx
      .insert(jobs)
      .values({
        kind: s.kind,
        communityId: s.communityId,
        groupId: s.groupId,
        scheduleId: s.id,
        runAt: slot,
        payload: s.payload,
        dedupeKey: `schedule:${s.id}:${slot.toISOString()}`,
      })
      .onConflictDoNothing({ target: jobs.dedupeKey });
  }

  /**
   * Claims up to batchSize due jobs and runs them in one transaction. The claim already marks them done (one
   * statement, as a bare queue would): that mark commits only with the handlers' writes, so a crash or a throwing
   * handler rolls it back with them. If a handler throws, the batch's jobs are then run one by one, so one bad job
   * costs its own attempt and nothing else.
   */
  async runBatch(scope: ClaimScope | null = null): Promise<number> {
    const now = this.o.clock.now();
    let claimed: number[] = [];
    try {
      return await this.o.db.transaction(async (tx) => {
        const batch = await this.claim(tx, now, this.batchSize, scope);
        claimed = batch.map((j) => j.id);
        for (const job of batch) {
          const problem = await this.execute(tx, job, now, job.timezone);
          if (problem) {
            await tx.update(jobs).set({ status: 'failed', lastError: problem }).where(eq(jobs.id, job.id));
          }
        }
        return batch.length;
      });
    } catch (err) {
      if (claimed.length === 0) throw err;
      this.o.log.warn({ err, jobs: claimed.length }, 'batch failed: one by one');
      for (const id of claimed) await this.runAlone(id);
      return claimed.length;
    }
  }

  /**
   * Due jobs, locked (SKIP LOCKED) and marked done in one statement, oldest first, with their group's timezone. Raw
   * SQL with the group joined once in the pick (not a subquery per row), and rows read straight into JobRow: the
   * claim is the hot path of every tick.
   */
  private async claim(
    tx: Db,
    now: Date,
    limit: number,
    scope: ClaimScope | null,
  ): Promise<(JobRow & { timezone: string | null })[]> {
    const at = now.toISOString();
    const rows = rowsOf<RawJob>(
      await tx.execute(sql`
        with picked as (
          select j.id, g.timezone from jobs j left join groups g on g.id = j.group_id
          where j.status = 'pending' and j.run_at <= ${at}::timestamptz
            ${scope ? sql`and ${withinScope(sql`j.community_id`, scope)}` : sql``}
          order by j.run_at limit ${limit} for update of j skip locked
        )
        update jobs set status = 'done', attempts = jobs.attempts + 1, finished_at = ${at}::timestamptz
        from picked where jobs.id = picked.id
        returning jobs.id, jobs.kind, jobs.community_id, jobs.group_id, jobs.schedule_id, jobs.run_at, jobs.payload,
          jobs.dedupe_key, jobs.attempts, jobs.last_error, jobs.created_at, picked.timezone`),
    );
    const out = rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      communityId: Number(r.community_id),
      groupId: r.group_id === null ? null : Number(r.group_id),
      scheduleId: r.schedule_id === null ? null : Number(r.schedule_id),
      runAt: new Date(r.run_at),
      payload: r.payload,
      dedupeKey: r.dedupe_key,
      status: 'done',
      attempts: Number(r.attempts),
      lastError: r.last_error,
      finishedAt: now,
      createdAt: new Date(r.created_at),
      timezone: r.timezone,
    }));
    // RETURNING has no order: run them in the order they fell due
    return out.sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || a.id - b.id);
  }

  /** Runs a job's handler; a returned string is a permanent problem (unknown kind, bad payload). */
  private async execute(tx: Db, job: JobRow, now: Date, timezone: string | null): Promise<string | null> {
    const kind = this.o.registry.get(job.kind);
    if (!kind) {
      this.o.log.error({ jobId: job.id, kind: job.kind }, 'job of an unknown kind marked failed');
      return `unknown job kind ${job.kind}`;
    }
    const payload = kind.payload.safeParse(job.payload);
    if (!payload.success) {
      this.o.log.error({ jobId: job.id, kind: job.kind }, 'job with an invalid payload marked failed');
      return payloadProblem(payload.error);
    }
    const ctx: JobContext = {
      db: tx,
      clock: this.o.clock,
      now,
      log: this.o.log,
      send: (messages, opts) =>
        enqueueOutbox(tx, job.communityId, messages, {
          now,
          timezone: opts?.timezone ?? timezone ?? 'UTC',
        }),
    };
    await kind.run({ ...job, payload: payload.data }, ctx);
    return null;
  }

  /** One job in its own transaction; its handler in a savepoint so a failure can still be recorded. */
  private async runAlone(id: number): Promise<void> {
    const now = this.o.clock.now();
    await this.o.db.transaction(async (tx) => {
      const [job] = await tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.id, id), eq(jobs.status, 'pending')))
        .for('update', { skipLocked: true });
      if (!job) return;
      const [group] =
        job.groupId === null
          ? []
          : await tx.select({ timezone: groups.timezone }).from(groups).where(eq(groups.id, job.groupId));
      try {
        const problem = await tx.transaction((sp) => this.execute(sp, job, now, group?.timezone ?? null));
        await tx
          .update(jobs)
          .set({
            status: problem ? 'failed' : 'done',
            attempts: job.attempts + 1,
            finishedAt: now,
            lastError: problem,
          })
          .where(eq(jobs.id, id));
      } catch (err) {
        const attempts = job.attempts + 1;
        const max = this.o.registry.get(job.kind)?.maxAttempts ?? 5;
        // the logs' scrubbing: a database error's message repeats the failing row (a prospect's name, a contact)
        const message = storedJobError(err);
        const giveUp = attempts >= max;
        this.o.log.error(
          { jobId: id, kind: job.kind, attempts, err },
          giveUp ? 'job failed for good' : 'job failed: will retry',
        );
        await tx
          .update(jobs)
          .set({
            attempts,
            lastError: message,
            ...(giveUp
              ? { status: 'failed', finishedAt: now }
              : { runAt: new Date(now.getTime() + 60_000 * 2 ** (attempts - 1)) }),
          })
          .where(eq(jobs.id, id));
      }
    });
  }

  /** Gives up this process's sending leases, so another replica need not wait for them to run out. */
  async stop(): Promise<void> {
    await this.sender.releaseLeases().catch(() => {});
  }
}
