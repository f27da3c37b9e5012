import { eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { communities, groups } from '../../../db/schema.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';
import { describeEachDatabase } from '../../support/databases.js';

describeEachDatabase('Discord channel options', (db) => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const groupRow = async (harness: DiscordHarness) => {
    const [c] = await harness.core.db.select().from(communities).where(eq(communities.platformRef, harness.guild.id));
    return c ? (await harness.core.db.select().from(groups).where(eq(groups.communityId, c.id)))[0] : undefined;
  };

  it('refuses another server’s channel or an unknown one, and takes a channel of this server', async () => {
    h = await DiscordHarness.start(db(), { channels: ['general', 'intros'] });
    const other = h.fake.addGuild('Elsewhere', ['secret-intros']);
    const foreign = h.fake.channelByName(other.id, 'secret-intros')!;

    await h.slash('alice', 'setup', { name: 'Peers', intro_channel: foreign.id });
    let reply = h.latest(() => true)!;
    expect(reply.content).toContain('`intro_channel` must be a channel of this server');
    expect(await groupRow(h)).toBeUndefined();

    await h.slash('alice', 'setup', { name: 'Peers', intro_channel: '999999999999999999' });
    reply = h.latest(() => true)!;
    expect(reply.content).toContain('must be a channel of this server');
    expect(await groupRow(h)).toBeUndefined();

    await h.slash('alice', 'setup', { name: 'Peers', intro_channel: '#intros' });
    expect(h.latest(() => true)!.content).toContain('Peers');
    expect((await groupRow(h))?.introChannelRef).toBe(h.channel('intros').id);
  });
});
