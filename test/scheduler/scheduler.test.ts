import { spawn } from 'node:child_process';
import { and, eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { type Database, openDatabase, rowsOf } from '../../db/client.js';
import { jobs, outbox, schedules } from '../../db/schema.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { defineJobKind, JobRegistry } from '../../src/scheduler/job-kinds.js';
import { createSchedule, scheduleJob } from '../../src/scheduler/jobs-repo.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { describeEachDatabase } from '../support/databases.js';
import { insertJobs, seedGroup } from '../support/nudges-fixtures.js';

const T0 = new Date('2026-01-05T09:00:00Z');
const HOUR = 3_600_000;

/** A kind that counts its runs and queues one message per run (a transactional effect to count in the outbox). */
function countingKind(kind: string, counts: Map<number, number>, opts: { failOn?: (n: number) => boolean } = {}) {
  return defineJobKind({
    kind,
    payload: z.object({ n: z.number().optional() }).loose(),
    async run(job, ctx) {
      await ctx.send([
        { target: { kind: 'channel', channelRef: 'c' }, idempotencyKey: `${kind}:${job.id}`, content: { text: 'x' } },
      ]);
      if (opts.failOn?.(job.payload.n ?? 0)) throw new Error('boom');
      counts.set(job.id, (counts.get(job.id) ?? 0) + 1);
    },
  });
}

async function drain(s: Scheduler): Promise<void> {
  while ((await s.runBatch()) > 0) {}
}

describeEachDatabase('scheduler', (database, kind) => {
  it('two workers claim 10,000 due jobs with no duplicate and no loss', async () => {
    const db = database().db;
    const { community } = await seedGroup(db);
    const counts = new Map<number, number>();
    const registry = new JobRegistry([countingKind('test.count', counts)]);
    const clock = new ManualClock(T0);
    await insertJobs(db, community.id, 'test.count', 10_000, T0);
    // on Postgres the second worker has its own connection pool, like a second process
    const second: Database =
      kind === 'postgres'
        ? await openDatabase({ url: (database() as Database & { url: string }).url, poolSize: 2 })
        : database();
    try {
      const workers = [db, second.db].map(
        (d, i) => new Scheduler({ db: d, clock, log: silentLogger, registry, workerId: `w${i}` }),
      );
      await Promise.all(workers.map(drain));
    } finally {
      if (second !== database()) await second.close();
    }
    const [stats] = rowsOf<{ done: number; once: number }>(
      await db.execute(sql`select count(*) filter (where status = 'done')::int as done,
        count(*) filter (where attempts = 1)::int as once from jobs where community_id = ${community.id}`),
    );
    expect(stats).toEqual({ done: 10_000, once: 10_000 });
    expect(counts.size).toBe(10_000);
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    const [queued] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from outbox where community_id = ${community.id}`),
    );
    expect(queued!.n).toBe(10_000);
    // 10,000 jobs, each queueing a message, on embedded PGlite: about 15 s alone, and past 30 s on a loaded machine
    // running other suites beside it (a correctness test; the claim's speed is measured in scheduler-claim.bench).
  }, 120_000);

  it('a batch that dies mid-way rolls back: its effects vanish, its jobs run again, one bad job fails alone', async () => {
    const db = database().db;
    const { community } = await seedGroup(db);
    const counts = new Map<number, number>();
    // job n=7 throws every time: the first batch dies after queueing messages for jobs 1–7
    const registry = new JobRegistry([countingKind('test.crash', counts, { failOn: (n) => n === 7 })]);
    await insertJobs(db, community.id, 'test.crash', 20, T0);
    const s = new Scheduler({ db, clock: new ManualClock(T0), log: silentLogger, registry, batchSize: 10 });
    await drain(s);
    const rows = await db.select().from(jobs).where(eq(jobs.communityId, community.id));
    expect(rows.filter((r) => r.status === 'done')).toHaveLength(19);
    const bad = rows.find((r) => r.status === 'pending')!;
    expect(bad.attempts).toBe(1);
    expect(bad.lastError).toBe('boom');
    expect(bad.runAt.getTime()).toBe(T0.getTime() + 60_000); // back-off
    // in-memory counts saw the rolled-back runs too; what committed is counted by the database
    expect(rows.filter((r) => r.status === 'done').every((r) => r.attempts === 1)).toBe(true);
    const messages = await db.select().from(outbox).where(eq(outbox.communityId, community.id));
    expect(messages).toHaveLength(19); // the dead batch's messages were rolled back with it
  });

  it('catch-up after downtime: a slot inside the grace window runs once, older ones are skipped with a log line', async () => {
    const db = database().db;
    const { community, group } = await seedGroup(db, { timezone: 'Europe/Berlin' });
    const counts = new Map<number, number>();
    const registry = new JobRegistry([countingKind('test.slot', counts)]);
    const logged: unknown[] = [];
    const log = { ...silentLogger, info: (o: unknown) => logged.push(o) } as unknown as typeof silentLogger;
    // every day 09:00 Berlin (08:00Z); the bot was down from Monday 07:00Z to Thursday 12:00Z
    const clock = new ManualClock(new Date('2026-01-05T07:00:00Z'));
    await createSchedule(db, {
      kind: 'test.slot',
      communityId: community.id,
      groupId: group.id,
      spec: 'every day 9:00',
      timezone: 'Europe/Berlin',
      from: clock.now(),
    });
    clock.set(new Date('2026-01-08T12:00:00Z'));
    const s = new Scheduler({ db, clock, log, registry });
    await s.runUntilIdle([]);
    const ran = await db.select().from(jobs).where(eq(jobs.communityId, community.id));
    expect(ran.map((j) => j.runAt.toISOString())).toEqual(['2026-01-08T08:00:00.000Z']); // 4 h late: inside 6 h
    expect(logged).toContainEqual(expect.objectContaining({ skipped: 3, graceHours: 6 })); // Mon, Tue, Wed
    // a second process starting now finds nothing left: the slot ran once
    await new Scheduler({ db, clock, log: silentLogger, registry }).runUntilIdle([]);
    expect(await db.select().from(jobs).where(eq(jobs.communityId, community.id))).toHaveLength(1);
    // down again past the grace window: Friday's slot (08:00Z) is 7 h old at 15:00Z and is skipped
    clock.set(new Date('2026-01-09T15:00:00Z'));
    await s.runUntilIdle([]);
    expect(await db.select().from(jobs).where(eq(jobs.communityId, community.id))).toHaveLength(1);
    const [sched] = await db.select().from(schedules).where(eq(schedules.communityId, community.id));
    expect(sched!.nextRunAt.toISOString()).toBe('2026-01-10T08:00:00.000Z');
  });

  it('a group’s longer grace window lets an older slot run', async () => {
    const db = database().db;
    const { community, group } = await seedGroup(db, { settings: { nudges: { graceHours: 24 } } });
    const registry = new JobRegistry([countingKind('test.grace', new Map())]);
    const clock = new ManualClock(new Date('2026-01-05T07:00:00Z'));
    await createSchedule(db, {
      kind: 'test.grace',
      communityId: community.id,
      groupId: group.id,
      spec: 'every day 8:00',
      timezone: 'UTC',
      from: clock.now(),
    });
    clock.set(new Date('2026-01-05T20:00:00Z'));
    await new Scheduler({ db, clock, log: silentLogger, registry }).runUntilIdle([]);
    const ran = await db.select().from(jobs).where(eq(jobs.communityId, community.id));
    expect(ran.map((j) => [j.runAt.toISOString(), j.status])).toEqual([['2026-01-05T08:00:00.000Z', 'done']]);
  });

  it('slots across both DST changes in two time zones run once each at local wall time', async () => {
    const db = database().db;
    for (const [tz, from, to, spring, fall] of [
      ['Europe/Berlin', '2026-03-27T00:00:00Z', '2026-10-27T00:00:00Z', '2026-03-29', '2026-10-25'],
      ['America/New_York', '2026-03-06T00:00:00Z', '2026-11-03T00:00:00Z', '2026-03-08', '2026-11-01'],
    ] as const) {
      const { community, group } = await seedGroup(db, { timezone: tz });
      const registry = new JobRegistry([countingKind('test.dst', new Map())]);
      const clock = new ManualClock(new Date(from));
      await createSchedule(db, {
        kind: 'test.dst',
        communityId: community.id,
        groupId: group.id,
        spec: 'every day 2:30',
        timezone: tz,
        from: clock.now(),
      });
      const s = new Scheduler({ db, clock, log: silentLogger, registry });
      // tick every hour through the transitions: a running bot
      const days = new Map<string, number>();
      for (const day of [spring, fall]) {
        clock.set(new Date(Date.parse(`${day}T00:00:00Z`) - 2 * 86_400_000));
        await s.runUntilIdle([]);
        await db.delete(jobs).where(eq(jobs.communityId, community.id));
        for (let h = 0; h < 96; h++) {
          clock.advance(HOUR);
          await s.runUntilIdle([]);
        }
        const ran = await db
          .select()
          .from(jobs)
          .where(and(eq(jobs.communityId, community.id), eq(jobs.status, 'done')));
        for (const j of ran) {
          const local = new Intl.DateTimeFormat('en-CA', { timeZone: tz, dateStyle: 'short' }).format(j.runAt);
          days.set(local, (days.get(local) ?? 0) + 1);
        }
      }
      expect(days.get(spring)).toBe(1);
      expect(days.get(fall)).toBe(1);
      expect([...days.values()].every((n) => n === 1)).toBe(true);
      expect(to > from).toBe(true);
    }
  });

  it('scheduleJob with the same dedupe key schedules once', async () => {
    const db = database().db;
    const { community } = await seedGroup(db);
    const a = await scheduleJob(db, {
      kind: 'x',
      communityId: community.id,
      runAt: T0,
      dedupeKey: `once:${community.id}`,
    });
    const b = await scheduleJob(db, {
      kind: 'x',
      communityId: community.id,
      runAt: T0,
      dedupeKey: `once:${community.id}`,
    });
    expect(a).not.toBeNull();
    expect(b).toBeNull();
  });

  if (kind === 'postgres') {
    it('a worker process killed (SIGKILL) with a batch claimed loses nothing', async () => {
      const db = database().db;
      const { community } = await seedGroup(db);
      await insertJobs(db, community.id, 'test.hang', 300, T0);
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', new URL('./hanging-worker.ts', import.meta.url).pathname],
        {
          env: { ...process.env, WORKER_DB: (database() as Database & { url: string }).url },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (d: Buffer) => d.toString().includes('claimed') && resolve());
        child.on('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const counts = new Map<number, number>();
      const registry = new JobRegistry([countingKind('test.hang', counts)]);
      await drain(new Scheduler({ db, clock: new ManualClock(T0), log: silentLogger, registry }));
      const rows = await db.select().from(jobs).where(eq(jobs.communityId, community.id));
      expect(rows.every((r) => r.status === 'done' && r.attempts === 1)).toBe(true);
      expect(counts.size).toBe(300);
      const queued = await db.select().from(outbox).where(eq(outbox.communityId, community.id));
      expect(queued).toHaveLength(300); // the killed worker's queued messages never committed
    });
  }
});
