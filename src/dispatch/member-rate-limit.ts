import type { Clock } from '../clock.js';

export interface RateLimitPolicy {
  /** Commands a member may run at once after a quiet spell. */
  burst: number;
  /** Sustained commands per minute. */
  perMinute: number;
  /** Members remembered at most; beyond it the fullest buckets are forgotten (they would refill anyway). */
  maxTracked?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per member (platform, community, user): a burst, then `perMinute`. It lives in each process's
 * memory, so with N replicas a member gets at most N× the rate: a guard against a stuck key or a script, not a quota.
 * Time comes from the Clock so tests (and the shell's :advance) refill it deterministically.
 */
export class MemberRateLimit {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxTracked: number;

  constructor(
    private readonly policy: RateLimitPolicy,
    private readonly clock: Clock,
  ) {
    this.maxTracked = policy.maxTracked ?? 50_000;
  }

  /** Takes one token; returns 0 when allowed, else the seconds until the next command would be. */
  take(key: string): number {
    const now = this.clock.now().getTime();
    const perMs = this.policy.perMinute / 60_000;
    const known = this.buckets.get(key);
    const bucket = known ?? { tokens: this.policy.burst, at: now };
    bucket.tokens = Math.min(this.policy.burst, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    if (!known) {
      if (this.buckets.size >= this.maxTracked) this.evict(now, perMs);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / perMs / 1000);
  }

  get tracked(): number {
    return this.buckets.size;
  }

  /** Drops buckets that are full by now (no information lost), else the oldest tenth: memory stays bounded. */
  private evict(now: number, perMs: number): void {
    for (const [k, b] of this.buckets) {
      if (b.tokens + (now - b.at) * perMs >= this.policy.burst) this.buckets.delete(k);
    }
    if (this.buckets.size < this.maxTracked) return;
    let drop = Math.ceil(this.maxTracked / 10);
    for (const k of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(k);
    }
  }
}
