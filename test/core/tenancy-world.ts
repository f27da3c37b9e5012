import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { commands } from '../../commands/index.js';
import { type Database, type Db, rowsOf } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Dispatcher, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { silentLogger } from '../../src/logger.js';
import type { Capabilities } from '../../src/platform.js';
import { seededRandom } from '../../src/random.js';

export const caps: Capabilities = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: false,
  forms: false,
  buttons: true,
  files: true,
};

export type Community = { ref: string; name: string };
export const A: Community = { ref: `A-${Math.random()}`, name: 'Chamber A' };
export const B: Community = { ref: `B-${Math.random()}`, name: 'Chamber B' };

/** Downtown's secrets: none may appear in an answer to anyone outside Downtown. */
export const SECRETS = [
  'Downtown',
  'Persephone Vale',
  'persephone@vale.example',
  'lease for the bakery',
  'the harbour master',
  'Wilhelmina Krupp',
  'dm1',
  'dm2',
  'dmod',
];

export const registry = new Registry(commands);

/** Dispatches on one database handle (the world's, or a case's rolled-back transaction). */
export function dispatcherOn(db: Db) {
  const d = new Dispatcher({
    db,
    registry,
    clock: new ManualClock(new Date('2026-01-05T10:00:00Z')),
    random: seededRandom(7),
    log: silentLogger,
  });
  const inv = (community: Community, actor: string, channelRef: string, input: Invocation['input'], isAdmin = false) =>
    ({
      platform: 'shell',
      community,
      channelRef,
      actor: { platformUserId: actor, displayName: actor, ...(isAdmin ? { isAdmin } : {}) },
      input,
    }) satisfies Invocation;
  return {
    cmd: (
      community: Community,
      actor: string,
      channel: string,
      name: string,
      options: Record<string, unknown> = {},
      extra: { isAdmin?: boolean; fromForm?: boolean } = {},
    ) =>
      d.dispatch(
        inv(
          community,
          actor,
          channel,
          { kind: 'command', name, options, ...(extra.fromForm ? { fromForm: true } : {}) },
          extra.isAdmin,
        ),
        caps,
      ),
    press: (community: Community, actor: string, channel: string, actionId: string, value?: string) =>
      d.dispatch(inv(community, actor, channel, { kind: 'action', actionId, ...(value ? { value } : {}) }), caps),
  };
}
export type Actions = ReturnType<typeof dispatcherOn>;

export async function ok(p: Promise<DispatchResult>): Promise<DispatchResult> {
  const r = await p;
  expect(r.outcome, r.reply.text).toBe('ok');
  return r;
}

/** One statement hashing every table's rows: "no table changes" is this staying the same. */
export async function fingerprintQuery(db: Db): Promise<ReturnType<typeof sql>> {
  const tables = rowsOf<{ t: string }>(
    await db.execute(sql`select tablename as t from pg_tables where schemaname = 'public' order by 1`),
  ).map((r) => r.t);
  const parts = tables.map(
    (t) =>
      sql`select ${t} as t, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${sql.identifier(t)} x`,
  );
  return sql`select t, h from (${sql.join(parts, sql` union all `)}) f order by t`;
}

export async function fingerprint(db: Db, query: ReturnType<typeof sql>): Promise<Record<string, string>> {
  return Object.fromEntries(rowsOf<{ t: string; h: string }>(await db.execute(query)).map((r) => [r.t, r.h]));
}

/**
 * Whether this transaction has written anything so far: any row inserted, updated, deleted or locked (even in a
 * savepoint rolled back since) gives it a transaction id. Conservative (a sequence's nextval may assign one too); when
 * it says so, the caller compares a hash of every table.
 */
export async function wroteInTransaction(db: Db): Promise<boolean> {
  const [row] = rowsOf<{ xid: string | null }>(await db.execute(sql`select txid_current_if_assigned()::text as xid`));
  return row?.xid != null;
}

class Rollback extends Error {}

/** Runs `body` in a transaction that is always rolled back, so every case starts from the same world. */
export async function inRolledBack<T>(database: Database, body: (tx: Db) => Promise<T>): Promise<T> {
  let out: T | undefined;
  try {
    await database.db.transaction(async (tx) => {
      out = await body(tx as unknown as Db);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return out as T;
}

export type World = Record<
  | 'ask'
  | 'commitment'
  | 'visitor'
  | 'meeting'
  | 'program'
  | 'pairing'
  | 'booking'
  | 'downtown'
  | 'dm1'
  | 'dm2'
  | 'referral',
  number
>;

/**
 * Two communities (A, B), two groups in A (Downtown, North) and one in B (Far), each with a moderator, two members
 * and a removed member, plus people who never joined; Downtown holds a referral, an ask, a commitment, a visitor, a
 * meeting and a pairing round. Built once per file: every case runs in a transaction rolled back afterwards.
 */
export async function buildWorld(database: Database): Promise<World> {
  const { cmd } = dispatcherOn(database.db);
  const intro = (c: Community, who: string, channel: string, category: string) =>
    ok(
      cmd(c, who, channel, 'intro', {
        business: `${who} Ltd`,
        category,
        pitch: 'We help',
        ideal_referral: 'Anyone',
        email: `${who}@firm.example`,
      }),
    );
  const meeting = { meeting_day: 'thursday', meeting_time: '08:00', timezone: 'UTC' };
  await ok(cmd(A, 'dmod', 'downtown', 'setup', { name: 'Downtown', type: 'peer', ...meeting }));
  // North is created by a platform admin, who becomes its moderator: dmod has no role there.
  await ok(cmd(A, 'nmod', 'north', 'setup', { name: 'North', type: 'peer', ...meeting }, { isAdmin: true }));
  await ok(cmd(B, 'fmod', 'far', 'setup', { name: 'Far', type: 'peer', ...meeting }));
  for (const [c, g, p] of [
    [A, 'downtown', 'd'],
    [A, 'north', 'n'],
    [B, 'far', 'f'],
  ] as const) {
    await intro(c, `${p}mod`, g, 'coach');
    await intro(c, `${p}m1`, g, 'roofer');
    await intro(c, `${p}m2`, g, 'lawyer');
    await intro(c, `${p}rm`, g, 'baker');
    await ok(cmd(c, `${p}mod`, g, 'remove', { member: `${p}rm` }));
    await ok(cmd(c, `${p}stranger`, g, 'help'));
  }
  // Downtown's objects, each with something only Downtown may see.
  await ok(
    cmd(A, 'dm1', 'downtown', 'refer', {
      member: 'dm2',
      prospect: 'Persephone Vale',
      contact: 'persephone@vale.example',
      need: 'lease for the bakery',
      temperature: '4',
      consent: 'yes',
    }),
  );
  await ok(cmd(A, 'dm1', 'downtown', 'ask', { text: 'an introduction to the harbour master' }));
  await ok(cmd(A, 'dm1', 'downtown', 'commit', { what: 'call the harbour master', by: 'friday' }));
  await ok(cmd(A, 'dm1', 'downtown', 'visitor invite', { name: 'Wilhelmina Krupp', contact: 'w@krupp.example' }));
  await ok(cmd(A, 'dmod', 'downtown', 'pair setup', { name: 'Coffee', who: 'everyone' }));
  await ok(cmd(A, 'dmod', 'downtown', 'pair start'));
  // North's and Far's own slips: #2 in A, #1 in B (numbers are per community).
  for (const [c, g, p] of [
    [A, 'north', 'n'],
    [B, 'far', 'f'],
  ] as const) {
    await ok(
      cmd(c, `${p}m1`, g, 'refer', {
        member: `${p}m2`,
        prospect: `${p} prospect`,
        contact: `${p}@prospect.example`,
        need: 'a roof',
        temperature: '3',
        consent: 'yes',
      }),
    );
  }
  const db = database.db;
  const one = async (q: ReturnType<typeof sql>) => Number(rowsOf<{ id: number }>(await db.execute(q))[0]?.id ?? 1);
  const downtown = await one(sql`select id from groups where name = 'Downtown'`);
  const program = await one(sql`select id from pairing_programs where group_id = ${downtown}`);
  const member = (who: string) =>
    one(
      sql`select m.id from members m join communities c on c.id = m.community_id where c.platform_ref = ${A.ref} and m.platform_user_id = ${who}`,
    );
  return {
    referral: 1,
    ask: await one(sql`select id from asks where text like '%harbour master%'`),
    commitment: await one(sql`select id from commitments where what like '%harbour master%'`),
    visitor: await one(sql`select id from visitors where name = 'Wilhelmina Krupp'`),
    meeting: await one(sql`select id from meetings where group_id = ${downtown} order by starts_at limit 1`),
    program,
    pairing: await one(
      sql`select pg.id from pairing_groups pg join pairing_rounds r on r.id = pg.round_id where r.program_id = ${program} limit 1`,
    ),
    booking: await one(sql`select id from bookings order by id limit 1`),
    downtown,
    dm1: await member('dm1'),
    dm2: await member('dm2'),
  };
}
