import type { z } from 'zod';
import { safeError } from '../ops/safe-error.js';

/**
 * What `jobs.last_error` may hold about a failure: the same summary as the logs (src/ops/safe-error.ts), flattened to
 * one line. A database error is told by its SQLSTATE code, constraint, table and statement name, never its message
 * (Postgres repeats the failing row's values there: a prospect's name and contact); any other error by its class and
 * message with drizzle's "params: …" cut.
 */
export function storedJobError(err: unknown): string {
  const s = safeError(err);
  if (s.type !== 'DatabaseError') {
    const words = s.message ?? '(no message)';
    return (s.type === 'Error' ? words : `${s.type}: ${words}`).slice(0, 500);
  }
  const parts = [
    s.code && `code ${s.code}`,
    s.constraint && `constraint ${s.constraint}`,
    s.table && `table ${s.table}`,
    s.column && `column ${s.column}`,
    s.query && `query ${s.query}`,
  ];
  return ['database error', ...parts.filter(Boolean)].join('; ').slice(0, 500);
}

/** A payload that failed its schema, by the paths and kinds of its problems only: the values stay out. */
export function payloadProblem(error: z.ZodError): string {
  const issues = error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(payload)'}: ${i.code}`);
  return `invalid payload: ${issues.join(', ')}`;
}
