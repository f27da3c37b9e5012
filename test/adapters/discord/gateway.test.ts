import { afterEach, expect, it } from 'vitest';
import { DiscordHarness } from '../../fakes/discord/harness.js';
import { describeEachDatabase } from '../../support/databases.js';
import { eventually } from '../../support/eventually.js';

describeEachDatabase('discord gateway', (db) => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('identifies once, resumes after the connection drops, and keeps answering interactions', async () => {
    h = await DiscordHarness.start(db());
    expect(h.fake.gateway.log.identifies).toBe(1);
    expect(h.fake.callsTo('GET', /^\/gateway\/bot$/)).toHaveLength(1);
    h.fake.gateway.dropConnections();
    await eventually(() => h!.fake.gateway.log.resumes === 1 && h!.fake.gateway.connected === 1, {
      on: h.fake.changed,
      what: 'the bot to resume',
      describe: () => ({ ...h!.fake.gateway.log, connected: h!.fake.gateway.connected }),
    });
    expect(h.fake.gateway.log.identifies).toBe(1);
    await h.slash('alice', 'help');
    expect(h.latest(() => true)!.content).toContain('Commands you can use');
  });

  it('heartbeats are acknowledged, so the connection is not dropped as a zombie', async () => {
    h = await DiscordHarness.start(db(), { heartbeatMs: 100 });
    await eventually(() => h!.fake.gateway.log.heartbeats >= 4, {
      on: h.fake.changed,
      what: 'four heartbeats',
      describe: () => h!.fake.gateway.log,
    });
    expect(h.fake.gateway.log.identifies).toBe(1);
    expect(h.fake.gateway.log.resumes).toBe(0);
  });
});
