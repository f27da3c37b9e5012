/**
 * The platforms' documented rate limits, enforced by the loopback fakes when a test or benchmark asks for it: a
 * request over a limit is answered 429 in the platform's shape, and counted, so a run can show it never went over.
 * A rolling window per key, as strict as the platform: no window of `windowMs` holds more than `limit` requests.
 *
 * `scale` divides every window (a faster clock): a benchmark that scales time must give the same factor to the
 * pacer (scaleLimits in src/delivery/pacer.ts), so both see one scaled clock.
 */
export interface FakeLimit {
  limit: number;
  windowMs: number;
}

/** Discord: 50 requests a second per bot, interaction callbacks exempt (discord-api-docs, docs/topics/rate-limits.md, "Global Rate Limit"). */
export const DISCORD_GLOBAL: FakeLimit = { limit: 50, windowMs: 1000 };

/**
 * Slack: chat.postMessage "generally allows an app to post 1 message per second to a specific channel" (docs.slack.dev,
 * "Rate limits", special rate limits for chat.postMessage). Slack allows short bursts over it; the fake does not, which
 * is the stricter reading. The workspace-wide limit ("several hundred messages per minute") has no figure to enforce.
 */
export const SLACK_POST_PER_CHANNEL: FakeLimit = { limit: 1, windowMs: 1000 };

export class RateWindows {
  private readonly stamps = new Map<string, number[]>();
  /** Requests answered 429 because they were over the limit. */
  refused = 0;
  /** Requests admitted under the limit. */
  admitted = 0;

  constructor(
    private readonly l: FakeLimit,
    private readonly scale = 1,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts a request on `key`; returns ms until it would have been allowed (0: allowed now). */
  take(key: string): number {
    const t = this.now();
    const span = this.l.windowMs / this.scale;
    let list = this.stamps.get(key);
    if (!list) {
      list = [];
      this.stamps.set(key, list);
    }
    while (list.length && list[0]! <= t - span) list.shift();
    if (list.length >= this.l.limit) {
      this.refused++;
      return list[0]! + span - t;
    }
    list.push(t);
    this.admitted++;
    return 0;
  }
}
