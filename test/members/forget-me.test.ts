import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rowsOf } from '../../db/client.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

// Distinctive words, so that finding one anywhere in the database means a trace was left behind.
const MEMBER = 'zebulon';
const PROSPECT = 'Quintessa Marwick';
const CONTACT = 'quintessa@marwick.example';
const PROSPECT2 = 'Orvald Thistlewood';
const CONTACT2 = '+44 20 7946 0123';
const VISITOR = 'Yselda Brannock';
const TRACES = [MEMBER, 'quintessa', 'marwick', 'orvald', 'thistlewood', '7946 0123', 'yselda', 'brannock'];

const intro = (who: string, business: string, category: string) =>
  `@${who} /intro business:"${business}" category:${category} pitch:"We help" ideal_referral:"Anyone" email:${who}@firm.example`;

describeEachDatabase('/forget-me', (db) => {
  it('leaves neither the member nor their prospects anywhere in the database', async () => {
    const h = shellHarness(db());
    await h.run(`
@alice /setup name:"Chapter" type:peer meeting_day:tuesday meeting_time:07:00
${intro(MEMBER, 'Zeb Roofing', 'roofer')}
${intro('carol', 'Carol Law', 'lawyer')}
${intro('dave', 'Dave Design', 'designer')}
@${MEMBER} /refer member:@carol prospect:"${PROSPECT}" contact:"${CONTACT}" need:"Lease for ${PROSPECT}" temperature:4 consent:yes
@carol :press "Accept"
@carol /referral update id:1 status:lost reason:"${PROSPECT} chose another firm"
@carol /refer member:@${MEMBER} prospect:"${PROSPECT2}" contact:"${CONTACT2}" need:"A roof" temperature:3 consent:yes
@alice /referral correct id:2 status:won amount:500 currency:EUR note:"${PROSPECT2} paid ${MEMBER}"
@carol /thanks member:@${MEMBER} amount:120 currency:EUR note:"For ${MEMBER}'s tip about ${PROSPECT}"
@dave /connect member_a:@${MEMBER} member_b:@carol reason:"${MEMBER} knows ${PROSPECT}'s landlord"
@${MEMBER} /ask "someone who knows ${PROSPECT2}"
@carol :press "I can help"
@${MEMBER} /visitor invite name:"${VISITOR}" contact:yselda@brannock.example
@${MEMBER} /commit what:"call ${PROSPECT}" by:friday
:advance 1h
@${MEMBER} /forget-me
@${MEMBER} :press "Delete my data"
:advance 1h
`);
    expect(h.messages.filter((m) => m.channel === null && m.to?.includes(MEMBER)).at(-1)!.text).toContain(
      'your personal data here is deleted',
    );

    const tables = rowsOf<{ table_name: string }>(
      await db().db.execute(
        sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
      ),
    ).map((t) => t.table_name);
    expect(tables).toEqual(expect.arrayContaining(['referrals', 'referral_events', 'outbox', 'connections']));
    const found: string[] = [];
    for (const t of tables) {
      const rows = rowsOf<Record<string, unknown>>(await db().db.execute(sql.raw(`select * from "${t}"`)));
      const dump = JSON.stringify(rows).toLowerCase();
      for (const trace of TRACES) if (dump.includes(trace)) found.push(`${t}: ${trace}`);
    }
    expect(found).toEqual([]);
    // What is meant to stay does: the slips and the amount, anonymised.
    const [slips] = rowsOf<{ n: number; won: string | null }>(
      await db().db.execute(
        sql`select count(*)::int as n, max(amount)::text as won from referrals where giver_id is null or receiver_id is null`,
      ),
    );
    expect(slips).toEqual({ n: 2, won: '500.00' });
  }, 120_000);
});
