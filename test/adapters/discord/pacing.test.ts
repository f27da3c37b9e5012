import { expect, it } from 'vitest';
import { Pacer, RouteGuard } from '../../../adapters/discord/pacing.js';
import { silentLogger } from '../../../src/logger.js';

/** A pacer on virtual time: waiting advances the clock, so rates are checked exactly and instantly. */
function virtualPacer(perSecond: number, burst: number) {
  let now = 0;
  const pacer = new Pacer(
    perSecond,
    burst,
    () => now,
    async (ms) => {
      now += ms;
    },
  );
  return { pacer, now: () => now };
}

it('lets a burst through at once, then holds to the rate', async () => {
  const { pacer, now } = virtualPacer(40, 10);
  for (let i = 0; i < 10; i++) await pacer.take();
  expect(now()).toBe(0);
  for (let i = 0; i < 90; i++) await pacer.take();
  // 90 more at 40/s take 2.25 s: 100 sends never exceed 45 per second
  expect(now()).toBeCloseTo(2250, 0);
  expect(100 / (now() / 1000 + 1)).toBeLessThan(45);
});

it('serves concurrent callers in order', async () => {
  const { pacer } = virtualPacer(2, 1);
  const order: number[] = [];
  await Promise.all([1, 2, 3].map((n) => pacer.take().then(() => order.push(n))));
  expect(order).toEqual([1, 2, 3]);
});

it('stops a route after repeated refusals, for a while, and a 401 stops everything', () => {
  let t = 0;
  const guard = new RouteGuard(silentLogger, { threshold: 3, windowMs: 1000, cooldownMs: 5000 }, () => t);
  guard.record('/channels/1/messages', 403);
  guard.record('/channels/1/messages/9', 429);
  expect(guard.isStopped('/channels/1/messages')).toBe(false);
  guard.record('/channels/1/messages', 403);
  expect(guard.isStopped('/channels/1/messages')).toBe(true);
  expect(guard.isStopped('/channels/2/messages')).toBe(false);
  t = 6000;
  expect(guard.isStopped('/channels/1/messages')).toBe(false);
  // refusals spread wider than the window do not add up
  for (const at of [7000, 8500, 10_000]) {
    t = at;
    guard.record('/channels/3/messages', 403);
  }
  expect(guard.isStopped('/channels/3/messages')).toBe(false);
  guard.record('/users/@me/channels', 401);
  expect(guard.isStopped('/channels/2/messages')).toBe(true);
  expect(() => guard.check('/channels/2/messages')).toThrow(/stopped/);
});
