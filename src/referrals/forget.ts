import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * /forget-me: prospects' details on the member's slips are erased now; the member's id on them becomes null when
 * the member row is deleted (foreign key), so only anonymised counts and amounts remain.
 */
export async function anonymiseReferralsOf(db: Db, communityId: number, memberId: number): Promise<void> {
  await db.execute(sql`
    update referrals set prospect_name = null, prospect_contact = null, prospect_phone = null, need = null
    where community_id = ${communityId} and (giver_id = ${memberId} or receiver_id = ${memberId})`);
}
