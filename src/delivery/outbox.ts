import { eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { communities, outbox } from '../../db/schema.js';
import type { Attachment, Content, OutgoingMessage } from '../messages.js';
import { afterQuietHours, DEFAULT_QUIET } from './quiet-hours.js';

/** A message for the outbox: an OutgoingMessage plus what makes its delivery exact and polite. */
export interface OutboxMessage extends OutgoingMessage {
  /** Unique per intended delivery (`intro-reminder:12:34:1`): enqueueing the same key again is a no-op. */
  idempotencyKey: string;
  /** A nudge the member may turn off in /me; the DM is not queued when they did. Leave unset for group rules. */
  optOutKey?: string;
  /** Earliest delivery (default: now). */
  notBefore?: Date;
  /** DMs wait out the member's quiet hours unless this is false (an answer they are waiting for). */
  quietHours?: boolean;
}

export interface EnqueueResult {
  queued: number;
  /** Opted out, blocked the bot, or no longer a member. */
  skipped: number;
}

interface Recipient {
  id: number;
  timezone: string | null;
  quiet_start: string | null;
  quiet_end: string | null;
  muted: string[] | null;
  blocked: boolean | null;
}

/**
 * Queues messages in the caller's transaction (the transactional outbox: a job's effects and its messages commit
 * together). Honours opt-outs, DM blocks and quiet hours here, so the sender only paces and delivers.
 * `timezone` is the group's, used for members who set none.
 */
export async function enqueueOutbox(
  db: Db,
  communityId: number,
  messages: readonly OutboxMessage[],
  opts: { now: Date; timezone: string },
): Promise<EnqueueResult> {
  if (messages.length === 0) return { queued: 0, skipped: 0 };
  const [community] = await db
    .select({ platform: communities.platform })
    .from(communities)
    .where(eq(communities.id, communityId));
  if (!community) return { queued: 0, skipped: messages.length };
  const dmIds = [...new Set(messages.flatMap((m) => (m.target.kind === 'dm' ? [m.target.memberId] : [])))];
  const recipients = new Map<number, Recipient>();
  if (dmIds.length) {
    const rows = rowsOf<Recipient>(
      await db.execute(sql`
        select m.id, m.timezone, p.quiet_start, p.quiet_end, p.muted_nudges as muted, p.dm_blocked_at is not null as blocked
        from members m left join member_preferences p on p.member_id = m.id
        where m.community_id = ${communityId} and m.id = any(${sql.param(dmIds)}::int[])`),
    );
    for (const r of rows) recipients.set(r.id, r);
  }
  const values: (typeof outbox.$inferInsert)[] = [];
  let skipped = 0;
  for (const m of messages) {
    let at = m.notBefore && m.notBefore > opts.now ? m.notBefore : opts.now;
    let memberId: number | null = null;
    if (m.target.kind === 'dm') {
      const r = recipients.get(m.target.memberId);
      if (!r || r.blocked || (m.optOutKey && (r.muted ?? []).includes(m.optOutKey))) {
        skipped++;
        continue;
      }
      memberId = r.id;
      if (m.quietHours !== false) {
        at = afterQuietHours(at, r.timezone ?? opts.timezone, {
          start: r.quiet_start ?? DEFAULT_QUIET.start,
          end: r.quiet_end ?? DEFAULT_QUIET.end,
        });
      }
    }
    values.push({
      idempotencyKey: m.idempotencyKey,
      communityId,
      platform: community.platform,
      target: m.target,
      content: storedContent(m.content),
      memberId,
      editKey: m.key ?? null,
      nextAttemptAt: at,
    });
  }
  if (values.length === 0) return { queued: 0, skipped };
  const inserted = await db
    .insert(outbox)
    .values(values)
    .onConflictDoNothing({ target: outbox.idempotencyKey })
    .returning({ id: outbox.id });
  return { queued: inserted.length, skipped };
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
