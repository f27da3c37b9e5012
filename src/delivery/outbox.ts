import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { communities, outbox } from '../../db/schema.js';
import type { Attachment, Content, OutgoingMessage } from '../messages.js';
import { decideDm, type Recipient } from './delivery-policy.js';

/** A message for the outbox: an OutgoingMessage plus what makes its delivery exact and polite. */
export interface OutboxMessage extends OutgoingMessage {
  /**
   * Unique per intended delivery (`intro-reminder:12:34:1`): enqueueing the same key again is a no-op. Unset for a
   * message decided once by a command or a button (its interaction is deduplicated already): a fresh key is made.
   */
  idempotencyKey?: string;
  /** The nudge this is (`meeting-reminder`): not queued for a member who turned it off in /me. Unset for group rules. */
  optOutKey?: string;
  /** Earliest delivery (default: now). */
  notBefore?: Date;
  /** DMs wait out the member's quiet hours unless this is false (an answer they are waiting for). */
  quietHours?: boolean;
  /**
   * A DM that matters beyond a nudge (a referral, a welcome): to a member who refuses DMs it goes to a private thread
   * (Discord) or an ephemeral message (Slack) in their group's channel instead of being dropped.
   */
  fallback?: boolean;
}

/**
 * How a target is stored. Resolved when it is queued, in the transaction that reads the recipients for the delivery
 * policy anyway: the members' platform user ids and, for a DM that may reach them elsewhere, their group's channel.
 * The claim then reads nothing per member (on PGlite, whose statements are planned afresh each time, joining the
 * members there cost more than the rest of the claim). A row queued before targets were resolved here has no
 * `userId`/`userIds`; the claim resolves those as it used to (resolveUnresolved in outbox-claim.ts).
 */
export type StoredTarget =
  | { kind: 'channel'; channelRef: string }
  | {
      kind: 'dm';
      memberId: number;
      userId?: string;
      /** Queued with a fallback (older rows: the flag alone, the channel found at the claim). */
      fallback?: true;
      /** Where it reaches them when they refuse DMs (a private thread, an ephemeral message). */
      fallbackChannelRef?: string;
    }
  | {
      kind: 'conversation';
      memberIds: number[];
      /** Platform user id by member id, for the members still in the community when it was queued. */
      userIds?: Record<string, string>;
      channelRef: string;
      title: string;
    };

export interface EnqueueResult {
  queued: number;
  /** Opted out, blocked the bot, or no longer a member. */
  skipped: number;
  /** The rows written (a key already queued is not among them): what the committing process flushes. */
  ids: number[];
}

export interface EnqueueOptions {
  now: Date;
  /** The group's time zone, for members who set none. */
  timezone: string;
  /** The member whose command or button decided these: their own DMs are an answer, never held or dropped. */
  askedBy?: number;
  /** The community's platform, when the caller has it (saves a query). */
  platform?: string;
  /**
   * The home channel of the group that decided these messages: where a DM queued with a fallback reaches a member
   * who refuses DMs. Without it, the member's first group's channel (or the community's first group's).
   */
  fallbackChannelRef?: string;
}

/**
 * Queues messages in the caller's transaction (the transactional outbox: whatever decided them and the messages commit
 * together, and a crash after the commit loses none). The delivery policy (delivery-policy.ts) is applied here, once
 * for every message: the sender only paces and delivers.
 */
export async function enqueueOutbox(
  db: Db,
  communityId: number,
  messages: readonly OutboxMessage[],
  opts: EnqueueOptions,
): Promise<EnqueueResult> {
  if (messages.length === 0) return { queued: 0, skipped: 0, ids: [] };
  const [community] = opts.platform
    ? [{ platform: opts.platform }]
    : await db.select({ platform: communities.platform }).from(communities).where(eq(communities.id, communityId));
  if (!community) return { queued: 0, skipped: messages.length, ids: [] };
  const memberIds = [
    ...new Set(
      messages.flatMap((m) =>
        m.target.kind === 'dm' ? [m.target.memberId] : m.target.kind === 'conversation' ? m.target.memberIds : [],
      ),
    ),
  ];
  const needsFallback = !opts.fallbackChannelRef && messages.some((m) => m.fallback && m.target.kind === 'dm');
  const recipients = await recipientsOf(db, communityId, memberIds, needsFallback);
  const values: (typeof outbox.$inferInsert)[] = [];
  let skipped = 0;
  for (const m of messages) {
    let at = m.notBefore && m.notBefore > opts.now ? m.notBefore : opts.now;
    let memberId: number | null = null;
    let target: StoredTarget = m.target;
    if (m.target.kind === 'dm') {
      const decision = decideDm({
        recipient: recipients.get(m.target.memberId) ?? null,
        ...(m.optOutKey ? { nudge: m.optOutKey } : {}),
        asked: opts.askedBy === m.target.memberId,
        fallback: m.fallback === true,
        quietHours: m.quietHours !== false,
        at,
        timezone: opts.timezone,
      });
      if (!decision.send) {
        skipped++;
        continue;
      }
      at = decision.at;
      memberId = m.target.memberId;
      const r = recipients.get(memberId)!;
      const fallbackChannelRef = m.fallback ? (opts.fallbackChannelRef ?? r.homeChannelRef) : null;
      target = { kind: 'dm', memberId, userId: r.userId, ...(fallbackChannelRef ? { fallbackChannelRef } : {}) };
    } else if (m.target.kind === 'conversation') {
      const userIds: Record<string, string> = {};
      for (const id of m.target.memberIds) {
        const r = recipients.get(id);
        if (r) userIds[id] = r.userId;
      }
      target = { ...m.target, userIds };
    }
    values.push({
      idempotencyKey: m.idempotencyKey ?? `once:${randomUUID()}`,
      communityId,
      platform: community.platform,
      target,
      content: storedContent(m.content),
      memberId,
      editKey: m.key ?? null,
      nextAttemptAt: at,
      expiresAt: m.validUntil ?? null,
    });
  }
  if (values.length === 0) return { queued: 0, skipped, ids: [] };
  const inserted = await db
    .insert(outbox)
    .values(values)
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  return { queued: inserted.length, skipped, ids: inserted.map((r) => r.id) };
}

/** A recipient as the policy reads them, with what delivery needs: their platform user id and group's channel. */
interface Resolved extends Recipient {
  userId: string;
  homeChannelRef: string | null;
}

async function recipientsOf(
  db: Db,
  communityId: number,
  ids: number[],
  withHomeChannel: boolean,
): Promise<Map<number, Resolved>> {
  const out = new Map<number, Resolved>();
  if (ids.length === 0) return out;
  // the member's first group, else the community's first: where a fallback DM went before targets were resolved here
  const home = withHomeChannel
    ? sql`coalesce(
        (select g.home_channel_ref from group_memberships gm join groups g on g.id = gm.group_id
          where gm.community_id = m.community_id and gm.member_id = m.id order by gm.created_at limit 1),
        (select g.home_channel_ref from groups g where g.community_id = m.community_id order by g.id limit 1))`
    : sql`null`;
  const rows = rowsOf<{
    id: number;
    user_id: string;
    timezone: string | null;
    quiet_start: string | null;
    quiet_end: string | null;
    muted: string[] | null;
    blocked: boolean | null;
    home: string | null;
  }>(
    await db.execute(sql`
      select m.id, m.platform_user_id as user_id, m.timezone, p.quiet_start, p.quiet_end, p.muted_nudges as muted,
        p.dm_blocked_at is not null as blocked, ${home} as home
      from members m left join member_preferences p on p.member_id = m.id
      where m.community_id = ${communityId} and m.id = any(${sql.param(ids)}::int[])`),
  );
  for (const r of rows) {
    out.set(Number(r.id), {
      id: Number(r.id),
      userId: r.user_id,
      timezone: r.timezone,
      quietStart: r.quiet_start,
      quietEnd: r.quiet_end,
      muted: r.muted ?? [],
      blocked: Boolean(r.blocked),
      homeChannelRef: r.home,
    });
  }
  return out;
}

type StoredAttachment = Omit<Attachment, 'data'> & { base64: string };

/** jsonb holds no bytes (a Uint8Array would come back as {"0":97,…}): attachments are kept as base64. */
function storedContent(c: Content): unknown {
  if (!c.attachments?.length) return c;
  const attachments: StoredAttachment[] = c.attachments.map(({ data, ...a }) => ({
    ...a,
    base64: Buffer.from(data).toString('base64'),
  }));
  return { ...c, attachments };
}

/** A row's content as the ports take it, attachments decoded. */
export function restoredContent(stored: unknown): Content {
  const c = stored as Omit<Content, 'attachments'> & { attachments?: StoredAttachment[] };
  if (!c.attachments?.length) return c as Content;
  return {
    ...c,
    attachments: c.attachments.map(({ base64, ...a }) => ({
      ...a,
      data: new Uint8Array(Buffer.from(base64, 'base64')),
    })),
  };
}
