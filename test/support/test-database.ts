import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../db/client.js';
import { schemaKey } from '../../db/pglite-snapshot.js';

export type DbKind = 'pglite' | 'postgres';

/** PGlite always; real PostgreSQL too when DATABASE_URL is set. */
export function databaseKinds(): DbKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * Test databases are named for the test run (vitest's global setup sets RT_TEST_RUN; see test/support/global-setup.ts)
 * so that the run's teardown drops what a killed worker left, and never another run's databases.
 */
export function testDatabasePrefix(): string {
  return `rt_test_${process.env.RT_TEST_RUN ?? `p${process.pid}`}_`;
}

/** A migrated template per schema version: CREATE DATABASE … TEMPLATE copies it in ~0.1 s instead of migrating. */
const templateName = () => `rt_template_${schemaKey()}`;

let templateReady: Promise<void> | undefined;

/**
 * Makes sure the current schema's template exists. Workers race for it under an advisory lock; the one that builds it
 * migrates a scratch database and renames it only when complete, so no one copies a half-migrated template.
 */
export function ensureTemplate(adminUrl: string): Promise<void> {
  templateReady ??= (async () => {
    // Two connections: the lock's transaction holds one, and CREATE DATABASE cannot run inside a transaction.
    const admin = postgres(adminUrl, { max: 2, onnotice: () => {} });
    try {
      await admin.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext('roundtable test template'))`;
        const [found] = await tx`select 1 from pg_database where datname = ${templateName()}`;
        if (found) return;
        const scratch = `${templateName()}_build_${randomBytes(3).toString('hex')}`;
        await admin.unsafe(`create database ${scratch}`);
        const url = new URL(adminUrl);
        url.pathname = `/${scratch}`;
        const built = await openDatabase({ url: url.toString(), poolSize: 1 });
        await built.close();
        await admin.unsafe(`alter database ${scratch} rename to ${templateName()}`);
      });
    } finally {
      await admin.end();
    }
  })();
  templateReady.catch(() => {
    templateReady = undefined;
  });
  return templateReady;
}

/**
 * A fresh, migrated database: in-memory PGlite (from the schema snapshot), or a new PostgreSQL database copied from
 * the schema's template, which close() drops (and the run's teardown, if a worker died first), so test runs never see
 * each other's rows.
 */
export async function openTestDatabase(kind: DbKind, opts: { poolSize?: number } = {}): Promise<Database> {
  if (kind === 'pglite') return openDatabase({});
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  await ensureTemplate(adminUrl);
  const name = `${testDatabasePrefix()}${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name} template ${templateName()}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let database: Database;
  try {
    // Opening runs the migrator too: on a copy of the current template it applies nothing.
    database = await openDatabase({ url: url.toString(), poolSize: opts.poolSize ?? 5 });
  } catch (err) {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
    throw err;
  }
  return {
    ...database,
    url: url.toString(),
    close: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  } as Database;
}
