import { expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { ManualClock } from '../../src/clock.js';
import { Registry } from '../../src/commands/registry.js';
import { Dispatcher, type DispatchResult } from '../../src/dispatch/dispatcher.js';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { silentLogger } from '../../src/logger.js';
import { decodeAction, encodeAction } from '../../src/messages.js';
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
  files: false,
};

describeEachDatabase('buttons pressed in a DM', (db) => {
  it('act on the group they came from, in a community of two groups', async () => {
    const d = new Dispatcher({
      db: db().db,
      registry: new Registry(commands),
      clock: new ManualClock(),
      random: seededRandom(3),
      log: silentLogger,
    });
    const community = { ref: `dm-${Math.random()}`, name: 'Chamber' };
    const run = (actor: string, channelRef: string, input: Invocation['input'], isAdmin = false) =>
      d.dispatch(
        {
          platform: 'shell',
          community,
          channelRef,
          actor: { platformUserId: actor, displayName: actor, ...(isAdmin ? { isAdmin } : {}) },
          input,
        },
        caps,
      );
    const ok = async (p: Promise<DispatchResult>) => {
      const r = await p;
      expect(r.outcome, r.reply.text).toBe('ok');
      return r;
    };
    await ok(
      run('dana', 'downtown', { kind: 'command', name: 'setup', options: { name: 'Downtown', type: 'referral' } }),
    );
    await ok(
      run('nick', 'north', { kind: 'command', name: 'setup', options: { name: 'North', type: 'referral' } }, true),
    );
    const applied = await ok(
      run('bob', 'north', {
        kind: 'command',
        name: 'intro',
        options: { business: 'Bobs Books', category: 'bookkeeper', pitch: 'Books', ideal_referral: 'Cafes' },
      }),
    );
    const dm = applied.outgoing.find(
      (m) => m.target.kind === 'dm' && m.content.buttons?.some((b) => b.label === 'Approve'),
    )!;
    const approve = dm.content.buttons!.find((b) => b.label === 'Approve')!;
    // The button carries North, though nothing in a DM says which group it is.
    expect(approve.action.group).toBeGreaterThan(0);
    expect(decodeAction(encodeAction(approve.action))).toEqual(approve.action);
    // Downtown's moderator, in her DM, cannot use North's button: to her it is a stale button.
    const foreign = await run('dana', 'dm-dana', { kind: 'action', actionId: encodeAction(approve.action) });
    expect(foreign.reply.text).toContain('That button no longer does anything');
    // North's moderator, in his DM, approves North's applicant.
    const approved = await ok(run('nick', 'dm-nick', { kind: 'action', actionId: encodeAction(approve.action) }));
    expect(approved.reply.text).toContain('bob');
    expect(approved.reply.text).not.toContain('Only moderators');
    expect(approved.reply.text).not.toContain('no application');
  });
});
