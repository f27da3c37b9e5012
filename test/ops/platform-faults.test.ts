import { afterEach, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { startSlackHarness } from '../adapters/slack/slack-harness.js';
import { DiscordHarness } from '../fakes/discord/harness.js';
import { describeEachDatabase } from '../support/databases.js';
import { Changes, eventually } from '../support/eventually.js';

type SlackH = Awaited<ReturnType<typeof startSlackHarness>>;

/** Gaps between consecutive calls, in ms. */
const gaps = (ats: number[]) => ats.slice(1).map((t, i) => t - ats[i]!);

describeEachDatabase('a platform answering 5xx or timing out', (db) => {
  let slack: SlackH | undefined;
  let discord: DiscordHarness | undefined;
  afterEach(async () => {
    await slack?.close();
    await discord?.close();
    slack = undefined;
    discord = undefined;
  });

  const slackHelp = async (h: SlackH, user: string) => {
    h.fake.addUser({ id: user, name: user.toLowerCase(), teamId: h.team.id });
    const ack = await h.client.command({
      team: h.team,
      user,
      userName: user.toLowerCase(),
      channel: 'C0GENERAL',
      command: '/help',
      text: '',
    });
    expect(ack.status).toBe(200);
    await h.bot.settled();
    return h.fake.api().filter((c) => c.kind === 'respond');
  };

  it('Slack: 503s are retried with backoff and the member is answered; past the bound it stops and still answers', async () => {
    slack = await startSlackHarness(db(), { tuning: { retries: 2, timeoutMs: 1_000 } });
    slack.fake.serverError('users.info', 503, 2);
    expect(await slackHelp(slack, 'U0ANN')).toHaveLength(1);
    const tries = slack.fake.api('users.info');
    expect(tries).toHaveLength(3);
    // minTimeout 200 ms, factor 1.5: the retries wait, they do not hammer.
    for (const g of gaps(tries.map((c) => c.at))) expect(g).toBeGreaterThanOrEqual(150);

    // A longer outage: exactly 1 + 2 attempts, then the bot gives up on the name and answers with the payload's.
    slack.fake.serverError('users.info', 503, 50);
    const callsBefore = slack.fake.api('users.info').length;
    const replies = await slackHelp(slack, 'U0BOB');
    expect(replies).toHaveLength(2);
    // Nothing keeps retrying: the answer went only once the lookup had given up, and no work of the bot is left
    // running (slackHelp waited for it to settle), so no attempt can come after it.
    const lookups = slack.fake.api('users.info').slice(callsBefore);
    expect(Math.max(...lookups.map((c) => c.seq))).toBeLessThan(replies.at(-1)!.seq);
    expect(slack.fake.api('users.info').length - callsBefore).toBe(3);
  });

  it('Slack: a call that times out is retried and the member is answered', async () => {
    slack = await startSlackHarness(db(), { tuning: { retries: 2, timeoutMs: 400 } });
    slack.fake.stall('users.info', 1_500);
    const started = Date.now();
    expect(await slackHelp(slack, 'U0CAT')).toHaveLength(1);
    expect(slack.fake.api('users.info').length).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('Discord: 502s and a hung attempt are retried with growing waits, bounded, and the command is answered', async () => {
    // the backoff tells when it gives up on a request (its last attempt failed): the evidence that nothing follows
    const gaveUp = new Changes();
    const finalFailures: string[] = [];
    discord = await DiscordHarness.start(db(), {
      commands,
      bot: {
        backoff: {
          retries: 3,
          baseMs: 100,
          maxMs: 400,
          attemptTimeoutMs: 400,
          onFailure: (kind, final) => {
            if (!final) return;
            finalFailures.push(kind);
            gaveUp.notify();
          },
        },
      },
    });
    const callback = /^\/interactions\/\d+\/[^/]+\/callback$/;
    discord.fake.fail('POST', callback, { status: 502, body: { message: 'Bad Gateway' } }, 2);
    discord.fake.stall('POST', callback, 1_000, 1);
    const id = await discord.slash('alice', 'help', {});
    const tries = discord.fake.callsTo('POST', callback);
    expect(tries.map((c) => (c.status < 300 ? 'ok' : c.status))).toEqual([502, 502, 'ok']);
    expect(discord.fake.interactions.get(id)!.callbacks).toHaveLength(1);
    const [g1, g2] = gaps(tries.map((c) => c.at));
    expect(g1).toBeGreaterThanOrEqual(45);
    // The stalled third attempt (cut at 400 ms) and a wait of 200–400 ms come before the fourth.
    expect(g2).toBeGreaterThanOrEqual(400);

    // Past the bound: 1 + 3 attempts, then the error is the bot's to log; nothing keeps retrying.
    discord.fake.fail('POST', callback, { status: 503, body: { message: 'down' } }, 100);
    expect(finalFailures).toEqual([]);
    await discord.slash('alice', 'help', {});
    // the backoff returned the last 503 with no wait after it, and the interaction is settled: no attempt can follow
    await eventually(() => finalFailures.length > 0, { on: gaveUp.signal, what: 'the backoff to give up' });
    expect(finalFailures).toEqual(['server']);
    expect(discord.fake.callsTo('POST', callback).filter((c) => c.status === 503)).toHaveLength(4);
  });
});
