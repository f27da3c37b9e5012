import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';

/**
 * /forget-me: a booking's place or video link may be the member's own (from their availability), so it is erased
 * from every booking they were in; their availability row goes with the member row (foreign key).
 */
export async function forgetBookingsOf(db: Db, communityId: number, memberId: number): Promise<void> {
  await db.execute(sql`
    update bookings set location = null
    where community_id = ${communityId}
      and pairing_group_id in (select pairing_group_id from pairing_group_members where member_id = ${memberId})`);
}
