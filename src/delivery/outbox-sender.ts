import { and, eq, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { memberPreferences, outbox, postedMessages } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Target } from '../messages.js';
import type { MessagePort, PostedRef, ResolvedTarget } from '../platform.js';
import { DeliveryError } from './delivery-error.js';
import { restoredContent } from './outbox.js';
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

  constructor(private readonly o: OutboxSenderOptions) {
    this.pacer = o.pacer ?? new Pacer();
    this.batchSize = o.batchSize ?? 100;
    this.leaseMs = o.leaseMs ?? 120_000;
    this.maxWaitMs = o.maxWaitMs ?? 2_000;
    this.maxAttempts = o.maxAttempts ?? 5;
  }

  /** Sends what is due through each port until nothing is; returns how many were sent. */
  async flush(ports: readonly MessagePort[], scope: number[] | null = null): Promise<number> {
    let sent = 0;
    for (const port of ports) {
      // members found blocking the bot during this flush: their other rows are already marked blocked
      const blocked = new Set<number>();
      const fetch = async (): Promise<Batch> => {
        if (!(await this.holdLease(leaseKey(port)))) return { rows: [], infos: new Map() };
        const rows = await this.claim(port.platform, scope);
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
      // the next batch is claimed while this one is sent, so pacing never waits on the database between batches
      for (let next = fetch(); ; ) {
        const batch = await next;
        if (batch.rows.length === 0) break;
        next = fetch();
        // if sending throws, the prefetch's failure must not become an unhandled rejection (its rows' lease runs out)
        next.catch(() => {});
        sent += await this.sendBatch(port, batch);
      }
      // idle: let another replica send without waiting for the lease to run out
      await this.releaseLease(leaseKey(port));
    }
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
          where delivery_leases.holder = excluded.holder or delivery_leases.until < ${now.toISOString()}::timestamptz
        returning platform`),
    );
    return rows.length > 0;
  }

  /** Gives the leases up so another replica need not wait for them to run out (on stop). */
  async releaseLeases(): Promise<void> {
    await this.o.db.execute(sql`delete from delivery_leases where holder = ${this.o.workerId}`);
  }

  private async releaseLease(platform: string): Promise<void> {
    await this.o.db.execute(
      sql`delete from delivery_leases where platform = ${platform} and holder = ${this.o.workerId}`,
    );
  }

  /**
   * Due rows of a platform (of `scope`'s communities only, when set). A `sending` row among them was claimed by a
   * sender whose lease ran out (killed, or stopped before it finished): it is taken over and marked TAKEN_OVER, since
   * that sender may have sent it just before dying — at most one such row per dead sender actually was.
   */
  private async claim(platform: string, scope: number[] | null): Promise<OutboxRow[]> {
    const now = this.o.clock.now();
    const lease = new Date(now.getTime() + this.leaseMs);
    // stamped with this claim's time, so the log counts only rows taken over now, and the mark survives later retries
    const mark = `${TAKEN_OVER} (at ${now.toISOString()})`;
    const only = scope ? sql`and community_id = any(${sql.param(scope)}::int[])` : sql``;
    const ids = sql`select id from outbox where platform = ${platform} ${only} and status in ('pending', 'sending')
      and next_attempt_at <= ${now.toISOString()}::timestamptz order by next_attempt_at, id limit ${this.batchSize} for update skip locked`;
    const rows = await this.o.db
      .update(outbox)
      .set({
        status: 'sending',
        attempts: sql`${outbox.attempts} + 1`,
        nextAttemptAt: lease,
        // the SET sees the row as it was: only rows another sender still held get the mark
        lastError: sql`case when ${outbox.status} = 'sending' then ${mark} else ${outbox.lastError} end`,
      })
      .where(sql`${outbox.id} in (${ids})`)
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
  private async sendBatch(port: MessagePort, batch: Batch): Promise<number> {
    let sent = 0;
    const order = [...batch.infos.keys()].flatMap((id) => batch.rows.filter((r) => r.communityId === id));
    let leaseFrom = this.o.clock.now().getTime();
    let held = await this.renew(order.map((r) => r.id));
    for (const [i, row] of order.entries()) {
      if (this.o.clock.now().getTime() - leaseFrom > this.leaseMs / 4) {
        leaseFrom = this.o.clock.now().getTime();
        held = await this.renew(order.slice(i).flatMap((r) => (held.has(r.id) ? [r.id] : [])));
      }
      if (!held.has(row.id)) continue;
      const info = batch.infos.get(row.communityId)!;
      // a member found blocking the bot earlier in this batch: their rows are already marked blocked
      if (row.memberId !== null && info.blocked.has(row.memberId)) continue;
      const target = resolveTarget(row.target as Target, info);
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
    const opensDm = target.kind === 'dm' && !info.dmCached.has(target.userId);
    const wait = this.pacer.delay(port.platform, route, opensDm);
    if (wait > this.maxWaitMs) {
      await this.retryLater(row, wait, false);
      return false;
    }
    await this.pacer.acquire(port.platform, route, opensDm);
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
          .where(and(eq(outbox.memberId, row.memberId), sql`${outbox.status} in ('pending', 'sending')`));
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
    for (const r of rows) {
      const t = r.target as Target;
      if (t.kind === 'dm') ids.add(t.memberId);
      if (t.kind === 'conversation') for (const id of t.memberIds) ids.add(id);
    }
    const [community] = rowsOf<{ ref: string }>(
      await this.o.db.execute(sql`select platform_ref as ref from communities where id = ${communityId}`),
    );
    const info: Recipients = {
      communityRef: community?.ref ?? null,
      userOf: new Map(),
      dmCached: new Set(),
      blocked,
    };
    if (ids.size === 0) return info;
    const members = rowsOf<{ id: number; user_id: string }>(
      await this.o.db.execute(sql`
        select m.id, m.platform_user_id as user_id
        from members m where m.community_id = ${communityId} and m.id = any(${sql.param([...ids])}::int[])`),
    );
    for (const m of members) info.userOf.set(m.id, m.user_id);
    const cached = rowsOf<{ user_id: string }>(
      await this.o.db.execute(sql`
        select user_id from dm_channels where platform = ${platform} and workspace_ref = ${info.communityRef}
          and user_id = any(${sql.param(members.map((m) => m.user_id))}::text[])`),
    );
    for (const c of cached) info.dmCached.add(c.user_id);
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
}

/**
 * DMs go without a fallback channel: a nudge to a member who refuses DMs is given up (the port throws a blocked
 * DeliveryError, logged once), not moved into a thread or channel they did not ask it to reach them in.
 */
function resolveTarget(t: Target, info: Recipients): ResolvedTarget | null {
  if (t.kind === 'channel') return t;
  if (t.kind === 'dm') {
    const userId = info.userOf.get(t.memberId);
    return userId ? { kind: 'dm', userId } : null;
  }
  const userIds = t.memberIds.map((id) => info.userOf.get(id)).filter((u): u is string => Boolean(u));
  return userIds.length ? { kind: 'conversation', userIds, channelRef: t.channelRef, title: t.title } : null;
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
