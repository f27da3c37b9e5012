import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import type { Db } from '../../db/client.js';
import { communities, dmChannels, members, outbox } from '../../db/schema.js';
import type { Clock } from '../../src/clock.js';
import type { OutboxMessage } from '../../src/delivery/outbox.js';
import { OutboxSender } from '../../src/delivery/outbox-sender.js';
import { Pacer } from '../../src/delivery/pacer.js';
import type { Logger } from '../../src/logger.js';
import type { MessagePort } from '../../src/platform.js';

/**
 * Helpers for driving the real outbox sender through a real adapter port (discord.js or Bolt against its loopback
 * fake): members of the fake's community, their DMs in the queue, and a sender that pauses on Retry-After only.
 */

/** A pino logger whose lines land in an array, to check what was logged (and how often). */
export function capturingLogger() {
  const lines: { msg: string; level: number; [key: string]: unknown }[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => lines.push(JSON.parse(s)) });
  return { log, lines };
}

export interface PlatformMember {
  id: number;
  userId: string;
  name: string;
}

/** The community of a guild / workspace (created when missing) and members for these platform users. */
export async function seedMembers(
  db: Db,
  platform: 'discord' | 'slack',
  communityRef: string,
  users: { id: string; name: string }[],
): Promise<{ communityId: number; members: PlatformMember[] }> {
  await db
    .insert(communities)
    .values({ platform, platformRef: communityRef, name: communityRef })
    .onConflictDoNothing();
  const [community] = await db
    .select()
    .from(communities)
    .where(and(eq(communities.platform, platform), eq(communities.platformRef, communityRef)));
  const rows = await db
    .insert(members)
    .values(users.map((u) => ({ communityId: community!.id, platformUserId: u.id, displayName: u.name })))
    .returning();
  return {
    communityId: community!.id,
    members: rows.map((r) => ({ id: r.id, userId: r.platformUserId, name: r.displayName })),
  };
}

/** DM channels the adapter already knows (no opening needed). */
export async function cacheDms(
  db: Db,
  platform: 'discord' | 'slack',
  communityRef: string,
  channels: { userId: string; channelId: string }[],
): Promise<void> {
  await db
    .insert(dmChannels)
    .values(channels.map((c) => ({ platform, workspaceRef: communityRef, userId: c.userId, channelId: c.channelId })));
}

/** One DM per member, text `${tag} ${name}`, outside quiet hours. */
export const dmsTo = (people: PlatformMember[], tag: string): OutboxMessage[] =>
  people.map((m) => ({
    target: { kind: 'dm', memberId: m.id },
    idempotencyKey: `${tag}:${m.id}`,
    content: { text: `${tag} ${m.name}` },
    quietHours: false,
  }));

/**
 * A sender that does not pace (pacing has its own tests in test/delivery) but keeps the pauses a Retry-After asks
 * for, in real time like the REST clients'; a row whose route must wait more than 300 ms goes back to the queue.
 */
export function realTimeSender(db: Db, clock: Clock, log: Logger, opts: { batchSize?: number } = {}) {
  return new OutboxSender({
    db,
    clock,
    log,
    workerId: `w-${Math.random().toString(36).slice(2)}`,
    pacer: new Pacer({ discord: {}, slack: {} }),
    maxWaitMs: 300,
    ...opts,
  });
}

/** Status of each outbox row of a community, by member name. */
export async function rowStatuses(db: Db, communityId: number, people: PlatformMember[]) {
  const rows = await db.select().from(outbox).where(eq(outbox.communityId, communityId));
  const name = (id: number | null) => people.find((p) => p.id === id)?.name ?? '?';
  return rows.map((r) => ({ member: name(r.memberId), status: r.status, attempts: r.attempts }));
}

/**
 * The port of a process that dies after its `n`th send reached the platform, before the outbox recorded it; `dead`
 * resolves then. The sender sends one message at a time, so from then on nothing more goes out through it.
 */
export function dyingAfter(port: MessagePort, n: number): MessagePort & { dead: Promise<void> } {
  let sends = 0;
  let died!: () => void;
  const dead = new Promise<void>((r) => {
    died = r;
  });
  return {
    platform: port.platform,
    capabilities: port.capabilities,
    dead,
    async send(...args) {
      const ref = await port.send(...args);
      if (++sends === n) {
        died();
        await new Promise(() => {});
      }
      return ref;
    },
  };
}
