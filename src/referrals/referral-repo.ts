import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { referralEvents, referrals } from '../../db/schema.js';
import type { Status } from './lifecycle.js';

export type ReferralRow = typeof referrals.$inferSelect;
export type ReferralEventRow = typeof referralEvents.$inferSelect;

/** A referral of this community, locked for update when it is about to change. */
export async function getReferral(db: Db, communityId: number, id: number, lock = false): Promise<ReferralRow | null> {
  const q = db
    .select()
    .from(referrals)
    .where(and(eq(referrals.communityId, communityId), eq(referrals.id, id)));
  const [row] = lock ? await q.for('update') : await q;
  return row ?? null;
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
