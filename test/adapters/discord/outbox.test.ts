import { eq } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { memberPreferences, outbox } from '../../../db/schema.js';
import { enqueueOutbox } from '../../../src/delivery/outbox.js';
import type { RecordedCall } from '../../fakes/discord/fake-discord.js';
import { ChannelType } from '../../fakes/discord/fake-state.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';
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

/** The Retry-After the fake answers (s) and the longest wait the port takes inline here (ms): 1 s surfaces. */
const RETRY_AFTER_S = 1;
const INLINE_MS = 200;

describeEachDatabase('discord outbox through discord.js', (db) => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** ann, ben and cat with their DM channels cached, two DMs each queued (ann, ben, cat, ann, ben, cat). */
  async function threeMembers(log?: ReturnType<typeof capturingLogger>['log']) {
    h = await DiscordHarness.start(db(), { bot: { inlineRetryAfterMs: INLINE_MS }, ...(log ? { log } : {}) });
    const users = ['ann', 'ben', 'cat'].map((n) => h!.user(n));
    const { communityId, members } = await seedMembers(
      h.core.db,
      'discord',
      h.guild.id,
      users.map((u) => ({ id: u.id, name: u.username })),
    );
    const dm = (name: string) => h!.fake.dmChannel(users.find((u) => u.username === name)!.id).id;
    await cacheDms(
      h.core.db,
      'discord',
      h.guild.id,
      users.map((u) => ({ userId: u.id, channelId: h!.fake.dmChannel(u.id).id })),
    );
    await enqueueOutbox(h.core.db, communityId, [...dmsTo(members, 'one'), ...dmsTo(members, 'two')], {
      now: h.clock.now(),
      timezone: 'UTC',
    });
    return { communityId, members, dm };
  }

  /** Texts delivered to one DM channel, and every message POST the fake answered. */
  const received = (channelId: string) =>
    [...h!.fake.messages.values()].filter((m) => m.channelId === channelId).map((m) => m.content);
  const posts = (): RecordedCall[] => h!.fake.callsTo('POST', /^\/channels\/\d+\/messages$/);
  const postsTo = (channelId: string) => h!.fake.callsTo('POST', new RegExp(`^/channels/${channelId}/messages$`));

  async function afterThePause(sender: ReturnType<typeof realTimeSender>) {
    // time, not an event: the REST client holds the route for Retry-After in real time, and the sender's next flush
    // must find it free (the fake's Retry-After window is what is under test)
    await sleep(RETRY_AFTER_S * 1000 + 200);
    h!.clock.advance(RETRY_AFTER_S * 1000 + 200);
    return sender.flush([h!.bot.port]);
  }

  it('waits out a 429 on one DM: nothing goes to that DM during the pause, the others go on, each message once', async () => {
    const { communityId, members, dm } = await threeMembers();
    h!.fake.rateLimit('POST', new RegExp(`^/channels/${dm('ben')}/messages$`), RETRY_AFTER_S);
    const sender = realTimeSender(h!.core.db, h!.clock, h!.core.log);

    expect(await sender.flush([h!.bot.port])).toBe(4);
    expect(postsTo(dm('ben')).map((c) => c.status)).toEqual([429]);
    expect(received(dm('ann'))).toEqual(['one ann', 'two ann']);
    expect(received(dm('cat'))).toEqual(['one cat', 'two cat']);
    const pending = (await rowStatuses(h!.core.db, communityId, members)).filter((r) => r.status === 'pending');
    expect(pending.map((r) => r.member)).toEqual(['ben', 'ben']);
    expect(pending.every((r) => r.attempts === 0)).toBe(true); // waiting is not failing

    expect(await afterThePause(sender)).toBe(2);
    const ben = postsTo(dm('ben'));
    expect(ben.map((c) => c.status)).toEqual([429, 200, 200]);
    expect(ben[1]!.at - ben[0]!.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    expect(received(dm('ben')).sort()).toEqual(['one ben', 'two ben']);
    expect(posts()).toHaveLength(7); // six messages, each once, and the refused attempt
    const rows = await rowStatuses(h!.core.db, communityId, members);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });

  it('a global 429 pauses every send of the platform until Retry-After has passed, then all go out once', async () => {
    const { communityId, members, dm } = await threeMembers();
    h!.fake.globalRateLimit('POST', new RegExp(`^/channels/${dm('ben')}/messages$`), RETRY_AFTER_S);
    const { log, lines } = capturingLogger();
    const sender = realTimeSender(h!.core.db, h!.clock, log);

    expect(await sender.flush([h!.bot.port])).toBe(1);
    expect(posts().map((c) => c.status)).toEqual([200, 429]); // ann's first, then nothing after ben's 429
    const limitedAt = posts()[1]!.at;
    // one pause for the platform: the other rows waited on it, none met the limit on its own route
    const waits = lines.filter((l) => l.msg === 'rate limited: waiting');
    expect(waits.map((l) => l.scope)).toEqual(['global']);
    expect(waits[0]!.retryAfterMs).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);

    expect(await afterThePause(sender)).toBe(5);
    const after = posts().slice(2);
    expect(after.every((c) => c.status === 200 && c.at - limitedAt >= RETRY_AFTER_S * 1000)).toBe(true);
    for (const name of ['ann', 'ben', 'cat']) expect(received(dm(name)).sort()).toEqual([`one ${name}`, `two ${name}`]);
    const rows = await rowStatuses(h!.core.db, communityId, members);
    expect(rows.every((r) => r.status === 'sent' && r.attempts <= 1)).toBe(true);
  });

  it('a member who blocks the bot gets one logged failure and no more DM attempts; the others get theirs', async () => {
    const { log, lines } = capturingLogger();
    const { communityId, members, dm } = await threeMembers(log);
    const ben = members.find((m) => m.name === 'ben')!;
    h!.fake.blockedDms.add(ben.userId);
    // batches of two: ben's second DM is in a later batch than the refusal
    const sender = realTimeSender(h!.core.db, h!.clock, log, { batchSize: 2 });

    expect(await sender.flush([h!.bot.port])).toBe(4);
    expect(postsTo(dm('ben'))).toHaveLength(1);
    expect(postsTo(dm('ben'))[0]!.status).toBe(403);
    expect(received(dm('ann'))).toEqual(['one ann', 'two ann']);
    expect(received(dm('cat'))).toEqual(['one cat', 'two cat']);
    // given up, not moved into a thread the member did not ask for
    expect([...h!.fake.channels.values()].filter((c) => c.type === ChannelType.PrivateThread)).toHaveLength(0);
    const failures = lines.filter((l) => l.level >= 40);
    expect(failures.map((l) => l.msg)).toEqual(['member blocks the bot: giving up on their DMs']);
    expect(failures[0]!.memberId).toBe(ben.id);

    const rows = await h!.core.db.select().from(outbox).where(eq(outbox.memberId, ben.id));
    expect(rows.map((r) => r.status)).toEqual(['blocked', 'blocked']);
    const [pref] = await h!.core.db.select().from(memberPreferences).where(eq(memberPreferences.memberId, ben.id));
    expect(pref!.dmBlockedAt).not.toBeNull();
    expect(
      await enqueueOutbox(h!.core.db, communityId, dmsTo([ben], 'three'), { now: h!.clock.now(), timezone: 'UTC' }),
    ).toEqual({ queued: 0, skipped: 1, ids: expect.any(Array) });
    expect(await sender.flush([h!.bot.port])).toBe(0);
    expect(postsTo(dm('ben'))).toHaveLength(1);
  });

  it('resumes after a crash: what was delivered is not sent again, only the message in flight', async () => {
    const { communityId, members, dm } = await threeMembers();
    // the third send reaches Discord, then the process dies before recording it
    const dying = dyingAfter(h!.bot.port, 3);
    void realTimeSender(h!.core.db, h!.clock, h!.core.log).flush([dying]);
    // dead once Discord answered the third: the sender, one send at a time, can post nothing more
    await within(dying.dead, { what: 'the third send to reach Discord' });
    expect(posts()).toHaveLength(3);
    h!.clock.advance(121_000); // past the claim lease and the sending lease
    expect(await realTimeSender(h!.core.db, h!.clock, h!.core.log).flush([h!.bot.port])).toBe(4);
    const all = members.flatMap((m) => received(dm(m.name)));
    expect(all.sort()).toEqual(['one ann', 'one ben', 'one cat', 'one cat', 'two ann', 'two ben', 'two cat']);
    const rows = await rowStatuses(h!.core.db, communityId, members);
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
  });
});
