import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { communities, processedInteractions } from '../../../db/schema.js';
import { describeEachDatabase } from '../../support/databases.js';
import { startSlackHarness } from './slack-harness.js';

type H = Awaited<ReturnType<typeof startSlackHarness>>;

describeEachDatabase('Slack request signing and re-deliveries', (db) => {
  let h: H;
  beforeEach(async () => {
    h = await startSlackHarness(db());
    h.fake.addUser({ id: 'U0ALICE', name: 'alice', teamId: h.team.id });
  });
  afterEach(async () => h.close());
  const setup = { user: 'U0ALICE', userName: 'alice', channel: 'C0GENERAL', command: '/setup', text: 'name:"Signed"' };
  const nothingProcessed = async () => {
    await h.bot.settled();
    expect(h.fake.calls.filter((c) => c.method !== 'auth.test')).toHaveLength(0);
    expect(await db().db.select().from(communities).where(eq(communities.platformRef, h.team.id))).toHaveLength(0);
  };

  it('refuses a forged signature with 401 and processes nothing', async () => {
    const res = await h.client.command({ team: h.team, ...setup }, { secret: 'not-the-secret' });
    expect(res.status).toBe(401);
    await nothingProcessed();
  });

  it('refuses a timestamp older than five minutes (Bolt) and one more than five minutes ahead (ours)', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await h.client.command({ team: h.team, ...setup }, { timestamp: now - 6 * 60 })).status).toBe(401);
    expect((await h.client.command({ team: h.team, ...setup }, { timestamp: now + 6 * 60 })).status).toBe(401);
    const event = await h.client.event(
      h.team,
      { type: 'team_join', user: { id: 'U9', name: 'x' } },
      { timestamp: now + 3600 },
    );
    expect(event.status).toBe(401);
    await nothingProcessed();
    // a small clock skew is still fine
    expect((await h.client.command({ team: h.team, ...setup }, { timestamp: now + 60 })).status).toBe(200);
  });

  it('refuses a timestamp that is not whole seconds: Infinity, NaN, a fraction, an exponent', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [Number.POSITIVE_INFINITY, Number.NaN, now + 0.5, -now]) {
      const res = await h.client.command({ team: h.team, ...setup }, { timestamp });
      expect(res.status, String(timestamp)).toBe(401);
    }
    const event = await h.client.event(
      h.team,
      { type: 'team_join', user: { id: 'U9', name: 'x' } },
      { timestamp: Number.POSITIVE_INFINITY },
    );
    expect(event.status).toBe(401);
    await nothingProcessed();
  });

  it('a retried slash command (same trigger id, X-Slack-Retry-Num) is processed once', async () => {
    const body = h.client.commandBody({ team: h.team, ...setup });
    const form = 'application/x-www-form-urlencoded';
    expect((await h.client.post(body.body, form)).status).toBe(200);
    await h.bot.settled();
    expect((await h.client.post(body.body, form, { retryNum: 1 })).status).toBe(200);
    await h.bot.settled();
    const replies = h.fake.calls.filter((c) => c.kind === 'respond');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.args.text).toContain('Signed');
    const claimed = await db()
      .db.select()
      .from(processedInteractions)
      .where(eq(processedInteractions.interactionId, body.triggerId));
    expect(claimed).toHaveLength(1);
  });

  it('a re-delivered event is processed once', async () => {
    await h.client.command({ team: h.team, ...setup });
    await h.bot.settled();
    h.fake.addUser({ id: 'U0NEW', name: 'newbie', teamId: h.team.id });
    const joined = { type: 'team_join', user: { id: 'U0NEW', name: 'newbie', profile: { display_name: 'Newbie' } } };
    await h.client.event(h.team, joined, { eventId: 'Ev0001' });
    await h.bot.settled();
    await h.client.event(h.team, joined, { eventId: 'Ev0001', retryNum: 1 });
    await h.bot.settled();
    const welcomes = h.fake.api('chat.postMessage');
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]!.args.text).toContain('Welcome, Newbie!');
    expect(welcomes[0]!.args.channel).toMatch(/^D/);
  });

  it('welcomes a member joining the group’s channel, but not the bot itself', async () => {
    await h.client.command({ team: h.team, ...setup });
    await h.bot.settled();
    h.fake.addUser({ id: 'U0JOE', name: 'joe', teamId: h.team.id });
    await h.client.event(h.team, {
      type: 'member_joined_channel',
      user: h.team.botUserId,
      channel: 'C0GENERAL',
      team: h.team.id,
    });
    await h.client.event(h.team, {
      type: 'member_joined_channel',
      user: 'U0JOE',
      channel: 'C0GENERAL',
      team: h.team.id,
    });
    await h.bot.settled();
    const welcomes = h.fake.api('chat.postMessage');
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]!.args.text).toContain('Welcome, joe!');
  });
});
