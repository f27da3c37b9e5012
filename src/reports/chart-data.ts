import { sql } from 'drizzle-orm';
import { type Db, rowsOf } from '../../db/client.js';
import type { GroupRow } from '../communities/rows.js';
import { readSettings } from '../groups/group-settings.js';
import { attendanceRate } from '../meetings/attendance.js';
import { oneToOneRate } from '../meetings/hooks.js';
import { type ReportRow, referralReport } from '../referrals/report.js';

export const CHART_PERIODS = ['week', 'month'] as const;
export type ChartPeriod = (typeof CHART_PERIODS)[number];

export interface ChartData {
  title: string;
  period: ChartPeriod;
  from: Date;
  to: Date;
  currency: string;
  /** Per active member, straight from the text report's query (referralReport). */
  members: { name: string; given: number; received: number }[];
  /** Closed business per day of the group's time zone, in the group's currency. */
  closed: { day: string; total: number }[];
  attendance: { attended: number; counted: number; pct: number | null };
  oneToOnes: { met: number; total: number } | null;
}

const DAY = 86_400_000;

/** Given/received as the text report counts them (inside + outside). */
export const chartMember = (r: ReportRow) => ({
  name: r.name,
  given: r.givenInside + r.givenOutside,
  received: r.receivedInside + r.receivedOutside,
});

/** Everything the chart shows, read with the queries the text reports use. */
export async function chartData(db: Db, group: GroupRow, period: ChartPeriod, now: Date): Promise<ChartData> {
  const settings = readSettings(group.settings);
  const days = period === 'week' ? 7 : 30;
  const from = new Date(now.getTime() - days * DAY);
  const report = await referralReport(db, group.communityId, group.id, from, now, settings.referrals);
  const currency = settings.referrals.currency;
  const tz = group.timezone;
  const sums = rowsOf<{ day: string; total: string }>(
    await db.execute(sql`
      select to_char((at at time zone ${tz})::date, 'YYYY-MM-DD') as day, sum(amount)::text as total from (
        select closed_at as at, amount from referrals
        where community_id = ${group.communityId} and group_id = ${group.id} and status = 'won' and currency = ${currency} and closed_at >= ${from.toISOString()}
        union all
        select created_at, amount from closed_business
        where community_id = ${group.communityId} and group_id = ${group.id} and currency = ${currency} and created_at >= ${from.toISOString()}
      ) x group by 1`),
  );
  const byDay = new Map(sums.map((s) => [s.day, Number(s.total)]));
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' });
  const closed: ChartData['closed'] = [];
  for (let i = days; i >= 0; i--) {
    const day = fmt.format(new Date(now.getTime() - i * DAY));
    if (!closed.some((c) => c.day === day)) closed.push({ day, total: byDay.get(day) ?? 0 });
  }
  return {
    title: group.name,
    period,
    from,
    to: now,
    currency,
    members: report.map(chartMember),
    closed,
    attendance: await attendanceRate(db, group.id, from, now),
    oneToOnes: await oneToOneRate(db, group.id, from),
  };
}
