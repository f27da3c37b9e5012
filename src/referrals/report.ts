import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { ReferralSettings } from '../groups/group-settings.js';

export interface ReportRow {
  memberId: number;
  name: string;
  givenInside: number;
  givenOutside: number;
  receivedInside: number;
  receivedOutside: number;
  connectionsGiven: number;
  /** Closed business credited to the member as giver in the period, per currency. */
  closedBusiness: { currency: string; total: string }[];
  open: number;
  overdue: number;
}

/** The report statement (exported for the benchmark's EXPLAIN). */
export function referralReportSql(
  communityId: number,
  groupId: number,
  from: Date,
  now: Date,
  rules: ReferralSettings,
) {
  const acceptCutoff = new Date(now.getTime() - rules.acceptHours * 3_600_000);
  const updateCutoff = new Date(now.getTime() - rules.updateDays * 86_400_000);
  const openCutoff = new Date(now.getTime() - rules.openDays * 86_400_000);
  return sql`
      with m as (
        select gm.member_id, mem.display_name as name from group_memberships gm
        join members mem on mem.id = gm.member_id
        where gm.group_id = ${groupId} and gm.status = 'active'
      ),
      period as (
        select giver_id, receiver_id, kind from referrals
        where community_id = ${communityId} and created_at >= ${from.toISOString()} and status <> 'withdrawn'
      ),
      g as (select giver_id as id, count(*) filter (where kind = 'inside') as gi, count(*) filter (where kind = 'outside') as go from period group by giver_id),
      r as (select receiver_id as id, count(*) filter (where kind = 'inside') as ri, count(*) filter (where kind = 'outside') as ro from period group by receiver_id),
      o as (
        select receiver_id as id, count(*) as open,
          count(*) filter (where (status = 'new' and created_at < ${acceptCutoff.toISOString()}) or updated_at < ${updateCutoff.toISOString()} or created_at < ${openCutoff.toISOString()}) as overdue
        from referrals where community_id = ${communityId} and status in ('new', 'accepted', 'contacted', 'meeting') group by receiver_id
      ),
      c as (select giver_id as id, count(*) as n from connections where community_id = ${communityId} and created_at >= ${from.toISOString()} group by giver_id),
      b as (
        select id, json_agg(json_build_object('currency', currency, 'total', total::text) order by currency) as totals from (
          select giver_id as id, currency, sum(amount) as total from (
            select giver_id, currency, amount from referrals where community_id = ${communityId} and status = 'won' and closed_at >= ${from.toISOString()}
            union all
            select giver_id, currency, amount from closed_business where community_id = ${communityId} and created_at >= ${from.toISOString()}
          ) x group by giver_id, currency
        ) y group by id
      )
      select m.member_id, m.name, coalesce(g.gi, 0) as gi, coalesce(g.go, 0) as go, coalesce(r.ri, 0) as ri, coalesce(r.ro, 0) as ro,
             coalesce(c.n, 0) as conn, coalesce(o.open, 0) as open, coalesce(o.overdue, 0) as overdue, b.totals
      from m
      left join g on g.id = m.member_id left join r on r.id = m.member_id left join o on o.id = m.member_id
      left join c on c.id = m.member_id left join b on b.id = m.member_id
      order by m.name`;
}

/**
 * The weekly referral report of a group: per active member, what they gave and received in the period, the
 * business credited to them, and the slips they hold open now (overdue by the group's accountability rules).
 */
export async function referralReport(
  db: Db,
  communityId: number,
  groupId: number,
  from: Date,
  now: Date,
  rules: ReferralSettings,
): Promise<ReportRow[]> {
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(referralReportSql(communityId, groupId, from, now, rules)),
  );
  return rows.map((x) => ({
    memberId: Number(x.member_id),
    name: String(x.name),
    givenInside: Number(x.gi),
    givenOutside: Number(x.go),
    receivedInside: Number(x.ri),
    receivedOutside: Number(x.ro),
    connectionsGiven: Number(x.conn),
    closedBusiness: x.totals
      ? ((typeof x.totals === 'string' ? JSON.parse(x.totals) : x.totals) as ReportRow['closedBusiness'])
      : [],
    open: Number(x.open),
    overdue: Number(x.overdue),
  }));
}
