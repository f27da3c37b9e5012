import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { MemberRow } from '../communities/rows.js';

// Postgres regex pieces, passed as parameters (no backslashes inside the SQL text).
const WORD_START = '\\m';
const WORD_END = '\\M';
const REGEX_SPECIALS = '([.^$*+?()\\[\\]{}|\\\\-])';
const ESCAPED = '\\\\\\1';

/**
 * The messages that carried a forgotten member's data: the outbox rows addressed to them, and those to anyone that
 * name them or one of their prospects (a referral's DM to its receiver holds the prospect's contact), sent or not.
 * The platform ids kept for their DMs, and the messages tracked there, go too. Runs before the slips are anonymised, while their prospects are still known.
 */
export async function forgetMessagesOf(db: Db, communityId: number, member: MemberRow): Promise<void> {
  await db.execute(sql`
    with traces as (
      select ${member.displayName}::text as t where length(${member.displayName}) >= 3
      union select ${member.platformUserId}::text
      union select t from referrals r,
        lateral (values (r.prospect_name), (r.prospect_contact)) v(t)
        where r.community_id = ${communityId} and (r.giver_id = ${member.id} or r.receiver_id = ${member.id})
          and t is not null and length(t) >= 3
      union select v.t from visitors vi, lateral (values (vi.name), (vi.contact)) v(t)
        where vi.community_id = ${communityId} and vi.inviter_id = ${member.id} and length(v.t) >= 3
    )
    delete from outbox o
    where o.community_id = ${communityId}
      and (o.member_id = ${member.id}
        -- whole words only: "ann" must not take "Anna's" messages with it
        or exists (select 1 from traces
          where o.content::text ~* (${WORD_START} || regexp_replace(traces.t, ${REGEX_SPECIALS}, ${ESCAPED}, 'g') || ${WORD_END})))`);
  // The platform messages kept up to date in their DM (or a conversation they were in) point at their channel.
  await db.execute(sql`
    delete from posted_messages p
    where p.community_id = ${communityId} and (
      p.channel_ref in (select d.channel_id from dm_channels d join communities c
        on d.platform = c.platform and d.workspace_ref = c.platform_ref
        where c.id = ${communityId} and d.user_id = ${member.platformUserId})
      or p.channel_ref ~ (${WORD_START} || regexp_replace(${member.platformUserId}, ${REGEX_SPECIALS}, ${ESCAPED}, 'g') || ${WORD_END}))`);
  await db.execute(sql`
    delete from dm_channels d using communities c
    where c.id = ${communityId} and d.platform = c.platform and d.workspace_ref = c.platform_ref
      and d.user_id = ${member.platformUserId}`);
}
