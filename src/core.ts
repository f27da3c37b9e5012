import type { Database } from '../db/client.js';
import type { Clock } from './clock.js';
import type { Registry } from './commands/registry.js';
import { Messenger } from './delivery/messenger.js';
import { Dispatcher, type DispatchResult } from './dispatch/dispatcher.js';
import type { Invocation } from './dispatch/invocation.js';
import type { RateLimitPolicy } from './dispatch/member-rate-limit.js';
import { isDatabaseUnavailable } from './dispatch/outage.js';
import type { Logger } from './logger.js';
import { admission } from './ops/admission.js';
import type { OpsMetrics } from './ops/metrics.js';
import { WorkGate } from './ops/work-gate.js';
import type { MessagePort } from './platform.js';
import type { Random } from './random.js';

/**
 * Work that runs when time passes (scheduled jobs); the shell's `:advance` and the tick call runDue(). Runners handle
 * the communities of the port's platform, or only the port's `communityRefs` when it names them: a session serving a
 * single community (the shell, a test driver) must not act for others sharing its database.
 */
export type DueRunner = (core: Core, port: MessagePort) => Promise<void>;

export interface CoreDeps {
  database: Database;
  registry: Registry;
  clock: Clock;
  random: Random;
  log: Logger;
  dueRunners?: DueRunner[];
  defaultTimezone?: string;
  /** Per-member command rate limit (platform adapters; the local shell runs without one). */
  rateLimit?: RateLimitPolicy;
  /** Invocations handled at once before new ones are refused with "busy" (default 256). */
  maxInFlight?: number;
  metrics?: OpsMetrics;
}

/** Everything platform-neutral, built once per process and shared by whichever adapters run. */
export class Core {
  readonly dispatcher: Dispatcher;
  readonly db;
  /** In-flight invocations: shutdown drains it, and it bounds how many run at once. */
  readonly work: WorkGate;
  constructor(readonly deps: CoreDeps) {
    this.db = deps.database.db;
    this.work = new WorkGate(deps.maxInFlight);
    this.dispatcher = new Dispatcher({
      db: deps.database.db,
      registry: deps.registry,
      clock: deps.clock,
      random: deps.random,
      log: deps.log,
      defaultTimezone: deps.defaultTimezone,
      admit: admission(this.work, deps.rateLimit, deps.clock),
      ...(deps.metrics ? { onDispatched: deps.metrics.dispatched } : {}),
    });
  }

  get registry(): Registry {
    return this.deps.registry;
  }
  get clock(): Clock {
    return this.deps.clock;
  }
  get log(): Logger {
    return this.deps.log;
  }

  messenger(port: MessagePort): Messenger {
    return new Messenger(this.db, port, this.deps.log, this.clock);
  }

  /** Runs one invocation and delivers what it sends to others once `answer` has given the invoker their reply. */
  async handle(
    inv: Invocation,
    port: MessagePort,
    answer: (r: DispatchResult) => Promise<void>,
  ): Promise<DispatchResult> {
    return this.work.run(async () => {
      const result = await this.dispatcher.dispatch(inv, port.capabilities);
      await answer(result);
      if (result.communityId !== undefined && result.outgoing.length) {
        try {
          await this.messenger(port).deliver(result.communityId, result.outgoing);
        } catch (err) {
          // The command committed and its invoker has the answer: a delivery that fails now (database or platform
          // gone mid-way) must not turn that into a failure. Until the outbox makes these durable, they are logged.
          if (isDatabaseUnavailable(err)) this.deps.metrics?.databaseError('unavailable');
          this.deps.log.error(
            {
              communityId: result.communityId,
              messages: result.outgoing.length,
              err: { message: (err as Error).message },
            },
            'delivery to others failed after the command committed',
          );
        }
      }
      return result;
    });
  }

  /** Runs whatever has come due by the clock's current time. */
  async runDue(port: MessagePort, scope?: string): Promise<void> {
    const served = scope === undefined ? port : scopedPort(port, [scope]);
    for (const run of this.deps.dueRunners ?? []) await run(this, served);
  }
}

/** The same port, serving only the named communities (its methods and state are the original's). */
function scopedPort(port: MessagePort, communityRefs: readonly string[]): MessagePort {
  return Object.create(port, { communityRefs: { value: communityRefs } }) as MessagePort;
}
