import { expect, it } from 'vitest';
import { startTicker } from '../../src/ticker.js';
import { describeEachDatabase } from '../support/databases.js';
import { eventually } from '../support/eventually.js';
import { shellHarness } from '../support/shell.js';

describeEachDatabase('ticker', (db) => {
  it('runs referral accountability and scheduled nudges on its own while the bot is up', async () => {
    const h = shellHarness(db());
    await h.run(`
@alice /setup name:"Chapter" type:peer
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@bob /refer member:@carol prospect:"Jane" contact:"jane@example.com" need:"A lease review" temperature:4 consent:yes
`);
    // time passes without anyone running the due work by hand (no :advance)
    h.clock.advance(4 * 86_400_000);
    const ticker = startTicker(h.core, [h.session], 1);
    try {
      const seen = () => ({
        reminder: h.messages.some((m) => m.to?.includes('carol') && m.text.startsWith('Reminder: referral #1')),
        intro: h.messages.some((m) => m.to?.includes('alice') && m.text.includes('haven’t introduced yourself')),
      });
      await eventually(() => seen().reminder && seen().intro, {
        on: h.changed,
        timeoutMs: 10_000,
        what: 'the ticker to send the referral reminder and the intro nudge',
        describe: seen,
      });
      expect(seen()).toEqual({ reminder: true, intro: true });
    } finally {
      await ticker.stop();
    }
  });
});
