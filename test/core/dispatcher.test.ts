import { count, eq } from 'drizzle-orm';
import pino from 'pino';
import { beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { communities, members } from '../../db/schema.js';
import { ManualClock } from '../../src/clock.js';
import { defineCommand } from '../../src/commands/define.js';
import { Registry } from '../../src/commands/registry.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { UserError } from '../../src/errors.js';
import type { Capabilities } from '../../src/platform.js';
import { seededRandom } from '../../src/random.js';
import { describeEachDatabase } from '../support/databases.js';

const caps = (forms: boolean): Capabilities => ({
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: false,
  forms,
  buttons: true,
  files: false,
});

const commands = [
  defineCommand({
    name: 'setup',
    description: 'bootstrap',
    access: 'moderator',
    bootstrap: true,
    options: z.object({}),
    async run(ctx) {
      const { setupGroup } = await import('../../src/groups/setup-group.js');
      await setupGroup(
        ctx.db,
        {
          communityId: ctx.community.id,
          channelRef: ctx.channelRef,
          existing: null,
          actor: ctx.actor,
          defaultName: 'G',
          defaultTimezone: 'UTC',
          defaultIntroChannel: 'intros',
        },
        {},
      );
      return { text: 'set up' };
    },
  }),
  defineCommand({
    name: 'rename',
    description: 'writes then fails',
    // The dispatch mechanics under test do not depend on membership (test/core/tenancy.test.ts covers levels).
    access: 'anyone',
    options: z.object({
      name: z.string().max(10).describe('New name'),
      fail: z.enum(['user', 'bug']).optional().describe('How to fail'),
    }),
    form: { title: 'Rename', fields: ['name'] },
    async run(ctx) {
      await ctx.db.update(members).set({ displayName: ctx.options.name }).where(eq(members.id, ctx.actor.id));
      ctx.send({ target: { kind: 'channel', channelRef: 'general' }, content: { text: 'renamed' } });
      if (ctx.options.fail === 'user') throw new UserError('conflict', 'That name is taken.', 'Pick another.');
      if (ctx.options.fail === 'bug') throw new Error('boom: secret internals');
      return { text: `now ${ctx.options.name}` };
    },
  }),
  defineCommand({
    name: 'peek',
    description: 'only reads',
    access: 'anyone',
    readOnly: true,
    options: z.object({ fail: z.boolean().optional().describe('Refuse') }),
    run: async (ctx) => {
      if (ctx.options.fail) throw new UserError('conflict', 'Not now.');
      return { text: `you are ${ctx.actor.displayName}` };
    },
  }),
  defineCommand({
    name: 'modonly',
    description: 'mods',
    access: 'moderator',
    options: z.object({}),
    run: async () => ({ text: 'mod ok' }),
  }),
];

describeEachDatabase('dispatcher', (db) => {
  const logged: Record<string, unknown>[] = [];
  let dispatcher: Dispatcher;
  const community = { ref: `c-${Math.random()}`, name: 'C' };
  const inv = (
    actor: string,
    name: string,
    options: Record<string, unknown> = {},
    extra: Partial<Invocation> = {},
  ): Invocation => ({
    platform: 'shell',
    community,
    channelRef: 'general',
    actor: { platformUserId: actor, displayName: actor },
    input: { kind: 'command', name, options },
    ...extra,
  });
  const displayName = async (id: string) =>
    (await db().db.select().from(members).where(eq(members.platformUserId, id)))[0]?.displayName;

  beforeAll(async () => {
    const log = pino({ level: 'info' }, { write: (s: string) => logged.push(JSON.parse(s)) });
    dispatcher = new Dispatcher({
      db: db().db,
      registry: new Registry(commands),
      clock: new ManualClock(),
      random: seededRandom(1),
      log,
    });
    expect((await dispatcher.dispatch(inv('mo', 'setup'), caps(false))).outcome).toBe('ok');
  });

  it('runs a command and returns what it sends to others', async () => {
    const r = await dispatcher.dispatch(inv('ann', 'rename', { name: 'Annie' }), caps(false));
    expect(r.outcome).toBe('ok');
    expect(r.reply.text).toBe('now Annie');
    expect(r.outgoing).toHaveLength(1);
    expect(await displayName('ann')).toBe('Annie');
  });

  it('refuses a member running a moderator command, privately', async () => {
    const r = await dispatcher.dispatch(inv('bob', 'modonly'), caps(false));
    expect(r.outcome).toBe('user_error');
    expect(r.reply).toMatchObject({ visibility: 'private' });
    expect(r.reply.text).toContain('Only moderators can use /modonly.\nAsk a moderator of G');
    expect((await dispatcher.dispatch(inv('mo', 'modonly'), caps(false))).reply.text).toBe('mod ok');
  });

  it('rolls back everything a command wrote when it reports a user error', async () => {
    await dispatcher.dispatch(inv('cat', 'rename', { name: 'Cat' }), caps(false));
    const r = await dispatcher.dispatch(inv('cat', 'rename', { name: 'Kitty', fail: 'user' }), caps(false));
    expect(r.outcome).toBe('user_error');
    expect(r.reply.text).toBe('That name is taken.\nPick another.');
    expect(r.outgoing).toEqual([]);
    expect(await displayName('cat')).toBe('Cat');
  });

  it('turns a bug into an apology with an error id, logged with that id, and writes nothing', async () => {
    const r = await dispatcher.dispatch(inv('dan', 'rename', { name: 'Danny', fail: 'bug' }), caps(false));
    expect(r.outcome).toBe('error');
    expect(r.errorId).toMatch(/^[0-9a-f]{8}$/);
    expect(r.reply.text).toContain(r.errorId!);
    expect(r.reply.text).not.toContain('boom');
    expect(logged.some((l) => l.errorId === r.errorId && l.msg === 'command failed' && l.command === 'rename')).toBe(
      true,
    );
    expect(await displayName('dan')).toBeUndefined(); // even the member row of the first invocation was rolled back
  });

  it('explains a bad option by name and limit, with the usage', async () => {
    const r = await dispatcher.dispatch(inv('eve', 'rename', { name: 'a very long name indeed' }), caps(false));
    expect(r.reply.text).toContain('`name` is too long: at most 10 characters.');
    expect(r.reply.text).toContain('Usage: /rename name:<text>');
    const unknown = await dispatcher.dispatch(inv('eve', 'rename', { name: 'x', colour: 'red' }), caps(false));
    expect(unknown.reply.text).toContain('unknown option: `colour`');
  });

  it('processes a repeated interaction id once', async () => {
    const first = await dispatcher.dispatch(
      inv('fay', 'rename', { name: 'Fay1' }, { interactionId: 'dup-1' }),
      caps(false),
    );
    const again = await dispatcher.dispatch(
      inv('fay', 'rename', { name: 'Fay2' }, { interactionId: 'dup-1' }),
      caps(false),
    );
    expect(first.outcome).toBe('ok');
    expect(again.outcome).toBe('duplicate');
    expect(again.outgoing).toEqual([]);
    expect(await displayName('fay')).toBe('Fay1');
  });

  it('runs a read-only command without a transaction, keeping the member current and answering a duplicate once', async () => {
    const first = await dispatcher.dispatch(inv('ned', 'peek', {}, { interactionId: 'read-1' }), caps(false));
    const again = await dispatcher.dispatch(
      {
        ...inv('ned', 'peek', {}, { interactionId: 'read-1' }),
        actor: { platformUserId: 'ned', displayName: 'Ned B' },
      },
      caps(false),
    );
    expect(first).toMatchObject({ outcome: 'ok', reply: { text: 'you are ned' } });
    expect(again.outcome).toBe('duplicate');
    expect(await displayName('ned')).toBe('Ned B');
  });

  it('lets a read-only command that was refused be retried with the same interaction id', async () => {
    const refused = await dispatcher.dispatch(
      inv('ola', 'peek', { fail: true }, { interactionId: 'read-2' }),
      caps(false),
    );
    const retried = await dispatcher.dispatch(inv('ola', 'peek', {}, { interactionId: 'read-2' }), caps(false));
    expect(refused.outcome).toBe('user_error');
    expect(retried).toMatchObject({ outcome: 'ok', reply: { text: 'you are ola' } });
  });

  it('lets a failed interaction be retried with the same id (the dedupe record rolls back too)', async () => {
    const failed = await dispatcher.dispatch(
      inv('gus', 'rename', { name: 'G', fail: 'bug' }, { interactionId: 'retry-1' }),
      caps(false),
    );
    const retried = await dispatcher.dispatch(
      inv('gus', 'rename', { name: 'Gus' }, { interactionId: 'retry-1' }),
      caps(false),
    );
    expect(failed.outcome).toBe('error');
    expect(retried.outcome).toBe('ok');
  });

  it('asks with a form where the platform has forms and the form fields are missing', async () => {
    const r = await dispatcher.dispatch(inv('hal', 'rename', {}), caps(true));
    expect(r.reply.form).toMatchObject({
      command: 'rename',
      title: 'Rename',
      fields: [{ name: 'name', required: true, maxLength: 10 }],
    });
    const submitted = await dispatcher.dispatch(
      {
        ...inv('hal', 'rename', { name: 'Hal' }),
        input: { kind: 'command', name: 'rename', options: { name: 'Hal' }, fromForm: true },
      },
      caps(true),
    );
    expect(submitted.reply.text).toBe('now Hal');
  });

  it('answers an unknown command and an unknown button with a user error', async () => {
    expect((await dispatcher.dispatch(inv('ivy', 'nope'), caps(false))).reply.text).toContain(
      'There is no command /nope',
    );
    const stale = await dispatcher.dispatch(
      { ...inv('ivy', 'x'), input: { kind: 'action', actionId: 'rename:gone:1' } },
      caps(false),
    );
    expect(stale.outcome).toBe('user_error');
  });

  it('keeps one community per platform server: a second community is separate', async () => {
    await dispatcher.dispatch(
      { ...inv('ann', 'rename', { name: 'Other' }), community: { ref: 'elsewhere', name: 'E' } },
      caps(false),
    );
    const rows = await db()
      .db.select({ n: count() })
      .from(communities)
      .where(eq(communities.platformRef, community.ref));
    expect(rows[0]!.n).toBe(1);
    expect(await displayName('ann')).not.toBeUndefined();
  });
});

describeEachDatabase('processed interactions', (db) => {
  it('prunes ids older than the cut-off and keeps newer ones', async () => {
    const { processedInteractions } = await import('../../db/schema.js');
    const { pruneProcessedInteractions } = await import('../../src/dispatch/dispatcher.js');
    await db()
      .db.insert(processedInteractions)
      .values([
        { platform: 'slack', interactionId: 'old', createdAt: new Date('2026-01-01T00:00:00Z') },
        { platform: 'slack', interactionId: 'new', createdAt: new Date('2026-01-10T00:00:00Z') },
      ]);
    await pruneProcessedInteractions(db().db, new Date('2026-01-05T00:00:00Z'));
    const left = await db().db.select().from(processedInteractions);
    expect(left.map((r) => r.interactionId)).toEqual(['new']);
  });
});
