import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../support/databases.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';

describeEachDatabase('discord smoke', (db) => {
  it('answers /help', async () => {
    const h = await DiscordHarness.start(db());
    try {
      await h.slash('alice', 'help');
      console.log(JSON.stringify(h.fake.calls.map((c) => [c.method, c.path, c.status])));
      console.log(JSON.stringify(h.fake.events, null, 1).slice(0, 2000));
      expect(h.fake.events.length).toBeGreaterThan(0);
    } finally {
      await h.close();
    }
  });
});
