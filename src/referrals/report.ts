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
  /** Business the member won as receiver (the same slips, seen from the other side), per currency. */
  wonBusiness: { currency: string; total: string }[];
  open: number;
  overdue: number;
}

/**
 * The report's three statements. They are independent aggregates over different indexes (slips of the period, open
 * slips, closed business), so `referralReport` runs them side by side: on a pool each gets its own connection and
 * the report takes as long as the slowest, not the sum (exported for the benchmark's EXPLAIN).
 */
export function referralReportSql(
  communityId: number,
  groupId: number,
  from: Date,
  now: Date,
  rules: ReferralSettings,
) {
  const since = from.toISOString();
  const acceptCutoff = new Date(now.getTime() - rules.acceptHours * 3_600_000);
  const updateCutoff = new Date(now.getTime() - rules.updateDays * 86_400_000);
  const openCutoff = new Date(now.getTime() - rules.openDays * 86_400_000);
  return {
    /** Active members with what they gave and received in the period. */
    members: sql`
      with m as (
        select gm.member_id, mem.display_name as name from group_memberships gm
        join members mem on mem.id = gm.member_id
        where gm.group_id = ${groupId} and gm.status = 'active'
      ),
      period as (
        select giver_id, receiver_id, kind from referrals
        where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${since} and status <> 'withdrawn'
      ),
      g as (select giver_id as id, count(*) filter (where kind = 'inside') as gi, count(*) filter (where kind = 'outside') as go from period group by giver_id),
      r as (select receiver_id as id, count(*) filter (where kind = 'inside') as ri, count(*) filter (where kind = 'outside') as ro from period group by receiver_id),
      c as (select giver_id as id, count(*) as n from connections where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${since} group by giver_id)
      select m.member_id, m.name, coalesce(g.gi, 0) as gi, coalesce(g.go, 0) as go, coalesce(r.ri, 0) as ri, coalesce(r.ro, 0) as ro,
             coalesce(c.n, 0) as conn
      from m left join g on g.id = m.member_id left join r on r.id = m.member_id left join c on c.id = m.member_id
      order by m.name, m.member_id`,
    /** Slips held open now, and how many of them are overdue by the group's rules. */
    open: sql`
      select receiver_id as id, count(*) as open,
        count(*) filter (where (status = 'new' and created_at < ${acceptCutoff.toISOString()}) or updated_at < ${updateCutoff.toISOString()} or created_at < ${openCutoff.toISOString()}) as overdue
      from referrals where community_id = ${communityId} and group_id = ${groupId} and status in ('new', 'accepted', 'contacted', 'meeting') group by receiver_id`,
    /**
     * Business closed in the period, per currency: credited to its giver (side 'g') and won by its receiver
     * (side 'r'), so the member who won it does not read "closed none".
     */
    closed: sql`
      with x as (
        select giver_id, receiver_id, currency, amount from referrals where community_id = ${communityId} and group_id = ${groupId} and status = 'won' and closed_at >= ${since}
        union all
        select giver_id, receiver_id, currency, amount from closed_business where community_id = ${communityId} and group_id = ${groupId} and created_at >= ${since}
      )
      select 'g' as side, giver_id as id, currency, sum(amount)::text as total from x group by giver_id, currency
      union all
      select 'r' as side, receiver_id as id, currency, sum(amount)::text as total from x group by receiver_id, currency
      order by side, id, currency`,
  };
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
  const q = referralReportSql(communityId, groupId, from, now, rules);
  const [members, open, closed] = await Promise.all([
    db.execute(q.members).then((r) => rowsOf<Record<string, unknown>>(r)),
    db.execute(q.open).then((r) => rowsOf<{ id: number; open: unknown; overdue: unknown }>(r)),
    db.execute(q.closed).then((r) => rowsOf<{ side: string; id: number; currency: string; total: string }>(r)),
  ]);
  const openBy = new Map(open.map((o) => [Number(o.id), o]));
  const closedBy = new Map<number, ReportRow['closedBusiness']>();
  const wonBy = new Map<number, ReportRow['wonBusiness']>();
  for (const c of closed) {
    if (c.id === null) continue;
    const by = c.side === 'g' ? closedBy : wonBy;
    const id = Number(c.id);
    const list = by.get(id) ?? [];
    list.push({ currency: c.currency, total: String(c.total) });
    by.set(id, list);
  }
  return members.map((x) => {
    const id = Number(x.member_id);
    const o = openBy.get(id);
    return {
      memberId: id,
      name: String(x.name),
      givenInside: Number(x.gi),
      givenOutside: Number(x.go),
      receivedInside: Number(x.ri),
      receivedOutside: Number(x.ro),
      connectionsGiven: Number(x.conn),
      closedBusiness: closedBy.get(id) ?? [],
      wonBusiness: wonBy.get(id) ?? [],
      open: o ? Number(o.open) : 0,
      overdue: o ? Number(o.overdue) : 0,
    };
  });
}
