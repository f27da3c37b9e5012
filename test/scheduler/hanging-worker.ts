/**
 * A worker that claims a batch, queues a message for its first job, says "claimed" and then hangs inside the
 * transaction until the test SIGKILLs it (test/scheduler/scheduler.test.ts).
 */
import { z } from 'zod';
import { openDatabase } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { defineJobKind, JobRegistry } from '../../src/scheduler/job-kinds.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';

const database = await openDatabase({ url: process.env.WORKER_DB!, poolSize: 1 });
const hang = defineJobKind({
  kind: 'test.hang',
  payload: z.object({}).loose(),
  async run(job, ctx) {
    await ctx.send([
      { target: { kind: 'channel', channelRef: 'c' }, idempotencyKey: `test.hang:${job.id}`, content: { text: 'x' } },
    ]);
    process.stdout.write('claimed\n');
    await new Promise(() => {});
  },
});
const s = new Scheduler({
  db: database.db,
  clock: new ManualClock(new Date('2026-01-05T09:00:00Z')),
  log: silentLogger,
  registry: new JobRegistry([hang]),
});
await s.runBatch();
