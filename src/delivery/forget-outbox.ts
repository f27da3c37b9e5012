import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';

/** Names shorter than this are not searched for in message text: "Al" would match unrelated messages. */
const MIN_NAME = 3;

/**
 * /forget-me, in its transaction: every outbox message of the community that names the member is deleted, sent or
 * waiting — messages to them, shared conversations they are in, and any whose text carries their name or the name or
 * contact of a prospect on a referral they gave or received (a waiting referral DM to the receiver, a reminder).
 * Must run before those referrals are anonymised, while the prospects' details are still there to search for.
 * Attachments are stored as base64 and are not searched: the files the bot sends (reports, exports) go to their
 * invoker, whose own rows are deleted by recipient.
 */
export async function eraseOutboxOf(db: Db, communityId: number, memberId: number): Promise<number> {
  const [member] = rowsOf<{ name: string }>(
    await db.execute(
      sql`select display_name as name from members where id = ${memberId} and community_id = ${communityId}`,
    ),
  );
  const prospects = rowsOf<{ v: string }>(
    await db.execute(sql`
      select v from referrals r, lateral (values (r.prospect_name), (r.prospect_contact)) as p(v)
      where r.community_id = ${communityId} and (r.giver_id = ${memberId} or r.receiver_id = ${memberId})
        and v is not null and length(v) >= ${MIN_NAME}`),
  ).map((r) => r.v);
  const words = [...new Set([...(member && member.name.length >= MIN_NAME ? [member.name] : []), ...prospects])];
  // the text of a message (its content without the attachments' bytes), as one searchable string
  const text = sql`(content - 'attachments')::text`;
  const named = words.length
    ? sql`or exists (select 1 from unnest(${sql.param(words)}::text[]) w
        where strpos(lower(${text}), lower(w)) > 0)`
    : sql``;
  const deleted = rowsOf<{ id: number }>(
    await db.execute(sql`
      delete from outbox where community_id = ${communityId} and (
        member_id = ${memberId}
        or (target->>'kind' = 'dm' and (target->>'memberId')::int = ${memberId})
        or (target->>'kind' = 'conversation' and target->'memberIds' @> to_jsonb(${memberId}::int))
        ${named})
      returning id`),
  );
  return deleted.length;
}
