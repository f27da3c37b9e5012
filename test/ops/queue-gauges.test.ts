import { expect, it } from 'vitest';
import { enqueueOutbox } from '../../src/delivery/outbox.js';
import { OpsMetrics } from '../../src/ops/metrics.js';
import { feedQueueGauges } from '../../src/ops/queue-gauges.js';
import { scheduleJob } from '../../src/scheduler/jobs-repo.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

describeEachDatabase('queue gauges', (db) => {
  it('report the outbox depth and how late the oldest due job is', async () => {
    const h = shellHarness(db());
    await h.run('@alice /setup name:"Peers" type:peer');
    const [community] = await db().db.query.communities.findMany({
      where: (c, { eq }) => eq(c.platformRef, h.communityRef),
    });
    const metrics = new OpsMetrics();
    feedQueueGauges(metrics, db().db, ['shell'], () => h.clock.now());
    const [alice] = await db().db.query.members.findMany({ where: (m, { eq }) => eq(m.communityId, community!.id) });
    await enqueueOutbox(
      db().db,
      community!.id,
      [
        {
          target: { kind: 'dm', memberId: alice!.id },
          idempotencyKey: `g:${h.communityRef}`,
          quietHours: false,
          content: { text: 'hi' },
        },
      ],
      { now: h.clock.now(), timezone: 'UTC' },
    );
    await scheduleJob(db().db, {
      kind: 'nudges.intro-reminder',
      communityId: community!.id,
      runAt: new Date(h.clock.now().getTime() - 90_000),
      dedupeKey: `lag:${h.communityRef}`,
    });
    const text = await metrics.text();
    expect(Number(/roundtable_outbox_depth\{platform="shell"\} (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(/roundtable_due_job_lag_seconds (\d+(\.\d+)?)/.exec(text)?.[1])).toBeGreaterThanOrEqual(90);
  });
});
