import { and, desc, eq, gte, isNull, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { pairingGroupMembers, roundOutcomes } from '../../db/schema.js';

/** How long after a 1-to-1 a slip still counts as coming out of it. */
export const OUTCOME_LINK_DAYS = 30;

/**
 * Links a referral slip to the 1-to-1 it came from: the giver's latest "A referral" outcome (not yet linked, at most
 * 30 days old) of a pairing group the receiver was in. Call it after a referral is written (in /refer's
 * transaction); it returns the outcome linked, or null when the slip did not come out of a pairing.
 */
export async function linkReferralToRound(
  db: Db,
  referral: { id: number; giverId: number | null; receiverId: number | null; createdAt: Date },
): Promise<number | null> {
  if (referral.giverId === null || referral.receiverId === null) return null;
  const since = new Date(referral.createdAt.getTime() - OUTCOME_LINK_DAYS * 86_400_000);
  const [outcome] = await db
    .select({ id: roundOutcomes.id })
    .from(roundOutcomes)
    .innerJoin(
      pairingGroupMembers,
      and(
        eq(pairingGroupMembers.pairingGroupId, roundOutcomes.pairingGroupId),
        eq(pairingGroupMembers.memberId, referral.receiverId),
      ),
    )
    .where(
      and(
        eq(roundOutcomes.memberId, referral.giverId),
        eq(roundOutcomes.kind, 'referral'),
        isNull(roundOutcomes.referralId),
        gte(roundOutcomes.createdAt, since),
        lte(roundOutcomes.createdAt, referral.createdAt),
      ),
    )
    .orderBy(desc(roundOutcomes.createdAt))
    .limit(1);
  if (!outcome) return null;
  await db.update(roundOutcomes).set({ referralId: referral.id }).where(eq(roundOutcomes.id, outcome.id));
  return outcome.id;
}
