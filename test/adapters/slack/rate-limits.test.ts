import { afterEach, beforeEach, expect, it } from 'vitest';
import type { FakeTeam } from '../../fakes/slack/fake-slack.js';
import { describeEachDatabase } from '../../support/databases.js';
import { freshTeamId, startSlackHarness } from './slack-harness.js';

describeEachDatabase('Slack rate limits', (db) => {
  let h: Awaited<ReturnType<typeof startSlackHarness>>;
  let other: FakeTeam;
  beforeEach(async () => {
    h = await startSlackHarness(db(), { mode: 'oauth', tuning: { retries: 2 } });
    other = h.fake.addTeam({ id: freshTeamId() });
  });
  afterEach(async () => h.close());

  it('honours 429 Retry-After in one workspace without stalling another', async () => {
    // Two single-workspace installs through the real OAuth store (one WebClient each).
    for (const t of [h.team, other]) {
      const code = `c-${t.id}`;
      h.fake.installCodes.set(code, t);
      const base = `http://127.0.0.1:${h.bot.httpPort}`;
      const start = await fetch(`${base}/slack/install`, { redirect: 'manual' });
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      const cookie = start.headers.get('set-cookie')!.split(';')[0]!;
      const done = await fetch(`${base}/slack/oauth_redirect?code=${code}&state=${encodeURIComponent(state)}`, {
        headers: { cookie },
      });
      expect(done.status).toBe(200);
    }
    h.fake.rateLimit('chat.postMessage', { teamId: h.team.id, retryAfter: 1 });
    const started = Date.now();
    const limited = h.bot.port.send(h.team.id, { kind: 'channel', channelRef: 'C1' }, { text: 'to the busy one' });
    await h.fake.waitFor(() => h.fake.api('chat.postMessage', h.team.id).length === 1);
    const freeAt = await h.bot.port
      .send(other.id, { kind: 'channel', channelRef: 'C1' }, { text: 'to the other one' })
      .then(() => Date.now() - started);
    const ref = await limited;
    const limitedAt = Date.now() - started;
    expect(freeAt).toBeLessThan(500);
    expect(limitedAt).toBeGreaterThanOrEqual(1000);
    expect(ref?.messageRef).toBeTruthy();
    const calls = h.fake.api('chat.postMessage', h.team.id);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(950);
  });
});
