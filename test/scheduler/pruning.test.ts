import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { enqueueOutbox } from '../../src/delivery/outbox.js';
import { jobRegistry } from '../../src/job-kinds.js';
import { silentLogger } from '../../src/logger.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { describeEachDatabase } from '../support/databases.js';
import { seedGroup } from '../support/nudges-fixtures.js';

const DAY = 86_400_000;

describeEachDatabase('pruning, a job like the others', (database) => {
  it('deletes sent outbox rows past the retention and old interaction ids, nightly, and keeps the rest', async () => {
    const db = database().db;
    const { community } = await seedGroup(db, { platform: 'slack' });
    const t0 = new Date('2026-01-05T12:00:00Z');
    const clock = new ManualClock(t0);
    const channel = (key: string, notBefore?: Date) => ({
      target: { kind: 'channel' as const, channelRef: 'C1' },
      idempotencyKey: `${community.id}:${key}`,
      content: { text: key },
      ...(notBefore ? { notBefore } : {}),
    });
    // a row still waiting (due in 100 days) is never pruned, however old
    await enqueueOutbox(
      db,
      community.id,
      [channel('old sent'), channel('old waiting', new Date(t0.getTime() + 100 * DAY))],
      {
        now: t0,
        timezone: 'UTC',
      },
    );
    await db.execute(sql`update outbox set status = 'sent', sent_at = ${t0.toISOString()}::timestamptz
      where idempotency_key = ${`${community.id}:old sent`}`);
    await db.execute(sql`insert into processed_interactions (platform, interaction_id, created_at)
      values ('slack', ${`old-${community.id}`}, ${t0.toISOString()}::timestamptz)`);
    // 20 days on: a newer sent row and a recent interaction id
    clock.advance(20 * DAY);
    await enqueueOutbox(db, community.id, [channel('new sent')], { now: clock.now(), timezone: 'UTC' });
    await db.execute(sql`update outbox set status = 'sent', sent_at = ${clock.now().toISOString()}::timestamptz
      where idempotency_key = ${`${community.id}:new sent`}`);
    const scheduler = new Scheduler({
      db,
      clock,
      log: silentLogger,
      registry: jobRegistry({ outboxRetentionDays: 30 }),
    });
    // the community's pruning schedule is made at the first tick, and runs at 03:17 UTC
    const port = { platform: 'slack' as const, capabilities: {} as never, send: async () => null };
    await scheduler.runUntilIdle([port]);
    clock.advance(11 * DAY + 16 * 3_600_000); // 6 February 04:00, just after the night's 03:17: the old sent row is 31 days old, the new one 12
    await db.execute(sql`insert into processed_interactions (platform, interaction_id, created_at)
      values ('slack', ${`new-${community.id}`}, ${new Date(clock.now().getTime() - DAY).toISOString()}::timestamptz)`);
    await scheduler.runUntilIdle([port]);
    const left = rowsOf<{ text: string }>(
      await db.execute(
        sql`select content->>'text' as text from outbox where community_id = ${community.id} order by id`,
      ),
    ).map((r) => r.text);
    expect(left).toEqual(['old waiting', 'new sent']);
    const ids = rowsOf<{ id: string }>(
      await db.execute(sql`select interaction_id as id from processed_interactions
        where interaction_id in (${`old-${community.id}`}, ${`new-${community.id}`})`),
    ).map((r) => r.id);
    expect(ids).toEqual([`new-${community.id}`]);
  });
});
