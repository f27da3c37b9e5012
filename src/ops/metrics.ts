import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry as PromRegistry } from 'prom-client';

/** One finished dispatch, as the dispatcher reports it through its `onDispatched` hook. */
export interface DispatchEvent {
  command: string;
  platform: string;
  outcome: 'ok' | 'user_error' | 'error' | 'duplicate';
  /** A user error's code, or `database_unavailable` for an outage. */
  code?: string;
  ms: number;
}

/**
 * The metric names other branches feed. They are part of the contract with dashboards and alerts: rename only with
 * a note in the README. All are prefixed `roundtable_`.
 */
export const METRIC = {
  commands: 'roundtable_commands_total',
  commandSeconds: 'roundtable_command_duration_seconds',
  inFlight: 'roundtable_dispatches_in_flight',
  outboxDepth: 'roundtable_outbox_depth',
  dueJobLag: 'roundtable_due_job_lag_seconds',
  platformRateLimited: 'roundtable_platform_rate_limited_total',
  platformErrors: 'roundtable_platform_errors_total',
  databaseErrors: 'roundtable_database_errors_total',
  memberRateLimited: 'roundtable_member_rate_limited_total',
} as const;

/** A value read when /metrics is scraped (e.g. the outbox depth from the database); null skips the sample. */
export type GaugeSource = () => Promise<number | null> | number | null;

/**
 * The process's metrics on their own prom-client registry (not the global one, so tests and two cores in one
 * process never collide). Gauges that cost a query (outbox depth, due-job lag) are read on scrape through sources
 * the scheduler branch registers, or set directly with the setters.
 */
export class OpsMetrics {
  readonly registry = new PromRegistry();
  private readonly commands: Counter<'command' | 'outcome' | 'platform'>;
  private readonly seconds: Histogram<'command' | 'platform'>;
  private readonly inFlight: Gauge;
  private inFlightSource: (() => number) | undefined;
  private readonly outbox: Gauge<'platform'>;
  private readonly lag: Gauge;
  private readonly rateLimited: Counter<'platform'>;
  private readonly platformErrors: Counter<'platform' | 'kind'>;
  private readonly dbErrors: Counter<'kind'>;
  private readonly memberLimited: Counter<'platform'>;
  private readonly outboxSources = new Map<string, GaugeSource>();
  private lagSource: GaugeSource | undefined;

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.commands = new Counter({
      name: METRIC.commands,
      help: 'Commands and button presses dispatched, by name and outcome',
      labelNames: ['command', 'outcome', 'platform'],
      registers,
    });
    this.seconds = new Histogram({
      name: METRIC.commandSeconds,
      help: 'Time from dispatch to reply (the transaction included), in seconds',
      labelNames: ['command', 'platform'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const self = this;
    this.inFlight = new Gauge({
      name: METRIC.inFlight,
      help: 'Invocations being handled now (dispatch, answer, delivery)',
      registers,
      collect() {
        if (self.inFlightSource) this.set(self.inFlightSource());
      },
    });
    const outboxSources = this.outboxSources;
    this.outbox = new Gauge({
      name: METRIC.outboxDepth,
      help: 'Messages waiting in the outbox, by platform',
      labelNames: ['platform'],
      registers,
      async collect() {
        for (const [platform, source] of outboxSources) {
          const v = await source();
          if (v !== null) this.set({ platform }, v);
        }
      },
    });
    this.lag = new Gauge({
      name: METRIC.dueJobLag,
      help: 'Age in seconds of the oldest due job not yet run (0 when none is waiting)',
      registers,
      async collect() {
        if (!self.lagSource) return;
        const v = await self.lagSource();
        if (v !== null) this.set(v);
      },
    });
    this.rateLimited = new Counter({
      name: METRIC.platformRateLimited,
      help: 'HTTP 429 answers received from a platform',
      labelNames: ['platform'],
      registers,
    });
    this.platformErrors = new Counter({
      name: METRIC.platformErrors,
      help: 'Platform calls that failed after their retries (kind: server, timeout, refused)',
      labelNames: ['platform', 'kind'],
      registers,
    });
    this.dbErrors = new Counter({
      name: METRIC.databaseErrors,
      help: 'Database errors (kind: unavailable when the server could not be reached)',
      labelNames: ['kind'],
      registers,
    });
    this.memberLimited = new Counter({
      name: METRIC.memberRateLimited,
      help: 'Commands refused by the per-member rate limit',
      labelNames: ['platform'],
      registers,
    });
    if (opts.defaultMetrics !== false) {
      // Process metrics (RSS, event-loop lag, GC) come from prom-client's collectors, on this registry only.
      collectDefaultMetrics({ register: this.registry });
    }
  }

  /** The dispatcher's `onDispatched` hook. */
  readonly dispatched = (e: DispatchEvent): void => {
    this.commands.inc({ command: e.command, outcome: e.outcome, platform: e.platform });
    if (e.outcome !== 'duplicate') this.seconds.observe({ command: e.command, platform: e.platform }, e.ms / 1000);
    if (e.code === 'database_unavailable') this.dbErrors.inc({ kind: 'unavailable' });
    if (e.code === 'rate_limited') this.memberLimited.inc({ platform: e.platform });
  };

  /** The count of in-flight invocations, read on scrape. */
  setInFlight(source: () => number): void {
    this.inFlightSource = source;
  }

  platformRateLimited(platform: string): void {
    this.rateLimited.inc({ platform });
  }

  platformError(platform: string, kind: 'server' | 'timeout' | 'refused'): void {
    this.platformErrors.inc({ platform, kind });
  }

  databaseError(kind: 'unavailable' | 'other'): void {
    this.dbErrors.inc({ kind });
  }

  /** The outbox (issue 8) reports its depth per platform: a value now, or a source read on each scrape. */
  setOutboxDepth(platform: string, depth: number | GaugeSource): void {
    if (typeof depth === 'number') this.outbox.set({ platform }, depth);
    else this.outboxSources.set(platform, depth);
  }

  /** The scheduler (issue 8) reports how late the oldest due job is: a value now, or a source read on scrape. */
  setDueJobLag(seconds: number | GaugeSource): void {
    if (typeof seconds === 'number') this.lag.set(seconds);
    else this.lagSource = seconds;
  }

  /** Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
