import { createHash } from 'node:crypto';

/**
 * What a log may say about an error. Database errors carry the failed statement's parameters (drizzle puts them in
 * its message: "Failed query: … params: …"), and Postgres repeats values in its message and detail ("Failing row
 * contains (…)", "Key (email)=(…)"): a prospect's name and contact would land in the log. So a database error is
 * logged by its SQLSTATE code, constraint, table, column and the failing query's name only; any other error by its
 * class, message (with anything after "params:" cut) and stack frames, never the message line of the stack.
 */
export interface SafeError {
  type: string;
  message?: string;
  code?: string;
  constraint?: string;
  table?: string;
  column?: string;
  /** `insert referrals#1a2b3c4d`: the statement's verb and table, with a hash of its text to tell statements apart. */
  query?: string;
  stack?: string;
}

interface Fields {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  stack?: unknown;
  cause?: unknown;
  query?: unknown;
  params?: unknown;
  parameters?: unknown;
  constraint?: unknown;
  constraint_name?: unknown;
  table?: unknown;
  table_name?: unknown;
  column?: unknown;
  column_name?: unknown;
  severity?: unknown;
  routine?: unknown;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const SQLSTATE = /^[0-9A-Z]{5}$/;

/** A Postgres server error (postgres.js PostgresError, PGlite DatabaseError) or drizzle's wrapper of one. */
function isDatabaseError(e: Fields): boolean {
  if (str(e.query) !== undefined && ('params' in e || 'parameters' in e)) return true;
  const code = str(e.code);
  return code !== undefined && SQLSTATE.test(code) && (e.severity !== undefined || e.routine !== undefined);
}

/** The verb and first table of a statement, and a short hash of its text: enough to find it in the code. */
export function queryName(sqlText: string): string {
  const text = sqlText.replace(/\s+/g, ' ').trim();
  const verb = (/^\s*(with|select|insert|update|delete)\b/i.exec(text)?.[1] ?? 'sql').toLowerCase();
  const table =
    /\b(?:insert into|update|delete from|from)\s+"?([a-z_][a-z0-9_]*)"?/i.exec(text)?.[1]?.toLowerCase() ?? '?';
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${verb} ${table}#${hash}`;
}

/** Stack frames only: the first line of a stack repeats the message. */
function frames(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const lines = stack.split('\n').filter((l) => /^\s+at /.test(l));
  return lines.length ? lines.slice(0, 12).join('\n') : undefined;
}

const scrub = (message: string) => message.replace(/\s*params:[\s\S]*$/, '').slice(0, 500);

/** Summaries already made: the logger's serializer passes them through (the dispatcher summarises first). */
const made = new WeakSet<object>();

/** The loggable summary of any thrown value (pino's `err` serializer). */
export function safeError(err: unknown): SafeError {
  if (err && typeof err === 'object' && made.has(err)) return err as SafeError;
  const out = summarise(err);
  made.add(out);
  return out;
}

function summarise(err: unknown): SafeError {
  if (!err || typeof err !== 'object') return { type: typeof err };
  const chain: Fields[] = [];
  for (let e: unknown = err; e && typeof e === 'object' && chain.length < 6; e = (e as Fields).cause) {
    chain.push(e as Fields);
  }
  const top = chain[0]!;
  const type = str(top.name) ?? str((err as object).constructor?.name) ?? 'Error';
  const db = chain.filter(isDatabaseError);
  if (db.length) {
    const pick = (f: (e: Fields) => unknown) => db.map((e) => str(f(e))).find(Boolean);
    const code = chain.map((e) => str(e.code)).find((c) => c !== undefined);
    const sqlText = pick((e) => e.query);
    const out: SafeError = { type: 'DatabaseError' };
    if (code) out.code = code;
    const constraint = pick((e) => e.constraint ?? e.constraint_name);
    if (constraint) out.constraint = constraint;
    const table = pick((e) => e.table ?? e.table_name);
    if (table) out.table = table;
    const column = pick((e) => e.column ?? e.column_name);
    if (column) out.column = column;
    if (sqlText) out.query = queryName(sqlText);
    const stack = frames(top.stack);
    if (stack) out.stack = stack;
    return out;
  }
  const out: SafeError = { type };
  const message = str(top.message);
  if (message) out.message = scrub(message);
  const code = chain.map((e) => str(e.code)).find((c) => c !== undefined);
  if (code) out.code = code;
  const stack = frames(top.stack);
  if (stack) out.stack = stack;
  return out;
}
