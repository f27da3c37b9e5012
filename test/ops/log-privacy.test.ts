import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import type { Db } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { createLogger } from '../../src/logger.js';
import { seededRandom } from '../../src/random.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

const PROSPECT = 'Jane Quiverfield';
const CONTACT = 'jane.quiverfield@prospect.example';
const NEED = 'a confidential lease dispute';
const SECRETS = [PROSPECT, CONTACT, 'quiverfield', NEED];

/** A logger at `level` whose every line (pino's JSON) is kept. */
function capture(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error'];

describeEachDatabase('logs hold no personal data', (db) => {
  it('a statement that really fails with a prospect’s contact in it is logged by code, constraint, table and query name', async () => {
    // A real constraint the real /refer statement violates: Postgres then puts the whole row in its detail and
    // drizzle the parameters in its message.
    await db().db.execute(
      sql.raw(
        `alter table referrals add constraint log_privacy_probe check (prospect_contact not like '%@prospect.example')`,
      ),
    );
    try {
      for (const level of LEVELS) {
        const { log, lines } = capture(level);
        const h = shellHarness(db(), { log });
        const out = await h.run(`
@alice /setup name:"Chapter" type:peer
@bob /intro business:"Bobs Roofs" category:roofer pitch:"Roofs" ideal_referral:"Homeowners"
@carol /intro business:"Carol Law" category:lawyer pitch:"Contracts" ideal_referral:"Startups"
@bob /refer member:@carol prospect:"${PROSPECT}" contact:"${CONTACT}" need:"${NEED}" temperature:4 consent:yes
`);
        const apology = out.at(-1)!;
        expect(apology.text).toContain('something went wrong');
        const all = lines.join('');
        for (const s of SECRETS) expect(all.toLowerCase(), `level ${level}`).not.toContain(s.toLowerCase());
        const failed = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'command failed');
        expect(failed, `level ${level}`).toMatchObject({
          command: 'refer',
          err: {
            type: 'DatabaseError',
            code: '23514',
            constraint: 'log_privacy_probe',
            query: expect.stringMatching(/^insert referrals#[0-9a-f]{8}$/),
          },
        });
        // PGlite names the table in the error as Postgres does; postgres.js gives table_name.
        expect(failed.err.table).toBe('referrals');
        expect(failed.err.stack).toMatch(/^\s+at /);
      }
    } finally {
      await db().db.execute(sql.raw('alter table referrals drop constraint log_privacy_probe'));
    }
  }, 180_000);

  it('the database-unavailable branch logs the same summary, never the statement’s parameters', async () => {
    for (const level of LEVELS) {
      const { log, lines } = capture(level);
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const failing = {
        transaction: async () => {
          throw new DrizzleQueryError(
            'insert into "referrals" ("prospect_name") values ($1)',
            [PROSPECT, CONTACT],
            refused,
          );
        },
      } as unknown as Db;
      const dispatcher = new Dispatcher({
        db: failing,
        registry: new Registry(commands),
        clock: new ManualClock(),
        random: seededRandom(1),
        log,
      });
      const r = await dispatcher.dispatch(
        {
          platform: 'shell',
          community: { ref: 'outage', name: 'O' },
          channelRef: 'general',
          actor: { platformUserId: 'bob', displayName: 'bob' },
          input: { kind: 'command', name: 'intro', options: { business: PROSPECT } },
        },
        {
          privateReplies: true,
          dms: true,
          channelPosts: true,
          threads: false,
          forms: false,
          buttons: true,
          files: false,
        },
      );
      expect(r.code).toBe('database_unavailable');
      const all = lines.join('');
      for (const s of SECRETS) expect(all.toLowerCase(), `level ${level}`).not.toContain(s.toLowerCase());
      const line = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'database unavailable');
      expect(line.err).toMatchObject({
        type: 'DatabaseError',
        code: 'ECONNREFUSED',
        query: expect.stringMatching(/^insert referrals#/),
      });
    }
  }, 120_000);
});
