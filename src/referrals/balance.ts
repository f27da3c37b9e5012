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

/** The balance statement: one pass over the member's referrals (an index on giver and one on receiver, OR-ed). */
/** Counted in one group: a member of two groups has a balance in each (a report never mixes groups). */
export function balanceSql(communityId: number, groupId: number, memberId: number, from: Date) {
  const since = from.toISOString();
  return sql`
    with mine as (
      select giver_id, receiver_id, status, amount, currency, created_at, accepted_at from referrals
      where community_id = ${communityId} and group_id = ${groupId} and (giver_id = ${memberId} or receiver_id = ${memberId}) and created_at >= ${since}
    ),
    credited as (
      select currency, sum(amount) as total from (
        select currency, amount from mine where giver_id = ${memberId} and status = 'won'
        union all
        select currency, amount from closed_business where community_id = ${communityId} and group_id = ${groupId} and giver_id = ${memberId} and created_at >= ${since}
      ) x group by currency
    ),
    won as (select currency, sum(amount) as total from mine where receiver_id = ${memberId} and status = 'won' group by currency)
    select
      count(*) filter (where giver_id = ${memberId} and status <> 'withdrawn') as given,
      count(*) filter (where receiver_id = ${memberId} and status <> 'withdrawn') as received,
      count(*) filter (where receiver_id = ${memberId} and status = 'won') as won,
      count(*) filter (where receiver_id = ${memberId} and status in ('won', 'lost', 'not_a_fit')) as closed,
      percentile_cont(0.5) within group (order by extract(epoch from accepted_at - created_at) / 3600)
        filter (where receiver_id = ${memberId} and accepted_at is not null) as median_accept,
      (select count(*) from connections where community_id = ${communityId} and group_id = ${groupId} and giver_id = ${memberId} and created_at >= ${since}) as conn_given,
      (select count(*) from connections where community_id = ${communityId} and group_id = ${groupId} and (member_a_id = ${memberId} or member_b_id = ${memberId}) and created_at >= ${since}) as conn_received,
      (select coalesce(json_agg(json_build_object('currency', currency, 'total', total::text) order by currency), '[]'::json) from credited) as credited,
      (select coalesce(json_agg(json_build_object('currency', currency, 'total', total::text) order by currency), '[]'::json) from won) as won_amounts
    from mine`;
}

/** A member's give/receive balance over a period. Amounts stay per currency, never summed across them. */
export async function memberBalance(
  db: Db,
  communityId: number,
  groupId: number,
  memberId: number,
  from: Date,
): Promise<Balance> {
  const [row] = rowsOf<Record<string, unknown>>(await db.execute(balanceSql(communityId, groupId, memberId, from)));
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
        select giver_id as member_id, count(*) as n from referrals where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${from.toISOString()} and status <> 'withdrawn' group by giver_id
        union all
        select giver_id, count(*) from connections where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${from.toISOString()} group by giver_id
      ),
      r as (
        select receiver_id as member_id, count(*) as n from referrals where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${from.toISOString()} and status <> 'withdrawn' group by receiver_id
        union all
        select member_a_id, count(*) from connections where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${from.toISOString()} group by member_a_id
        union all
        select member_b_id, count(*) from connections where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${from.toISOString()} group by member_b_id
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
