import { ChannelType } from 'discord-api-types/v10';
import { afterEach, expect, it } from 'vitest';
import { enqueueOutbox } from '../../../src/delivery/outbox.js';
import { DiscordHarness } from '../../fakes/discord/harness.js';
import { describeEachDatabase } from '../../support/databases.js';
import { realTimeSender, rowStatuses, seedMembers } from '../../support/outbox-on-platforms.js';

/** The Retry-After the fake answers (s) and the longest wait the port takes inline here (ms): 1 s surfaces. */
const RETRY_AFTER_S = 1;
const INLINE_MS = 200;

const THREAD_CREATE = /^\/channels\/\d+\/threads$/;
const MEMBER_ADD = /^\/channels\/\d+\/thread-members\/\d+$/;
const MESSAGE_POST = /^\/channels\/\d+\/messages$/;

/**
 * A shared conversation (and a DM's fallback) on Discord is several visible steps: a private thread is created, the
 * members are added, then the message is posted into it. A long rate limit after the thread exists must not make
 * the caller send the whole thing again, which would create a second thread.
 */
describeEachDatabase('discord: the steps after a thread was created', (db) => {
  let h: DiscordHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function start() {
    h = await DiscordHarness.start(db(), { bot: { inlineRetryAfterMs: INLINE_MS } });
    const [ann, ben] = [h.user('ann'), h.user('ben')];
    const general = h.channel('general');
    const conversation = {
      kind: 'conversation' as const,
      userIds: [ann.id, ben.id],
      channelRef: general.id,
      title: 'ann and ben meet',
    };
    return { ann, ben, general, conversation };
  }
  const threads = () => [...h!.fake.channels.values()].filter((c) => c.type === ChannelType.PrivateThread);
  const statuses = (path: RegExp, method = 'POST') => h!.fake.callsTo(method, path).map((c) => c.status);

  it('a long 429 on the post into the new thread is waited out: one thread, the message posted once', async () => {
    const { ann, ben, conversation } = await start();
    h!.fake.rateLimit('POST', MESSAGE_POST, RETRY_AFTER_S);

    const ref = await h!.bot.port.send(h!.guild.id, conversation, { text: 'Meet each other' });

    expect(statuses(THREAD_CREATE)).toEqual([200]);
    const [thread] = threads();
    expect(threads()).toHaveLength(1);
    expect([...thread!.members]).toEqual([ann.id, ben.id]);
    const posts = h!.fake.callsTo('POST', MESSAGE_POST);
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    expect(ref!.channelRef).toBe(thread!.id);
    expect([...h!.fake.messages.values()].map((m) => [m.channelId, m.content])).toEqual([
      [thread!.id, 'Meet each other'],
    ]);
  });

  it('a long 429 on adding a member is waited out: one thread, every member added, the message posted once', async () => {
    const { ann, ben, conversation } = await start();
    h!.fake.rateLimit('PUT', new RegExp(`^/channels/\\d+/thread-members/${ben.id}$`), RETRY_AFTER_S);

    await h!.bot.port.send(h!.guild.id, conversation, { text: 'Meet each other' });

    expect(statuses(THREAD_CREATE)).toEqual([200]);
    expect(threads()).toHaveLength(1);
    expect([...threads()[0]!.members]).toEqual([ann.id, ben.id]);
    const adds = h!.fake.callsTo('PUT', MEMBER_ADD);
    expect(adds.map((c) => c.status)).toEqual([204, 429, 204]); // ann once, ben after the wait
    expect(adds[2]!.at - adds[1]!.at).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000);
    expect(statuses(MESSAGE_POST)).toEqual([200]);
  });

  it('through the outbox: the conversation is sent once, into one thread, after the wait', async () => {
    const { conversation } = await start();
    const { communityId, members } = await seedMembers(h!.core.db, 'discord', h!.guild.id, [
      { id: conversation.userIds[0]!, name: 'ann' },
      { id: conversation.userIds[1]!, name: 'ben' },
    ]);
    await enqueueOutbox(
      h!.core.db,
      communityId,
      [
        {
          target: {
            kind: 'conversation',
            memberIds: members.map((m) => m.id),
            channelRef: conversation.channelRef,
            title: conversation.title,
          },
          idempotencyKey: 'pair:ann:ben',
          content: { text: 'Meet each other' },
        },
      ],
      { now: h!.clock.now(), timezone: 'UTC' },
    );
    h!.fake.rateLimit('POST', MESSAGE_POST, RETRY_AFTER_S);

    expect(await realTimeSender(h!.core.db, h!.clock, h!.core.log).flush([h!.bot.port])).toBe(1);

    expect(threads()).toHaveLength(1);
    expect(statuses(MESSAGE_POST)).toEqual([429, 200]);
    expect((await rowStatuses(h!.core.db, communityId, members)).map((r) => r.status)).toEqual(['sent']);
  });

  it('a DM falling back to a new private thread waits out a long 429 on its post: one thread, posted once', async () => {
    const { ann, general } = await start();
    h!.fake.blockedDms.add(ann.id);
    h!.fake.rateLimit(
      'POST',
      new RegExp(`^/channels/(?!${h!.fake.dmChannel(ann.id).id})\\d+/messages$`),
      RETRY_AFTER_S,
    );

    const ref = await h!.bot.port.send(
      h!.guild.id,
      { kind: 'dm', userId: ann.id, fallbackChannelRef: general.id },
      { text: 'A note for you' },
    );

    expect(threads()).toHaveLength(1);
    const [thread] = threads();
    expect(ref!.channelRef).toBe(thread!.id);
    expect(statuses(new RegExp(`^/channels/${thread!.id}/messages$`))).toEqual([429, 200]);
    expect(h!.latest((m) => m.channelId === thread!.id)!.content).toBe('A note for you');
    expect([...h!.fake.messages.values()].filter((m) => m.channelId === thread!.id)).toHaveLength(1);
  });
});
