import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { communities, groups } from '../../../db/schema.js';
import { describeEachDatabase } from '../../support/databases.js';
import { freshTeamId, startSlackHarness } from './slack-harness.js';

type H = Awaited<ReturnType<typeof startSlackHarness>>;

describeEachDatabase('Slack channel options', (db) => {
  let h: H;
  const alice = { id: 'U0ALICE', name: 'alice' };
  beforeEach(async () => {
    h = await startSlackHarness(db());
    h.fake.addUser({ ...alice, teamId: h.team.id });
    h.fake.addChannel({ id: 'C0GENERAL', teamId: h.team.id, name: 'general' });
    h.fake.addChannel({ id: 'C0INTROS', teamId: h.team.id, name: 'intros', isMember: false });
    h.fake.addChannel({ id: 'C0OLD', teamId: h.team.id, name: 'old', isArchived: true });
    h.fake.addChannel({ id: 'C0BOARD', teamId: h.team.id, name: 'board', isPrivate: true, isMember: false });
    h.fake.addChannel({ id: 'C0THEIRS', teamId: freshTeamId(), name: 'theirs' });
  });
  afterEach(async () => h.close());

  const setup = async (text: string) => {
    await h.client.command({
      team: h.team,
      user: alice.id,
      userName: alice.name,
      channel: 'C0GENERAL',
      command: '/setup',
      text,
    });
    await h.bot.settled();
    return String(
      h.fake
        .api()
        .filter((c) => c.kind === 'respond')
        .at(-1)!.args.text,
    );
  };
  const group = async () => {
    const [c] = await db().db.select().from(communities).where(eq(communities.platformRef, h.team.id));
    return c ? (await db().db.select().from(groups).where(eq(groups.communityId, c.id)))[0] : undefined;
  };

  it('refuses another workspace’s, an archived and a private channel the bot is not in; takes a public one', async () => {
    expect(await setup('name:Peers intro_channel:<#C0THEIRS|theirs>')).toContain(
      '`intro_channel` must be a channel of this workspace',
    );
    expect(await setup('name:Peers intro_channel:<#C0BOARD|board>')).toContain('must be a channel of this workspace');
    expect(await setup('name:Peers intro_channel:<#C0OLD|old>')).toContain('I can’t post in that channel');
    expect(await group()).toBeUndefined();
    expect(await setup('name:Peers intro_channel:<#C0INTROS|intros>')).toContain('Peers');
    expect((await group())?.introChannelRef).toBe('C0INTROS');
  });
});
