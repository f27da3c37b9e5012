import type { Logger } from '../../src/logger.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A token bucket: at most `perSecond` starts per second on average, `burst` at once. discord.js already queues per
 * route and honours 429s; this keeps bulk work (DM fan-out, later the nudges outbox) well under the global
 * 50 requests/s so interaction answers never wait behind it.
 */
export class Pacer {
  private tokens: number;
  private last: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    readonly burst: number = perSecond,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<void> = sleep,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when the caller may start one request; callers are served in order. */
  take(): Promise<void> {
    const turn = this.chain.then(() => this.takeOne());
    this.chain = turn.catch(() => {});
    return turn;
  }

  private async takeOne(): Promise<void> {
    for (;;) {
      const t = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
      this.last = t;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.wait(((1 - this.tokens) / this.perSecond) * 1000);
    }
  }
}

/** A send refused because its route was stopped after repeated 401/403/429 answers. */
export class RouteStoppedError extends Error {}

/**
 * Stops sending on a route that keeps being refused. Discord bans an IP for a while after 10,000 401/403/429 in
 * 10 minutes; one dead channel or a revoked token must not get there. A 401 stops everything (the token is bad);
 * `threshold` refusals within `windowMs` on one route stop that route for `cooldownMs`. Each stop is logged once.
 */
export class RouteGuard {
  private readonly failures = new Map<string, number[]>();
  private readonly stoppedUntil = new Map<string, number>();
  private unauthorized = false;

  constructor(
    private readonly log: Logger,
    private readonly opts: { threshold: number; windowMs: number; cooldownMs: number } = {
      threshold: 5,
      windowMs: 60_000,
      cooldownMs: 10 * 60_000,
    },
    private readonly now: () => number = Date.now,
  ) {}

  /** `/channels/123/messages/456` → `/channels/123`: Discord's rate limits follow the major parameter. */
  static routeKey(path: string): string {
    const m = /^\/(channels|guilds|webhooks|interactions|users)\/([^/]+)/.exec(path);
    return m ? `/${m[1]}/${m[2]}` : path;
  }

  record(path: string, status: number): void {
    if (status === 401) {
      if (!this.unauthorized) this.log.fatal({ status }, 'discord refused the bot token: all sends stopped');
      this.unauthorized = true;
      return;
    }
    if (status !== 403 && status !== 429) return;
    const key = RouteGuard.routeKey(path);
    const t = this.now();
    const recent = (this.failures.get(key) ?? []).filter((at) => at > t - this.opts.windowMs);
    recent.push(t);
    this.failures.set(key, recent);
    if (recent.length >= this.opts.threshold && !this.isStopped(key)) {
      this.stoppedUntil.set(key, t + this.opts.cooldownMs);
      this.failures.delete(key);
      this.log.error(
        { route: key, refusals: recent.length, cooldownMs: this.opts.cooldownMs },
        'discord keeps refusing a route: sends to it stopped for a while',
      );
    }
  }

  isStopped(path: string): boolean {
    if (this.unauthorized) return true;
    const until = this.stoppedUntil.get(RouteGuard.routeKey(path));
    return until !== undefined && until > this.now();
  }

  /** Throws instead of sending on a stopped route. */
  check(path: string): void {
    if (this.isStopped(path)) throw new RouteStoppedError(`sends to ${RouteGuard.routeKey(path)} are stopped`);
  }
}
