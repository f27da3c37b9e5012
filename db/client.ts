import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { acquireDataDirLock } from './data-dir-lock.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** Both drivers' databases and their transactions share this type, so one set of repositories serves both. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const migrationsFolder = new URL('./migrations', import.meta.url).pathname;

export interface OpenOptions {
  /** postgres:// URL; when absent PGlite is used. */
  url?: string;
  /** PGlite data directory; absent means in memory. */
  dataDir?: string;
  /** Connection pool size for postgres.js. */
  poolSize?: number;
}

/** Opens the configured database and applies pending migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.url) {
    const client = postgres(opts.url, {
      max: opts.poolSize ?? 10,
      onnotice: () => {},
      // postgres.js's default reconnect backoff grows to 20 s after a short outage, and queries queued on such a
      // connection wait it out: capped at 2 s, the bot serves again within seconds of the database returning.
      backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 2),
      // A connection attempt caught by a restart can hang with no answer; 30 s (the default) is a member waiting.
      connect_timeout: 5,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as Db;
    try {
      await migratePostgres(db as never, { migrationsFolder });
    } catch (err) {
      await client.end({ timeout: 1 });
      throw err;
    }
    return { db, kind: 'postgres', close: () => client.end({ timeout: 5 }) };
  }
  const release = opts.dataDir ? acquireDataDirLock(opts.dataDir) : () => {};
  try {
    const client = new PGlite(opts.dataDir);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    await migratePglite(db as never, { migrationsFolder });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** Rows of a raw `db.execute(sql…)`: postgres.js returns an array, PGlite a result with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
