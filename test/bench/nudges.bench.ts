import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, openDatabase, rowsOf } from '../../db/client.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import type { MessagePort } from '../../src/platform.js';
import { defineJobKind, JobRegistry } from '../../src/scheduler/job-kinds.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { seedGroup } from '../support/nudges-fixtures.js';
import { emit, percentile } from './bench-output.js';
import { benchDatabaseKinds, withBenchDatabase } from './bench-support.js';

/**
 * Issue 8's lateness target, on PostgreSQL (the replicas' database; PGlite is one process and has no second worker).
 * Its claim and fan-out figures are measured by scheduler-claim.bench.ts and fanout.bench.ts (the platforms' real
 * ports against rate-limiting fakes), which replaced the versions that were here.
 * - lateness (due → sent) of 10,000 jobs due over 20 s, picked up by two workers ticking every 15 s: p99 < 20 s.
 */
const N = 10_000;
const caps = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: true,
  forms: true,
  buttons: true,
  files: true,
};

const _noop = defineJobKind({ kind: 'bench.noop', payload: z.object({}).loose(), run: async () => {} });

async function secondPool(database: Database): Promise<Database> {
  return openDatabase({ url: (database as Database & { url: string }).url, poolSize: 5 });
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
  await withBenchDatabase('postgres', latenessBench);
}
process.exit(0);
