import { eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { memberPreferences, outbox } from '../../../db/schema.js';
import { enqueueOutbox } from '../../../src/delivery/outbox.js';
import type { Logger } from '../../../src/logger.js';
import { describeEachDatabase } from '../../support/databases.js';
import { sleep, within } from '../../support/eventually.js';
import {
  cacheDms,
  capturingLogger,
  dmsTo,
  dyingAfter,
  realTimeSender,
  rowStatuses,
  seedMembers,
} from '../../support/outbox-on-platforms.js';
import { type SlackHarness, startSlackHarness } from './slack-harness.js';

/** The Retry-After the fake answers (s, Slack sends whole seconds) and the longest wait the port takes inline (ms). */
const RETRY_AFTER_S = 1;
const INLINE_MS = 200;

describeEachDatabase('slack outbox through Bolt', (db) => {
  let h: (SlackHarness & { team: { id: string } }) | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Members with these names in the fake workspace, two DMs each queued (all firsts, then all seconds). */
  async function workspace(names: string[], opts: { log?: Logger; cached?: string[] } = {}) {
    h = await startSlackHarness(db(), {
      tuning: { inlineRetryAfterMs: INLINE_MS },
      ...(opts.log ? { log: opts.log } : {}),
    });
    const team = h.team.id;
    const users = names.map((n) => h!.fake.addUser({ id: `U${n.toUpperCase()}`, teamId: team, name: n }));
    const { communityId, members } = await seedMembers(h.core.db, 'slack', team, users);
    const dm = (name: string) => h!.fake.conversation(team, [`U${name.toUpperCase()}`]);
    if (opts.cached?.length) {
      await cacheDms(
        h.core.db,
        'slack',
        team,
        opts.cached.map((n) => ({ userId: `U${n.toUpperCase()}`, channelId: dm(n) })),
      );
    }
    await enqueueOutbox(h.core.db, communityId, [...dmsTo(members, 'one'), ...dmsTo(members, 'two')], {
      now: h.clock.now(),
      timezone: 'UTC',
    });
    return { communityId, members, dm };
  }

  const postsTo = (channel: string) => h!.fake.api('chat.postMessage').filter((c) => c.args.channel === channel);
  /** Texts Slack accepted in one channel. */
  const received = (channel: string) =>
    postsTo(channel)
      .filter((c) => c.result?.ok)
      .map((c) => c.args.text as string);

  async function afterThePause(sender: ReturnType<typeof realTimeSender>) {
    // time, not an event: the WebClient holds the method for Retry-After in real time, and the sender's next flush
    // must find it free (the fake's Retry-After window is what is under test)
    await sleep(RETRY_AFTER_S * 1000 + 200);
    h!.clock.advance(RETRY_AFTER_S * 1000 + 200);
    return sender.flush([h!.bot.port]);
  }

  it('waits out a 429 on one DM: nothing goes to that DM during the pause, the others go on, each message once', async () => {
    const { communityId, members, dm } = await workspace(['ann', 'ben', 'cat'], { cached: ['ann', 'ben', 'cat'] });
    h!.fake.rateLimit('chat.postMessage', { channel: dm('ben'), retryAfter: RETRY_AFTER_S });
    const sender = realTimeSender(h!.core.db, h!.clock, h!.core.log);

    expect(await sender.flush([h!.bot.port])).toBe(4);
    expect(postsTo(dm('ben'))).toHaveLength(1); // the 429
    expect(received(dm('ann'))).toEqual(['one ann', 'two ann']);
    expect(received(dm('cat'))).toEqual(['one cat', 'two cat']);
    const pending = (await rowStatuses(h!.core.db, communityId, members)).filter((r) => r.status === 'pending');
    expect(pending.map((r) => r.member)).toEqual(['ben', 'ben']);
    expect(pending.every((r) => r.attempts === 0)).toBe(true); // waiting is not failing

    expect(await afterThePause(sender)).toBe(2);
    const ben = postsTo(dm('ben'));
    expect(ben).toHaveLength(3);
    expect(ben[1]!.at - ben[0]!.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    expect(received(dm('ben')).sort()).toEqual(['one ben', 'two ben']);
    const rows = await rowStatuses(h!.core.db, communityId, members);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('a workspace limit (conversations.open) pauses every send until Retry-After has passed, then all go out once', async () => {
    const { log, lines } = capturingLogger();
    const { communityId, members, dm } = await workspace(['ann', 'ben', 'cat']);
    h!.fake.rateLimit('conversations.open', { user: 'UBEN', retryAfter: RETRY_AFTER_S });
    const sender = realTimeSender(h!.core.db, h!.clock, log);
    const before = h!.fake.calls.length;

    expect(await sender.flush([h!.bot.port])).toBe(1);
    const first = h!.fake.calls.slice(before).map((c) => `${c.method} ${c.args.users ?? c.args.channel}`);
    // ann's DM opened and sent, ben's open refused, then nothing
    expect(first).toEqual(['conversations.open UANN', `chat.postMessage ${dm('ann')}`, 'conversations.open UBEN']);
    const limitedAt = h!.fake.calls.at(-1)!.at;
    const waits = lines.filter((l) => l.msg === 'rate limited: waiting');
    expect(waits.map((l) => l.scope)).toEqual(['global']);
    expect(waits[0]!.retryAfterMs).toBe(RETRY_AFTER_S * 1000);

    expect(await afterThePause(sender)).toBe(5);
    const after = h!.fake.calls.slice(before + 3);
    expect(after.every((c) => c.at - limitedAt >= RETRY_AFTER_S * 1000)).toBe(true);
    for (const name of ['ann', 'ben', 'cat']) expect(received(dm(name)).sort()).toEqual([`one ${name}`, `two ${name}`]);
    const rows = await rowStatuses(h!.core.db, communityId, members);
    expect(rows.every((r) => r.status === 'sent' && r.attempts <= 1)).toBe(true);
  });

  it('members Slack will not let us DM get one logged failure each and no more attempts; the others get theirs', async () => {
    const { log, lines } = capturingLogger();
    // ben cannot be DMed at all (refused at conversations.open); dan's account was deactivated after his DM was
    // opened (refused at chat.postMessage)
    const { communityId, members, dm } = await workspace(['ann', 'ben', 'cat', 'dan'], { log, cached: ['dan'] });
    h!.fake.refuseDms('UBEN', 'cannot_dm_bot');
    h!.fake.refuseDms('UDAN', 'is_archived');
    const sender = realTimeSender(h!.core.db, h!.clock, log, { batchSize: 2 });
    const opensFor = (user: string) => h!.fake.api('conversations.open').filter((c) => c.args.users === user);

    expect(await sender.flush([h!.bot.port])).toBe(4);
    expect(received(dm('ann'))).toEqual(['one ann', 'two ann']);
    expect(received(dm('cat'))).toEqual(['one cat', 'two cat']);
    expect(opensFor('UBEN')).toHaveLength(1);
    expect(postsTo(dm('ben'))).toHaveLength(0);
    expect(postsTo(dm('dan'))).toHaveLength(1);
    expect(h!.fake.api('chat.postEphemeral')).toHaveLength(0); // given up, not moved into a channel
    const failures = lines.filter((l) => l.level >= 40);
    expect(failures.map((l) => l.msg)).toEqual([
      'member blocks the bot: giving up on their DMs',
      'member blocks the bot: giving up on their DMs',
    ]);
    const blocked = members.filter((m) => m.name === 'ben' || m.name === 'dan');
    expect(failures.map((l) => l.memberId).sort()).toEqual(blocked.map((m) => m.id).sort());

    for (const m of blocked) {
      const rows = await h!.core.db.select().from(outbox).where(eq(outbox.memberId, m.id));
      expect(rows.map((r) => r.status)).toEqual(['blocked', 'blocked']);
      const [pref] = await h!.core.db.select().from(memberPreferences).where(eq(memberPreferences.memberId, m.id));
      expect(pref!.dmBlockedAt).not.toBeNull();
    }
    expect(
      await enqueueOutbox(h!.core.db, communityId, dmsTo(blocked, 'three'), { now: h!.clock.now(), timezone: 'UTC' }),
    ).toEqual({ queued: 0, skipped: 2, ids: expect.any(Array) });
    expect(await sender.flush([h!.bot.port])).toBe(0);
    expect(opensFor('UBEN')).toHaveLength(1);
    expect(postsTo(dm('dan'))).toHaveLength(1);
  });

  it('resumes after a crash: what was delivered is not sent again, only the message in flight', async () => {
    const { communityId, members, dm } = await workspace(['ann', 'ben', 'cat'], { cached: ['ann', 'ben', 'cat'] });
    // the third send reaches Slack, then the process dies before recording it
    const dying = dyingAfter(h!.bot.port, 3);
    void realTimeSender(h!.core.db, h!.clock, h!.core.log).flush([dying]);
    // dead once Slack answered the third: the sender, one send at a time, can post nothing more
    await within(dying.dead, { what: 'the third send to reach Slack' });
    expect(h!.fake.api('chat.postMessage')).toHaveLength(3);
    h!.clock.advance(121_000); // past the claim lease and the sending lease
    expect(await realTimeSender(h!.core.db, h!.clock, h!.core.log).flush([h!.bot.port])).toBe(4);
    const all = ['ann', 'ben', 'cat'].flatMap((n) => received(dm(n)));
    expect(all.sort()).toEqual(['one ann', 'one ben', 'one cat', 'one cat', 'two ann', 'two ben', 'two cat']);
    const rows = await rowStatuses(h!.core.db, communityId, members);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });
});
