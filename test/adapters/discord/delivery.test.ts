import { ChannelType } from 'discord-api-types/v10';
import { and, eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { communities, dmChannels } from '../../../db/schema.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';
import { describeEachDatabase } from '../../support/databases.js';
import { capturingLogger } from '../../support/outbox-on-platforms.js';

const DM_OPEN = /^\/users\/@me\/channels$/;

describeEachDatabase('discord delivery', (db) => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a member who joins gets the welcome by DM; the DM channel is opened once and cached', async () => {
    h = await DiscordHarness.start(db());
    await h.slash('alice', 'setup', { name: 'Peers', type: 'peer' });
    const dan = await h.join('dan');
    const dm = h.fake.dmChannel(dan.id);
    const welcome = h.latest((m) => m.channelId === dm.id)!;
    expect(welcome.content).toContain('Welcome, dan!');
    expect(welcome.content).toContain('/intro');
    expect(h.fake.callsTo('POST', DM_OPEN)).toHaveLength(1);
    const [row] = await h.core.db
      .select()
      .from(dmChannels)
      .where(and(eq(dmChannels.workspaceRef, h.guild.id), eq(dmChannels.userId, dan.id)));
    expect(row!.channelId).toBe(dm.id);

    await h.bot.port.send(h.guild.id, { kind: 'dm', userId: dan.id }, { text: 'Second note' });
    expect(h.fake.callsTo('POST', DM_OPEN)).toHaveLength(1);
    expect(h.latest((m) => m.channelId === dm.id)!.content).toBe('Second note');
  });

  it('nobody is welcomed before a group exists', async () => {
    h = await DiscordHarness.start(db());
    await h.join('early');
    expect(h.fake.callsTo('POST', DM_OPEN)).toHaveLength(0);
  });

  it('a member who blocks DMs gets the message in a private thread; the refusal is logged once, not retried', async () => {
    const { log, lines } = capturingLogger();
    h = await DiscordHarness.start(db(), { log });
    await h.slash('alice', 'setup', { name: 'Peers', type: 'peer' });
    const erin = h.user('erin');
    h.fake.blockedDms.add(erin.id);
    await h.join('erin');
    const home = h.channel('general');
    const thread = [...h.fake.channels.values()].find((c) => c.type === ChannelType.PrivateThread)!;
    expect(thread.parentId).toBe(home.id);
    expect([...thread.members]).toEqual([erin.id]);
    expect(h.latest((m) => m.channelId === thread.id)!.content).toContain('Welcome, erin!');
    const [row] = await h.core.db.select().from(dmChannels).where(eq(dmChannels.userId, erin.id));
    expect(row!.blockedAt).toEqual(h.clock.now());
    expect(row!.channelId).toBe(thread.id);

    const dmPosts = () => h!.fake.callsTo('POST', new RegExp(`^/channels/${h!.fake.dmChannel(erin.id).id}/messages$`));
    expect(dmPosts()).toHaveLength(1);
    await h.bot.port.send(
      h.guild.id,
      { kind: 'dm', userId: erin.id, fallbackChannelRef: home.id },
      { text: 'Reminder' },
    );
    expect(dmPosts()).toHaveLength(1);
    expect(h.latest((m) => m.channelId === thread.id)!.content).toBe('Reminder');
    expect([...h.fake.channels.values()].filter((c) => c.type === ChannelType.PrivateThread)).toHaveLength(1);
    expect(lines.filter((l) => l.msg.includes('does not accept DMs'))).toHaveLength(1);
  });

  it('without a fallback a refused DM is thrown as blocked, and a refusal on record is tried again later', async () => {
    h = await DiscordHarness.start(db());
    const erin = h.user('erin');
    const dm = { kind: 'dm' as const, userId: erin.id };
    const route = () => h!.fake.callsTo('POST', new RegExp(`^/channels/${h!.fake.dmChannel(erin.id).id}/messages$`));
    h.fake.blockedDms.add(erin.id);
    await expect(h.bot.port.send(h.guild.id, dm, { text: 'first' })).rejects.toMatchObject({
      name: 'DeliveryError',
      blocked: true,
    });
    const stored = async () => (await h!.core.db.select().from(dmChannels).where(eq(dmChannels.userId, erin.id)))[0]!;
    expect((await stored()).blockedAt).not.toBeNull();
    // the caller (the outbox) only sends again once the member cleared their block: the DM is tried, not skipped
    h.fake.blockedDms.delete(erin.id);
    await h.bot.port.send(h.guild.id, dm, { text: 'second' });
    expect(route().map((c) => c.status)).toEqual([403, 200]);
    expect(h.latest((m) => m.channelId === h!.fake.dmChannel(erin.id).id)!.content).toBe('second');
    expect(await stored()).toMatchObject({ blockedAt: null, channelId: h.fake.dmChannel(erin.id).id });
  });

  it('a shared conversation is a private thread with every member added; a keyed message is edited in place', async () => {
    h = await DiscordHarness.start(db());
    const [a, b] = [h.user('ann'), h.user('ben')];
    const general = h.channel('general');
    const ref = await h.bot.port.send(
      h.guild.id,
      { kind: 'conversation', userIds: [a.id, b.id], channelRef: general.id, title: 'ann and ben meet' },
      { text: 'Meet each other', card: { title: 'Pair', fields: [{ label: 'When', value: 'this week' }] } },
    );
    const thread = h.fake.channels.get(ref!.channelRef)!;
    expect(thread.type).toBe(ChannelType.PrivateThread);
    expect(thread.name).toBe('ann and ben meet');
    expect([...thread.members]).toEqual([a.id, b.id]);
    await h.bot.port.send(h.guild.id, { kind: 'channel', channelRef: general.id }, { text: 'edited' }, ref!);
    expect(h.fake.messages.get(ref!.messageRef)!.content).toBe('edited');
    expect(h.fake.messages.get(ref!.messageRef)!.edited).toBe(true);
  });

  it('a 429 with Retry-After is waited out and the message then sent once', async () => {
    h = await DiscordHarness.start(db());
    const general = h.channel('general');
    const route = new RegExp(`^/channels/${general.id}/messages$`);
    h.fake.rateLimit('POST', route, 0.4);
    const started = performance.now();
    const ref = await h.bot.port.send(
      h.guild.id,
      { kind: 'channel', channelRef: general.id },
      { text: 'after the wait' },
    );
    const calls = h.fake.callsTo('POST', route);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(390);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(h.fake.messages.get(ref!.messageRef)!.content).toBe('after the wait');
  });

  it('a route that keeps answering 403 is stopped instead of hammered', async () => {
    const { log, lines } = capturingLogger();
    h = await DiscordHarness.start(db(), { log });
    const general = h.channel('general');
    const route = new RegExp(`^/channels/${general.id}/messages$`);
    h.fake.fail('POST', route, { status: 403, body: { code: 50013, message: 'Missing Permissions' } }, 100);
    const target = { kind: 'channel' as const, channelRef: general.id };
    for (let i = 0; i < 8; i++) {
      await expect(h.bot.port.send(h.guild.id, target, { text: `try ${i}` })).rejects.toThrow();
    }
    expect(h.fake.callsTo('POST', route)).toHaveLength(5);
    expect(lines.filter((l) => l.msg.includes('sends to it stopped'))).toHaveLength(1);
  });

  it('joining and leaving a server creates the community and marks it inactive, keeping its data', async () => {
    h = await DiscordHarness.start(db());
    const other = h.fake.addGuild('Another server', ['lobby']);
    // The GUILD_CREATE is on the wire but not yet read by the bot: waiting now cannot miss it.
    await h.settled(`guildCreate:${other.id}`);
    const settled = h.settled(`guildDelete:${other.id}`);
    const row = async () =>
      (await h!.core.db.select().from(communities).where(eq(communities.platformRef, other.id)))[0];
    expect((await row())?.active).toBe(true);
    h.fake.gateway.dispatch('GUILD_DELETE', { id: other.id });
    await settled;
    expect((await row())?.active).toBe(false);
  });
});
