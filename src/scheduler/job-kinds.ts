import type { z } from 'zod';
import type { Db } from '../../db/client.js';
import type { jobs } from '../../db/schema.js';
import type { Clock } from '../clock.js';
import type { EnqueueResult, OutboxMessage } from '../delivery/outbox.js';
import type { Logger } from '../logger.js';

export type JobRow = typeof jobs.$inferSelect;

/** What a job handler gets. `db` is the claiming transaction: its writes, messages and follow-up jobs commit together. */
export interface JobContext {
  db: Db;
  clock: Clock;
  /** The clock's time when the batch was claimed. */
  now: Date;
  log: Logger;
  /** Queues messages in the outbox (same transaction). `timezone` defaults to the job's group's, else UTC. */
  send(messages: readonly OutboxMessage[], opts?: { timezone?: string }): Promise<EnqueueResult>;
}

/**
 * A kind of job, registered by feature code: `kind` names it in the jobs table, `payload` validates what was stored,
 * `run` does the work. Handlers must only touch the database (and `send`): platform calls belong to the outbox.
 */
export interface JobKind<P = unknown> {
  kind: string;
  payload: z.ZodType<P>;
  run(job: JobRow & { payload: P }, ctx: JobContext): Promise<void>;
  /** Late slots of a schedule collapse into the latest (a sweep over the whole state needs to run only once). */
  coalesce?: boolean;
  /** Failures before the job is marked failed (default 5; back-off 1 min, 2, 4 …). */
  maxAttempts?: number;
}

/** Declares a job kind; the identity function carries the payload type into the handler. */
export function defineJobKind<P>(kind: JobKind<P>): JobKind<P> {
  return kind;
}

/** Work that runs at the start of every tick, before due schedules are read (e.g. making each group's schedules). */
export type TickHook = (db: Db, now: Date, log: Logger) => Promise<void>;

/** The job kinds one bot serves, checked once: unique names. */
export class JobRegistry {
  private readonly byKind = new Map<string, JobKind>();
  constructor(
    kinds: readonly JobKind[],
    readonly hooks: readonly TickHook[] = [],
  ) {
    for (const k of kinds) {
      if (this.byKind.has(k.kind)) throw new Error(`job kind ${k.kind} is registered twice`);
      this.byKind.set(k.kind, k);
    }
  }
  get(kind: string): JobKind | undefined {
    return this.byKind.get(kind);
  }
  kinds(): string[] {
    return [...this.byKind.keys()];
  }
}
