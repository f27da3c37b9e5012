import { type Database, openDatabase } from '../db/client.js';
import type { Clock } from './clock.js';
import type { CommandDefinition } from './commands/define.js';
import { Registry } from './commands/registry.js';
import type { Config } from './config.js';
import { Core } from './core.js';
import type { RateLimitPolicy } from './dispatch/member-rate-limit.js';
import { jobRegistry } from './job-kinds.js';
import type { Logger } from './logger.js';
import type { OpsMetrics } from './ops/metrics.js';
import { defaultRandom, type Random } from './random.js';

export interface BuildCoreOptions {
  commands: CommandDefinition[];
  clock: Clock;
  log: Logger;
  config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR' | 'DEFAULT_TIMEZONE'>;
  /** Use this database instead of opening one (tests, and the shell's in-memory transcripts). */
  database?: Database;
  /** In-memory PGlite instead of DATA_DIR (transcripts). */
  inMemory?: boolean;
  random?: Random;
  /** `grace` for a running bot (the default here); `all` where time is moved by hand (the shell). */
  catchUp?: 'grace' | 'all';
  deliveryLeaseMs?: number;
  outboxRetentionDays?: number;
  metrics?: OpsMetrics;
  rateLimit?: RateLimitPolicy;
}

/** Opens the database (migrated) and builds the core every adapter shares. */
export async function buildCore(opts: BuildCoreOptions): Promise<Core> {
  const database =
    opts.database ??
    (await openDatabase(opts.inMemory ? {} : { url: opts.config.DATABASE_URL, dataDir: opts.config.DATA_DIR }));
  return new Core({
    database,
    registry: new Registry(opts.commands),
    clock: opts.clock,
    random: opts.random ?? defaultRandom(),
    log: opts.log,
    jobs: jobRegistry({ outboxRetentionDays: opts.outboxRetentionDays }),
    catchUp: opts.catchUp ?? 'grace',
    ...(opts.deliveryLeaseMs ? { deliveryLeaseMs: opts.deliveryLeaseMs } : {}),
    defaultTimezone: opts.config.DEFAULT_TIMEZONE,
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
  });
}
