import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { jobs } from '../../db/schema.js';
import { ManualClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { defineJobKind, JobRegistry } from '../../src/scheduler/job-kinds.js';
import { scheduleJob } from '../../src/scheduler/jobs-repo.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { describeEachDatabase } from '../support/databases.js';
import { seedGroup } from '../support/nudges-fixtures.js';

const T0 = new Date('2026-01-05T09:00:00Z');
const CONTACT = 'jane.doe@example.com';

describeEachDatabase('a failing job’s recorded error', (database) => {
  it('keeps the personal data a database error repeats out of jobs.last_error, as the logs do', async () => {
    const db = database().db;
    const { community } = await seedGroup(db);
    // Postgres quotes the value it could not read ("invalid input syntax for type integer: …") and drizzle's
    // message adds the statement's parameters: both name the prospect's contact
    const leaky = defineJobKind({
      kind: 'test.leaky',
      payload: z.object({}).loose(),
      maxAttempts: 1,
      async run(_job, ctx) {
        await ctx.db.execute(sql`select ${CONTACT}::int`);
      },
    });
    const plain = defineJobKind({
      kind: 'test.plain',
      payload: z.object({ email: z.email() }),
      maxAttempts: 1,
      async run() {
        throw new Error(`could not reach the contact params: ${CONTACT}`);
      },
    });
    // the bot's own logger, its serializers and all
    const logged: string[] = [];
    const log = createLogger('info', { write: (line: string) => logged.push(line) });
    const scheduler = new Scheduler({
      db,
      clock: new ManualClock(T0),
      log,
      registry: new JobRegistry([leaky, plain]),
    });
    const ids = [
      await scheduleJob(db, { kind: 'test.leaky', communityId: community.id, runAt: T0 }),
      await scheduleJob(db, { kind: 'test.plain', communityId: community.id, runAt: T0, payload: { email: CONTACT } }),
      // its payload fails the schema: the problem names the field, not the value
      await scheduleJob(db, { kind: 'test.plain', communityId: community.id, runAt: T0, payload: { email: 7 } }),
    ];
    while ((await scheduler.runBatch()) > 0) {}
    const rows = await Promise.all(ids.map(async (id) => (await db.select().from(jobs).where(eq(jobs.id, id!)))[0]!));
    expect(rows.map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
    for (const r of rows) {
      expect(r.lastError).toBeTruthy();
      expect(r.lastError).not.toContain('jane');
    }
    // still enough to act on: the SQLSTATE and the statement, the error's own words, the field at fault
    expect(rows[0]!.lastError).toMatch(/^database error; code 22P02; query select/);
    expect(rows[1]!.lastError).toBe('could not reach the contact');
    expect(rows[2]!.lastError).toBe('invalid payload: email: invalid_type');
    expect(logged.length).toBeGreaterThan(0);
    expect(logged.join('')).not.toContain('jane');
  });
});
