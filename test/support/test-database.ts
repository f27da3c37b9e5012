import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type Database, openDatabase } from '../../db/client.js';

export type DbKind = 'pglite' | 'postgres';

/** PGlite always; real PostgreSQL too when DATABASE_URL is set. */
export function databaseKinds(): DbKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/**
 * A fresh, migrated database: in-memory PGlite, or a new PostgreSQL database that close() drops, so test runs never
 * see each other's rows.
 */
export async function openTestDatabase(kind: DbKind, opts: { poolSize?: number } = {}): Promise<Database> {
  if (kind === 'pglite') return openDatabase({});
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `rt_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let database: Database;
  try {
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
