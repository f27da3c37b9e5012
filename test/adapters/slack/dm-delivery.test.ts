import { and, eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { dmChannels } from '../../../db/schema.js';
import { describeEachDatabase } from '../../support/databases.js';
import { capturingLogger } from '../../support/outbox-on-platforms.js';
import { type SlackHarness, startSlackHarness } from './slack-harness.js';

describeEachDatabase('slack DMs from the port', (db) => {
  let h: (SlackHarness & { team: { id: string } }) | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a member who refuses DMs gets an ephemeral message in their group channel, logged once, Slack asked once', async () => {
    const { log, lines } = capturingLogger();
    h = await startSlackHarness(db(), { log });
    h.fake.addUser({ id: 'UERIN', teamId: h.team.id, name: 'erin' });
    h.fake.refuseDms('UERIN', 'user_disabled');
    const target = { kind: 'dm' as const, userId: 'UERIN', fallbackChannelRef: 'CHOME' };
    expect(await h.bot.port.send(h.team.id, target, { text: 'Welcome' })).toBeNull();
    expect(await h.bot.port.send(h.team.id, target, { text: 'Reminder' })).toBeNull();
    expect(h.fake.api('conversations.open')).toHaveLength(1);
    const ephemeral = h.fake.api('chat.postEphemeral');
    expect(ephemeral.map((c) => [c.args.channel, c.args.user, c.args.text])).toEqual([
      ['CHOME', 'UERIN', 'Welcome'],
      ['CHOME', 'UERIN', 'Reminder'],
    ]);
    expect(lines.filter((l) => l.msg === 'member cannot be sent a DM')).toHaveLength(1);
  });

  it('without a fallback a refused DM is thrown as blocked, and a refusal on record is tried again later', async () => {
    h = await startSlackHarness(db());
    h.fake.addUser({ id: 'UERIN', teamId: h.team.id, name: 'erin' });
    h.fake.refuseDms('UERIN', 'cannot_dm_bot');
    const dm = { kind: 'dm' as const, userId: 'UERIN' };
    await expect(h.bot.port.send(h.team.id, dm, { text: 'first' })).rejects.toMatchObject({
      name: 'DeliveryError',
      blocked: true,
    });
    const stored = async () =>
      (
        await h!.core.db
          .select()
          .from(dmChannels)
          .where(and(eq(dmChannels.workspaceRef, h!.team.id), eq(dmChannels.userId, 'UERIN')))
      )[0]!;
    expect((await stored()).blockedAt).not.toBeNull();
    // the caller (the outbox) only sends again once the member cleared their block: the DM is tried, not skipped
    h.fake.refusedDms.delete('UERIN');
    const ref = await h.bot.port.send(h.team.id, dm, { text: 'second' });
    const channel = h.fake.conversation(h.team.id, ['UERIN']);
    expect(ref?.channelRef).toBe(channel);
    expect(h.fake.api('conversations.open')).toHaveLength(2);
    expect(await stored()).toMatchObject({ blockedAt: null, channelId: channel });
  });
});
