import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, openDatabase, rowsOf } from '../../db/client.js';
import { systemClock } from '../../src/clock.js';
import { enqueueOutbox, type OutboxMessage } from '../../src/delivery/outbox.js';
import { OutboxSender } from '../../src/delivery/outbox-sender.js';
import { Pacer, PLATFORM_LIMITS, scaleLimits } from '../../src/delivery/pacer.js';
import { silentLogger } from '../../src/logger.js';
import type { MessagePort } from '../../src/platform.js';
import { defineJobKind, JobRegistry } from '../../src/scheduler/job-kinds.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { insertJobs, seedGroup } from '../support/nudges-fixtures.js';
import { emit, percentile } from './bench-output.js';
import { benchDatabaseKinds, withBenchDatabase } from './bench-support.js';

/**
 * Issue 8 targets, on PostgreSQL (the replicas' database; PGlite is one process and has no second worker):
 * - claim throughput of two Scheduler workers (no-op jobs) against two bare `UPDATE … RETURNING` loops, ratio ≤ 2;
 * - fan-out of 10,000 DMs through the outbox to a fake Discord that checks the pace: ≥ 95% of the allowed rate, 0
 *   over the limit, 0 duplicates. Real time at 45/s would take 222 s, so every window is divided by 5 (45 per
 *   200 ms = 225/s): the same limiter and the same check, five times faster (the sender itself manages about
 *   500/s with a database write per message, so a larger factor would measure the database, not the pacing);
 * - lateness (due → sent) of 10,000 jobs due over 20 s, picked up by two workers ticking every 15 s: p99 < 20 s.
 */
const N = 10_000;
const SCALE = 5;
const caps = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: true,
  forms: true,
  buttons: true,
  files: true,
};

const noop = defineJobKind({ kind: 'bench.noop', payload: z.object({}).loose(), run: async () => {} });

async function secondPool(database: Database): Promise<Database> {
  return openDatabase({ url: (database as Database & { url: string }).url, poolSize: 5 });
}

async function claimBench(database: Database): Promise<void> {
  const other = await secondPool(database);
  const dbs = [database.db, other.db];
  const { community } = await seedGroup(database.db);
  const registry = new JobRegistry([noop]);
  const now = new Date();
  const ours = async () => {
    await insertJobs(database.db, community.id, 'bench.noop', N, now);
    const t = performance.now();
    await Promise.all(
      dbs.map(async (db, i) => {
        const s = new Scheduler({ db, clock: systemClock, log: silentLogger, registry, workerId: `b${i}` });
        while ((await s.runBatch()) > 0) {}
      }),
    );
    return performance.now() - t;
  };
  const bare = async () => {
    await insertJobs(database.db, community.id, 'bench.noop', N, now);
    const t = performance.now();
    await Promise.all(
      dbs.map(async (db) => {
        for (;;) {
          const rows = rowsOf(
            await db.execute(sql`update jobs set status = 'done', attempts = attempts + 1, finished_at = now()
              where id in (select id from jobs where status = 'pending' and run_at <= now() order by run_at
                limit 100 for update skip locked) returning id`),
          );
          if (rows.length === 0) break;
        }
      }),
    );
    return performance.now() - t;
  };
  await ours(); // warm-up
  await bare();
  const o = Math.min(await ours(), await ours());
  const b = Math.min(await bare(), await bare());
  emit({
    bench: 'nudges',
    db: 'postgres',
    metric: 'claim_10k_two_workers_ms',
    value: o,
    baseline: b,
    target: 'ratio <= 2',
    unit: 'ms',
    jobsPerSecond: Math.round(N / (o / 1000)),
  });
  await other.close();
}

async function fanOutBench(database: Database): Promise<void> {
  const db = database.db;
  const { community, members } = await seedGroup(db, { members: N, platform: 'discord' });
  await db.execute(sql`insert into dm_channels (platform, workspace_ref, user_id, channel_id)
    select 'discord', ${community.platformRef}, platform_user_id, 'D' || id from members where community_id = ${community.id}`);
  const now = new Date(Date.now() - 1000);
  const msgs: OutboxMessage[] = members.map((m) => ({
    target: { kind: 'dm', memberId: m.id },
    idempotencyKey: `fan:${community.id}:${m.id}`,
    // measured against the pace, whatever the hour the bench runs at (quiet hours would hold DMs until morning)
    quietHours: false,
    content: { text: 'This week: who will you invite?' },
  }));
  for (let i = 0; i < msgs.length; i += 1000) {
    await enqueueOutbox(db, community.id, msgs.slice(i, i + 1000), { now, timezone: 'UTC' });
  }
  const limits = { ...PLATFORM_LIMITS, discord: scaleLimits(PLATFORM_LIMITS.discord!, SCALE) };
  const { limit, windowMs } = limits.discord!.global!;
  const stamps: number[] = [];
  const users: string[] = [];
  const port: MessagePort = {
    platform: 'discord',
    capabilities: caps,
    async send(_c, target) {
      stamps.push(performance.now());
      users.push(target.kind === 'dm' ? target.userId : '');
      return { channelRef: 'D', messageRef: String(stamps.length) };
    },
  };
  const sender = new OutboxSender({
    db,
    clock: systemClock,
    log: silentLogger,
    workerId: 'fan',
    pacer: new Pacer(limits),
  });
  await sender.flush([port]);
  let over = 0;
  for (let i = limit; i < stamps.length; i++) if (stamps[i]! - stamps[i - limit]! < windowMs) over++;
  const seconds = (stamps.at(-1)! - stamps[0]!) / 1000;
  const allowed = (limit * 1000) / windowMs;
  const achieved = (stamps.length - 1) / seconds;
  emit({
    bench: 'nudges',
    db: 'postgres',
    metric: 'fanout_rate_per_s',
    value: achieved,
    baseline: allowed,
    target: 'ratio >= 0.95',
    unit: 'msg/s',
    scale: SCALE,
    equivalentRealRate: achieved / SCALE,
    sent: stamps.length,
    overLimit: over,
    duplicates: users.length - new Set(users).size,
  });
}

async function latenessBench(database: Database): Promise<void> {
  const other = await secondPool(database);
  const { community } = await seedGroup(database.db);
  const post = defineJobKind({
    kind: 'bench.late',
    payload: z.object({}).loose(),
    async run(job, ctx) {
      await ctx.send([
        { target: { kind: 'channel', channelRef: 'c' }, idempotencyKey: `late:${job.id}`, content: { text: 'x' } },
      ]);
    },
  });
  const registry = new JobRegistry([post]);
  const start = Date.now() + 2000;
  await database.db.execute(sql`insert into jobs (kind, community_id, run_at)
    select 'bench.late', ${community.id}, ${new Date(start).toISOString()}::timestamptz + (g * interval '2 milliseconds')
    from generate_series(0, ${N - 1}) g`);
  const port: MessagePort = {
    platform: 'shell',
    capabilities: caps,
    send: async () => ({ channelRef: 'c', messageRef: 'm' }),
  };
  const workers = [database.db, other.db].map(
    (db, i) => new Scheduler({ db, clock: systemClock, log: silentLogger, registry, workerId: `late${i}` }),
  );
  // each worker ticks every 15 s at its own phase, as replicas' tickers do (src/ticker.ts)
  const timers: NodeJS.Timeout[] = [];
  const ticking = new Set<Promise<void>>();
  for (const [i, w] of workers.entries()) {
    let busy: Promise<void> | null = null;
    const tick = () => {
      if (busy) return;
      busy = w.runUntilIdle([port]).finally(() => {
        ticking.delete(busy!);
        busy = null;
      });
      ticking.add(busy);
    };
    timers.push(setTimeout(() => timers.push(setInterval(tick, 15_000)), i * 7_000));
    tick();
  }
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    const [left] = rowsOf<{ n: number }>(
      await database.db.execute(sql`select (select count(*) from jobs where kind = 'bench.late' and status = 'pending')::int
        + (select count(*) from outbox where community_id = ${community.id} and status <> 'sent')::int as n`),
    );
    if (Number(left!.n) === 0 && Date.now() > start + 20_000) break;
  }
  for (const t of timers) clearTimeout(t);
  await Promise.all(ticking);
  for (const w of workers) await w.stop();
  const late = rowsOf<{ ms: number }>(
    await database.db.execute(sql`select extract(epoch from (o.sent_at - j.run_at)) * 1000 as ms
      from jobs j join outbox o on o.idempotency_key = 'late:' || j.id where j.kind = 'bench.late'`),
  ).map((r) => Number(r.ms));
  emit({
    bench: 'nudges',
    db: 'postgres',
    metric: 'lateness_p99_ms',
    value: percentile(late, 99),
    baseline: null,
    target: '< 20000',
    unit: 'ms',
    p50: percentile(late, 50),
    max: Math.max(...late),
    jobs: late.length,
    tickSeconds: 15,
  });
  await other.close();
}

const kinds = await benchDatabaseKinds();
if (!kinds.includes('postgres')) {
  process.stderr.write('nudges bench needs PostgreSQL (two workers): skipped\n');
} else {
  // BENCH_PARTS=claim,fanout,lateness runs some of them (all by default)
  const parts = (process.env.BENCH_PARTS ?? 'claim,fanout,lateness').split(',');
  if (parts.includes('claim')) await withBenchDatabase('postgres', claimBench);
  if (parts.includes('fanout')) await withBenchDatabase('postgres', fanOutBench);
  if (parts.includes('lateness')) await withBenchDatabase('postgres', latenessBench);
}
process.exit(0);
