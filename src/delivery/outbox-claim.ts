import { type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { PostedRef, ResolvedTarget } from '../platform.js';
import type { StoredTarget } from './outbox.js';

/**
 * How `last_error` of a row claimed again after its sender's lease ran out begins (the claim's time follows). Its
 * `attempts` count both claims; such a row may have reached the platform twice (the sender sent it, then died before
 * recording it), other rows never do.
 */
export const TAKEN_OVER = 'taken over after its sender’s lease ran out: may have been delivered twice';

/** `last_error` of a row whose validity ended before it could be sent (held by quiet hours, a paused platform). */
export const EXPIRED = 'expired before it could be delivered: its moment had passed';

/** A claimed outbox row with everything its send needs, read in the claiming statement. */
export interface ClaimedRow {
  id: number;
  communityId: number;
  target: StoredTarget;
  content: unknown;
  memberId: number | null;
  editKey: string | null;
  attempts: number;
  status: 'sending' | 'expired';
  lastError: string | null;
  expiresAt: Date | null;
  /** The community's platform ref (null: the community is gone). */
  communityRef: string | null;
  /** The target's members: platform user id, and whether their DM channel is cached (no DM opening needed). */
  users: Map<number, { userId: string; dmCached: boolean }>;
  /** Where a DM queued with a fallback goes when DMs are refused: the member's group home channel. */
  fallbackChannelRef: string | null;
  /** The platform message kept up to date under the row's edit key, when one was posted. */
  posted: PostedRef | null;
}

export interface ClaimRequest {
  /** The sending lease's key (leaseKey) and this process's name in it. */
  leaseKey: string;
  workerId: string;
  platform: string;
  /** Narrows the claim: communities of a port serving named ones, or the rows a commit wrote. */
  scope: SQL;
  limit: number;
  now: Date;
  leaseMs: number;
  /**
   * Whether a row claimed after its validity end expires (a running bot: it comes late). Otherwise (the shell's
   * `:advance`, where the clock jumps but the bot counts as running throughout) only a row that was held until past
   * its end does: one due before it would have gone in time.
   */
  lateExpires: boolean;
}

/**
 * Takes (or renews) the platform's sending lease, claims due rows and reads what sending them needs, in one
 * statement: the committing process's own rows reach the port one round trip after the commit. Nothing is claimed
 * while another live process holds the lease. A `sending` row among the due ones was claimed by a sender whose lease
 * ran out (killed, or stopped before it finished): it is taken over and marked TAKEN_OVER, since that sender may have
 * sent it just before dying. A row past its validity end is marked expired instead of being claimed. The claim waits
 * for no disk flush (synchronous_commit off, like the sent marks): only a crash of the database server itself could
 * forget it, and then the row is claimed again.
 */
export async function claimDue(db: Db, r: ClaimRequest): Promise<ClaimedRow[]> {
  const now = r.now.toISOString();
  const until = new Date(r.now.getTime() + r.leaseMs).toISOString();
  // stamped with this claim's time, so the log counts only rows taken over now, and the mark survives later retries
  const mark = `${TAKEN_OVER} (at ${now})`;
  const expired = r.lateExpires ? sql`o.expires_at <= ${now}::timestamptz` : sql`o.expires_at <= o.next_attempt_at`;
  const rows = rowsOf<RawClaimed>(
    await db.execute(sql`
      with cfg as materialized (select set_config('synchronous_commit', 'off', true) as v),
      lease as (
        insert into delivery_leases (platform, holder, until) values (${r.leaseKey}, ${r.workerId}, ${until}::timestamptz)
        on conflict (platform) do update set holder = excluded.holder, until = excluded.until
          where delivery_leases.holder = excluded.holder or delivery_leases.until < ${now}::timestamptz
        returning 1
      ),
      picked as (
        select id from outbox
        where platform = ${r.platform} ${r.scope} and status in ('pending', 'sending')
          and next_attempt_at <= ${now}::timestamptz and exists (select 1 from lease) and exists (select 1 from cfg)
        order by next_attempt_at, id limit ${r.limit} for update skip locked
      ),
      claimed as (
        update outbox o set
          status = case when ${expired} then 'expired' else 'sending' end,
          attempts = o.attempts + 1,
          next_attempt_at = case when ${expired} then o.next_attempt_at
            else ${until}::timestamptz end,
          -- the SET sees the row as it was: only rows another sender still held get the mark
          last_error = case when ${expired} then ${EXPIRED}
            when o.status = 'sending' then ${mark} else o.last_error end
        from picked where o.id = picked.id
        returning o.*
      )
      select cl.id, cl.community_id, cl.target, cl.content, cl.member_id, cl.edit_key, cl.attempts, cl.status,
        cl.last_error, cl.expires_at, c.platform_ref as community_ref,
        -- whether the DM channel is known (sending opens none): the pacer counts an opening as a call
        case when cl.status = 'sending' and cl.target->>'kind' = 'dm' then exists (
          select 1 from dm_channels d where d.platform = ${r.platform} and d.workspace_ref = c.platform_ref
            and d.user_id = cl.target->>'userId') end as dm_cached,
        pm.channel_ref as posted_channel, pm.message_ref as posted_message
      from claimed cl
      left join communities c on c.id = cl.community_id
      left join posted_messages pm on pm.community_id = cl.community_id and pm.key = cl.edit_key`),
  );
  const claimed = rows.map(fromRaw);
  await resolveUnresolved(db, r.platform, claimed);
  return claimed.sort((a, b) => a.id - b.id);
}

interface RawClaimed {
  id: number;
  community_id: number;
  target: StoredTarget;
  content: unknown;
  member_id: number | null;
  edit_key: string | null;
  attempts: number;
  status: 'sending' | 'expired';
  last_error: string | null;
  expires_at: Date | string | null;
  community_ref: string | null;
  dm_cached: boolean | null;
  posted_channel: string | null;
  posted_message: string | null;
}

function fromRaw(r: RawClaimed): ClaimedRow {
  const users = new Map<number, { userId: string; dmCached: boolean }>();
  const t = r.target;
  if (t.kind === 'dm' && t.userId) users.set(t.memberId, { userId: t.userId, dmCached: Boolean(r.dm_cached) });
  if (t.kind === 'conversation' && t.userIds) {
    for (const [id, userId] of Object.entries(t.userIds)) users.set(Number(id), { userId, dmCached: false });
  }
  return {
    id: Number(r.id),
    communityId: Number(r.community_id),
    target: r.target,
    content: r.content,
    memberId: r.member_id === null ? null : Number(r.member_id),
    editKey: r.edit_key,
    attempts: Number(r.attempts),
    status: r.status,
    lastError: r.last_error,
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at),
    communityRef: r.community_ref,
    users,
    fallbackChannelRef: t.kind === 'dm' ? (t.fallbackChannelRef ?? null) : null,
    posted:
      r.posted_channel !== null && r.posted_message !== null
        ? { channelRef: r.posted_channel, messageRef: r.posted_message }
        : null,
  };
}

/**
 * Rows queued before targets were resolved at enqueueing (their DM has no `userId`, their conversation no `userIds`):
 * their members' platform ids and fallback channel, read as the claim read them then. One statement, and only when
 * such a row was claimed.
 */
async function resolveUnresolved(db: Db, platform: string, rows: ClaimedRow[]): Promise<void> {
  const open = rows.filter(
    (r) =>
      r.status === 'sending' &&
      ((r.target.kind === 'dm' && !r.target.userId) || (r.target.kind === 'conversation' && !r.target.userIds)),
  );
  if (open.length === 0) return;
  const found = rowsOf<{ id: number; users: Record<string, [string, boolean]> | null; fallback_ref: string | null }>(
    await db.execute(sql`
      select o.id,
        (select jsonb_object_agg(m.id::text, jsonb_build_array(m.platform_user_id, exists (
            select 1 from dm_channels d where d.platform = ${platform} and d.workspace_ref = c.platform_ref
              and d.user_id = m.platform_user_id)))
          from members m where m.community_id = o.community_id and m.id in (
            select (o.target->>'memberId')::int
            union all select e::int from jsonb_array_elements_text(
              case when jsonb_typeof(o.target->'memberIds') = 'array' then o.target->'memberIds' else '[]' end) e)
        ) as users,
        case when o.target ? 'fallback' then coalesce(
          (select g.home_channel_ref from group_memberships gm join groups g on g.id = gm.group_id
            where gm.community_id = o.community_id and gm.member_id = (o.target->>'memberId')::int
            order by gm.created_at limit 1),
          (select g.home_channel_ref from groups g where g.community_id = o.community_id order by g.id limit 1))
        end as fallback_ref
      from outbox o left join communities c on c.id = o.community_id
      where o.id = any(${sql.param(open.map((r) => r.id))}::int[])`),
  );
  const byId = new Map(found.map((f) => [Number(f.id), f]));
  for (const row of open) {
    const f = byId.get(row.id);
    for (const [id, [userId, dmCached]] of Object.entries(f?.users ?? {})) {
      if (userId) row.users.set(Number(id), { userId, dmCached: Boolean(dmCached) });
    }
    row.fallbackChannelRef = f?.fallback_ref ?? null;
  }
}

/** A row the platform took, with the message it made (null: a port that keeps no reference, the shell). */
export interface SentRow {
  row: ClaimedRow;
  ref: PostedRef | null;
}

/**
 * Marks rows sent, recording each platform message under its edit key, and (for the last send of a drain) giving up
 * the sending lease, in one statement: a fan-out marks each row right after its send, a commit's own few rows are
 * marked together once all have gone. Without waiting for the disk flush (synchronous_commit off): the mark is visible at
 * once, so a crash of the bot repeats only the messages in flight; only a crash of the database server itself could
 * forget the last few marks (a fraction of a second), and pacing then sends about 4 messages/ms instead of 1 per fsync.
 */
export async function recordSent(
  db: Db,
  sent: readonly SentRow[],
  now: Date,
  release: { leaseKey: string; workerId: string } | null,
): Promise<void> {
  if (sent.length === 0 && !release) return;
  const at = now.toISOString();
  // one platform message per edit key: of two rows of a batch under one key, the later one's (it edited the first)
  const keyed = new Map<string, { communityId: number; key: string; ref: PostedRef }>();
  for (const { row, ref } of sent) {
    if (row.editKey && ref)
      keyed.set(`${row.communityId}:${row.editKey}`, { communityId: row.communityId, key: row.editKey, ref });
  }
  const posts = [...keyed.values()];
  const posted = posts.length
    ? sql`, posted as (
        insert into posted_messages (community_id, key, channel_ref, message_ref)
        select * from unnest(${sql.param(posts.map((p) => p.communityId))}::int[], ${sql.param(posts.map((p) => p.key))}::text[],
          ${sql.param(posts.map((p) => p.ref.channelRef))}::text[], ${sql.param(posts.map((p) => p.ref.messageRef))}::text[])
        on conflict (community_id, key) do update
          set channel_ref = excluded.channel_ref, message_ref = excluded.message_ref, updated_at = ${at}::timestamptz
        returning 1)`
    : sql``;
  const released = release
    ? sql`, released as (delete from delivery_leases where platform = ${release.leaseKey} and holder = ${release.workerId}
        returning 1)`
    : sql``;
  await db.execute(sql`
    with sent as (
      update outbox o set status = 'sent', sent_at = ${at}::timestamptz, channel_ref = s.channel_ref, message_ref = s.message_ref
      from unnest(${sql.param(sent.map((s) => s.row.id))}::int[], ${sql.param(sent.map((s) => s.ref?.channelRef ?? null))}::text[],
        ${sql.param(sent.map((s) => s.ref?.messageRef ?? null))}::text[]) as s(id, channel_ref, message_ref)
      where o.id = s.id returning 1)
    ${posted} ${released}
    select set_config('synchronous_commit', 'off', true)`);
}

/** Extends the lease of those of `ids` still ours (sending, lease not run out); returns them. */
export async function renewClaims(db: Db, ids: number[], now: Date, leaseMs: number): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = rowsOf<{ id: number }>(
    await db.execute(sql`
      update outbox set next_attempt_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz
      where id = any(${sql.param(ids)}::int[]) and status = 'sending' and next_attempt_at > ${now.toISOString()}::timestamptz
      returning id`),
  );
  return new Set(rows.map((r) => Number(r.id)));
}

/** Gives up a sending lease so another replica need not wait for it to run out (`leaseKey` null: all of ours). */
export async function releaseLease(db: Db, workerId: string, leaseKey: string | null): Promise<void> {
  // no wait for the disk (synchronous_commit off, like the sent marks): a lease only paces, and runs out anyway
  await db.execute(
    sql`delete from delivery_leases where holder = ${workerId}
      ${leaseKey === null ? sql`` : sql`and platform = ${leaseKey}`}
      and (select set_config('synchronous_commit', 'off', true)) is not null`,
  );
}

/**
 * Member ids to platform user ids. A DM goes without a fallback channel unless it was queued with one (a referral, a
 * welcome): a nudge to a member who refuses DMs is given up (the port throws a blocked DeliveryError, logged once),
 * not moved into a thread or channel they did not ask it to reach them in.
 */
export function resolveTarget(row: ClaimedRow): ResolvedTarget | null {
  const t = row.target;
  if (t.kind === 'channel') return { kind: 'channel', channelRef: t.channelRef };
  if (t.kind === 'dm') {
    const userId = row.users.get(t.memberId)?.userId;
    const fallbackChannelRef = row.fallbackChannelRef;
    return userId ? { kind: 'dm', userId, ...(fallbackChannelRef ? { fallbackChannelRef } : {}) } : null;
  }
  const userIds = t.memberIds.flatMap((id) => {
    const u = row.users.get(id)?.userId;
    return u ? [u] : [];
  });
  return userIds.length ? { kind: 'conversation', userIds, channelRef: t.channelRef, title: t.title } : null;
}
