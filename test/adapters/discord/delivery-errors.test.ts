import { DiscordAPIError, type RateLimitData, RateLimitError } from 'discord.js';
import { expect, it } from 'vitest';
import { isDmRefusal, rejectLongRateLimits, toDeliveryError } from '../../../adapters/discord/delivery-errors.js';
import { DeliveryError } from '../../../src/delivery/delivery-error.js';

const limit = (route: string, retryAfter: number, global = false): RateLimitData => ({
  global,
  method: 'POST',
  url: `http://x${route}`,
  route,
  majorParameter: 'global',
  hash: 'h',
  limit: 5,
  timeToReset: retryAfter,
  retryAfter,
  sublimitTimeout: 0,
  scope: global ? 'global' : 'user',
});

const apiError = (code: number) =>
  new DiscordAPIError({ code, message: 'x' }, code, 403, 'POST', 'http://x', { body: undefined, files: undefined });

it('the port’s routes wait a short rate limit inline and refuse a long one; other routes wait up to a minute', () => {
  const reject = rejectLongRateLimits(5_000);
  expect(reject(limit('/channels/:id/messages', 4_000))).toBe(false);
  expect(reject(limit('/channels/:id/messages', 6_000))).toBe(true);
  expect(reject(limit('/users/@me/channels', 6_000))).toBe(true);
  expect(reject(limit('/webhooks/:id/:token', 6_000))).toBe(false);
  expect(reject(limit('/webhooks/:id/:token', 61_000))).toBe(true);
});

it('a refused rate limit becomes a DeliveryError: the global flag pauses the platform, anything else the route', () => {
  const route = toDeliveryError(new RateLimitError(limit('/channels/:id/messages', 30_050)));
  expect(route).toBeInstanceOf(DeliveryError);
  expect(route).toMatchObject({ retryAfterMs: 30_050, scope: 'route', blocked: false });
  expect(toDeliveryError(new RateLimitError(limit('/channels/:id/messages', 2_000, true)))).toMatchObject({
    retryAfterMs: 2_000,
    scope: 'global',
  });
  expect(toDeliveryError(apiError(40003))).toMatchObject({ retryAfterMs: 60_000, scope: 'global' }); // DMs too fast
  const other = apiError(50013);
  expect(toDeliveryError(other)).toBe(other); // transient for the outbox
});

it('a DM refusal is 50007, 50278 or an unknown user, nothing else', () => {
  expect([50007, 50278, 10013].map((c) => isDmRefusal(apiError(c)))).toEqual([true, true, true]);
  expect([50013, 10003].map((c) => isDmRefusal(apiError(c)))).toEqual([false, false]);
  expect(isDmRefusal(new Error('50007'))).toBe(false);
});
