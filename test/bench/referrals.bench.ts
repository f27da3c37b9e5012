import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.js';
import { referralSettingsSchema } from '../../src/groups/group-settings.js';
import { balanceSql } from '../../src/referrals/balance.js';
import { referralReport } from '../../src/referrals/report.js';
import { shellHarness } from '../support/shell.js';
import { emit, percentile } from './bench-output.js';
import { benchDatabaseKinds, timeInterleaved, withBenchDatabase } from './bench-support.js';

/**
 * Issue 6 targets: /balance and /report referrals for a chamber of 5,000 members with 1,000,000 referrals on
 * PostgreSQL, p95 ≤ 100 ms and ratio ≤ 2 against a hand-written SQL aggregate over the same rows.
 */
const MEMBERS = 5_000;
const REFERRALS = Number(process.env.BENCH_REFERRALS ?? 1_000_000);

async function seed(
  database: Database,
  communityRef: string,
): Promise<{ communityId: number; groupId: number; now: Date }> {
  const [c] = rowsOf<{ id: number; group_id: number }>(
    await database.db.execute(
      sql`select c.id, g.id as group_id from communities c join groups g on g.community_id = c.id where c.platform_ref = ${communityRef}`,
    ),
  );
  const communityId = c!.id;
  await database.db.execute(sql`
    with ins as (
      insert into members (community_id, platform_user_id, display_name)
      select ${communityId}::int, 'm' || s, 'm' || s from generate_series(1, ${MEMBERS}::int) s returning id)
    insert into group_memberships (group_id, member_id, community_id, status)
    select ${c!.group_id}::int, id, ${communityId}::int, 'active' from ins`);
  const [{ lo }] = rowsOf<{ lo: number }>(
    await database.db.execute(
      sql`select min(id) as lo from members where community_id = ${communityId} and platform_user_id like 'm%'`,
    ),
  ) as [{ lo: number }];
  const now = new Date('2026-01-05T09:00:00Z');
  // Two years of referrals: random giver and receiver, statuses weighted like a real chapter, amounts on wins.
  await database.db.execute(sql`
    insert into referrals (community_id, number, group_id, giver_id, receiver_id, prospect_name, prospect_contact, need,
                           temperature, kind, status, amount, currency, created_at, updated_at, accepted_at, closed_at)
    select ${communityId}::int, s, ${c!.group_id}::int, ${lo}::int + (random() * ${MEMBERS - 1})::int, ${lo}::int + (random() * ${MEMBERS - 1})::int,
           'Prospect ' || s, 'p' || s || '@example.com', 'Need', 1 + (random() * 4)::int,
           case when random() < 0.3 then 'inside' else 'outside' end,
           st, case when st = 'won' then round((random() * 5000)::numeric, 2) end,
           case when st = 'won' then (array['EUR', 'USD'])[1 + (random())::int] end,
           t, t + interval '2 days', case when st <> 'new' then t + interval '20 hours' end,
           case when st in ('won', 'lost', 'not_a_fit') then t + interval '20 days' end
    from (select s, t, case when t < ${now.toISOString()}::timestamptz - interval '60 days'
                   then (array['won','won','lost','not_a_fit'])[1 + (random() * 3)::int]
                   else (array['new','accepted','contacted','meeting','won','won','lost','not_a_fit'])[1 + (random() * 7)::int] end as st
          from (select s, ${now.toISOString()}::timestamptz - random() * interval '730 days' as t
                from generate_series(1, ${REFERRALS}::int) s) g) x`);
  // a steady state: autovacuum has run, so the visibility map allows index-only scans
  await database.db.execute(sql`vacuum analyze`);
  return { communityId, groupId: c!.group_id, now };
}

async function bench(database: Database): Promise<void> {
  const h = shellHarness(database, { start: new Date('2026-01-05T09:00:00Z') });
  await h.run('@admin /setup name:"Big chamber" type:chamber');
  const t0 = performance.now();
  const { communityId, groupId } = await seed(database, h.communityRef);
  process.stderr.write(`seeded ${REFERRALS} referrals in ${Math.round(performance.now() - t0)} ms\n`);
  const member = (i: number) => `m${1 + ((i * 7919) % MEMBERS)}`;
  const memberId = async (name: string) =>
    rowsOf<{ id: number }>(
      await database.db.execute(
        sql`select id from members where community_id = ${communityId} and platform_user_id = ${name}`,
      ),
    )[0]!.id;
  const from = new Date(h.clock.now().getTime() - 365 * 86_400_000).toISOString();
  const weekAgo = new Date(h.clock.now().getTime() - 7 * 86_400_000).toISOString();

  // Baselines: the same aggregates written by hand and run bare, so the ratio is what the bot adds around them.
  const bareBalance = async (i: number) =>
    database.db.execute(balanceSql(communityId, groupId, await memberId(member(i)), new Date(from)));
  const bareReport = () =>
    referralReport(
      database.db,
      communityId,
      groupId,
      new Date(weekAgo),
      h.clock.now(),
      referralSettingsSchema.parse({}),
    );

  if (process.env.BENCH_EXPLAIN) {
    const { referralReportSql } = await import('../../src/referrals/report.js');
    const statements = referralReportSql(
      communityId,
      groupId,
      new Date(weekAgo),
      h.clock.now(),
      referralSettingsSchema.parse({}),
    );
    for (const [name, statement] of Object.entries(statements)) {
      const plan = rowsOf<Record<string, string>>(
        await database.db.execute(sql`explain (analyze, buffers) ${statement}`),
      );
      process.stderr.write(`-- ${name}\n${plan.map((r) => Object.values(r)[0]).join('\n')}\n`);
    }
  }
  // Warm-up runs both paths until the JIT has settled (a bot answers thousands of commands a day: steady state is
  // what members see), then the two are timed alternately.
  for (const [metric, ours, base, n, warmup] of [
    ['balance', (i: number) => h.session.runLine(`@${member(i)} /balance`), bareBalance, 500, 300],
    ['report_referrals', () => h.session.runLine('@admin /report referrals'), bareReport, 60, 10],
  ] as const) {
    const { ours: o, base: b } = await timeInterleaved(n, warmup, ours, base);
    emit({
      bench: 'referrals',
      db: 'postgres',
      metric: `${metric}_p95_ms`,
      members: MEMBERS,
      referrals: REFERRALS,
      value: percentile(o, 95),
      baseline: percentile(b, 95),
      unit: 'ms',
      target: 'value <= 100, ratio <= 2',
    });
    emit({
      bench: 'referrals',
      db: 'postgres',
      metric: `${metric}_p50_ms`,
      value: percentile(o, 50),
      baseline: percentile(b, 50),
      unit: 'ms',
    });
  }
}

const kinds = await benchDatabaseKinds();
if (!kinds.includes('postgres')) process.stderr.write('referrals bench needs PostgreSQL (1,000,000 rows): skipped\n');
else await withBenchDatabase('postgres', bench);
