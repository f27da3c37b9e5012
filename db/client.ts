import fs from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { acquireDataDirLock, DATA_DIR_LOCK_FILE } from './data-dir-lock.js';
import { dataDirHasDatabase, discardSnapshot, migratedSchemaTarball } from './pglite-snapshot.js';
import type * as schemaModule from './schema.js';

export type Schema = typeof schemaModule;
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
  /** The process runs a few commands and exits (a transcript): PGlite's WebAssembly is not worth optimising. */
  brief?: boolean;
}

/** Opens the configured database and applies pending migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  // Each driver is loaded only when used: the embedded shell never pays for postgres.js, a server never for PGlite.
  // The schema (drizzle's table builders, ~0.1 s of module loading) loads while the database starts.
  const schemaLoaded = import('./schema.js');
  if (opts.url) {
    const [schema, { default: postgres }, { drizzle: drizzlePostgres }, { migrate: migratePostgres }] =
      await Promise.all([
        schemaLoaded,
        import('postgres'),
        import('drizzle-orm/postgres-js'),
        import('drizzle-orm/postgres-js/migrator'),
      ]);
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
    // PGlite's WebAssembly start is the longest step: begun first, the driver's and schema's modules load beside it.
    const [client, schema, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
      startPglite(opts.dataDir, opts.brief === true),
      schemaLoaded,
      import('drizzle-orm/pglite'),
      import('drizzle-orm/pglite/migrator'),
    ]);
    const db = drizzlePglite(client, { schema }) as unknown as Db;
    // After a snapshot there is nothing to apply; an older data directory is brought up to date.
    if (!(await migrationsApplied(client))) await migratePglite(db as never, { migrationsFolder });
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

/**
 * Whether the database already holds the newest migration, decided as drizzle's migrator decides it (the last applied
 * migration's `created_at` against the journal's newest `when`), in one query: the migrator itself reads and hashes
 * every migration file and runs its DDL on each start, for nothing when the database came from a current snapshot.
 * Anything else (no migrations table, an older database, a snapshot lacking a migration) runs the migrator.
 */
async function migrationsApplied(client: PGlite): Promise<boolean> {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number }[];
  };
  const newest = Math.max(...journal.entries.map((e) => e.when));
  try {
    const { rows } = await client.query<{ last: string | number | null }>(
      'select max(created_at) as last from drizzle.__drizzle_migrations',
    );
    return Number(rows[0]?.last ?? 0) >= newest;
  } catch {
    return false; // no migrations table yet
  }
}

/**
 * A PGlite on the given directory (or in memory). A new database starts from the migrated-schema snapshot instead of
 * initdb plus every migration; if the snapshot will not load, it is discarded and built again once.
 */
async function startPglite(dataDir: string | undefined, brief: boolean): Promise<PGlite> {
  const resume = dataDir !== undefined && dataDirHasDatabase(dataDir);
  // The snapshot is read and unzipped (off the main thread) while PGlite's modules load.
  const snapshot = resume ? undefined : migratedSchemaTarball();
  snapshot?.catch(() => {}); // awaited below; a failed import must not leave it unhandled
  tuneWasmTiering(brief);
  const { PGlite } = await import('@electric-sql/pglite');
  // Postgres's default 128 MiB of shared buffers is allocated and cleared up front: 85 MiB of a transcript's memory.
  // An embedded group's tables are a few MiB and a miss is a copy from the in-memory (or page-cached) files.
  const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
  if (snapshot === undefined) return PGlite.create({ dataDir, startParams });
  const fromSnapshot = async (tarball: Promise<Blob>) =>
    PGlite.create({ ...(dataDir ? { dataDir } : {}), startParams, loadDataDir: await tarball });
  try {
    return await fromSnapshot(snapshot);
  } catch (err) {
    discardSnapshot();
    if (dataDir) clearHalfLoaded(dataDir);
    try {
      return await fromSnapshot(migratedSchemaTarball());
    } catch {
      throw err;
    }
  }
}

/**
 * V8 first runs WebAssembly through its baseline compiler (Liftoff) and recompiles a function with the optimising one
 * (TurboFan) once it has run about 1.8 MB of code (the default budget). Postgres crosses that in dozens of functions
 * while it merely starts, so a short process spent most of its CPU recompiling code it then barely ran: 0.7 s of a
 * 1.4 s transcript (measured with perf), and its exit waited 0.15 s for compiles still in flight. Ten times the
 * budget still optimises what a long-running bot keeps running, only later (the /refer bench's p50 and p95 did not
 * move). A brief process (a transcript) is not worth optimising at all: its loops still crossed a budget a hundred
 * times the default and its exit waited 60–100 ms for those compiles, so it runs on the baseline compiler alone (a
 * one-command transcript 0.85–0.95 s against 0.90–0.98 s; one of 43 commands 1.47 s against 1.57 s, measured).
 * Flags are process-wide and read when PGlite compiles its module, so they are set before; a budget given on the
 * command line wins.
 */
function tuneWasmTiering(brief: boolean): void {
  if (brief) setFlagsFromString('--liftoff-only');
  else if (!process.execArgv.some((arg) => arg.startsWith('--wasm-tiering-budget'))) {
    setFlagsFromString('--wasm-tiering-budget=18000000');
  }
}

/** Removes what a failed load wrote into a directory that held no database, keeping our lock file. */
function clearHalfLoaded(dataDir: string): void {
  for (const entry of fs.readdirSync(dataDir)) {
    if (entry !== DATA_DIR_LOCK_FILE) fs.rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
}

/** Rows of a raw `db.execute(sql…)`: postgres.js returns an array, PGlite a result with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}
