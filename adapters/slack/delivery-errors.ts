import { webApi } from '@slack/bolt';
import { rateLimited } from '../../src/delivery/delivery-error.js';

/**
 * Slack failures as the outbox understands them (src/delivery/delivery-error.ts): the one place that knows which
 * Slack answers mean "wait" and which mean "this member cannot be DMed".
 */

/** The `error` of a Web API platform error (`{ ok: false, error }`). */
export const slackError = (err: unknown): string | undefined =>
  (err as { data?: { error?: string } })?.data?.error ?? undefined;

/**
 * Answers on the DM path (conversations.open, or a post to the member's DM channel) that mean no DM will reach
 * them: a bot or deleted user, a deactivated account, a DM channel that is gone or archived. Not
 * `not_allowed_token_type` or `messages_tab_disabled`: those are the app's setup, and would mark every member.
 */
const DM_REFUSALS = new Set(['cannot_dm_bot', 'user_not_found', 'user_disabled', 'channel_not_found', 'is_archived']);

/** The Slack error code when `err` (from the DM path) means the member cannot be DMed. */
export function dmRefusal(err: unknown): string | undefined {
  const code = slackError(err);
  return code && DM_REFUSALS.has(code) ? code : undefined;
}

/** The Retry-After of a 429 the WebClient handed back (a client built with `rejectRateLimitedCalls`), in ms. */
function retryAfterMs(err: unknown): number | undefined {
  const e = err as { code?: string; retryAfter?: number };
  return e?.code === webApi.ErrorCode.RateLimitedError && typeof e.retryAfter === 'number'
    ? e.retryAfter * 1000
    : undefined;
}

/**
 * Which pause a 429 asks for. chat.* and files.* are limited per channel (about one message a second): that route
 * only. Every other method (conversations.open and the tiered methods) is limited per workspace; the outbox has one
 * pause per platform, so 'global' pauses every workspace's sends for those seconds, which we accept over sending
 * into a workspace that is refusing us.
 */
const scopeOf = (method: string): 'global' | 'route' => (/^(chat|files)\./.test(method) ? 'route' : 'global');

/** Consecutive short 429s waited out inline before the call is given back to the caller to requeue. */
const INLINE_ATTEMPTS = 3;

/**
 * Runs one Web API call of the message port: a 429 whose Retry-After is at most `inlineMs` is waited out and the
 * call made again; a longer one (or a third in a row) is thrown as a DeliveryError with the wait and its scope.
 */
export async function absorbShortRateLimits<T>(
  method: string,
  call: () => Promise<T>,
  inlineMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const ms = retryAfterMs(err);
      if (ms === undefined) throw err;
      if (ms > inlineMs || attempt >= INLINE_ATTEMPTS) throw rateLimited(ms, scopeOf(method));
      await sleep(ms);
    }
  }
}
