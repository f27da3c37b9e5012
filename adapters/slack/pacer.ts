/**
 * Per-key token buckets: a key (a channel, a workspace's conversations.open) may burst a little, then gets
 * `perSecond`. Calls on one key run their turns in order; other keys are never held up by it, which is what keeps a
 * bulk send to one channel from delaying a reply elsewhere. The nudges outbox sends through the same pacer.
 */
export class Pacer {
  private readonly buckets = new Map<string, { tokens: number; at: number; tail: Promise<void> }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    if (perSecond <= 0 || burst < 1) throw new RangeError('a pacer needs a positive rate and a burst of at least 1');
  }

  /** Waits for this key's turn, then runs `fn`. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const bucket = this.bucket(key);
    const turn = bucket.tail.then(async () => {
      this.refill(bucket);
      if (bucket.tokens < 1) {
        await this.sleep(((1 - bucket.tokens) / this.perSecond) * 1000);
        this.refill(bucket);
      }
      bucket.tokens -= 1;
    });
    bucket.tail = turn.catch(() => {});
    await turn;
    return fn();
  }

  private refill(b: { tokens: number; at: number }): void {
    const t = this.now();
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
  }

  private bucket(key: string) {
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size > 5000) this.prune();
      b = { tokens: this.burst, at: this.now(), tail: Promise.resolve() };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** Forgets buckets that have refilled: they behave exactly like new ones. */
  private prune(): void {
    for (const [key, b] of this.buckets) {
      this.refill(b);
      if (b.tokens >= this.burst) this.buckets.delete(key);
    }
  }
}

export interface SlackPacing {
  /** chat.postMessage per channel: Slack allows about 1 per second, with short bursts. */
  channel: Pacer;
  /** conversations.open per workspace: Tier 3, 50+ per minute. */
  opens: Pacer;
}

export const defaultPacing = (): SlackPacing => ({
  channel: new Pacer(1, 3),
  opens: new Pacer(50 / 60, 10),
});
