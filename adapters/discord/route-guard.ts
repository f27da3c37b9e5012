import type { Logger } from '../../src/logger.js';

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
