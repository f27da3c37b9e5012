import type { Database } from '../db/client.js';
import type { Clock } from './clock.js';
import type { Registry } from './commands/registry.js';
import { Messenger } from './delivery/messenger.js';
import { Dispatcher, type DispatchResult } from './dispatch/dispatcher.js';
import type { Invocation } from './dispatch/invocation.js';
import type { Logger } from './logger.js';
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
}

/** Everything platform-neutral, built once per process and shared by whichever adapters run. */
export class Core {
  readonly dispatcher: Dispatcher;
  readonly db;
  constructor(readonly deps: CoreDeps) {
    this.db = deps.database.db;
    this.dispatcher = new Dispatcher({
      db: deps.database.db,
      registry: deps.registry,
      clock: deps.clock,
      random: deps.random,
      log: deps.log,
      defaultTimezone: deps.defaultTimezone,
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
    return new Messenger(this.db, port, this.deps.log);
  }

  /** Runs one invocation and delivers what it sends to others once `answer` has given the invoker their reply. */
  async handle(
    inv: Invocation,
    port: MessagePort,
    answer: (r: DispatchResult) => Promise<void>,
  ): Promise<DispatchResult> {
    const result = await this.dispatcher.dispatch(inv, port.capabilities);
    await answer(result);
    if (result.communityId !== undefined && result.outgoing.length) {
      await this.messenger(port).deliver(result.communityId, result.outgoing);
    }
    return result;
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
