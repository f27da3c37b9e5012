import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.js';
import { shellHarness } from '../support/shell.js';
import { emit, percentile } from './bench-output.js';
import { benchDatabaseKinds, timeEach, withBenchDatabase } from './bench-support.js';

/**
 * Issue 2 target: dispatcher + command ≤ 2× the bare database work the command does. The baseline issues the same
 * statements (member lookup, group + membership, and for the write the alias lookup and the upsert) by hand in one
 * transaction, so the ratio is the cost of parsing, validation, permission, rendering and the shell around them.
 */
const N = 400;

async function bench(kind: 'pglite' | 'postgres', database: Database): Promise<void> {
  const h = shellHarness(database);
  await h.run('@admin /setup name:"Bench group" type:peer');
  const [ids] = rowsOf<{ community_id: number; id: number }>(
    await database.db.execute(
      sql`select m.community_id, m.id from members m join communities c on c.id = m.community_id where c.platform_ref = ${h.communityRef} and m.platform_user_id = 'admin'`,
    ),
  );
  const { community_id: communityId, id: adminId } = ids!;

  const bareRead = () =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`select * from members where community_id = ${communityId} and platform_user_id = 'admin'`);
      await tx.execute(
        sql`select g.*, gm.* from groups g left join group_memberships gm on gm.group_id = g.id and gm.member_id = ${adminId} where g.community_id = ${communityId} order by (g.home_channel_ref = 'general') desc, g.id limit 1`,
      );
    });
  const bareWrite = (i: number) =>
    database.db.transaction(async (tx) => {
      await tx.execute(sql`select * from members where community_id = ${communityId} and platform_user_id = 'admin'`);
      const g = await tx.execute(
        sql`select g.id from groups g left join group_memberships gm on gm.group_id = g.id and gm.member_id = ${adminId} where g.community_id = ${communityId} order by (g.home_channel_ref = 'general') desc, g.id limit 1`,
      );
      const groupId = rowsOf<{ id: number }>(g)[0]!.id;
      await tx.execute(
        sql`select category_key from category_aliases where community_id = ${communityId} and alias_key = ${`bare trade ${i}`}`,
      );
      await tx.execute(
        sql`insert into wanted_seats (group_id, category_key, label) values (${groupId}, ${`bare trade ${i}`}, ${`Bare trade ${i}`}) on conflict (group_id, category_key) do update set label = excluded.label`,
      );
    });

  // warm-up: JIT, prepared statements, the community cache
  await timeEach(50, () => h.session.runLine('@admin /help'));
  await timeEach(50, () => bareRead());
  await timeEach(50, (i) => h.session.runLine(`@admin /seat-wanted category:"warm ${i}"`));
  await timeEach(50, (i) => bareWrite(1000 + i));

  const help = await timeEach(N, () => h.session.runLine('@admin /help'));
  const read = await timeEach(N, () => bareRead());
  const write = await timeEach(N, (i) => h.session.runLine(`@admin /seat-wanted category:"trade ${i}"`));
  const bare = await timeEach(N, (i) => bareWrite(i));
  for (const [metric, ours, base] of [
    ['help_p50_ms', help, read],
    ['write_one_row_p50_ms', write, bare],
  ] as const) {
    emit({
      bench: 'dispatch',
      db: kind,
      metric,
      value: percentile(ours, 50),
      baseline: percentile(base, 50),
      target: 'ratio <= 2',
      unit: 'ms',
    });
    emit({
      bench: 'dispatch',
      db: kind,
      metric: metric.replace('p50', 'p95'),
      value: percentile(ours, 95),
      baseline: percentile(base, 95),
      unit: 'ms',
    });
  }
}

for (const kind of await benchDatabaseKinds()) await withBenchDatabase(kind, (db) => bench(kind, db));
