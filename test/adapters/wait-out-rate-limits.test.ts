import { describe, expect, it } from 'vitest';
import { DeliveryError, dmRefused, rateLimited, waitOutRateLimits } from '../../src/delivery/delivery-error.js';

/**
 * The helper the ports use for steps after something visible went out (src/delivery/delivery-error.ts). It lives
 * with the ports' tests because only the ports call it.
 */
describe('waitOutRateLimits', () => {
  /** A step that fails with `errors` in turn, then answers 'done'; and a sleep that only records. */
  function scripted(errors: unknown[]) {
    const slept: number[] = [];
    let calls = 0;
    const step = async () => {
      calls++;
      const err = errors.shift();
      if (err) throw err;
      return 'done';
    };
    const sleep = async (ms: number) => {
      slept.push(ms);
    };
    return { step, sleep, slept, calls: () => calls };
  }

  it('waits out rate limits within the cap and runs the step again', async () => {
    const s = scripted([rateLimited(20_000, 'route'), rateLimited(30_000, 'global')]);
    await expect(waitOutRateLimits(s.step, { sleep: s.sleep })).resolves.toBe('done');
    expect(s.slept).toEqual([20_000, 30_000]);
    expect(s.calls()).toBe(3);
  });

  it('rethrows the rate limit that would take it past the cap, without waiting for it', async () => {
    const last = rateLimited(30_000, 'route');
    const s = scripted([rateLimited(40_000, 'route'), last]);
    await expect(waitOutRateLimits(s.step, { sleep: s.sleep, maxWaitMs: 60_000 })).rejects.toBe(last);
    expect(s.slept).toEqual([40_000]);
    expect(s.calls()).toBe(2);
  });

  it('defaults to a minute in total', async () => {
    const s = scripted([rateLimited(60_000, 'route'), rateLimited(1, 'route')]);
    await expect(waitOutRateLimits(s.step, { sleep: s.sleep })).rejects.toBeInstanceOf(DeliveryError);
    expect(s.slept).toEqual([60_000]);
  });

  it('does not spin on a platform that keeps answering Retry-After 0', async () => {
    const s = scripted(Array.from({ length: 100 }, () => rateLimited(0, 'route')));
    await expect(waitOutRateLimits(s.step, { sleep: s.sleep })).rejects.toBeInstanceOf(DeliveryError);
    expect(s.calls()).toBeLessThanOrEqual(11);
  });

  it('passes other errors through at once: platform errors, refused DMs', async () => {
    for (const err of [new Error('invalid_file'), dmRefused(50007)]) {
      const s = scripted([err]);
      await expect(waitOutRateLimits(s.step, { sleep: s.sleep })).rejects.toBe(err);
      expect(s.slept).toEqual([]);
      expect(s.calls()).toBe(1);
    }
  });
});
