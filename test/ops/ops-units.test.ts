import { describe, expect, it } from 'vitest';
import { withBackoff } from '../../adapters/discord/backoff-request.js';
import { ManualClock } from '../../src/clock.js';
import { MemberRateLimit } from '../../src/dispatch/member-rate-limit.js';
import { Health } from '../../src/ops/health.js';
import { METRIC, OpsMetrics } from '../../src/ops/metrics.js';
import { WorkGate } from '../../src/ops/work-gate.js';

describe('member rate limit (token bucket)', () => {
  it('allows a burst, then one command per refill interval, per member', () => {
    const clock = new ManualClock(new Date('2025-01-01T00:00:00Z'));
    const limit = new MemberRateLimit({ burst: 3, perMinute: 6 }, clock);
    expect([1, 2, 3].map(() => limit.take('ann'))).toEqual([0, 0, 0]);
    expect(limit.take('ann')).toBe(10);
    expect(limit.take('bob')).toBe(0);
    clock.advance(10_000);
    expect(limit.take('ann')).toBe(0);
    expect(limit.take('ann')).toBeGreaterThan(0);
  });

  it('keeps memory bounded however many members appear', () => {
    const clock = new ManualClock();
    const limit = new MemberRateLimit({ burst: 2, perMinute: 1, maxTracked: 100 }, clock);
    for (let i = 0; i < 10_000; i++) limit.take(`m${i}`);
    expect(limit.tracked).toBeLessThanOrEqual(100);
  });
});

describe('work gate', () => {
  it('counts in-flight work, refuses past its bound, and drains', async () => {
    const gate = new WorkGate(1);
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const seen: (string | null)[] = [];
    const a = gate.run(async () => {
      seen.push(gate.refusal());
      await held;
    });
    const b = gate.run(async () => {
      seen.push(gate.refusal());
      await held;
    });
    expect(seen).toEqual([null, 'busy']);
    gate.drain();
    expect(gate.refusal()).toBe('draining');
    expect(await gate.idle(20)).toBe(false);
    release();
    await Promise.all([a, b]);
    expect(await gate.idle(20)).toBe(true);
    expect(gate.inFlight).toBe(0);
  });
});

describe('metrics', () => {
  it('exposes the contract metric names in Prometheus text', async () => {
    const m = new OpsMetrics({ defaultMetrics: false });
    m.dispatched({ command: 'ask', platform: 'slack', outcome: 'ok', ms: 12 });
    m.dispatched({ command: 'ask', platform: 'slack', outcome: 'error', code: 'database_unavailable', ms: 3 });
    m.dispatched({ command: 'ask', platform: 'slack', outcome: 'user_error', code: 'rate_limited', ms: 1 });
    m.platformRateLimited('discord');
    m.setOutboxDepth('slack', async () => 7);
    m.setDueJobLag(4.5);
    m.setInFlight(() => 2);
    const text = await m.text();
    expect(text).toContain(`${METRIC.commands}{command="ask",outcome="ok",platform="slack"} 1`);
    expect(text).toContain(`${METRIC.commandSeconds}_bucket{le="0.025",command="ask",platform="slack"} 3`);
    expect(text).toContain(`${METRIC.databaseErrors}{kind="unavailable"} 1`);
    expect(text).toContain(`${METRIC.memberRateLimited}{platform="slack"} 1`);
    expect(text).toContain(`${METRIC.platformRateLimited}{platform="discord"} 1`);
    expect(text).toContain(`${METRIC.outboxDepth}{platform="slack"} 7`);
    expect(text).toContain(`${METRIC.dueJobLag} 4.5`);
    expect(text).toContain(`${METRIC.inFlight} 2`);
  });
});

describe('readiness', () => {
  it('is ready only when every check passes; a throwing check reports why', async () => {
    const h = new Health();
    h.add('database', () => true);
    expect(await h.readiness()).toEqual({ ready: true, checks: { database: { ok: true } } });
    h.add('discord', () => 'gateway not connected');
    h.add('slack', async () => {
      throw new Error('boom');
    });
    const r = await h.readiness();
    expect(r.ready).toBe(false);
    expect(r.checks.discord).toEqual({ ok: false, detail: 'gateway not connected' });
    expect(r.checks.slack).toEqual({ ok: false, detail: 'failed: boom' });
  });
});

describe('Discord request backoff', () => {
  const response = (status: number) =>
    ({ status, ok: status < 300, arrayBuffer: async () => new ArrayBuffer(0) }) as never;

  it('retries 5xx answers a bounded number of times with growing waits, then gives the last answer back', async () => {
    const waits: number[] = [];
    let calls = 0;
    const request = withBackoff(
      { retries: 3, baseMs: 100, maxMs: 1000, attemptTimeoutMs: 1000, sleep: async (ms) => void waits.push(ms) },
      async () => {
        calls++;
        return response(503);
      },
    );
    const res = (await request('http://x', {})) as unknown as { status: number };
    expect(res.status).toBe(503);
    expect(calls).toBe(4);
    expect(waits).toHaveLength(3);
    // Full jitter within [ceiling/2, ceiling]: 100, 200, 400.
    waits.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(w).toBeLessThanOrEqual(100 * 2 ** i);
    });
  });

  it('retries an attempt that times out, and passes other answers through untouched', async () => {
    let calls = 0;
    const request = withBackoff(
      { retries: 2, baseMs: 1, maxMs: 1, attemptTimeoutMs: 30 },
      (_url, init) =>
        new Promise((resolve, reject) => {
          calls++;
          if (calls === 1) init.signal?.addEventListener('abort', () => reject(new Error('aborted')));
          else resolve(response(429));
        }),
    );
    const res = (await request('http://x', {})) as unknown as { status: number };
    expect(res.status).toBe(429);
    expect(calls).toBe(2);
  });
});
