import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { readSettings } from '../groups/group-settings.js';

/** What one member gave and received in a period: slips, thank-yous and connections (the report's "flows"). */
export interface MemberTotals {
  given: number;
  received: number;
  /** Closed value of the slips they gave that were won, plus the thank-yous they were given for, in the group's currency. */
  value: number;
}

export interface PeriodTotals {
  currency: string;
  /** Everyone who gave or received anything in the period; a member who did neither has no entry. */
  members: Map<number, MemberTotals>;
  /** Slips of the period (withdrawn ones do not count). */
  slips: number;
  /** Closed value of the period: won slips plus thank-yous, in the group's currency (other currencies are not summed). */
  value: number;
}

/**
 * Per member of the group in [from, to], what they gave and received, and one grand-total row (`total`). The same
 * slips, thank-yous and connections as the network's flows and ties (flowsSql, connectionsSql), counted per member
 * rather than per pair: the report's text needs ~50 rows, not the ~1,700 pairs the picture draws. Each table is read
 * once: grouping sets count the giver's side and the receiver's side of the same scan.
 */
export function memberTotalsSql(groupId: number, from: Date, to: Date, currency: string) {
  const inPeriod = (t: string) =>
    sql`${sql.raw(t)}.group_id = ${groupId} and ${sql.raw(t)}.created_at >= ${from.toISOString()} and ${sql.raw(t)}.created_at <= ${to.toISOString()}`;
  // a row of a grouping set by (giver_id) is the giver's side, one by (receiver_id) the receiver's
  const giverSide = sql.raw('grouping(giver_id) = 0');
  return sql`
    with sides (member_id, slips, given, received, value) as (
      select case when ${giverSide} then giver_id else receiver_id end,
             case when ${giverSide} then count(*) else 0 end,
             case when ${giverSide} then count(*) else 0 end,
             case when ${giverSide} then 0 else count(*) end,
             case when ${giverSide} then coalesce(sum(amount) filter (where status = 'won' and currency = ${currency}), 0) else 0 end
      from referrals r
      where ${inPeriod('r')} and status <> 'withdrawn' and giver_id is not null and receiver_id is not null
      group by grouping sets ((giver_id), (receiver_id))
      union all
      select case when ${giverSide} then giver_id else receiver_id end, 0,
             case when ${giverSide} then count(*) else 0 end,
             case when ${giverSide} then 0 else count(*) end,
             case when ${giverSide} then coalesce(sum(amount) filter (where currency = ${currency}), 0) else 0 end
      from closed_business t
      where ${inPeriod('t')} and giver_id is not null and receiver_id is not null
      group by grouping sets ((giver_id), (receiver_id))
      union all
      -- the introducer gave a connection; each of the two introduced received one
      select m, 0, sum(gave), sum(got), 0
      from connections c, lateral (values (giver_id, 1, 0), (member_a_id, 0, 1), (member_b_id, 0, 1)) v(m, gave, got)
      where ${inPeriod('c')} and member_a_id is not null and member_b_id is not null and m is not null
      group by m)
    select member_id, grouping(member_id) = 1 as total, sum(slips) as slips, sum(given) as given,
           sum(received) as received, sum(value) as value
    from sides
    group by grouping sets ((member_id), ())`;
}

const num = (v: unknown) => Number(v ?? 0);

/** The group's totals over [from, to], per member and for the whole period, counted in the database. */
export async function loadMemberTotals(db: Db, group: GroupRow, from: Date, to: Date): Promise<PeriodTotals> {
  const currency = readSettings(group.settings).referrals.currency;
  const rows = rowsOf<Record<string, unknown>>(await db.execute(memberTotalsSql(group.id, from, to, currency)));
  const out: PeriodTotals = { currency, members: new Map(), slips: 0, value: 0 };
  for (const r of rows) {
    if (r.total === true) {
      out.slips = num(r.slips);
      out.value = num(r.value);
    } else {
      out.members.set(num(r.member_id), { given: num(r.given), received: num(r.received), value: num(r.value) });
    }
  }
  return out;
}
