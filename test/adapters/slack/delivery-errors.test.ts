import { webApi } from '@slack/bolt';
import { expect, it } from 'vitest';
import { absorbShortRateLimits, dmRefusal } from '../../../adapters/slack/delivery-errors.js';
import { DeliveryError } from '../../../src/delivery/delivery-error.js';

const limited = (seconds: number) => new webApi.WebAPIRateLimitedError(seconds);
const platformError = (error: string) => Object.assign(new Error(error), { data: { ok: false, error } });

/** A call that answers these outcomes in turn (an Error is thrown), and the waits taken between them. */
function scripted(...outcomes: (Error | string)[]) {
  const slept: number[] = [];
  let calls = 0;
  const call = async () => {
    const o = outcomes[calls++]!;
    if (o instanceof Error) throw o;
    return o;
  };
  const sleep = async (ms: number) => {
    slept.push(ms);
  };
  return { call, sleep, slept, calls: () => calls };
}

it('waits out a Retry-After within the inline limit and makes the call again', async () => {
  const s = scripted(limited(2), 'sent');
  expect(await absorbShortRateLimits('chat.postMessage', s.call, 5_000, s.sleep)).toBe('sent');
  expect(s.slept).toEqual([2_000]);
});

it('throws a longer Retry-After as a DeliveryError: chat and files pause the route, other methods the platform', async () => {
  for (const [method, scope] of [
    ['chat.postMessage', 'route'],
    ['files.uploadV2', 'route'],
    ['conversations.open', 'global'],
  ] as const) {
    const s = scripted(limited(30), 'sent');
    const err = await absorbShortRateLimits(method, s.call, 5_000, s.sleep).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryAfterMs: 30_000, scope, blocked: false });
    expect(s.calls()).toBe(1);
    expect(s.slept).toEqual([]);
  }
});

it('gives the call back after three short 429s in a row, and lets other errors through untouched', async () => {
  const s = scripted(limited(1), limited(1), limited(1), 'sent');
  await expect(absorbShortRateLimits('chat.postMessage', s.call, 5_000, s.sleep)).rejects.toMatchObject({
    retryAfterMs: 1_000,
    scope: 'route',
  });
  expect(s.slept).toEqual([1_000, 1_000]);
  const other = platformError('channel_not_found');
  const t = scripted(other);
  await expect(absorbShortRateLimits('chat.postMessage', t.call, 5_000, t.sleep)).rejects.toBe(other);
});

it('a DM refusal is a member-level answer, not the app’s setup or a passing failure', () => {
  for (const code of ['cannot_dm_bot', 'user_not_found', 'user_disabled', 'channel_not_found', 'is_archived']) {
    expect(dmRefusal(platformError(code))).toBe(code);
  }
  for (const code of ['not_allowed_token_type', 'messages_tab_disabled', 'ratelimited', 'internal_error']) {
    expect(dmRefusal(platformError(code))).toBeUndefined();
  }
  expect(dmRefusal(new Error('cannot_dm_bot'))).toBeUndefined();
});
