import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { communities, groupMemberships, groups, members, postedMessages } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { OutgoingMessage } from '../messages.js';
import type { MessagePort, ResolvedTarget } from '../platform.js';
import { DeliveryError } from './delivery-error.js';
import { enqueueOutbox } from './outbox.js';

/**
 * Delivers committed outgoing messages through an adapter: turns member ids into platform user ids, and edits the
 * message stored under a key instead of posting it again. A send the platform rate-limits for long goes to the outbox;
 * any other failure is logged (without its content) and does not stop the others.
 */
export class Messenger {
  constructor(
    private readonly db: Db,
    private readonly port: MessagePort,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  async deliver(communityId: number, messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const [community] = await this.db.select().from(communities).where(eq(communities.id, communityId));
    if (!community) return;
    const ids = new Set<number>();
    for (const m of messages) {
      if (m.target.kind === 'dm') ids.add(m.target.memberId);
      if (m.target.kind === 'conversation') for (const id of m.target.memberIds) ids.add(id);
    }
    const rows = ids.size
      ? await this.db
          .select({ id: members.id, userId: members.platformUserId })
          .from(members)
          .where(and(eq(members.communityId, communityId), sql`${members.id} = any(${sql.param([...ids])}::int[])`))
      : [];
    const userOf = new Map(rows.map((r) => [r.id, r.userId]));
    const fallback = await this.homeChannels(communityId, [...ids]);
    for (const message of messages) {
      const target = resolve(message, userOf, fallback);
      if (!target) {
        this.log.warn({ communityId, target: message.target.kind }, 'message to a member who no longer exists dropped');
        continue;
      }
      try {
        const existing = message.key ? await this.posted(communityId, message.key) : undefined;
        const ref = await this.port.send(community.platformRef, target, message.content, existing);
        if (message.key && ref) {
          await this.db
            .insert(postedMessages)
            .values({ communityId, key: message.key, channelRef: ref.channelRef, messageRef: ref.messageRef })
            .onConflictDoUpdate({
              target: [postedMessages.communityId, postedMessages.key],
              set: { channelRef: ref.channelRef, messageRef: ref.messageRef, updatedAt: new Date() },
            });
        }
      } catch (err) {
        // Given a fallback, a port reaches a member who refuses DMs there; only one with no group channel ends here.
        if (err instanceof DeliveryError && err.blocked) {
          this.log.warn(
            { communityId, target: target.kind },
            'member does not accept DMs and has no group channel: dropped',
          );
          continue;
        }
        if (err instanceof DeliveryError && err.retryAfterMs !== undefined) {
          await this.defer(communityId, message, err.retryAfterMs).catch((deferErr: Error) =>
            this.log.error(
              { communityId, target: target.kind, err: { message: deferErr.message } },
              'rate limited and could not be queued: message dropped',
            ),
          );
          continue;
        }
        this.log.error(
          { communityId, target: target.kind, err: { message: (err as Error).message } },
          'delivery failed',
        );
      }
    }
  }

  /**
   * The platform asked for a wait longer than a port takes inline (429 Retry-After): the message was not sent, so
   * the outbox takes it, durable and paced, to go out once the wait is over. It is an answer the member is waiting
   * for, so quiet hours do not hold it.
   */
  private async defer(communityId: number, message: OutgoingMessage, retryAfterMs: number): Promise<void> {
    const now = this.clock.now();
    const { queued } = await enqueueOutbox(
      this.db,
      communityId,
      [
        {
          ...message,
          idempotencyKey: `deferred:${randomUUID()}`,
          notBefore: new Date(now.getTime() + retryAfterMs),
          quietHours: false,
        },
      ],
      { now, timezone: 'UTC' },
    );
    if (queued === 0) {
      // the outbox refuses a DM to a member on record as blocking the bot (or gone): nothing will be sent
      this.log.error(
        { communityId, target: message.target.kind, retryAfterMs },
        'rate limited, and the outbox does not take it (member blocks DMs or is gone): message dropped',
      );
      return;
    }
    this.log.warn(
      { communityId, target: message.target.kind, retryAfterMs },
      'rate limited: message handed to the outbox',
    );
  }

  /** Each member's group home channel (their first group, else the community's first): the DM fallback. */
  private async homeChannels(communityId: number, memberIds: number[]): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    if (memberIds.length === 0) return out;
    const rows = await this.db
      .select({ memberId: groupMemberships.memberId, channel: groups.homeChannelRef })
      .from(groupMemberships)
      .innerJoin(groups, eq(groups.id, groupMemberships.groupId))
      .where(
        and(
          eq(groupMemberships.communityId, communityId),
          sql`${groupMemberships.memberId} = any(${sql.param(memberIds)}::int[])`,
        ),
      )
      .orderBy(asc(groupMemberships.joinedAt));
    for (const r of rows) if (!out.has(r.memberId)) out.set(r.memberId, r.channel);
    const [first] = await this.db
      .select({ channel: groups.homeChannelRef })
      .from(groups)
      .where(eq(groups.communityId, communityId))
      .orderBy(asc(groups.id))
      .limit(1);
    if (first) for (const id of memberIds) if (!out.has(id)) out.set(id, first.channel);
    return out;
  }

  private async posted(communityId: number, key: string) {
    const [row] = await this.db
      .select()
      .from(postedMessages)
      .where(and(eq(postedMessages.communityId, communityId), eq(postedMessages.key, key)));
    return row ? { channelRef: row.channelRef, messageRef: row.messageRef } : undefined;
  }
}

function resolve(
  m: OutgoingMessage,
  userOf: Map<number, string>,
  fallback: Map<number, string>,
): ResolvedTarget | null {
  const t = m.target;
  if (t.kind === 'channel') return t;
  if (t.kind === 'dm') {
    const userId = userOf.get(t.memberId);
    const fallbackChannelRef = fallback.get(t.memberId);
    return userId ? { kind: 'dm', userId, ...(fallbackChannelRef ? { fallbackChannelRef } : {}) } : null;
  }
  const userIds = t.memberIds.map((id) => userOf.get(id)).filter((u): u is string => Boolean(u));
  return userIds.length ? { kind: 'conversation', userIds, channelRef: t.channelRef, title: t.title } : null;
}
