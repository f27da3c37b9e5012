import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.js';
import { directoryPage, findMembers, searchQuery } from '../../src/members/directory.js';
import { PROFILES } from '../fixtures/profiles.js';
import { shellHarness } from '../support/shell.js';
import { emit, percentile } from './bench-output.js';
import { benchDatabaseKinds, timeEach, withBenchDatabase } from './bench-support.js';

/**
 * Issue 3 targets: /find over 10,000 profiles and /directory over 5,000 members, p95 ≤ 50 ms on Postgres and
 * ratio ≤ 2 against a bare indexed SELECT of the same rows (the same query by hand, no dispatcher).
 */
const QUERIES = [
  'leaking roof',
  'back pain',
  'landlords',
  'wedding',
  'bookkeeping for cafes',
  'solar panels',
  'website',
  'insurance',
];

/** Bulk-loads n introduced, active members into the harness's community with set-based SQL. */
async function seed(database: Database, communityRef: string, n: number): Promise<number> {
  const [c] = rowsOf<{ id: number; group_id: number }>(
    await database.db.execute(
      sql`select c.id, g.id as group_id from communities c join groups g on g.community_id = c.id where c.platform_ref = ${communityRef}`,
    ),
  );
  const values = PROFILES.map(
    (p, i) => sql`(${i}::int, ${p[0]}::text, ${p[1]}::text, ${p[2]}::text, ${p[3]}::text, ${p[4]}::text)`,
  );
  await database.db.execute(sql`
    with fixture(k, category, business, pitch, ideal, area) as (values ${sql.join(values, sql`, `)}),
    ins as (
      insert into members (community_id, platform_user_id, display_name)
      select ${c!.id}::int, 'bench' || s, 'Member ' || s from generate_series(1, ${n}::int) s
      returning id, platform_user_id
    ),
    prof as (
      insert into profiles (member_id, community_id, business, category, category_key, pitch, ideal_referral, area)
      select ins.id, ${c!.id}, f.business || ' ' || ins.id, f.category, f.category, f.pitch, f.ideal, f.area
      from ins join fixture f on f.k = (ins.id % ${PROFILES.length}::int)
      returning member_id
    )
    insert into group_memberships (group_id, member_id, community_id, status, seat_key)
    select ${c!.group_id}, member_id, ${c!.id}, 'active', null from prof`);
  await database.db.execute(sql`analyze`);
  return c!.id;
}

async function bench(kind: 'pglite' | 'postgres', database: Database): Promise<void> {
  for (const [command, size] of [
    ['find', 10_000],
    ['directory', 5_000],
  ] as const) {
    const h = shellHarness(database);
    await h.run('@admin /setup name:"Big chamber" type:chamber');
    const communityId = await seed(database, h.communityRef, size);
    const line = (i: number) =>
      command === 'find'
        ? `@admin /find ${QUERIES[i % QUERIES.length]}`
        : `@admin /directory page:${1 + ((i * 37) % Math.floor(size / 10))}`;
    const bare = (i: number) =>
      command === 'find'
        ? bareFind(database, communityId, QUERIES[i % QUERIES.length]!)
        : directoryPage(database.db, communityId, { page: (i * 37) % Math.floor(size / 10), pageSize: 10 });
    await timeEach(40, (i) => h.session.runLine(line(i)));
    await timeEach(40, (i) => bare(i));
    const ours = await timeEach(200, (i) => h.session.runLine(line(i)));
    const base = await timeEach(200, (i) => bare(i));
    const rows = command === 'find' ? (await findMembers(database.db, communityId, 'landlords')).length : 10;
    emit({
      bench: 'members',
      db: kind,
      metric: `${command}_p95_ms`,
      n: size,
      rows,
      value: percentile(ours, 95),
      baseline: percentile(base, 95),
      unit: 'ms',
      target: kind === 'postgres' ? 'value <= 50, ratio <= 2' : 'reference',
    });
    emit({
      bench: 'members',
      db: kind,
      metric: `${command}_p50_ms`,
      n: size,
      value: percentile(ours, 50),
      baseline: percentile(base, 50),
      unit: 'ms',
    });
  }
}

/** The search as one hand-written statement: what /find costs the database. */
async function bareFind(database: Database, communityId: number, words: string) {
  const q = searchQuery(words)!;
  return database.db.execute(sql`
    select p.member_id, p.business, p.category, p.ideal_referral, 2 * ts_rank_cd(p.search, e) + ts_rank_cd(p.search, x) as rank
    from profiles p, to_tsquery('english', ${q.exact}) e, to_tsquery('english', ${q.prefix}) x
    where p.community_id = ${communityId} and p.search @@ x
      and exists (select 1 from group_memberships gm where gm.member_id = p.member_id and gm.community_id = ${communityId} and gm.status = 'active')
    order by rank desc limit 10`);
}

for (const kind of await benchDatabaseKinds()) await withBenchDatabase(kind, (db) => bench(kind, db));
