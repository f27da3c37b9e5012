import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { type Database, rowsOf } from '../../db/client.js';

/** One readiness condition: true when ready, or a short reason (never a secret) when not. */
export type ReadinessCheck = () => Promise<true | string> | true | string;

export interface Readiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

const CHECK_TIMEOUT_MS = 2_000;

/**
 * The conditions /readyz reports: the database answers, its migrations are applied, each platform connection is up.
 * Adapters add their own check when they start; a check that throws or hangs counts as not ready.
 */
export class Health {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  remove(name: string): void {
    this.checks.delete(name);
  }

  async readiness(): Promise<Readiness> {
    const out: Readiness['checks'] = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const r = await withTimeout(Promise.resolve().then(check), CHECK_TIMEOUT_MS).catch(
          (err: Error) => `failed: ${err.message}`,
        );
        out[name] = r === true ? { ok: true } : { ok: false, detail: r };
      }),
    );
    return { ready: Object.values(out).every((c) => c.ok), checks: out };
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | string> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((r) => {
    timer = setTimeout(() => r(`no answer within ${ms} ms`), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The database answers a trivial query. */
export function databaseCheck(database: Database): ReadinessCheck {
  return async (): Promise<true> => {
    await database.db.execute(sql`select 1`);
    return true;
  };
}

const journal = new URL('../../db/migrations/meta/_journal.json', import.meta.url);

/** Every migration in the repository's journal is recorded as applied (drizzle's own bookkeeping table). */
export function migrationsCheck(database: Database): ReadinessCheck {
  const expected = (JSON.parse(readFileSync(journal, 'utf8')) as { entries: unknown[] }).entries.length;
  return async () => {
    const rows = rowsOf<{ n: number | string }>(
      await database.db.execute(sql`select count(*) as n from drizzle.__drizzle_migrations`),
    );
    const applied = Number(rows[0]?.n ?? 0);
    return applied >= expected ? true : `${applied} of ${expected} migrations applied`;
  };
}
