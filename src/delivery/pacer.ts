/**
 * The one pacer of the bot: every message the core sends (all of them leave through the outbox) is paced here, each
 * platform by its own limits; the ports only translate the platform's 429s and refusals (delivery-error.ts). A
 * rolling-window limiter per key (`discord`, `slack:route:dm:U1`, `discord:dm-open`): it remembers the last `limit`
 * permits and grants the next one when the oldest leaves the window. Unlike a token bucket (which lets
 * `burst + rate` through in a window), no window ever holds more than `limit`, and a steady stream still reaches the
 * full rate.
 */

export interface Limit {
  limit: number;
  windowMs: number;
}

/** The platforms' limits as we keep under them: margins below the published or observed values (cited below). */
export interface PlatformLimits {
  /** Every call of the platform. */
  global?: Limit;
  /** Each channel / DM conversation. */
  perRoute?: Limit;
  /** Opening a DM with someone whose DM channel is not cached yet. */
  dmOpen?: Limit;
  /** A shared conversation is opened like a DM each time (Slack's conversations.open for a group DM). */
  conversationOpensDm?: boolean;
}

export const PLATFORM_LIMITS: Record<string, PlatformLimits> = {
  // Discord: 50 requests/s global per bot (discord-api-docs, docs/topics/rate-limits.md "Global Rate Limit"): we stay
  // at 48, two requests' headroom for requests bunching up on their way (each window is also held 1% longer, below).
  // Message create per channel is unpublished and has been seen at 5 per 5 s. Opening DMs in bulk is discouraged and
  // answered with error 40003 ("opening direct messages too fast"): 1 a second.
  discord: {
    global: { limit: 48, windowMs: 1000 },
    perRoute: { limit: 5, windowMs: 5000 },
    dmOpen: { limit: 1, windowMs: 1000 },
  },
  // Slack (docs.slack.dev, "Rate limits"): chat.postMessage about 1 message a second per channel ("special" tier);
  // conversations.open is Tier 3, 50+ a minute; no published workspace-wide figure for posting.
  slack: { perRoute: { limit: 1, windowMs: 1000 }, dmOpen: { limit: 50, windowMs: 60_000 }, conversationOpensDm: true },
  shell: {},
};

/** Divides every window by `factor`: the benchmark's fast virtual pace (limits ×factor, same shape). */
export function scaleLimits(limits: PlatformLimits, factor: number): PlatformLimits {
  const s = (l?: Limit) => (l ? { limit: l.limit, windowMs: l.windowMs / factor } : undefined);
  const out: PlatformLimits = {};
  if (limits.global) out.global = s(limits.global)!;
  if (limits.perRoute) out.perRoute = s(limits.perRoute)!;
  if (limits.dmOpen) out.dmOpen = s(limits.dmOpen)!;
  if (limits.conversationOpensDm) out.conversationOpensDm = true;
  return out;
}

/** Monotonic milliseconds and sleep: real time in production, replaceable in tests. */
export interface PaceTimer {
  now(): number;
  sleep(ms: number): Promise<void>;
}
export const realTimer: PaceTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

class Window {
  private readonly stamps: number[] = [];
  private head = 0;
  constructor(readonly l: Limit) {}
  /** ms until `n` permits are free (0 = now). */
  wait(now: number, n = 1): number {
    // a permit leaves the window 1% late: timers and the platform's clock never see limit+1 in one window
    const span = this.l.windowMs * 1.01;
    while (this.head < this.stamps.length && this.stamps[this.head]! <= now - span) this.head++;
    if (this.head > 1024) {
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
    const need = Math.min(n, this.l.limit);
    const held = this.stamps.length - this.head;
    if (held + need <= this.l.limit) return 0;
    // the permit whose leaving makes room for `need`
    return this.stamps[this.head + held + need - this.l.limit - 1]! + span - now;
  }
  take(now: number): void {
    this.stamps.push(now);
  }
}

export class Pacer {
  private readonly windows = new Map<string, Window>();
  private readonly pausedUntil = new Map<string, number>();

  /** Whether a shared conversation on this platform opens one (counted against its DM opening limit). */
  conversationOpens(platform: string): boolean {
    return this.limits[platform]?.conversationOpensDm === true;
  }

  constructor(
    private readonly limits: Record<string, PlatformLimits> = PLATFORM_LIMITS,
    private readonly timer: PaceTimer = realTimer,
  ) {}

  private window(key: string, l: Limit): Window {
    let w = this.windows.get(key);
    if (!w) {
      w = new Window(l);
      this.windows.set(key, w);
    }
    return w;
  }

  private keys(platform: string, route: string, opensDm: boolean): [string, Limit | undefined][] {
    const l = this.limits[platform] ?? {};
    return [
      [platform, l.global],
      [`${platform}:route:${route}`, l.perRoute],
      [`${platform}:dm-open`, opensDm ? l.dmOpen : undefined],
    ];
  }

  /**
   * ms until a send on this route may go (0 = now), without taking a permit. `calls` is how many platform requests
   * the send makes (a private thread: create it, add each member, post): each counts against the global limit.
   */
  delay(platform: string, route: string, opensDm = false, calls = 1): number {
    const now = this.timer.now();
    let wait = 0;
    for (const [key, l] of this.keys(platform, route, opensDm)) {
      const paused = this.pausedUntil.get(key);
      if (paused !== undefined) wait = Math.max(wait, paused - now);
      if (l) wait = Math.max(wait, this.window(key, l).wait(now, key === platform ? calls : 1));
    }
    return Math.max(0, wait);
  }

  /** Waits until every limit of the route has room, then takes its permits from each. */
  async acquire(platform: string, route: string, opensDm = false, calls = 1): Promise<void> {
    for (let d = this.delay(platform, route, opensDm, calls); d > 0; d = this.delay(platform, route, opensDm, calls)) {
      await this.timer.sleep(d);
    }
    // no await between the last delay() and here: concurrent senders of one process cannot both take the last permit
    const now = this.timer.now();
    for (const [key, l] of this.keys(platform, route, opensDm)) {
      if (l) for (let i = key === platform ? calls : 1; i > 0; i--) this.window(key, l).take(now);
    }
  }

  /** A Retry-After from the platform: nothing goes on this key until it has passed. */
  pause(platform: string, route: string | null, ms: number): void {
    const key = route === null ? platform : `${platform}:route:${route}`;
    const until = this.timer.now() + ms;
    this.pausedUntil.set(key, Math.max(until, this.pausedUntil.get(key) ?? 0));
  }
}
