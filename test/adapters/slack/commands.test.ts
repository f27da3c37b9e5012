import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { communities, dmChannels, groups } from '../../../db/schema.js';
import { describeEachDatabase } from '../../support/databases.js';
import { startSlackHarness } from './slack-harness.js';
import { testCommands } from './test-commands.js';

type H = Awaited<ReturnType<typeof startSlackHarness>>;

describeEachDatabase('Slack slash commands through Bolt', (db) => {
  let h: H;
  const alice = { id: 'U0ALICE', name: 'alice' };
  beforeEach(async () => {
    h = await startSlackHarness(db(), { commands: testCommands });
    for (const u of [alice, { id: 'U0BOB', name: 'bob' }, { id: 'U0CAROL', name: 'carol' }])
      h.fake.addUser({ ...u, teamId: h.team.id });
  });
  afterEach(async () => h.close());
  const run = (command: string, text: string, user = alice) =>
    h.client.command({ team: h.team, user: user.id, userName: user.name, channel: 'C0GENERAL', command, text });

  it('acknowledges at once and answers /setup privately through response_url with the group card', async () => {
    const ack = await run('/setup', 'name:"Downtown Chapter" type:referral timezone:Europe/London');
    expect(ack.status).toBe(200);
    expect(ack.body).toBe('');
    await h.bot.settled();
    const [reply] = h.fake.api().filter((c) => c.kind === 'respond');
    expect(reply!.args.response_type).toBe('ephemeral');
    expect(reply!.args.blocks.find((b: { type: string }) => b.type === 'header').text.text).toContain(
      'Downtown Chapter',
    );
    const rows = await db().db.select().from(groups).innerJoin(communities, eq(communities.id, groups.communityId));
    expect(rows.some((r) => r.communities.platformRef === h.team.id && r.groups.homeChannelRef === 'C0GENERAL')).toBe(
      true,
    );
    // the community is named by the workspace (auth.test), the actor by users.info
    expect(rows.find((r) => r.communities.platformRef === h.team.id)!.communities.name).toBe(h.team.name);
    expect(h.fake.api('users.info').map((c) => c.args.user)).toContain('U0ALICE');
  });

  it('a bad option value is refused privately, naming the option, and nothing is written', async () => {
    await run('/setup', 'timezone:Mars/Olympus');
    await h.bot.settled();
    const reply = h.fake.api().find((c) => c.kind === 'respond')!;
    expect(reply.args.response_type).toBe('ephemeral');
    expect(reply.args.text).toContain('timezone');
    // the whole transaction rolled back: not even the community row was kept
    const rows = await db().db.select().from(communities).where(eq(communities.platformRef, h.team.id));
    expect(rows).toHaveLength(0);
  });

  it('text that does not parse gets the usage in the acknowledgement itself, privately', async () => {
    const ack = await run('/setup', 'name:"unclosed');
    expect(ack.body.response_type).toBe('ephemeral');
    expect(ack.body.text).toContain('closing quote');
    const loose = await run('/setup', 'some loose words');
    expect(loose.body.text).toContain('Usage: /setup');
    await h.bot.settled();
    expect(h.fake.api().filter((c) => c.kind === 'respond')).toHaveLength(0);
  });

  it('a member option needs an @mention; mentions become members with their names', async () => {
    const plain = await run('/poke', 'member:bob');
    expect(plain.body.text).toContain('Mention the member with @');
    await run('/poke', 'member:<@U0BOB|bob> with:<@U0CAROL> time to talk');
    await h.bot.settled();
    const reply = h.fake.api().find((c) => c.kind === 'respond')!;
    expect(reply.args.text).toBe('Nudged bob.');
    // DM through conversations.open, then a group DM with all three, with the attachment uploaded there
    const opens = h.fake.api('conversations.open').map((c) => c.args.users);
    expect(opens).toEqual(['U0BOB', 'U0ALICE,U0BOB,U0CAROL']);
    const posts = h.fake.api('chat.postMessage');
    expect(posts[0]!.args.channel).toMatch(/^D/);
    expect(posts[0]!.args.text).toContain('alice poked you: time to talk');
    expect(posts[1]!.args.channel).toMatch(/^G/);
    const complete = h.fake.api('files.completeUploadExternal')[0]!;
    expect(complete.args.channel_id).toBe(posts[1]!.args.channel);
    expect(h.fake.calls.filter((c) => c.kind === 'upload')).toHaveLength(1);
    // the DM channel is cached: a second poke opens nothing new for bob
    await run('/poke', 'member:<@U0BOB|bob> again');
    await h.bot.settled();
    expect(h.fake.api('conversations.open')).toHaveLength(2);
    const cached = await db().db.select().from(dmChannels).where(eq(dmChannels.workspaceRef, h.team.id));
    expect(cached.map((r) => r.userId)).toEqual(['U0BOB']);
  });

  it('user text is escaped so it cannot mention @channel or fake a link', async () => {
    await run('/pitch', 'pitch:"hi <!channel> & <https://evil|bank>" company:Acme');
    await h.bot.settled();
    const reply = h.fake.api().find((c) => c.kind === 'respond')!;
    expect(reply.args.response_type).toBe('in_channel');
    const shown = JSON.stringify(reply.args.blocks);
    expect(shown).not.toContain('<!channel>');
    expect(shown).toContain('&lt;!channel&gt; &amp; &lt;https://evil|bank&gt;');
  });
});
