import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Database, openDatabase, rowsOf } from '../../db/client.js';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { defineJobKind, JobRegistry } from '../../src/scheduler/job-kinds.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { insertJobs, seedGroup } from '../support/nudges-fixtures.js';
import { emit } from './bench-output.js';
import { benchDatabaseKinds, withBenchDatabase } from './bench-support.js';

/**
 * Issue 15: claiming 10,000 due (no-op) jobs with two Scheduler workers, each on its own connection pool as two
 * replicas would be, against two bare `UPDATE … RETURNING` loops claiming the same way (100 at a time, SKIP LOCKED),
 * in the same run: ratio ≤ 2. Each side runs BENCH_RUNS (7) times after a warm-up, alternated; the medians are compared
 * (the best of each is printed too). PostgreSQL
 * only (PGlite is one process and has no second worker).
 */
const N = 10_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const noop = defineJobKind({ kind: 'bench.noop', payload: z.object({}).loose(), run: async () => {} });

async function claimBench(database: Database): Promise<void> {
  const other = await openDatabase({ url: (database as Database & { url: string }).url, poolSize: 5 });
  const dbs = [database.db, other.db];
  const { community } = await seedGroup(database.db);
  const registry = new JobRegistry([noop]);
  const ours = async () => {
    await insertJobs(database.db, community.id, 'bench.noop', N, new Date());
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
    await insertJobs(database.db, community.id, 'bench.noop', N, new Date());
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
  const o: number[] = [];
  const b: number[] = [];
  // alternated, so both meet the same machine load
  for (let i = 0; i < RUNS; i++) {
    o.push(await ours());
    b.push(await bare());
  }
  const [load1] = (await import('node:os')).loadavg();
  emit({
    bench: 'scheduler-claim',
    db: 'postgres',
    metric: 'claim_10k_two_workers_ms',
    value: median(o),
    baseline: median(b),
    best: { ours: Math.round(Math.min(...o)), bare: Math.round(Math.min(...b)) },
    target: 'ratio <= 2',
    unit: 'ms',
    runs: { ours: o.map(Math.round), bare: b.map(Math.round) },
    jobsPerSecond: Math.round(N / (median(o) / 1000)),
    load1,
  });
  await other.close();
}

if (!(await benchDatabaseKinds()).includes('postgres')) {
  process.stderr.write('scheduler-claim bench needs PostgreSQL (two workers): skipped\n');
} else {
  await withBenchDatabase('postgres', claimBench);
}
process.exit(0);
