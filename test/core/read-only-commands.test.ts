import { sql } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

/**
 * Commands marked `readOnly` run outside a transaction, so the flag must be true: running each of them, on a group
 * with referrals, asks and commitments, changes no table. Tables only delivery writes (what was queued for others in
 * the outbox, what was posted where) and the member who runs a command for the first time are the documented
 * exceptions, and none is touched here.
 */
const LINES: Record<string, string[]> = {
  balance: ['@bob /balance', '@alice /balance member:@carol period:all'],
  givers: ['@alice /givers'],
  referrals: ['@bob /referrals given', '@carol /referrals open'],
  'referral show': ['@carol /referral 1'],
  'report referrals': ['@alice /report referrals period:month'],
  find: ['@bob /find lawyer'],
  directory: ['@bob /directory'],
  profile: ['@bob /profile @carol'],
  asks: ['@carol /asks'],
  commitments: ['@bob /commitments', '@alice /commitments week:true'],
  help: ['@bob /help', '@alice /help referrals', '@bob /help pair'],
  'booking list': ['@bob /booking list'],
  applications: ['@alice /applications'],
  moderators: ['@carol /moderators', '@alice /moderators'],
  'powerteam show': ['@bob /powerteam show', '@alice /powerteam show member:@carol period:all'],
  'powerteam report': ['@alice /powerteam report period:all'],
};
const DELIVERY_TABLES = new Set(['outbox', 'posted_messages']);

describeEachDatabase('read-only commands', (db) => {
  it('change nothing in the database', async () => {
    const logged: { msg: string; command?: string; outcome?: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => logged.push(JSON.parse(line)) });
    const h = shellHarness(db(), { log });
    await h.run(`
@alice /setup name:"Chapter" type:peer
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@bob /refer member:@carol prospect:"Jane Doe" contact:"jane@example.com" need:"A lease review" temperature:4 consent:yes
@carol :press "Accept"
@bob /ask "a caterer for 200 people"
@bob /commit "call 3 prospects" by:friday
`);
    const flagged = h.core.registry
      .all()
      .filter((c) => c.def.readOnly)
      .map((c) => c.def.name)
      .sort();
    expect(flagged).toEqual(Object.keys(LINES).sort());

    const snapshot = async () => {
      const tables = rowsOf<{ name: string }>(
        await db().db.execute(sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`),
      ).filter((t) => !DELIVERY_TABLES.has(t.name));
      const out: Record<string, string> = {};
      for (const { name } of tables) {
        const [row] = rowsOf<{ h: string | null }>(
          await db().db.execute(
            sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.identifier(name)} t`,
          ),
        );
        out[name] = row?.h ?? '';
      }
      return out;
    };
    const before = await snapshot();
    const lines = Object.values(LINES).flat();
    logged.length = 0;
    for (const line of lines) await h.run(line);
    // every line ran its command to the end (a refused or failed one would change nothing trivially)
    const outcomes = logged.filter((l) => l.command).map((l) => `${l.command}: ${l.outcome ?? l.msg}`);
    expect(outcomes).toHaveLength(lines.length);
    expect(outcomes.filter((o) => !o.endsWith(': ok'))).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
