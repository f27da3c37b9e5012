import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const intro = (name: string) =>
  `@${name} /intro business:"${name} Ltd" category:"trade ${name}" pitch:"We help" ideal_referral:"Anyone"`;

describeEachDatabase('/forget-me and the outbox', (database) => {
  for (const who of ['bob', 'carol'] as const) {
    it(`leaves no outbox row naming the ${who === 'bob' ? 'giver' : 'receiver'} or the prospect, sent or waiting`, async () => {
      const h = shellHarness(database());
      // carol's evenings are quiet: the second referral's DM to her waits in the outbox (21:30 London)
      await h.run(`@alice /setup name:"Peers" type:peer timezone:Europe/London
${intro('bob')}
${intro('carol')}
${intro('dave')}
@carol /me quiet_hours:21:00-08:00
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease review" temperature:4 consent:yes
@dave /refer member:@bob prospect:"Max Mustermann" contact:"max@example.org" need:"Books" temperature:2 consent:yes
:advance 12h30m
@bob /refer member:@carol prospect:"Olga Night" contact:"olga@example.net" need:"Late work" temperature:3 consent:yes
@dave /refer member:@alice prospect:"Unrelated Person" contact:"unrelated@example.com" need:"Other" temperature:3 consent:yes
`);
      const rows = async () =>
        rowsOf<{ status: string; content: string; target: string }>(
          await database().db.execute(sql`
            select o.status, (o.content - 'attachments')::text as content, o.target::text as target from outbox o
            join communities c on c.id = o.community_id where c.platform = 'shell' and c.platform_ref = ${h.communityRef}`),
        );
      const before = await rows();
      // the outbox holds the referral DMs, sent ones and the one waiting for carol's morning
      expect(before.some((r) => r.content.includes('Jane Doe') && r.status === 'sent')).toBe(true);
      expect(before.some((r) => r.content.includes('Olga Night') && r.status === 'pending')).toBe(true);
      await h.run(`@${who} /forget-me\n@${who} :press "Delete my data"`);
      const after = await rows();
      // their prospects: bob gave Jane and Olga and received Max; carol received Jane and Olga
      const naming = ['Jane Doe', 'jane@example.com', 'Olga Night', 'olga@example.net'];
      if (who === 'bob') naming.push('Max Mustermann', 'max@example.org');
      else expect(after.some((r) => r.content.includes('Max Mustermann'))).toBe(true); // dave's to bob stays
      expect(after.filter((r) => naming.some((n) => r.content.includes(n)))).toEqual([]);
      expect(after.filter((r) => r.content.includes(who))).toEqual([]);
      // messages that name neither them nor their prospects are untouched
      expect(after.some((r) => r.content.includes('Unrelated Person'))).toBe(true);
    });
  }
});
