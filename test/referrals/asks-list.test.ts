import { expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

describeEachDatabase('asks list', (db) => {
  it('shows the newest open asks with the count, not every one of a busy group', async () => {
    const h = shellHarness(db());
    await h.run(`
@alice /setup name:"Big Chamber" type:chamber
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
`);
    for (let i = 1; i <= 30; i++) await h.run(`@bob /ask "caterer number ${i}"`);
    const [answer] = await h.run('@alice /asks');
    expect(answer!.text).toContain('Open asks: the 25 newest of 30:');
    expect(answer!.text).toContain('caterer number 30');
    expect(answer!.text).toContain('caterer number 6');
    expect(answer!.text).not.toMatch(/caterer number 5\b/);
  });
});
