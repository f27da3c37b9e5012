import postgres from 'postgres';
import type { Database } from '../../db/client.js';
import { type DbKind, openTestDatabase } from '../support/test-database.js';

/** PGlite always, PostgreSQL when DATABASE_URL is set or the local server answers (the figures that matter). */
export async function benchDatabaseKinds(): Promise<DbKind[]> {
  if (!process.env.DATABASE_URL) {
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await probe`select 1`;
      process.env.DATABASE_URL = url;
    } catch {
      process.stderr.write('PostgreSQL not reachable: benchmarking PGlite only\n');
    } finally {
      await probe.end({ timeout: 1 });
    }
  }
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export async function withBenchDatabase<T>(kind: DbKind, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openTestDatabase(kind, { poolSize: 10 });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Runs fn n times in sequence and returns each duration in ms. */
export async function timeEach(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * Times `ours` and `base` alternately, n times each, after `warmup` untimed rounds of both: the two see the same
 * machine (load, cache, JIT state) at the same moments, so their ratio is not skewed by what happened in between.
 */
export async function timeInterleaved(
  n: number,
  warmup: number,
  ours: (i: number) => Promise<unknown>,
  base: (i: number) => Promise<unknown>,
): Promise<{ ours: number[]; base: number[] }> {
  for (let i = 0; i < warmup; i++) {
    await ours(i);
    await base(i);
  }
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = performance.now();
    await ours(i);
    o.push(performance.now() - t);
    t = performance.now();
    await base(i);
    b.push(performance.now() - t);
  }
  return { ours: o, base: b };
}
