import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { rowsOf } from '../../db/client.js';
import { ManualClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Dispatcher, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import type { Capabilities } from '../../src/platform.js';
import { seededRandom } from '../../src/random.js';
import { describeEachDatabase } from '../support/databases.js';

const caps: Capabilities = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: false,
  forms: false,
  buttons: true,
  files: true,
};

/** Downtown's secrets: none may appear in an answer to anyone outside Downtown. */
const SECRETS = [
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

/**
 * Two communities (A, B), two groups in A (Downtown, North) and one in B (Far), each with a moderator, two members
 * and a removed member, plus people who never joined. Everyone runs every command, button and form that names an
 * object against the other group's and community's objects: the answer is a refusal that reveals nothing, exactly
 * like an id that does not exist, and no table changes.
 */
describeEachDatabase('tenancy', (db) => {
  let d: Dispatcher;
  const A = { ref: `A-${Math.random()}`, name: 'Chamber A' };
  const B = { ref: `B-${Math.random()}`, name: 'Chamber B' };
  const inv = (
    community: { ref: string; name: string },
    actor: string,
    channelRef: string,
    input: Invocation['input'],
    isAdmin = false,
  ): Invocation => ({
    platform: 'shell',
    community,
    channelRef,
    actor: { platformUserId: actor, displayName: actor, ...(isAdmin ? { isAdmin } : {}) },
    input,
  });
  const cmd = (
    community: typeof A,
    actor: string,
    channel: string,
    name: string,
    options: Record<string, unknown> = {},
    isAdmin = false,
  ) => d.dispatch(inv(community, actor, channel, { kind: 'command', name, options }, isAdmin), caps);
  const press = (community: typeof A, actor: string, channel: string, actionId: string) =>
    d.dispatch(inv(community, actor, channel, { kind: 'action', actionId }), caps);
  const ok = async (p: Promise<DispatchResult>) => {
    const r = await p;
    expect(r.outcome, r.reply.text).toBe('ok');
    return r;
  };

  const ids = {} as Record<string, number>;
  const one = async (q: ReturnType<typeof sql>) => Number(rowsOf<{ id: number }>(await db().db.execute(q))[0]!.id);

  /** Every table's rows, hashed: "no table changes" is this staying the same. */
  async function snapshot(): Promise<Record<string, string>> {
    const tables = rowsOf<{ t: string }>(
      await db().db.execute(
        sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
      ),
    ).map((r) => r.t);
    const out: Record<string, string> = {};
    for (const t of tables) {
      const rows = rowsOf(await db().db.execute(sql.raw(`select * from "${t}"`)));
      const text = rows
        .map((r) => JSON.stringify(r))
        .sort()
        .join('\n');
      out[t] = createHash('sha256').update(text).digest('hex');
    }
    return out;
  }

  beforeAll(async () => {
    d = new Dispatcher({
      db: db().db,
      registry: new Registry(commands),
      clock: new ManualClock(new Date('2026-01-05T10:00:00Z')),
      random: seededRandom(7),
      log: (await import('../../src/logger.js')).silentLogger,
    });
    const intro = (c: typeof A, who: string, channel: string, category: string) =>
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
    await ok(cmd(A, 'nmod', 'north', 'setup', { name: 'North', type: 'peer', ...meeting }, true));
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
    await ok(
      cmd(A, 'nm1', 'north', 'refer', {
        member: 'nm2',
        prospect: 'Nora North',
        contact: 'nora@north.example',
        need: 'a roof',
        temperature: '3',
        consent: 'yes',
      }),
    );
    await ok(
      cmd(B, 'fm1', 'far', 'refer', {
        member: 'fm2',
        prospect: 'Fay Far',
        contact: 'fay@far.example',
        need: 'a will',
        temperature: '3',
        consent: 'yes',
      }),
    );
    ids.ask = await one(sql`select id from asks where text like '%harbour master%'`);
    ids.commitment = await one(sql`select id from commitments where what like '%harbour master%'`);
    ids.visitor = await one(sql`select id from visitors where name = 'Wilhelmina Krupp'`);
    ids.meeting = await one(
      sql`select m.id from meetings m join groups g on g.id = m.group_id where g.name = 'Downtown' order by m.starts_at limit 1`,
    );
    ids.program = await one(
      sql`select p.id from pairing_programs p join groups g on g.id = p.group_id where g.name = 'Downtown'`,
    );
    ids.pairing = await one(
      sql`select pg.id from pairing_groups pg join pairing_rounds r on r.id = pg.round_id where r.program_id = ${ids.program} limit 1`,
    );
    ids.downtown = await one(sql`select id from groups where name = 'Downtown'`);
    ids.dm1 = await one(
      sql`select m.id from members m join communities c on c.id = m.community_id where c.platform_ref = ${A.ref} and m.platform_user_id = 'dm1'`,
    );
  });

  it('Downtown’s own members reach Downtown’s objects (the suite is not refusing everyone)', async () => {
    const shown = await ok(cmd(A, 'dm2', 'dm-dm2', 'referral show', { id: 1 }));
    expect(JSON.stringify(shown.reply)).toContain('persephone@vale.example');
    const mod = await ok(cmd(A, 'dmod', 'downtown', 'referral show', { id: 1 }));
    // Downtown keeps "moderators see contacts" off: its moderator sees the slip without the contact.
    expect(JSON.stringify(mod.reply)).not.toContain('persephone@vale.example');
  });

  /** The people outside Downtown, where they act: their own group's channel, a DM, Downtown's channel. */
  const outsiders: [string, typeof A, string][] = [
    ['North’s moderator', A, 'nmod'],
    ['a North member', A, 'nm1'],
    ['North’s removed member', A, 'nrm'],
    ['a stranger in A', A, 'nstranger'],
    ['Downtown’s removed member', A, 'drm'],
    ['Downtown’s stranger', A, 'dstranger'],
    ['Far’s moderator (community B)', B, 'fmod'],
    ['a Far member (community B)', B, 'fm1'],
  ];
  const channelsOf = (actor: string) =>
    actor.startsWith('f')
      ? ['far', `dm-${actor}`, 'downtown']
      : [actor.startsWith('n') ? 'north' : 'downtown', `dm-${actor}`, 'downtown'];

  /** What each attack names, and the same attack on an id that does not exist: the two answers must match. */
  const attacks = (): {
    label: string;
    run: (c: typeof A, who: string, ch: string) => Promise<DispatchResult>;
    missing: (c: typeof A, who: string, ch: string) => Promise<DispatchResult>;
  }[] => {
    const both = (
      label: string,
      f: (id: string) => (c: typeof A, who: string, ch: string) => Promise<DispatchResult>,
      real: string,
      fake = '99999',
    ) => ({ label, run: f(real), missing: f(fake) });
    return [
      both('/referral show', (id) => (c, w, ch) => cmd(c, w, ch, 'referral show', { id: Number(id) }), '1'),
      both(
        '/referral update',
        (id) => (c, w, ch) => cmd(c, w, ch, 'referral update', { id: Number(id), status: 'accepted' }),
        '1',
      ),
      both('/referral withdraw', (id) => (c, w, ch) => cmd(c, w, ch, 'referral withdraw', { id: Number(id) }), '1'),
      both(
        '/referral correct',
        (id) => (c, w, ch) => cmd(c, w, ch, 'referral correct', { id: Number(id), status: 'won', amount: '99999' }),
        '1',
      ),
      both('Accept button', (id) => (c, w, ch) => press(c, w, ch, `referral update:move:${id}|accepted`), '1'),
      both('I can help', (id) => (c, w, ch) => press(c, w, ch, `ask:help:${id}`), String(ids.ask)),
      both('Refer someone', (id) => (c, w, ch) => press(c, w, ch, `ask:refer:${id}`), String(ids.ask)),
      both('RSVP', (id) => (c, w, ch) => press(c, w, ch, `meeting next:rsvp:${id}|attending`), String(ids.meeting)),
      both('Check in', (id) => (c, w, ch) => press(c, w, ch, `meeting next:checkin:${id}`), String(ids.meeting)),
      both('Done?', (id) => (c, w, ch) => press(c, w, ch, `commit:done:${id}`), String(ids.commitment)),
      both('Drop', (id) => (c, w, ch) => press(c, w, ch, `commit:drop:${id}`), String(ids.commitment)),
      both('Met', (id) => (c, w, ch) => press(c, w, ch, `pair status:met:${id}`), String(ids.pairing)),
      both('Rematch', (id) => (c, w, ch) => press(c, w, ch, `pair status:rematch:${id}`), String(ids.pairing)),
      both('Join program', (id) => (c, w, ch) => press(c, w, ch, `pair status:join:${id}`), String(ids.program)),
      both('Followed up', (id) => (c, w, ch) => press(c, w, ch, `visitor invite:followed:${id}`), String(ids.visitor)),
      // Buttons that carry Downtown as their group: moderators' Approve, Allow a seat, a directory page.
      both(
        'Approve (Downtown’s button)',
        (g) => (c, w, ch) => press(c, w, ch, `${g}~approve:press:${ids.dm1}`),
        String(ids.downtown),
        '99999',
      ),
      both(
        'Allow a seat (Downtown’s button)',
        (g) => (c, w, ch) => press(c, w, ch, `${g}~seats:allow:${ids.dm1}|roofer`),
        String(ids.downtown),
        '99999',
      ),
      both(
        'Directory page (Downtown’s button)',
        (g) => (c, w, ch) => press(c, w, ch, `${g}~directory:page:1`),
        String(ids.downtown),
        '99999',
      ),
    ];
  };

  const normal = (r: DispatchResult) => r.reply.text.replace(/#\d+/g, '#N');

  describe.each(outsiders)('%s', (_who, community, actor) => {
    it('is refused every object of Downtown, exactly as a missing one, and nothing changes', async () => {
      for (const channel of channelsOf(actor)) {
        // A referral number is counted per community: B's people cannot even name A's slips.
        for (const a of attacks().filter((x) => community === A || !/^\/referral|^Accept/.test(x.label))) {
          const before = await snapshot();
          const r = await a.run(community, actor, channel);
          const where = `${a.label} by ${actor} in ${channel}`;
          expect(r.outcome, `${where}: ${r.reply.text}`).toBe('user_error');
          expect(r.outgoing, where).toEqual([]);
          for (const s of SECRETS) expect(JSON.stringify(r.reply), `${where} reveals ${s}`).not.toContain(s);
          const missing = await a.missing(community, actor, channel);
          expect(normal(r), where).toBe(normal(missing));
          expect(await snapshot(), `${where} changed a table`).toEqual(before);
        }
      }
    }, 240_000);
  });

  it('members-only commands refuse the removed and the never-joined, and change nothing', async () => {
    const memberCommands: [string, Record<string, unknown>][] = [
      ['profile', { member: 'dm1' }],
      ['directory', {}],
      ['find', { words: 'roofer' }],
      ['thanks', { member: 'dm2', amount: '999999999999', currency: 'USD' }],
      ['connect', { member_a: 'dm1', member_b: 'dm2', reason: 'You should meet' }],
      [
        'refer',
        { member: 'dm2', prospect: 'X Y', contact: 'x@y.example', need: 'n', temperature: '3', consent: 'yes' },
      ],
      ['ask', { text: 'anyone at all' }],
      ['asks', {}],
      ['balance', {}],
      ['referrals', {}],
      ['visitor list', {}],
      ['meeting next', {}],
      ['pair join', {}],
    ];
    for (const actor of ['drm', 'dstranger']) {
      for (const [name, options] of memberCommands) {
        const before = await snapshot();
        const r = await cmd(A, actor, 'downtown', name, options);
        expect(r.outcome, `/${name} by ${actor}: ${r.reply.text}`).toBe('user_error');
        expect(r.reply.text).toMatch(/no longer a member of Downtown|Only members of Downtown/);
        for (const s of SECRETS.slice(1)) expect(JSON.stringify(r.reply), `/${name} reveals ${s}`).not.toContain(s);
        expect(await snapshot(), `/${name} by ${actor} changed a table`).toEqual(before);
      }
    }
  }, 240_000);

  it('a group report counts that group only', async () => {
    await ok(cmd(A, 'nm2', 'north', 'thanks', { member: 'nm1', amount: '4321', currency: 'EUR' }));
    const r = await ok(cmd(A, 'dmod', 'downtown', 'report referrals', {}));
    expect(JSON.stringify(r.outgoing)).toContain('Referral report');
    expect(JSON.stringify(r.outgoing)).not.toContain('4,321');
    const north = await ok(cmd(A, 'nmod', 'north', 'report referrals', {}));
    expect(JSON.stringify(north.outgoing)).toContain('4,321');
  });
});
