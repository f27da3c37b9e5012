import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { referralEvents, referrals } from '../../db/schema.js';
import type { Status } from './lifecycle.js';

export type ReferralRow = typeof referrals.$inferSelect;
export type ReferralEventRow = typeof referralEvents.$inferSelect;

/**
 * A referral of this group by its number (#1, #2… per community), locked when it is about to change. A number of
 * another group is not found: the group's own rules and moderators apply to its referrals only.
 */
export async function getReferral(
  db: Db,
  communityId: number,
  groupId: number,
  number: number,
  lock = false,
): Promise<ReferralRow | null> {
  const q = db
    .select()
    .from(referrals)
    .where(and(eq(referrals.communityId, communityId), eq(referrals.groupId, groupId), eq(referrals.number, number)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
}

/** The group of referral #number of a community, or null when there is none (the dispatcher's object scope). */
export async function referralGroup(db: Db, communityId: number, number: number): Promise<number | null> {
  const [row] = await db
    .select({ groupId: referrals.groupId })
    .from(referrals)
    .where(and(eq(referrals.communityId, communityId), eq(referrals.number, number)));
  return row?.groupId ?? null;
}

export async function referralHistory(db: Db, referralId: number): Promise<ReferralEventRow[]> {
  return db
    .select()
    .from(referralEvents)
    .where(eq(referralEvents.referralId, referralId))
    .orderBy(asc(referralEvents.at), asc(referralEvents.id));
}

/** Moves a referral to a new status and records the step in its history, in the caller's transaction. */
export async function recordStatus(
  db: Db,
  r: ReferralRow,
  to: Status,
  by: { actorId: number; now: Date; note?: string; amount?: string; currency?: string; reason?: string },
): Promise<ReferralRow> {
  const closing = ['won', 'lost', 'not_a_fit', 'withdrawn'].includes(to);
  const [row] = await db
    .update(referrals)
    .set({
      status: to,
      updatedAt: by.now,
      ...(to === 'accepted' && !r.acceptedAt ? { acceptedAt: by.now } : {}),
      ...(closing ? { closedAt: by.now } : { closedAt: null }),
      ...(by.amount !== undefined ? { amount: by.amount, currency: by.currency ?? null } : {}),
      ...(by.reason !== undefined ? { outcomeReason: by.reason } : {}),
    })
    .where(eq(referrals.id, r.id))
    .returning();
  await db.insert(referralEvents).values({
    referralId: r.id,
    actorId: by.actorId,
    fromStatus: r.status,
    toStatus: to,
    note: by.note ?? null,
    at: by.now,
  });
  return row!;
}

/**
 * The next referral number of a community. A transaction-level advisory lock per community serialises concurrent
 * /refer commands (it suits pooled connections, unlike session locks); the unique index backs it up.
 */
export async function nextReferralNumber(db: Db, communityId: number): Promise<number> {
  await db.execute(sql`select pg_advisory_xact_lock(${REFERRAL_NUMBER_LOCK}, ${communityId})`);
  const [row] = await db
    .select({ n: sql<number>`coalesce(max(${referrals.number}), 0) + 1`.mapWith(Number) })
    .from(referrals)
    .where(eq(referrals.communityId, communityId));
  return row!.n;
}

/** Advisory lock namespace for referral numbering. */
const REFERRAL_NUMBER_LOCK = 4_201;
