import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const chapter = `@alice /setup name:"Chapter" type:peer timezone:UTC meeting_day:tuesday meeting_time:19:00
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@bob /refer member:@carol prospect:"Jane" contact:"jane@example.com" need:"A lease review" temperature:4 consent:yes`;

describeEachDatabase('two shells on one database', (database) => {
  it('never act for each other’s community: each one’s :advance runs and sends its own work only', async () => {
    const a = shellHarness(database());
    const b = shellHarness(database());
    await a.run(chapter);
    await b.run(chapter);
    const before = b.messages.length;
    // A's time moves on by a week: its meeting reminder and its referral follow-up fall due, and so do B's
    await a.run(':advance 7d11h'); // Monday 20:00: the reminder for Tuesday 19:00 is due
    const remindersIn = (h: typeof a) => h.messages.filter((m) => m.text.startsWith('Reminder: Chapter meets'));
    const followUpsIn = (h: typeof a) => h.messages.filter((m) => m.text.startsWith('Reminder: referral #1'));
    expect(remindersIn(a).length).toBeGreaterThan(0);
    expect(followUpsIn(a)).toHaveLength(1);
    // nothing reached B's members through A, and nothing of B's was claimed or queued by A
    expect(b.messages.length).toBe(before);
    const queuedForB = async () =>
      rowsOf<{ n: number }>(
        await database().db.execute(sql`select count(*)::int as n from outbox o join communities c on c.id = o.community_id
          where c.platform = 'shell' and c.platform_ref = ${b.communityRef} and o.created_at > now() - interval '1 hour'
            and (o.content->>'text') like 'Reminder:%'`),
      )[0]!.n;
    expect(await queuedForB()).toBe(0);
    // B's own :advance does B's work, once
    b.clock.set(a.clock.now());
    await b.run(':advance 1m');
    expect(remindersIn(b)).toHaveLength(remindersIn(a).length);
    expect(followUpsIn(b)).toHaveLength(1);
    expect(followUpsIn(a)).toHaveLength(1);
  });
});
