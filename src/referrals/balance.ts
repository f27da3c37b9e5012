import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';

export interface Balance {
  referralsGiven: number;
  referralsReceived: number;
  connectionsGiven: number;
  connectionsReceived: number;
  wonReceived: number;
  closedReceived: number;
  medianHoursToAccept: number | null;
  /** Closed business credited to the member as giver, per currency. */
  creditedAsGiver: { currency: string; total: string }[];
  /** Closed business the member won from others' referrals, per currency. */
  wonAsReceiver: { currency: string; total: string }[];
}

/**
 * A member's give/receive balance over a period, in one statement: every figure is a scalar subquery over an
 * index on (community, giver|receiver, created_at). Amounts stay per currency, never summed across them.
 */
export async function memberBalance(db: Db, communityId: number, memberId: number, from: Date): Promise<Balance> {
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select
        (select count(*) from referrals where community_id = ${communityId} and giver_id = ${memberId} and created_at >= ${from.toISOString()} and status <> 'withdrawn') as given,
        (select count(*) from referrals where community_id = ${communityId} and receiver_id = ${memberId} and created_at >= ${from.toISOString()} and status <> 'withdrawn') as received,
        (select count(*) from connections where community_id = ${communityId} and giver_id = ${memberId} and created_at >= ${from.toISOString()}) as conn_given,
        (select count(*) from connections where community_id = ${communityId} and (member_a_id = ${memberId} or member_b_id = ${memberId}) and created_at >= ${from.toISOString()}) as conn_received,
        (select count(*) filter (where status = 'won') from referrals where community_id = ${communityId} and receiver_id = ${memberId} and created_at >= ${from.toISOString()}) as won,
        (select count(*) filter (where status in ('won', 'lost', 'not_a_fit')) from referrals where community_id = ${communityId} and receiver_id = ${memberId} and created_at >= ${from.toISOString()}) as closed,
        (select percentile_cont(0.5) within group (order by extract(epoch from accepted_at - created_at) / 3600)
           from referrals where community_id = ${communityId} and receiver_id = ${memberId} and created_at >= ${from.toISOString()} and accepted_at is not null) as median_accept,
        (select coalesce(json_agg(json_build_object('currency', currency, 'total', total::text) order by currency), '[]'::json) from (
           select currency, sum(amount) as total from (
             select currency, amount from referrals where community_id = ${communityId} and giver_id = ${memberId} and status = 'won' and created_at >= ${from.toISOString()}
             union all
             select currency, amount from closed_business where community_id = ${communityId} and giver_id = ${memberId} and created_at >= ${from.toISOString()}
           ) credited group by currency) c) as credited,
        (select coalesce(json_agg(json_build_object('currency', currency, 'total', total::text) order by currency), '[]'::json) from (
           select currency, sum(amount) as total from referrals
           where community_id = ${communityId} and receiver_id = ${memberId} and status = 'won' and created_at >= ${from.toISOString()}
           group by currency) w) as won_amounts`),
  );
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as { currency: string; total: string }[];
  return {
    referralsGiven: Number(row!.given),
    referralsReceived: Number(row!.received),
    connectionsGiven: Number(row!.conn_given),
    connectionsReceived: Number(row!.conn_received),
    wonReceived: Number(row!.won),
    closedReceived: Number(row!.closed),
    medianHoursToAccept: row!.median_accept === null ? null : Number(row!.median_accept),
    creditedAsGiver: json(row!.credited),
    wonAsReceiver: json(row!.won_amounts),
  };
}

export interface GiverRow {
  memberId: number;
  name: string;
  given: number;
  received: number;
}

/** Per active member of a group: referrals and connections given and received since `from`. */
export async function giveReceiveByMember(
  db: Db,
  communityId: number,
  groupId: number,
  from: Date,
): Promise<GiverRow[]> {
  const rows = rowsOf<{ member_id: number; name: string; given: string; received: string }>(
    await db.execute(sql`
      with m as (
        select gm.member_id, mem.display_name as name from group_memberships gm
        join members mem on mem.id = gm.member_id
        where gm.group_id = ${groupId} and gm.status = 'active'
      ),
      g as (
        select giver_id as member_id, count(*) as n from referrals where community_id = ${communityId} and created_at >= ${from.toISOString()} and status <> 'withdrawn' group by giver_id
        union all
        select giver_id, count(*) from connections where community_id = ${communityId} and created_at >= ${from.toISOString()} group by giver_id
      ),
      r as (
        select receiver_id as member_id, count(*) as n from referrals where community_id = ${communityId} and created_at >= ${from.toISOString()} and status <> 'withdrawn' group by receiver_id
        union all
        select member_a_id, count(*) from connections where community_id = ${communityId} and created_at >= ${from.toISOString()} group by member_a_id
        union all
        select member_b_id, count(*) from connections where community_id = ${communityId} and created_at >= ${from.toISOString()} group by member_b_id
      )
      select m.member_id, m.name,
        coalesce((select sum(n) from g where g.member_id = m.member_id), 0) as given,
        coalesce((select sum(n) from r where r.member_id = m.member_id), 0) as received
      from m order by m.name`),
  );
  return rows.map((r) => ({
    memberId: r.member_id,
    name: r.name,
    given: Number(r.given),
    received: Number(r.received),
  }));
}
