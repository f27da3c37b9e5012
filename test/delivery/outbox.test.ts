import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../db/client.js';
import { dmChannels, memberPreferences, outbox } from '../../db/schema.js';
import { ManualClock } from '../../src/clock.js';
import { DeliveryError } from '../../src/delivery/delivery-error.js';
import { enqueueOutbox, type OutboxMessage } from '../../src/delivery/outbox.js';
import { OutboxSender, TAKEN_OVER } from '../../src/delivery/outbox-sender.js';
import { Pacer, type PaceTimer, PLATFORM_LIMITS } from '../../src/delivery/pacer.js';
import { silentLogger } from '../../src/logger.js';
import type { Capabilities, MessagePort, ResolvedTarget } from '../../src/platform.js';
import { describeEachDatabase } from '../support/databases.js';
import { within } from '../support/eventually.js';
import { seedGroup } from '../support/nudges-fixtures.js';
import { dyingAfter } from '../support/outbox-on-platforms.js';

const T0 = new Date('2026-01-05T12:00:00Z'); // 12:00 UTC: outside default quiet hours
const caps: Capabilities = {
  privateReplies: true,
  dms: true,
  channelPosts: true,
  threads: true,
  forms: true,
  buttons: true,
  files: true,
};

/** Virtual time for the pacer: sleeping moves it, so pacing is checked exactly and instantly. */
function virtualTimer(): PaceTimer & { t: number } {
  const v = {
    t: 0,
    now: () => v.t,
    sleep: async (ms: number) => {
      v.t += ms;
    },
  };
  return v;
}

interface Sent {
  user: string;
  text: string;
  at: number;
}
function fakePort(
  platform: 'discord' | 'slack' | 'shell',
  timer: { now(): number },
  behave: (t: ResolvedTarget, n: number) => void | Promise<void> = () => {},
) {
  const sent: Sent[] = [];
  const port: MessagePort = {
    platform,
    capabilities: caps,
    async send(_c, target, content) {
      await behave(target, sent.length);
      sent.push({ user: target.kind === 'dm' ? target.userId : 'channel', text: content.text, at: timer.now() });
      return { channelRef: 'x', messageRef: String(sent.length) };
    },
  };
  return { port, sent };
}

const dms = (members: { id: number }[], tag: string): OutboxMessage[] =>
  members.map((m) => ({
    target: { kind: 'dm', memberId: m.id },
    idempotencyKey: `${tag}:${m.id}`,
    content: { text: `${tag} ${m.id}` },
  }));

async function cacheDms(db: Db, ref: string, platform: string, n: number) {
  await db
    .insert(dmChannels)
    .values(
      Array.from({ length: n }, (_, i) => ({ platform, workspaceRef: ref, userId: `u${i}`, channelId: `D${i}` })),
    );
}

describeEachDatabase('outbox', (database) => {
  it('paces Discord under its global limit (48 a second) with every send exactly once, and opens new DMs slowly', async () => {
    const db = database().db;
    const { community, members } = await seedGroup(db, { members: 210, platform: 'discord' });
    await cacheDms(db, community.platformRef, 'discord', 200); // u200–u209 need a DM opened
    const clock = new ManualClock(T0);
    await enqueueOutbox(db, community.id, dms(members, 'pace'), { now: T0, timezone: 'UTC' });
    const timer = virtualTimer();
    const { port, sent } = fakePort('discord', timer);
    const sender = new OutboxSender({
      db,
      clock,
      log: silentLogger,
      workerId: 'a',
      pacer: new Pacer(PLATFORM_LIMITS, timer),
      maxWaitMs: 60_000,
    });
    await sender.flush([port]);
    expect(sent).toHaveLength(210);
    expect(new Set(sent.map((s) => s.user)).size).toBe(210);
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    const perSecond = PLATFORM_LIMITS.discord!.global!.limit;
    for (let i = perSecond; i < times.length; i++)
      expect(times[i]! - times[i - perSecond]!).toBeGreaterThanOrEqual(1000);
    const opened = sent
      .filter((s) => Number(s.user.slice(1)) >= 200)
      .map((s) => s.at)
      .sort((a, b) => a - b);
    for (let i = 1; i < opened.length; i++) expect(opened[i]! - opened[i - 1]!).toBeGreaterThanOrEqual(1000);
    // the 200 cached DMs took about 200/45 s, not longer: pacing reaches the allowed rate
    const cached = sent.filter((s) => Number(s.user.slice(1)) < 200).map((s) => s.at);
    expect(Math.max(...cached)).toBeLessThan(4_600);
  });

  it('Slack: one message per second per channel', async () => {
    const db = database().db;
    const { community } = await seedGroup(db, { platform: 'slack' });
    const msgs: OutboxMessage[] = Array.from({ length: 6 }, (_, i) => ({
      target: { kind: 'channel', channelRef: i % 2 ? 'C1' : 'C2' },
      idempotencyKey: `slack:${community.id}:${i}`,
      content: { text: `m${i}` },
    }));
    await enqueueOutbox(db, community.id, msgs, { now: T0, timezone: 'UTC' });
    const timer = virtualTimer();
    const { port, sent } = fakePort('slack', timer);
    await new OutboxSender({
      db,
      clock: new ManualClock(T0),
      log: silentLogger,
      workerId: 's',
      pacer: new Pacer(PLATFORM_LIMITS, timer),
    }).flush([port]);
    expect(sent).toHaveLength(6);
    expect(timer.t).toBeGreaterThanOrEqual(2000); // three per channel: 0 s, 1 s, 2 s
    expect(timer.t).toBeLessThan(2100);
  });

  it('honours Retry-After: the platform pauses, the message waits, nothing is lost or doubled', async () => {
    const db = database().db;
    const { community, members } = await seedGroup(db, { members: 10 });
    const clock = new ManualClock(T0);
    await enqueueOutbox(db, community.id, dms(members, 'retry'), { now: T0, timezone: 'UTC' });
    const timer = virtualTimer();
    let limited = false;
    const { port, sent } = fakePort('shell', timer, (_t, n) => {
      if (n === 3 && !limited) {
        limited = true;
        throw new DeliveryError('429', { retryAfterMs: 30_000, scope: 'global' });
      }
    });
    const sender = new OutboxSender({
      db,
      clock,
      log: silentLogger,
      workerId: 'r',
      pacer: new Pacer(PLATFORM_LIMITS, timer),
    });
    await sender.flush([port]);
    expect(sent).toHaveLength(3); // the rest wait out the pause
    const waiting = await db.select().from(outbox).where(eq(outbox.communityId, community.id));
    expect(
      waiting.filter((r) => r.status === 'pending').every((r) => r.nextAttemptAt >= new Date(T0.getTime() + 30_000)),
    ).toBe(true);
    expect(waiting.every((r) => r.attempts <= 1)).toBe(true); // waiting is not failing
    clock.advance(30_000);
    timer.t += 30_000;
    await sender.flush([port]);
    expect(sent).toHaveLength(10);
    expect(new Set(sent.map((s) => s.user)).size).toBe(10);
  });

  it('resumes after a crash: only the message in flight is sent twice', async () => {
    const db = database().db;
    const { community, members } = await seedGroup(db, { members: 8 });
    const clock = new ManualClock(T0);
    await enqueueOutbox(db, community.id, dms(members, 'crash'), { now: T0, timezone: 'UTC' });
    const timer = virtualTimer();
    // the 4th send reaches the platform, then the process dies before recording it
    const first = fakePort('shell', timer);
    const dying = dyingAfter(first.port, 4);
    const crashed = new OutboxSender({
      db,
      clock,
      log: silentLogger,
      workerId: 'dead',
      pacer: new Pacer(PLATFORM_LIMITS, timer),
    });
    void crashed.flush([dying]);
    // it sends one message at a time: once its 4th send hangs it can send no more (the next batch it prefetches was
    // claimed at T0, when its rows were all held already: it takes nothing, whenever it reaches the database)
    await within(dying.dead, { what: 'the dying sender to reach its 4th send' });
    expect(first.sent).toHaveLength(4);
    clock.advance(121_000); // past the claim lease and the sending lease
    const second = fakePort('shell', timer);
    await new OutboxSender({
      db,
      clock,
      log: silentLogger,
      workerId: 'next',
      pacer: new Pacer(PLATFORM_LIMITS, timer),
    }).flush([second.port]);
    const all = [...first.sent, ...second.sent].map((s) => s.user);
    expect(all).toHaveLength(9);
    const twice = [...new Set(all)].filter((u) => all.filter((x) => x === u).length > 1);
    expect(twice).toEqual([first.sent[3]!.user]);
    const rows = await db.select().from(outbox).where(eq(outbox.communityId, community.id));
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // The outbox records which rows the dead sender still held: the repeated one is among them, the three it had
    // recorded as sent are not.
    const marked = rows.filter((r) => r.lastError?.startsWith(TAKEN_OVER));
    expect(marked.map((r) => r.memberId).sort()).toEqual(
      members
        .slice(3)
        .map((m) => m.id)
        .sort(),
    );
    expect(marked.every((r) => r.attempts === 2)).toBe(true);
    expect(rows.filter((r) => r.lastError === null).every((r) => r.attempts === 1)).toBe(true);
  });

  it('keeps the lease of a batch slower than the lease, so no other sender takes and repeats its rows', async () => {
    const db = database().db;
    const { community, members } = await seedGroup(db, { members: 12 });
    const clock = new ManualClock(T0);
    await enqueueOutbox(db, community.id, dms(members, 'slow'), { now: T0, timezone: 'UTC' });
    const timer = virtualTimer();
    const LEASE = 10_000;
    const sender = (workerId: string) =>
      new OutboxSender({
        db,
        clock,
        log: silentLogger,
        workerId,
        pacer: new Pacer(PLATFORM_LIMITS, timer),
        leaseMs: LEASE,
      });
    const other = fakePort('shell', timer);
    const otherSender = sender('other');
    // each send takes 0.4 of the lease, and another replica looks for work after every one
    const slow = fakePort('shell', timer, async () => {
      clock.advance(0.4 * LEASE);
      await otherSender.flush([other.port], [community.id]);
    });
    await sender('slow').flush([slow.port], [community.id]);
    expect(other.sent).toEqual([]);
    expect(slow.sent.map((x) => x.user).sort()).toEqual(members.map((_, i) => `u${i}`).sort());
    const rows = await db.select().from(outbox).where(eq(outbox.communityId, community.id));
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 1 && r.lastError === null)).toBe(true);
  });

  it('gives up on a member who blocks the bot after one logged failure', async () => {
    const db = database().db;
    const { community, members } = await seedGroup(db, { members: 3 });
    const clock = new ManualClock(T0);
    const warnings: unknown[] = [];
    const log = { ...silentLogger, warn: (o: unknown) => warnings.push(o) } as unknown as typeof silentLogger;
    await enqueueOutbox(db, community.id, [...dms(members, 'one'), ...dms(members, 'two')], {
      now: T0,
      timezone: 'UTC',
    });
    const timer = virtualTimer();
    const { port, sent } = fakePort('shell', timer, (t) => {
      if (t.kind === 'dm' && t.userId === 'u1') throw new DeliveryError('cannot DM', { blocked: true });
    });
    const sender = new OutboxSender({ db, clock, log, workerId: 'b', pacer: new Pacer(PLATFORM_LIMITS, timer) });
    await sender.flush([port]);
    expect(sent.map((s) => s.user).sort()).toEqual(['u0', 'u0', 'u2', 'u2']);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('u1'); // ids of the platform are not logged, the member id is
    const blocked = members[1]!.id;
    const rows = await db.select().from(outbox).where(eq(outbox.memberId, blocked));
    expect(rows.map((r) => r.status)).toEqual(['blocked', 'blocked']);
    const [pref] = await db.select().from(memberPreferences).where(eq(memberPreferences.memberId, blocked));
    expect(pref!.dmBlockedAt).not.toBeNull();
    const later = await enqueueOutbox(db, community.id, dms([members[1]!], 'three'), { now: T0, timezone: 'UTC' });
    expect(later).toEqual({ queued: 0, skipped: 1, ids: expect.any(Array) });
  });

  it('queues DMs for the end of quiet hours in the member’s zone, and drops nudges they turned off', async () => {
    const db = database().db;
    const { community, members } = await seedGroup(db, { members: 3 });
    const [a, b, c] = members;
    await db.insert(memberPreferences).values([
      { memberId: b!.id, quietStart: '23:00', quietEnd: '06:00' },
      { memberId: c!.id, mutedNudges: ['intro-reminder'] },
    ]);
    const night = new Date('2026-01-05T21:30:00Z'); // 22:30 in Berlin
    const msgs = [a!, b!, c!].map((m) => ({
      target: { kind: 'dm' as const, memberId: m.id },
      idempotencyKey: `quiet:${m.id}`,
      optOutKey: 'intro-reminder',
      content: { text: 'hi' },
    }));
    const r = await enqueueOutbox(db, community.id, msgs, { now: night, timezone: 'Europe/Berlin' });
    expect(r).toEqual({ queued: 2, skipped: 1, ids: expect.any(Array) });
    const rows = await db.select().from(outbox).where(eq(outbox.communityId, community.id));
    const at = (id: number) => rows.find((x) => x.memberId === id)!.nextAttemptAt.toISOString();
    expect(at(a!.id)).toBe('2026-01-06T07:00:00.000Z'); // 08:00 Berlin
    expect(at(b!.id)).toBe('2026-01-05T21:30:00.000Z'); // 22:30 is before b's 23:00
    // enqueueing the same keys again changes nothing
    expect(await enqueueOutbox(db, community.id, msgs, { now: night, timezone: 'Europe/Berlin' })).toEqual({
      queued: 0,
      skipped: 1,
      ids: [],
    });
  });

  it('resolves targets when queuing (platform ids, fallback channel) and still delivers rows queued before that', async () => {
    const db = database().db;
    const { community, group, members } = await seedGroup(db, { members: 3, platform: 'slack' });
    const [a, b, c] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    const clock = new ManualClock(T0);
    // new rows: a DM with a fallback to the deciding group's channel, and a conversation
    const { ids } = await enqueueOutbox(
      db,
      community.id,
      [
        { target: { kind: 'dm', memberId: a.id }, content: { text: 'new dm' }, fallback: true },
        {
          target: { kind: 'conversation', memberIds: [b.id, c.id], channelRef: 'C1', title: 'Pair' },
          content: { text: 'new pair' },
        },
      ],
      { now: T0, timezone: 'UTC', fallbackChannelRef: 'CDECIDED' },
    );
    const stored = await db.select({ target: outbox.target }).from(outbox).where(eq(outbox.id, ids[0]!));
    expect(stored[0]!.target).toEqual({ kind: 'dm', memberId: a.id, userId: 'u0', fallbackChannelRef: 'CDECIDED' });
    // rows as they were stored before: the member ids only, the fallback as a flag
    await db.insert(outbox).values([
      {
        idempotencyKey: `old-dm-${community.id}`,
        communityId: community.id,
        platform: 'slack',
        target: { kind: 'dm', memberId: b.id, fallback: true },
        content: { text: 'old dm' },
        memberId: b.id,
        nextAttemptAt: T0,
      },
      {
        idempotencyKey: `old-pair-${community.id}`,
        communityId: community.id,
        platform: 'slack',
        target: { kind: 'conversation', memberIds: [a.id, c.id], channelRef: 'C1', title: 'Pair' },
        content: { text: 'old pair' },
        nextAttemptAt: T0,
      },
    ]);
    const targets: { text: string; target: ResolvedTarget }[] = [];
    const port: MessagePort = {
      platform: 'slack',
      capabilities: caps,
      async send(_c, target, content) {
        targets.push({ text: content.text, target });
        return null;
      },
    };
    await new OutboxSender({ db, clock, log: silentLogger, workerId: 'a' }).flush([port]);
    const by = (text: string) => targets.find((t) => t.text === text)?.target;
    expect(by('new dm')).toEqual({ kind: 'dm', userId: 'u0', fallbackChannelRef: 'CDECIDED' });
    expect(by('new pair')).toEqual({ kind: 'conversation', userIds: ['u1', 'u2'], channelRef: 'C1', title: 'Pair' });
    // an old row's fallback is the member's group's channel, as the claim found it then
    expect(by('old dm')).toEqual({ kind: 'dm', userId: 'u1', fallbackChannelRef: group.homeChannelRef });
    expect(by('old pair')).toEqual({ kind: 'conversation', userIds: ['u0', 'u2'], channelRef: 'C1', title: 'Pair' });
    expect(targets).toHaveLength(4);
  });
});
