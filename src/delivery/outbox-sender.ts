import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { memberPreferences, outbox, postedMessages } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { MessagePort, PostedRef, ResolvedTarget } from '../platform.js';
import { DeliveryError } from './delivery-error.js';
import { restoredContent, type StoredTarget } from './outbox.js';
import { Pacer } from './pacer.js';

type OutboxRow = typeof outbox.$inferSelect;

/**
 * How `last_error` of a row claimed again after its sender's lease ran out begins (the claim's time follows). Its
 * `attempts` count both claims; such a row may have reached the platform twice (the sender sent it, then died before
 * recording it), other rows never do.
 */
export const TAKEN_OVER = 'taken over after its sender’s lease ran out: may have been delivered twice';

export interface OutboxSenderOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** This process's name in delivery leases. */
  workerId: string;
  pacer?: Pacer;
  batchSize?: number;
  /** How long a claimed row (and a platform's sending lease) is ours before another process may take it. */
  leaseMs?: number;
  /** A row whose route must wait longer than this goes back to the queue instead of holding up the batch. */
  maxWaitMs?: number;
  maxAttempts?: number;
}

/**
 * Delivers the outbox through the adapters' ports, one sender per platform at a time (a lease row), paced by the
 * Pacer. Each row is marked sent right after its send, so a crash repeats at most the one message in flight; rows of
 * a crashed sender are taken again when their lease runs out.
 */
export class OutboxSender {
  readonly pacer: Pacer;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly maxWaitMs: number;
  private readonly maxAttempts: number;
  /** Drains of this process holding a platform's sending lease: the last one to finish gives it up. */
  private readonly holders = new Map<string, number>();

  constructor(private readonly o: OutboxSenderOptions) {
    this.pacer = o.pacer ?? new Pacer();
    this.batchSize = o.batchSize ?? 100;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.maxWaitMs = o.maxWaitMs ?? 2_000;
    this.maxAttempts = o.maxAttempts ?? 5;
  }

  /**
   * Sends what is due through each port until nothing is; returns how many were sent. A port serving named
   * communities (the shell, a test driver) sends theirs only; `communityIds` narrows it further.
   */
  async flush(ports: readonly MessagePort[], communityIds: number[] | null = null): Promise<number> {
    let sent = 0;
    for (const port of ports) {
      const scope = communityIds
        ? sql`and community_id = any(${sql.param(communityIds)}::int[])`
        : port.communityRefs
          ? sql`and community_id in (select id from communities where platform = ${port.platform}
              and platform_ref = any(${sql.param([...port.communityRefs])}::text[]))`
          : sql``;
      sent += await this.drain(port, (limit) => this.claim(port.platform, scope, limit));
    }
    return sent;
  }

  /**
   * Sends these rows now, if this process may send on their platform (it holds the sending lease, or takes it): what
   * a process does right after committing messages, so a DM arrives within a second when the outbox is idle. Returns
   * how many of them are due but left unsent (another replica holds the lease): that sender, or the next tick, sends
   * them. Rows not due yet (quiet hours, a Retry-After) are not counted: their time has not come.
   */
  async sendNow(port: MessagePort, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    let left = [...ids];
    await this.drain(
      port,
      async (limit) => {
        const rows = await this.claim(port.platform, sql``, limit, left);
        const claimed = new Set(rows.map((r) => r.id));
        left = left.filter((id) => !claimed.has(id));
        return rows;
      },
      { once: ids.length <= this.batchSize },
    );
    if (left.length === 0) return 0;
    const [row] = rowsOf<{ n: number }>(
      await this.o.db.execute(
        sql`select count(*)::int as n from outbox where id = any(${sql.param(left)}::int[]) and status = 'pending'
          and next_attempt_at <= ${this.o.clock.now().toISOString()}::timestamptz`,
      ),
    );
    return Number(row?.n ?? 0);
  }

  /** Claims and sends batches through one port while this process holds its sending lease. */
  private async drain(
    port: MessagePort,
    claim: (limit: number) => Promise<OutboxRow[]>,
    opts: { once?: boolean } = {},
  ): Promise<number> {
    const key = leaseKey(port);
    let sent = 0;
    // members found blocking the bot during this drain: their other rows are already marked blocked
    const blocked = new Set<number>();
    const fetch = async (): Promise<Batch> => {
      if (!(await this.holdLease(key))) return { rows: [], infos: new Map() };
      const rows = await claim(this.batchSize);
      const infos = new Map<number, Recipients>();
      for (const id of new Set(rows.map((r) => r.communityId))) {
        infos.set(
          id,
          await this.recipients(
            id,
            port.platform,
            rows.filter((r) => r.communityId === id),
            blocked,
          ),
        );
      }
      return { rows, infos };
    };
    this.holders.set(key, (this.holders.get(key) ?? 0) + 1);
    try {
      // the next batch is claimed while this one is sent, so pacing never waits on the database between batches
      for (let next = fetch(), fresh = true; ; fresh = false) {
        const batch = await next;
        if (batch.rows.length === 0) break;
        // one batch is all there is (a commit's own rows): no prefetch
        if (opts.once) {
          sent += await this.sendBatch(port, batch, true);
          break;
        }
        next = fetch();
        // if sending throws, the prefetch's failure must not become an unhandled rejection (its rows' lease runs out)
        next.catch(() => {});
        sent += await this.sendBatch(port, batch, fresh);
      }
    } finally {
      const n = (this.holders.get(key) ?? 1) - 1;
      if (n > 0) this.holders.set(key, n);
      else this.holders.delete(key);
    }
    // idle (and no other drain of this process is sending): let another replica send without waiting for the lease
    if (!this.holders.has(key)) await this.releaseLease(key);
    return sent;
  }

  /** Takes or renews this platform's sending lease; false while another live process holds it. */
  private async holdLease(platform: string): Promise<boolean> {
    const now = this.o.clock.now();
    const until = new Date(now.getTime() + this.leaseMs);
    const rows = rowsOf(
      await this.o.db.execute(sql`
        insert into delivery_leases (platform, holder, until) values (${platform}, ${this.o.workerId}, ${until.toISOString()}::timestamptz)
        on conflict (platform) do update set holder = excluded.holder, until = excluded.until
          where (delivery_leases.holder = excluded.holder or delivery_leases.until < ${now.toISOString()}::timestamptz)
            and (select set_config('synchronous_commit', 'off', true)) is not null
        returning platform`),
    );
    return rows.length > 0;
  }

  /** Gives the leases up so another replica need not wait for them to run out (on stop). */
  async releaseLeases(): Promise<void> {
    await this.o.db.execute(sql`delete from delivery_leases where holder = ${this.o.workerId}`);
  }

  private async releaseLease(platform: string): Promise<void> {
    // no wait for the disk (synchronous_commit off, like the sent marks): a lease only paces, and runs out anyway
    await this.o.db.execute(
      sql`delete from delivery_leases where platform = ${platform} and holder = ${this.o.workerId}
        and (select set_config('synchronous_commit', 'off', true)) is not null`,
    );
  }

  /**
   * Due rows of a platform (of `scope`'s communities only, when set). A `sending` row among them was claimed by a
   * sender whose lease ran out (killed, or stopped before it finished): it is taken over and marked TAKEN_OVER, since
   * that sender may have sent it just before dying — at most one such row per dead sender actually was.
   */
  private async claim(platform: string, inScope: SQL, limit: number, only?: readonly number[]): Promise<OutboxRow[]> {
    const now = this.o.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    // stamped with this claim's time, so the log counts only rows taken over now, and the mark survives later retries
    const mark = `${TAKEN_OVER} (at ${now.toISOString()})`;
    const these = only ? sql`and id = any(${sql.param([...only])}::int[])` : sql``;
    const ids = sql`select id from outbox where platform = ${platform} ${inScope} ${these} and status in ('pending', 'sending')
      and next_attempt_at <= ${now.toISOString()}::timestamptz order by next_attempt_at, id limit ${limit} for update skip locked`;
    const rows = await this.o.db
      .update(outbox)
      .set({
        status: 'sending',
        attempts: sql`${outbox.attempts} + 1`,
        nextAttemptAt: lease,
        // the SET sees the row as it was: only rows another sender still held get the mark
        lastError: sql`case when ${outbox.status} = 'sending' then ${mark} else ${outbox.lastError} end`,
      })
      // the claim waits for no disk flush, like the sent marks (recordSent): only a crash of the database server
      // itself could forget it, and then the row is claimed again
      .where(sql`${outbox.id} in (${ids}) and (select set_config('synchronous_commit', 'off', true)) is not null`)
      .returning();
    const takenOver = rows.filter((r) => r.lastError === mark).length;
    if (takenOver > 0) {
      this.o.log.warn(
        { platform, messages: takenOver, workerId: this.o.workerId },
        'outbox messages taken over from a sender whose lease ran out: the one it had in flight may be sent twice',
      );
    }
    return rows.sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime() || a.id - b.id);
  }

  /**
   * Sends a claimed batch. Its rows' lease is renewed before the first send (a prefetched batch was claimed a batch
   * ago) and again whenever a quarter of it has gone, so a slow batch (pacing, a send waiting out a Retry-After
   * inline for up to a minute) never outlives it. A row whose lease ran out anyway is skipped: another sender may
   * have taken it, and sending it too would be a repeat.
   */
  private async sendBatch(port: MessagePort, batch: Batch, fresh: boolean): Promise<number> {
    let sent = 0;
    const order = [...batch.infos.keys()].flatMap((id) => batch.rows.filter((r) => r.communityId === id));
    let leaseFrom = this.o.clock.now().getTime();
    // a batch claimed just now holds its whole lease; a prefetched one was claimed a batch ago
    let held = fresh ? new Set(order.map((r) => r.id)) : await this.renew(order.map((r) => r.id));
    for (const [i, row] of order.entries()) {
      if (this.o.clock.now().getTime() - leaseFrom > this.leaseMs / 4) {
        leaseFrom = this.o.clock.now().getTime();
        held = await this.renew(order.slice(i).flatMap((r) => (held.has(r.id) ? [r.id] : [])));
      }
      if (!held.has(row.id)) continue;
      const info = batch.infos.get(row.communityId)!;
      // a member found blocking the bot earlier in this batch: their rows are already marked blocked
      if (row.memberId !== null && info.blocked.has(row.memberId)) continue;
      const target = resolveTarget(row.target as StoredTarget, info);
      if (!target || !info.communityRef) {
        await this.finish(row, { status: 'failed', lastError: 'recipient no longer exists' });
        continue;
      }
      if (await this.deliver(port, info.communityRef, row, target, info)) sent++;
    }
    return sent;
  }

  /** Extends the lease of those of `ids` still ours (sending, lease not run out); returns them. */
  private async renew(ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const now = this.o.clock.now();
    const rows = rowsOf<{ id: number }>(
      await this.o.db.execute(sql`
        update outbox set next_attempt_at = ${new Date(now.getTime() + this.leaseMs).toISOString()}::timestamptz
        where id = any(${sql.param(ids)}::int[]) and status = 'sending' and next_attempt_at > ${now.toISOString()}::timestamptz
        returning id`),
    );
    return new Set(rows.map((r) => Number(r.id)));
  }

  private async deliver(
    port: MessagePort,
    communityRef: string,
    row: OutboxRow,
    target: ResolvedTarget,
    info: Recipients,
  ): Promise<boolean> {
    const route = routeOf(target);
    // a DM not cached yet opens its channel first (and a Slack group DM each time, conversations.open); a Discord
    // private thread is created, then each member added, then posted into: each call counts against the global limit
    const opensDm =
      (target.kind === 'dm' && !info.dmCached.has(target.userId)) ||
      (target.kind === 'conversation' && this.pacer.conversationOpens(port.platform));
    const calls = target.kind === 'conversation' ? 2 + target.userIds.length : opensDm ? 2 : 1;
    const wait = this.pacer.delay(port.platform, route, opensDm, calls);
    if (wait > this.maxWaitMs) {
      await this.retryLater(row, wait, false);
      return false;
    }
    await this.pacer.acquire(port.platform, route, opensDm, calls);
    try {
      const existing = row.editKey ? await this.posted(row.communityId, row.editKey) : undefined;
      const ref = await port.send(communityRef, target, restoredContent(row.content), existing);
      if (target.kind === 'dm') info.dmCached.add(target.userId);
      await this.recordSent(row, ref);
      return true;
    } catch (err) {
      if (err instanceof DeliveryError && err.blocked && row.memberId !== null) info.blocked.add(row.memberId);
      await this.failed(port, row, route, err);
      return false;
    }
  }

  /**
   * Marks a row sent before the next send goes. Without waiting for the disk flush (synchronous_commit off): the
   * mark is visible at once, so a crash of the bot repeats only the message in flight; only a crash of the database
   * server itself could forget the last few marks (a fraction of a second), and pacing then sends about 4 messages/ms
   * instead of 1 per fsync.
   */
  private async recordSent(row: OutboxRow, ref: PostedRef | null): Promise<void> {
    const now = this.o.clock.now();
    // one round trip: set_config(…, true) applies to this statement's own implicit transaction
    await this.o.db
      .update(outbox)
      .set({ status: 'sent', sentAt: now, channelRef: ref?.channelRef ?? null, messageRef: ref?.messageRef ?? null })
      .where(and(eq(outbox.id, row.id), sql`(select set_config('synchronous_commit', 'off', true)) is not null`));
    if (row.editKey && ref) {
      await this.o.db
        .insert(postedMessages)
        .values({
          communityId: row.communityId,
          key: row.editKey,
          channelRef: ref.channelRef,
          messageRef: ref.messageRef,
        })
        .onConflictDoUpdate({
          target: [postedMessages.communityId, postedMessages.key],
          set: { channelRef: ref.channelRef, messageRef: ref.messageRef, updatedAt: now },
        });
    }
  }

  private async failed(port: MessagePort, row: OutboxRow, route: string, err: unknown): Promise<void> {
    const log = { outboxId: row.id, communityId: row.communityId, platform: port.platform, attempts: row.attempts };
    if (err instanceof DeliveryError && err.blocked) {
      // One logged failure, then silence: every queued DM to them is dropped and later ones are not queued.
      this.o.log.warn({ ...log, memberId: row.memberId }, 'member blocks the bot: giving up on their DMs');
      await this.finish(row, { status: 'blocked', lastError: err.message });
      if (row.memberId !== null) {
        const now = this.o.clock.now();
        await this.o.db
          .insert(memberPreferences)
          .values({ memberId: row.memberId, dmBlockedAt: now })
          .onConflictDoUpdate({ target: memberPreferences.memberId, set: { dmBlockedAt: now } });
        await this.o.db
          .update(outbox)
          .set({ status: 'blocked', lastError: 'member blocks the bot' })
          // a message that reaches them in their group's channel instead (a referral) still goes
          .where(
            and(
              eq(outbox.memberId, row.memberId),
              sql`${outbox.status} in ('pending', 'sending') and not (${outbox.target} ? 'fallback')`,
            ),
          );
      }
      return;
    }
    if (err instanceof DeliveryError && err.retryAfterMs !== undefined) {
      this.o.log.info({ ...log, retryAfterMs: err.retryAfterMs, scope: err.scope }, 'rate limited: waiting');
      this.pacer.pause(port.platform, err.scope === 'global' ? null : route, err.retryAfterMs);
      await this.retryLater(row, err.retryAfterMs, false);
      return;
    }
    const message = (err as Error).message ?? String(err);
    if (row.attempts >= this.maxAttempts) {
      this.o.log.error({ ...log, err: { message } }, 'delivery failed for good');
      await this.finish(row, { status: 'failed', lastError: message });
      return;
    }
    this.o.log.warn({ ...log, err: { message } }, 'delivery failed: will retry');
    await this.retryLater(row, Math.min(60_000 * 2 ** (row.attempts - 1), 3_600_000), true, message);
  }

  /** Back to the queue; a wait that is not a failure (pacing, Retry-After) does not use up an attempt. */
  private async retryLater(row: OutboxRow, ms: number, countsAsAttempt: boolean, lastError?: string): Promise<void> {
    await this.o.db
      .update(outbox)
      .set({
        status: 'pending',
        nextAttemptAt: new Date(this.o.clock.now().getTime() + Math.ceil(ms)),
        ...(countsAsAttempt ? {} : { attempts: sql`${outbox.attempts} - 1` }),
        ...(lastError ? { lastError } : {}),
      })
      .where(eq(outbox.id, row.id));
  }

  private async finish(row: OutboxRow, set: { status: string; lastError: string }): Promise<void> {
    await this.o.db.update(outbox).set(set).where(eq(outbox.id, row.id));
  }

  private async posted(communityId: number, key: string): Promise<PostedRef | undefined> {
    const [row] = await this.o.db
      .select()
      .from(postedMessages)
      .where(and(eq(postedMessages.communityId, communityId), eq(postedMessages.key, key)));
    return row ? { channelRef: row.channelRef, messageRef: row.messageRef } : undefined;
  }

  /** Platform ids and cached DM channels for one community's rows, in three queries. */
  private async recipients(
    communityId: number,
    platform: string,
    rows: OutboxRow[],
    blocked: Set<number>,
  ): Promise<Recipients> {
    const ids = new Set<number>();
    const fallbackFor: number[] = [];
    for (const r of rows) {
      const t = r.target as StoredTarget;
      if (t.kind === 'dm') ids.add(t.memberId);
      if (t.kind === 'dm' && 'fallback' in t) fallbackFor.push(t.memberId);
      if (t.kind === 'conversation') for (const id of t.memberIds) ids.add(id);
    }
    // one round trip: the community's ref, and each member's user id with whether their DM channel is cached
    const found = rowsOf<{ ref: string; id: number | null; user_id: string | null; cached: boolean | null }>(
      await this.o.db.execute(sql`
        select c.platform_ref as ref, m.id, m.platform_user_id as user_id,
          exists (select 1 from dm_channels d where d.platform = ${platform} and d.workspace_ref = c.platform_ref
            and d.user_id = m.platform_user_id) as cached
        from communities c
        left join members m on m.community_id = c.id and m.id = any(${sql.param([...ids])}::int[])
        where c.id = ${communityId}`),
    );
    const info: Recipients = {
      communityRef: found[0]?.ref ?? null,
      userOf: new Map(),
      dmCached: new Set(),
      blocked,
      fallback: fallbackFor.length ? await homeChannels(this.o.db, communityId, fallbackFor) : new Map(),
    };
    for (const m of found) {
      if (m.id === null || m.user_id === null) continue;
      info.userOf.set(Number(m.id), m.user_id);
      if (m.cached) info.dmCached.add(m.user_id);
    }
    return info;
  }
}

interface Batch {
  rows: OutboxRow[];
  infos: Map<number, Recipients>;
}

interface Recipients {
  communityRef: string | null;
  userOf: Map<number, string>;
  /** Users whose DM channel the adapter has cached: no DM opening needed. */
  dmCached: Set<string>;
  /** Members found blocking the bot during this flush (shared by its batches). */
  blocked: Set<number>;
  /** Where a member's fallback DM goes when they refuse DMs: their group's home channel. */
  fallback: Map<number, string>;
}

/**
 * Member ids to platform user ids. A DM goes without a fallback channel unless it was queued with one (a referral, a
 * welcome): a nudge to a member who refuses DMs is given up (the port throws a blocked DeliveryError, logged once),
 * not moved into a thread or channel they did not ask it to reach them in.
 */
function resolveTarget(t: StoredTarget, info: Recipients): ResolvedTarget | null {
  if (t.kind === 'channel') return { kind: 'channel', channelRef: t.channelRef };
  if (t.kind === 'dm') {
    const userId = info.userOf.get(t.memberId);
    const fallbackChannelRef = 'fallback' in t ? info.fallback.get(t.memberId) : undefined;
    return userId ? { kind: 'dm', userId, ...(fallbackChannelRef ? { fallbackChannelRef } : {}) } : null;
  }
  const userIds = t.memberIds.map((id) => info.userOf.get(id)).filter((u): u is string => Boolean(u));
  return userIds.length ? { kind: 'conversation', userIds, channelRef: t.channelRef, title: t.title } : null;
}

/** Each member's group home channel (their first group, else the community's first), in one query: the DM fallback. */
async function homeChannels(db: Db, communityId: number, memberIds: number[]): Promise<Map<number, string>> {
  const rows = rowsOf<{ member_id: number; channel: string | null }>(
    await db.execute(sql`
      select w.id as member_id, coalesce(
        (select g.home_channel_ref from group_memberships gm join groups g on g.id = gm.group_id
          where gm.community_id = ${communityId} and gm.member_id = w.id order by gm.created_at limit 1),
        (select g.home_channel_ref from groups g where g.community_id = ${communityId} order by g.id limit 1)) as channel
      from unnest(${sql.param(memberIds)}::int[]) as w(id)`),
  );
  const out = new Map<number, string>();
  for (const r of rows) if (r.channel) out.set(Number(r.member_id), r.channel);
  return out;
}

const routeOf = (t: ResolvedTarget): string =>
  t.kind === 'dm' ? `dm:${t.userId}` : t.kind === 'channel' ? `channel:${t.channelRef}` : `conv:${t.channelRef}`;

/**
 * The sending lease: one sender per platform (the platforms' rate limits are per bot), except for a port serving
 * named communities only (the shell, a test driver), which shares no bot token with others and leases on its own.
 */
function leaseKey(port: MessagePort): string {
  return port.communityRefs ? `${port.platform}:${[...port.communityRefs].sort().join(',')}` : port.platform;
}
