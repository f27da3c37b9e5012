import { expect, it } from 'vitest';
import type { Invocation } from '../../src/dispatch/invocation.js';
import { FULL_CAPABILITIES } from '../../src/platform.js';
import { describeEachDatabase } from '../support/databases.js';
import { shellHarness } from '../support/shell.js';

/**
 * Page buttons re-run the read-only command they name, with the access checks of typing it: any replica serves any
 * page, and a button cannot make a command write or show what its presser may not see.
 */
describeEachDatabase('page buttons', (db) => {
  const press = (h: ReturnType<typeof shellHarness>, actor: string, actionId: string): Invocation => ({
    platform: 'shell',
    community: { ref: h.communityRef, name: 'Test community' },
    channelRef: 'general',
    actor: { platformUserId: actor, displayName: actor },
    interactionId: `press-${Math.random()}`,
    input: { kind: 'action', actionId },
  });

  it('re-run a read-only command at the page they carry, replacing the message; Show all answers privately', async () => {
    const h = shellHarness(db());
    await h.run('@alice /setup name:"Chapter" type:peer');
    const direct = await h.core.dispatcher.dispatch(
      { ...press(h, 'alice', ''), input: { kind: 'command', name: 'help', options: { command: 'referrals' } } },
      FULL_CAPABILITIES,
    );
    // The rerun names the command, its options and the group it ran in (a page turned in a DM stays there).
    expect(direct.reply.more).toMatchObject({ command: 'help', options: { command: 'referrals' } });
    expect(Object.keys(direct.reply.more!.options!).sort()).toEqual(['_group', 'command']);
    const page = await h.core.dispatcher.dispatch(
      press(h, 'alice', '_page:2:help?command=referrals'),
      FULL_CAPABILITIES,
    );
    expect(page.outcome).toBe('ok');
    expect(page.reply).toMatchObject({ page: 2, replaceOriginal: true, visibility: 'private' });
    expect(page.reply.text).toContain('Help for referrals and giving');
    const all = await h.core.dispatcher.dispatch(press(h, 'alice', '_page:all:help'), FULL_CAPABILITIES);
    expect(all.reply).toMatchObject({ page: 0, replaceOriginal: false, visibility: 'private' });
  });

  it('refuse a command that writes, an unknown one and a bad page, and keep each command’s access', async () => {
    const h = shellHarness(db());
    await h.run('@alice /setup name:"Chapter" type:peer');
    for (const id of ['_page:1:setup?name=Taken', '_page:1:nosuch', '_page:x:help', '_page:1:']) {
      const r = await h.core.dispatcher.dispatch(press(h, 'alice', id), FULL_CAPABILITIES);
      expect(r.outcome, id).toBe('user_error');
      expect(r.reply.text).toContain('That button no longer does anything');
    }
    // /report referrals is for moderators: a member's crafted page button is refused like the command.
    const r = await h.core.dispatcher.dispatch(press(h, 'bob', '_page:1:report referrals'), FULL_CAPABILITIES);
    expect(r.outcome).toBe('user_error');
    expect(r.reply.text).toContain('Only moderators');
  });
});
