import type { Database } from '../db/client.js';
import type { Clock } from './clock.js';
import type { Registry } from './commands/registry.js';
import type { OutboxSender } from './delivery/outbox-sender.js';
import { Pacer, PLATFORM_LIMITS, type PlatformLimits } from './delivery/pacer.js';
import { Dispatcher, type DispatchResult } from './dispatch/dispatcher.js';
import type { Invocation } from './dispatch/invocation.js';
import type { RateLimitPolicy } from './dispatch/member-rate-limit.js';
import { isDatabaseUnavailable } from './dispatch/outage.js';
import { jobRegistry } from './job-kinds.js';
import type { Logger } from './logger.js';
import { admission } from './ops/admission.js';
import type { OpsMetrics } from './ops/metrics.js';
import { WorkGate } from './ops/work-gate.js';
import type { MessagePort } from './platform.js';
import type { Random } from './random.js';
import type { JobRegistry } from './scheduler/job-kinds.js';
import { Scheduler } from './scheduler/scheduler.js';

export interface CoreDeps {
  database: Database;
  registry: Registry;
  clock: Clock;
  random: Random;
  log: Logger;
  /** Everything time brings (default: the bot's own list, src/job-kinds.ts). */
  jobs?: JobRegistry;
  /**
   * Slots found late: `grace` for a running bot (missed slots older than a group's grace window are skipped), `all`
   * where time jumps by hand (the shell's `:advance`, tests: the bot counts as running throughout). Default `all`.
   */
  catchUp?: 'grace' | 'all';
  /** How long outbox messages this process claimed stay its own (DELIVERY_LEASE_SECONDS). */
  deliveryLeaseMs?: number;
  /** Each platform's limits for the one pacer (default PLATFORM_LIMITS; tests against fakes pace faster). */
  pacing?: Record<string, PlatformLimits>;
  defaultTimezone?: string;
  /** Per-member command rate limit (platform adapters; the local shell runs without one). */
  rateLimit?: RateLimitPolicy;
  /** Invocations handled at once before new ones are refused with "busy" (default 256). */
  maxInFlight?: number;
  metrics?: OpsMetrics;
}

/** How long the committing process keeps trying to send its own messages while another replica holds the lease. */
const HANDOFF_RETRY_MS = 250;
const HANDOFF_TRIES = 20;

/** Everything platform-neutral, built once per process and shared by whichever adapters run. */
export class Core {
  readonly dispatcher: Dispatcher;
  readonly db;
  /** In-flight invocations: shutdown drains it, and it bounds how many run at once. */
  readonly work: WorkGate;
  /** The one scheduler of this process: jobs, sweeps and pruning, claimed for what this process can deliver. */
  readonly scheduler: Scheduler;
  /** The one sender: every message to anyone but an invoker leaves through the outbox, and only here. */
  readonly outbox: OutboxSender;
  private readonly retries = new Set<NodeJS.Timeout>();

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
    this.scheduler = new Scheduler({
      db: this.db,
      clock: deps.clock,
      log: deps.log,
      registry: deps.jobs ?? jobRegistry(),
      catchUp: deps.catchUp ?? 'all',
      sender: {
        pacer: new Pacer(deps.pacing ?? PLATFORM_LIMITS),
        ...(deps.deliveryLeaseMs ? { leaseMs: deps.deliveryLeaseMs } : {}),
      },
    });
    this.outbox = this.scheduler.sender;
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

  /** Runs one invocation; once `answer` has given the invoker their reply, sends what it queued for others. */
  async handle(
    inv: Invocation,
    port: MessagePort,
    answer: (r: DispatchResult) => Promise<void>,
  ): Promise<DispatchResult> {
    return this.work.run(async () => {
      const result = await this.dispatcher.dispatch(inv, port.capabilities);
      await answer(result);
      await this.afterCommit(port, result.queued ?? []);
      return result;
    });
  }

  /**
   * Right after a commit that queued messages: this process sends them at once (a DM arrives within a second when
   * nothing else is queued). If another replica holds the platform's sending lease, it is tried again for a few
   * seconds in the background; what is still left then (or held for quiet hours) any replica's tick sends. A failure
   * here never undoes the commit: the rows wait in the outbox.
   */
  async afterCommit(port: MessagePort, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    const left = await this.sendNow(port, ids);
    if (left > 0) this.retryHandoff(port, ids, HANDOFF_TRIES);
  }

  private async sendNow(port: MessagePort, ids: readonly number[]): Promise<number> {
    try {
      return await this.outbox.sendNow(port, ids);
    } catch (err) {
      if (isDatabaseUnavailable(err)) this.deps.metrics?.databaseError('unavailable');
      this.deps.log.error(
        { platform: port.platform, messages: ids.length, err: { message: (err as Error).message } },
        'sending committed messages failed: they wait in the outbox',
      );
      return 0;
    }
  }

  private retryHandoff(port: MessagePort, ids: readonly number[], tries: number): void {
    const timer = setTimeout(async () => {
      this.retries.delete(timer);
      const left = await this.sendNow(port, ids);
      if (left > 0 && tries > 1) this.retryHandoff(port, ids, tries - 1);
    }, HANDOFF_RETRY_MS);
    timer.unref();
    this.retries.add(timer);
  }

  /**
   * Runs whatever time has brought, by the clock's current time, until nothing is due: the one entry point that the
   * ticker calls every TICK_SECONDS and the shell's `:advance` after moving its clock. `scope` narrows a port to one
   * community (test drivers sharing a database with others).
   */
  async runDue(port: MessagePort | readonly MessagePort[], scope?: string): Promise<void> {
    const ports = Array.isArray(port) ? port : [port as MessagePort];
    await this.scheduler.runUntilIdle(scope === undefined ? ports : ports.map((p) => scopedPort(p, [scope])));
  }

  /** Stops background hand-offs and gives up this process's sending leases (shutdown). */
  async stop(): Promise<void> {
    for (const t of this.retries) clearTimeout(t);
    this.retries.clear();
    await this.outbox.releaseLeases().catch(() => {});
  }
}

/** The same port, serving only the named communities (its methods and state are the original's). */
function scopedPort(port: MessagePort, communityRefs: readonly string[]): MessagePort {
  return Object.create(port, { communityRefs: { value: communityRefs } }) as MessagePort;
}
