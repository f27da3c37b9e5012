import { and, eq, type SQL, sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import { memberPreferences, outbox } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { MessagePort, PostedRef, ResolvedTarget } from '../platform.js';
import { DeliveryError } from './delivery-error.js';
import { restoredContent } from './outbox.js';
import {
  type ClaimedRow,
  claimDue,
  EXPIRED,
  recordSent,
  releaseLease,
  renewClaims,
  resolveTarget,
  type SentRow,
  TAKEN_OVER,
} from './outbox-claim.js';
import { Pacer } from './pacer.js';

export { EXPIRED, TAKEN_OVER } from './outbox-claim.js';

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
  /** A row claimed after its validity end expires (default); false where the clock jumps (ClaimRequest). */
  lateExpires?: boolean;
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
      sent += await this.drain(port, (limit) => this.claim(port, scope, limit));
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
        const rows = await this.claim(port, sql`and id = any(${sql.param(left)}::int[])`, limit);
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
    claim: (limit: number) => Promise<ClaimedRow[]>,
    opts: { once?: boolean } = {},
  ): Promise<number> {
    const key = leaseKey(port);
    const run: Drain = {
      port,
      key,
      blocked: new Set(),
      posted: new Map(),
      dmOpened: new Set(),
      released: false,
      last: false,
    };
    let sent = 0;
    this.holders.set(key, (this.holders.get(key) ?? 0) + 1);
    try {
      // the next batch is claimed while this one is sent, so pacing never waits on the database between batches
      for (let next = claim(this.batchSize), fresh = true; ; fresh = false) {
        const batch = await next;
        if (batch.length === 0) break;
        // one batch is all there is (a commit's own rows): no prefetch, and its last mark gives the lease up
        if (opts.once) {
          run.last = true;
          sent += await this.sendBatch(run, batch, true);
          break;
        }
        next = claim(this.batchSize);
        // if sending throws, the prefetch's failure must not become an unhandled rejection (its rows' lease runs out)
        next.catch(() => {});
        sent += await this.sendBatch(run, batch, fresh);
      }
    } finally {
      const n = (this.holders.get(key) ?? 1) - 1;
      if (n > 0) this.holders.set(key, n);
      else this.holders.delete(key);
    }
    // idle (and no other drain of this process is sending): let another replica send without waiting for the lease
    if (!run.released && !this.holders.has(key)) await releaseLease(this.o.db, this.o.workerId, key);
    return sent;
  }

  /** Due rows of the port's platform within `scope`, claimed under its sending lease (none while another holds it). */
  private async claim(port: MessagePort, scope: SQL, limit: number): Promise<ClaimedRow[]> {
    const rows = await claimDue(this.o.db, {
      leaseKey: leaseKey(port),
      workerId: this.o.workerId,
      platform: port.platform,
      scope,
      limit,
      now: this.o.clock.now(),
      leaseMs: this.leaseMs,
      lateExpires: this.o.lateExpires !== false,
    });
    const takenOver = rows.filter((r) => r.lastError?.startsWith(TAKEN_OVER) && r.status === 'sending').length;
    const expired = rows.filter((r) => r.status === 'expired');
    if (takenOver > 0) {
      this.o.log.warn(
        { platform: port.platform, messages: takenOver, workerId: this.o.workerId },
        'outbox messages taken over from a sender whose lease ran out: the one it had in flight may be sent twice',
      );
    }
    if (expired.length > 0) {
      this.o.log.info(
        { platform: port.platform, messages: expired.length, outboxIds: expired.map((r) => r.id) },
        'outbox messages expired unsent: their moment passed while they were held',
      );
    }
    return rows;
  }

  /**
   * Sends a claimed batch, one community after another. Its rows' lease is renewed before the first send (a
   * prefetched batch was claimed a batch ago) and again whenever a quarter of it has gone, so a slow batch (pacing, a
   * send waiting out a Retry-After inline for up to a minute) never outlives it. A row whose lease ran out anyway is
   * skipped: another sender may have taken it, and sending it too would be a repeat.
   */
  private async sendBatch(run: Drain, batch: ClaimedRow[], fresh: boolean): Promise<number> {
    let sent = 0;
    const live = batch.filter((r) => r.status === 'sending');
    const communities = [...new Set(live.map((r) => r.communityId))];
    const order = communities.flatMap((id) => live.filter((r) => r.communityId === id));
    if (run.last) return this.sendTogether(run, order);
    let leaseFrom = this.o.clock.now().getTime();
    // a batch claimed just now holds its whole lease; a prefetched one was claimed a batch ago
    let held = fresh ? new Set(order.map((r) => r.id)) : await this.renew(order.map((r) => r.id));
    for (const [i, row] of order.entries()) {
      if (this.o.clock.now().getTime() - leaseFrom > this.leaseMs / 4) {
        leaseFrom = this.o.clock.now().getTime();
        held = await this.renew(order.slice(i).flatMap((r) => (held.has(r.id) ? [r.id] : [])));
      }
      if (!held.has(row.id)) continue;
      // a member found blocking the bot earlier in this drain: their rows are already marked blocked
      if (row.memberId !== null && run.blocked.has(row.memberId)) continue;
      const target = await this.sendable(row);
      if (!target) continue;
      const ref = await this.deliver(run, row, target);
      if (ref === undefined) continue;
      await recordSent(this.o.db, [{ row, ref }], this.o.clock.now(), null);
      sent++;
    }
    return sent;
  }

  /**
   * A commit's own rows (a handful: the receiver's DM, the channel's post): sent one after another in the order they
   * were decided, then all marked sent in one statement that also gives the lease up (unless another drain of this
   * process is sending on it). A crash before that mark repeats only these few messages.
   */
  private async sendTogether(run: Drain, rows: ClaimedRow[]): Promise<number> {
    const sent: SentRow[] = [];
    for (const row of rows) {
      if (row.memberId !== null && run.blocked.has(row.memberId)) continue;
      const target = await this.sendable(row);
      if (!target) continue;
      const ref = await this.deliver(run, row, target);
      if (ref !== undefined) sent.push({ row, ref });
    }
    const release = this.holders.get(run.key) === 1;
    await recordSent(
      this.o.db,
      sent,
      this.o.clock.now(),
      release ? { leaseKey: run.key, workerId: this.o.workerId } : null,
    );
    if (release) run.released = true;
    return sent.length;
  }

  /** The row's target, or null when it cannot go (marked expired, or failed: its recipient is gone). */
  private async sendable(row: ClaimedRow): Promise<ResolvedTarget | null> {
    // held in the batch (pacing, an inline Retry-After) past its validity end
    if (this.o.lateExpires !== false && row.expiresAt && row.expiresAt <= this.o.clock.now()) {
      await this.finish(row, { status: 'expired', lastError: EXPIRED });
      return null;
    }
    const target = resolveTarget(row);
    if (!target || !row.communityRef) {
      await this.finish(row, { status: 'failed', lastError: 'recipient no longer exists' });
      return null;
    }
    return target;
  }

  /** Gives the leases up so another replica need not wait for them to run out (on stop). */
  async releaseLeases(): Promise<void> {
    await releaseLease(this.o.db, this.o.workerId, null);
  }

  private renew(ids: number[]): Promise<Set<number>> {
    return renewClaims(this.o.db, ids, this.o.clock.now(), this.leaseMs);
  }

  /**
   * Paces and sends one row through the port; returns the platform message it made (null: none kept), or undefined
   * when it was not sent (put back for later, or failed: recorded here). The caller records the send.
   */
  private async deliver(run: Drain, row: ClaimedRow, target: ResolvedTarget): Promise<PostedRef | null | undefined> {
    const { port } = run;
    const route = routeOf(target);
    // a DM not cached yet opens its channel first (and a Slack group DM each time, conversations.open); a Discord
    // private thread is created, then each member added, then posted into: each call counts against the global limit
    const opensDm =
      (target.kind === 'dm' && !run.dmOpened.has(target.userId) && !row.users.get(memberOf(row))?.dmCached) ||
      (target.kind === 'conversation' && this.pacer.conversationOpens(port.platform));
    const calls = target.kind === 'conversation' ? 2 + target.userIds.length : opensDm ? 2 : 1;
    const wait = this.pacer.delay(port.platform, route, opensDm, calls);
    if (wait > this.maxWaitMs) {
      await this.retryLater(row, wait, false);
      return undefined;
    }
    await this.pacer.acquire(port.platform, route, opensDm, calls);
    try {
      // an earlier row of this drain under the same key posted it: edit that one
      const existing = (row.editKey && run.posted.get(`${row.communityId}:${row.editKey}`)) || row.posted;
      const ref = await port.send(row.communityRef!, target, restoredContent(row.content), existing ?? undefined);
      if (target.kind === 'dm') run.dmOpened.add(target.userId);
      if (row.editKey && ref) run.posted.set(`${row.communityId}:${row.editKey}`, ref);
      return ref ?? null;
    } catch (err) {
      if (err instanceof DeliveryError && err.blocked && row.memberId !== null) run.blocked.add(row.memberId);
      await this.failed(port, row, route, err);
      return undefined;
    }
  }

  private async failed(port: MessagePort, row: ClaimedRow, route: string, err: unknown): Promise<void> {
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
  private async retryLater(row: ClaimedRow, ms: number, countsAsAttempt: boolean, lastError?: string): Promise<void> {
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

  private async finish(row: ClaimedRow, set: { status: string; lastError: string }): Promise<void> {
    await this.o.db.update(outbox).set(set).where(eq(outbox.id, row.id));
  }
}

interface Drain {
  port: MessagePort;
  key: string;
  /** Members found blocking the bot during this drain: their other rows are already marked blocked. */
  blocked: Set<number>;
  /** Platform messages posted under an edit key during this drain (a later row of the key edits them). */
  posted: Map<string, { channelRef: string; messageRef: string }>;
  /** Users whose DM channel this drain opened. */
  dmOpened: Set<string>;
  /** This drain's only batch is being sent (a commit's own rows). */
  last: boolean;
  /** The lease was given up with the last sent mark. */
  released: boolean;
}

/** The member a DM row is for (its target's). */
const memberOf = (row: ClaimedRow): number => (row.target.kind === 'dm' ? row.target.memberId : -1);

const routeOf = (t: ResolvedTarget): string =>
  t.kind === 'dm' ? `dm:${t.userId}` : t.kind === 'channel' ? `channel:${t.channelRef}` : `conv:${t.channelRef}`;

/**
 * The sending lease: one sender per platform (the platforms' rate limits are per bot), except for a port serving
 * named communities only (the shell, a test driver), which shares no bot token with others and leases on its own.
 */
function leaseKey(port: MessagePort): string {
  return port.communityRefs ? `${port.platform}:${[...port.communityRefs].sort().join(',')}` : port.platform;
}
