import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { communities, outbox } from '../../db/schema.js';
import type { Attachment, Content, OutgoingMessage, Target } from '../messages.js';
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

/** How a DM target is stored: the member, and whether it may reach them in their group's channel instead. */
export type StoredTarget = Target | { kind: 'dm'; memberId: number; fallback: true };

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
  const dmIds = [...new Set(messages.flatMap((m) => (m.target.kind === 'dm' ? [m.target.memberId] : [])))];
  const recipients = await recipientsOf(db, communityId, dmIds);
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
      if (m.fallback) target = { kind: 'dm', memberId, fallback: true };
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

async function recipientsOf(db: Db, communityId: number, ids: number[]): Promise<Map<number, Recipient>> {
  const out = new Map<number, Recipient>();
  if (ids.length === 0) return out;
  const rows = rowsOf<{
    id: number;
    timezone: string | null;
    quiet_start: string | null;
    quiet_end: string | null;
    muted: string[] | null;
    blocked: boolean | null;
  }>(
    await db.execute(sql`
      select m.id, m.timezone, p.quiet_start, p.quiet_end, p.muted_nudges as muted, p.dm_blocked_at is not null as blocked
      from members m left join member_preferences p on p.member_id = m.id
      where m.community_id = ${communityId} and m.id = any(${sql.param(ids)}::int[])`),
  );
  for (const r of rows) {
    out.set(Number(r.id), {
      id: Number(r.id),
      timezone: r.timezone,
      quietStart: r.quiet_start,
      quietEnd: r.quiet_end,
      muted: r.muted ?? [],
      blocked: Boolean(r.blocked),
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
