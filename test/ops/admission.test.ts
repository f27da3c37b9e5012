import { expect, it } from 'vitest';
import { OpsMetrics } from '../../src/ops/metrics.js';
import { describeEachDatabase } from '../support/databases.js';
import { askTexts, groupWithMembers, nullPort, opsCore, writeFingerprint } from './ops-support.js';

describeEachDatabase('admission before dispatch', (db) => {
  it('gives a member who floods commands a private "slow down", writes nothing, and lets them in again later', async () => {
    const c = await groupWithMembers(opsCore(db()), ['UA']);
    const metrics = new OpsMetrics({ defaultMetrics: false });
    const limited = opsCore(db(), { rateLimit: { burst: 3, perMinute: 6 }, metrics });
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) {
      outcomes.push((await limited.handle(c.inv('UA', 'ask', { text: `ask ${i}` }), nullPort, async () => {})).outcome);
    }
    const before = await writeFingerprint(db().db);
    const refused = await limited.handle(c.inv('UA', 'ask', { text: 'one too many' }), nullPort, async () => {});
    expect(outcomes).toEqual(['ok', 'ok', 'ok']);
    expect(refused.outcome).toBe('user_error');
    expect(refused.code).toBe('rate_limited');
    expect(refused.reply.visibility).toBe('private');
    expect(refused.reply.text).toMatch(/^Slow down.*\nTry again in 10 seconds\./s);
    expect(await writeFingerprint(db().db)).toBe(before);
    expect(await metrics.text()).toContain(
      'roundtable_commands_total{command="ask",outcome="user_error",platform="slack"} 1',
    );
    expect(await metrics.text()).toContain('roundtable_member_rate_limited_total{platform="slack"} 1');
    // Another member is not held back; after the refill the first one is served again.
    expect((await limited.handle(c.inv('UMOD', 'help'), nullPort, async () => {})).outcome).toBe('ok');
    (limited.clock as unknown as { advance(ms: number): void }).advance(10_000);
    expect((await limited.handle(c.inv('UA', 'ask', { text: 'later' }), nullPort, async () => {})).outcome).toBe('ok');
  });

  it('refuses new work while draining and past the in-flight bound, answering instead of queueing', async () => {
    const core = opsCore(db(), { maxInFlight: 1 });
    const c = await groupWithMembers(core, ['UA', 'UB']);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // The first invocation's answer is slow (a platform that hangs): it stays in flight, its dispatch committed.
    let answering!: () => void;
    const reachedAnswer = new Promise<void>((r) => {
      answering = r;
    });
    const first = core.handle(c.inv('UA', 'help'), nullPort, () => {
      answering();
      return held;
    });
    await reachedAnswer;
    const before = await writeFingerprint(db().db);
    const second = await core.handle(c.inv('UB', 'ask', { text: 'x y z' }), nullPort, async () => {});
    expect(second.code).toBe('unavailable');
    expect(second.reply.text).toMatch(/very busy/);
    core.work.drain();
    const late = await core.handle(c.inv('UB', 'ask', { text: 'x y z' }), nullPort, async () => {});
    expect(late.reply.text).toMatch(/restarting.*try again/is);
    expect(await writeFingerprint(db().db)).toBe(before);
    expect(await core.work.idle(50)).toBe(false);
    release();
    expect((await first).outcome).toBe('ok');
    expect(await core.work.idle(1000)).toBe(true);
  });

  it('keeps a committed command ok when delivering its messages to others then fails (database gone mid-way)', async () => {
    const core = opsCore(db());
    const c = await groupWithMembers(core, ['UA']);
    let attempted = 0;
    core.outbox.sendNow = async () => {
      attempted++;
      throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    };
    const r = await core.handle(c.inv('UA', 'ask', { text: 'a plumber for the new school' }), nullPort, async () => {});
    expect(attempted).toBe(1);
    expect(r.outcome).toBe('ok');
    expect(await askTexts(db().db, c.ref)).toContain('a plumber for the new school');
  });
});
