import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { communities, groups, processedInteractions } from '../../../db/schema.js';
import type { FakeMessage, ShownModal } from '../../fakes/discord/fake-state.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';
import { ADMIN_PERMISSIONS } from '../../fakes/discord/payloads.js';
import { describeEachDatabase } from '../../support/databases.js';
import { testCommands } from './test-commands.js';

const callbackTypes = (h: DiscordHarness, id: string) => h.fake.interactions.get(id)!.callbacks;

describeEachDatabase('discord interactions', (db) => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const start = async (opts: Parameters<typeof DiscordHarness.start>[1] = {}) => {
    h = await DiscordHarness.start(db(), { commands: testCommands, ...opts });
    return h;
  };

  it('/setup answers at once, privately, with the group card as an embed and no mentions allowed', async () => {
    const h = await start();
    const id = await h.slash('alice', 'setup', {
      name: 'Downtown Chapter',
      type: 'referral',
      meeting_day: 'tuesday',
      meeting_time: '07:00',
    });
    expect(callbackTypes(h, id)).toEqual([InteractionResponseType.ChannelMessageWithSource]);
    const reply = h.latest(() => true)!;
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(reply.content).toContain('Downtown Chapter');
    expect(reply.embeds[0]!.title).toContain('Downtown Chapter');
    expect(reply.embeds[0]!.fields!.length).toBeGreaterThan(0);
    expect(reply.allowedMentions).toEqual({ parse: [] });
    const [row] = await h.core.db.select().from(communities).where(eq(communities.platformRef, h.guild.id));
    expect(row!.name).toBe(h.guild.name);
    expect(await h.core.db.select().from(groups).where(eq(groups.communityId, row!.id))).toHaveLength(1);
  });

  it('a bad option value gets a private explanation and writes nothing', async () => {
    const h = await start();
    await h.slash('alice', 'setup', { name: 'Peers', meeting_time: '25:99' });
    const reply = h.latest(() => true)!;
    expect(reply.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(reply.content).toContain('24-hour time');
    const [row] = await h.core.db.select().from(communities).where(eq(communities.platformRef, h.guild.id));
    expect(await h.core.db.select().from(groups).where(eq(groups.communityId, row!.id))).toHaveLength(0);
  });

  it('Manage Server permission makes the member a moderator; without it a moderator command is refused', async () => {
    const h = await start();
    await h.slash('alice', 'setup', { name: 'Peers' });
    await h.slash('bob', 'setup', { name: 'Bob was here' });
    expect(h.latest(() => true)!.content).toContain('Only moderators can use /setup');
    await h.slash('carol', 'setup', { name: 'Renamed by an admin' }, { permissions: ADMIN_PERMISSIONS });
    expect(h.latest(() => true)!.content).toContain('Renamed by an admin');
  });

  it('a subcommand with a user option arrives as `duo join` with the user id and display name', async () => {
    const h = await start();
    await h.slash('alice', 'duo join', { rounds: 3, partner: 'bob' });
    expect(h.latest(() => true)!.content).toBe('Joined for 3 rounds hoping to meet bob');
  });

  it('a button press runs its action; replaceOriginal updates the message the button was on', async () => {
    const h = await start();
    await h.slash('alice', 'vote');
    const poll = h.latest(() => true)!;
    expect(poll.flags & MessageFlags.Ephemeral).toBe(0);
    expect(poll.components[1]!.components.map((c) => ('label' in c ? c.label : ''))).toEqual(['Yes', 'No']);
    const press = await h.press('bob', poll, 'Yes');
    expect(callbackTypes(h, press)).toEqual([InteractionResponseType.UpdateMessage]);
    expect(h.fake.messages.get(poll.id)!.content).toBe('Voted yes on 7 by bob');
    expect(h.fake.messages.get(poll.id)!.components).toEqual([]);

    await h.slash('alice', 'vote');
    const second = h.latest(() => true)!;
    await h.press('carol', second, 'No');
    const answer = h.latest(() => true)!;
    expect(answer.id).not.toBe(second.id);
    expect(answer.content).toBe('You voted no');
    expect(answer.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
  });

  it('a select menu choice comes back with its value', async () => {
    const h = await start();
    await h.slash('alice', 'vote');
    await h.choose('bob', h.latest(() => true)!, 'Blue');
    expect(h.latest(() => true)!.content).toBe('You chose b');
  });

  it('/intro alone opens a modal; its submission runs /intro with the values and carries hidden options through', async () => {
    const h = await start();
    await h.slash('alice', 'setup', { name: 'Peers', type: 'peer' });
    const before = h.fake.events.length;
    const open = await h.slash('bob', 'intro', { website: 'https://bob.example' });
    expect(callbackTypes(h, open)).toEqual([InteractionResponseType.Modal]);
    const modal = h.fake.events.slice(before).find((e) => e.kind === 'modal') as { modal: ShownModal } | undefined;
    expect(modal).toBeDefined();
    expect(modal!.modal.data.title).toBe('Your introduction');
    const inputs = modal!.modal.data.components.flatMap((r) => ('components' in r ? r.components : []));
    expect(inputs.map((c) => ('custom_id' in c ? c.custom_id : ''))).toEqual([
      'business',
      'category',
      'pitch',
      'ideal_referral',
      'area',
    ]);
    await h.submit(modal!.modal, {
      business: 'Bobs Pipes',
      category: 'plumber',
      pitch: 'Same-day leak repairs',
      ideal_referral: 'Homeowners with old houses',
    });
    const posted = [...h.fake.messages.values()].filter((m) => m.embeds.some((e) => e.title?.includes('Bobs Pipes')));
    expect(posted.length).toBeGreaterThan(0);
    const card = posted.at(-1)!;
    expect(JSON.stringify(card.embeds)).toContain('https://bob.example');
  });

  it('a slow command is deferred (ephemeral) and its answer edited in', async () => {
    const h = await start({ bot: { deferAfterMs: 50 } });
    const id = await h.slash('alice', 'slow', { ms: 400 });
    expect(callbackTypes(h, id)).toEqual([InteractionResponseType.DeferredChannelMessageWithSource]);
    const defer = h.fake.events.find((e) => e.kind === 'defer')!;
    expect(defer.kind === 'defer' && defer.message.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const edits = h.fake.callsTo('PATCH', /\/webhooks\/\d+\/[^/]+\/messages\/@original$/);
    expect(edits).toHaveLength(1);
    expect(h.latest(() => true)!.content).toBe('Done after 400 ms');
  });

  it('a slow public answer after a private defer is corrected with a public follow-up', async () => {
    const h = await start({ bot: { deferAfterMs: 50 } });
    await h.slash('alice', 'slow', { ms: 300, public: true });
    const follow = h.fake.callsTo('POST', /^\/webhooks\/\d+\/[^/]+$/);
    expect(follow).toHaveLength(1);
    const last = h.latest(() => true)!;
    expect(last.content).toBe('Done after 300 ms');
    expect(last.flags & MessageFlags.Ephemeral).toBe(0);
    // the next run of the same command defers publicly straight away
    await h.slash('alice', 'slow', { ms: 300, public: true });
    expect(h.fake.callsTo('POST', /^\/webhooks\/\d+\/[^/]+$/)).toHaveLength(1);
  });

  it('the same interaction delivered twice is processed and answered once', async () => {
    const h = await start();
    await h.slash('alice', 'setup', { name: 'Peers' });
    const id = h.fake.ids.next();
    await h.slash(
      'bob',
      'intro',
      { business: 'Bobs Pipes', category: 'plumber', pitch: 'Leaks', ideal_referral: 'Homes' },
      { id },
    );
    const cards = () =>
      [...h.fake.messages.values()].filter((m: FakeMessage) => m.embeds.some((e) => e.title?.includes('Bobs Pipes')));
    const afterFirst = cards().length;
    const callsAfterFirst = h.fake.calls.length;
    await h.slash(
      'bob',
      'intro',
      { business: 'Bobs Pipes', category: 'plumber', pitch: 'Leaks', ideal_referral: 'Homes' },
      { id },
    );
    expect(cards()).toHaveLength(afterFirst);
    expect(h.fake.calls.length).toBe(callsAfterFirst);
    expect(callbackTypes(h, id)).toHaveLength(1);
    const rows = await h.core.db
      .select()
      .from(processedInteractions)
      .where(eq(processedInteractions.interactionId, id));
    expect(rows).toHaveLength(1);
  });
});
