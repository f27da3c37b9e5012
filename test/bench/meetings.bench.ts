import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.js';
import { groups } from '../../db/schema.js';
import { readSettings } from '../../src/groups/group-settings.js';
import { referralReport } from '../../src/referrals/report.js';
import { chartData } from '../../src/reports/chart-data.js';
import { renderChartSvg } from '../../src/reports/chart-svg.js';
import { svgToPng } from '../../src/reports/rasterise.js';
import { shellHarness } from '../support/shell.js';
import { emit, percentile } from './bench-output.js';
import { benchDatabaseKinds, timeEach, withBenchDatabase } from './bench-support.js';

/**
 * Issue 9 target: /report chart for a group of 100 members over a year of data, query + render p95 under 500 ms.
 * The baseline is the text report's query alone (what /report referrals already pays); render alone is reported too.
 */
const MEMBERS = 100;
const RUNS = 30;
const NOW = new Date('2026-01-05T09:00:00Z');

async function seed(database: Database) {
  const h = shellHarness(database, { start: NOW });
  await h.run(
    '@admin /setup name:"Chapter" type:referral timezone:Europe/London meeting_day:tuesday meeting_time:07:00',
  );
  const [g] = rowsOf<{ id: number; community_id: number }>(
    await database.db.execute(
      sql`select g.id, g.community_id from groups g join communities c on c.id = g.community_id where c.platform_ref = ${h.communityRef}`,
    ),
  );
  const [gid, cid] = [g!.id, g!.community_id];
  await database.db.execute(sql`
    with ins as (
      insert into members (community_id, platform_user_id, display_name)
      select ${cid}::int, 'm' || s, 'Member ' || s from generate_series(1, ${MEMBERS}::int) s returning id)
    insert into group_memberships (group_id, member_id, community_id, status) select ${gid}::int, id, ${cid}::int, 'active' from ins`);
  const [{ lo }] = rowsOf<{ lo: number }>(
    await database.db.execute(
      sql`select min(id) as lo from members where community_id = ${cid} and platform_user_id like 'm%'`,
    ),
  ) as [{ lo: number }];
  // A busy chapter's year: ~1 referral per member per week, a fifth won, thanks on top, weekly meetings with attendance.
  await database.db.execute(sql`
    insert into referrals (community_id, number, group_id, giver_id, receiver_id, temperature, kind, status, amount, currency, created_at, closed_at, updated_at)
    select ${cid}::int, s, ${gid}::int, ${lo}::int + (s * 7919) % ${MEMBERS}::int, ${lo}::int + (s * 104729 + 1) % ${MEMBERS}::int, 1 + s % 5,
      case when s % 3 = 0 then 'inside' else 'outside' end,
      case when s % 5 = 0 then 'won' when s % 5 = 1 then 'accepted' else 'lost' end,
      case when s % 5 = 0 then (100 + s % 900)::numeric else null end, 'USD',
      ${NOW.toISOString()}::timestamptz - (s % 365) * interval '1 day',
      case when s % 5 = 0 then ${NOW.toISOString()}::timestamptz - (s % 360) * interval '1 day' else null end,
      ${NOW.toISOString()}::timestamptz - (s % 365) * interval '1 day'
    from generate_series(1, ${MEMBERS * 52}::int) s`);
  await database.db.execute(sql`
    insert into closed_business (community_id, group_id, giver_id, receiver_id, amount, currency, created_at)
    select ${cid}::int, ${gid}::int, ${lo}::int + s % ${MEMBERS}::int, ${lo}::int + (s + 3) % ${MEMBERS}::int, 250, 'USD',
      ${NOW.toISOString()}::timestamptz - (s % 365) * interval '1 day' from generate_series(1, 1000) s`);
  await database.db.execute(sql`
    with m as (
      insert into meetings (community_id, group_id, starts_at, ends_at, kind)
      select ${cid}::int, ${gid}::int, ${NOW.toISOString()}::timestamptz - w * interval '7 days', ${NOW.toISOString()}::timestamptz - w * interval '7 days' + interval '90 minutes', 'regular'
      from generate_series(1, 52) w returning id)
    insert into attendance (meeting_id, member_id, group_id, status)
    select m.id, mem.id, ${gid}::int, case when (m.id + mem.id) % 11 = 0 then 'absent' when (m.id + mem.id) % 17 = 0 then 'late' else 'present' end
    from m cross join (select id from members where community_id = ${cid} and platform_user_id like 'm%') mem`);
  await database.db.execute(sql`analyze`);
  const [group] = await database.db.select().from(groups).where(sql`${groups.id} = ${gid}`);
  return group!;
}

for (const kind of await benchDatabaseKinds()) {
  await withBenchDatabase(kind, async (database) => {
    const group = await seed(database);
    const rules = readSettings(group.settings).referrals;
    for (const period of ['week', 'month'] as const) {
      const from = new Date(NOW.getTime() - (period === 'week' ? 7 : 30) * 86_400_000);
      const base = await timeEach(RUNS, () =>
        referralReport(database.db, group.communityId, group.id, from, NOW, rules),
      );
      const full = await timeEach(RUNS, async () =>
        svgToPng(renderChartSvg(await chartData(database.db, group, period, NOW))),
      );
      const data = await chartData(database.db, group, period, NOW);
      const render = await timeEach(RUNS, async () => svgToPng(renderChartSvg(data)));
      const p95 = percentile(full, 95);
      emit({
        bench: 'meetings',
        metric: `report_chart_${period}_p95_ms`,
        db: kind,
        value: p95,
        baseline: percentile(base, 95),
        unit: 'ms',
        target: 'value < 500 ms (baseline: the text report query alone)',
        members: MEMBERS,
        pass: p95 < 500,
      });
      emit({
        bench: 'meetings',
        metric: `render_only_${period}_p95_ms`,
        db: kind,
        value: percentile(render, 95),
        baseline: null,
        unit: 'ms',
      });
    }
  });
}
