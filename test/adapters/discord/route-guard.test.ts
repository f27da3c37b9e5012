import { expect, it } from 'vitest';
import { RouteGuard } from '../../../adapters/discord/route-guard.js';
import { silentLogger } from '../../../src/logger.js';

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
