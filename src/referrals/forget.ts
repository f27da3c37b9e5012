import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * /forget-me: prospects' details on the member's slips are erased now, and so is every free text that may name the
 * member or their prospects (an outcome's reason, the notes of the slip's history, a thank-you note, a connection's
 * reason). The member's id on these rows becomes null when the member row is deleted (foreign keys), so only
 * anonymised counts and amounts remain.
 */
export async function anonymiseReferralsOf(db: Db, communityId: number, memberId: number): Promise<void> {
  await db.execute(sql`
    update referral_events set note = null
    where note is not null and (actor_id = ${memberId} or referral_id in (
      select id from referrals where community_id = ${communityId} and (giver_id = ${memberId} or receiver_id = ${memberId})))`);
  await db.execute(sql`
    update referrals set prospect_name = null, prospect_contact = null, prospect_phone = null, need = null, outcome_reason = null
    where community_id = ${communityId} and (giver_id = ${memberId} or receiver_id = ${memberId})`);
  await db.execute(sql`
    update closed_business set note = null
    where community_id = ${communityId} and (giver_id = ${memberId} or receiver_id = ${memberId})`);
  await db.execute(sql`
    update connections set reason = null
    where community_id = ${communityId} and (giver_id = ${memberId} or member_a_id = ${memberId} or member_b_id = ${memberId})`);
}
