import { DiscordAPIError, type RateLimitData, RateLimitError } from 'discord.js';
import { CannotSendMessagesToThisUserErrorCodes, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { dmRefused, rateLimited } from '../../src/delivery/delivery-error.js';

/**
 * Discord failures as the outbox understands them (src/delivery/delivery-error.ts): the one place that knows which
 * Discord answers mean "wait" and which mean "this member cannot be DMed".
 */

/** Waits the REST client still takes on routes the message port does not use (interaction follow-ups, deploys). */
const OTHER_ROUTES_MAX_WAIT_MS = 60_000;

/** The port's bucket routes, as discord.js names them: `/channels/:id/messages`, `/users/@me/channels`, … */
const PORT_ROUTES = /^\/(channels|users)\//;

/**
 * discord.js's `rejectOnRateLimit`: on the port's routes a wait longer than `portInlineMs` (a 429's Retry-After or a
 * bucket known to be empty) throws a RateLimitError instead of holding the send, so the caller can requeue it; other
 * routes keep waiting up to a minute, as an interaction answer has nothing better to do.
 */
export function rejectLongRateLimits(portInlineMs: number): (data: RateLimitData) => boolean {
  return (data) => data.retryAfter > (PORT_ROUTES.test(data.route) ? portInlineMs : OTHER_ROUTES_MAX_WAIT_MS);
}

/**
 * A refused rate limit becomes a DeliveryError with its wait: Discord's global limit (the `X-RateLimit-Global`
 * answer, which discord.js reports as `global`) pauses the whole platform, anything else only that channel or DM.
 * Other errors pass through unchanged (transient for the outbox).
 */
export function toDeliveryError(err: unknown): unknown {
  if (err instanceof RateLimitError) return rateLimited(err.retryAfter, err.global ? 'global' : 'route');
  // 40003 "opening direct messages too fast" is Discord's anti-spam brake on the bot as a whole and names no wait:
  // pause all sends a minute rather than open the next DM into the same refusal.
  if (err instanceof DiscordAPIError && err.code === OPENING_DMS_TOO_FAST) return rateLimited(60_000, 'global');
  return err;
}

const OPENING_DMS_TOO_FAST = 40003;

const REFUSALS: readonly number[] = [
  ...CannotSendMessagesToThisUserErrorCodes, // 50007 (blocks the bot, DMs from server members off), 50278
  RESTJSONErrorCodes.UnknownUser, // the account is gone: no DM will ever arrive
];

/** The DM was refused for good: the member blocks the bot, closed DMs, or no longer exists. */
export function isDmRefusal(err: unknown): err is DiscordAPIError {
  return err instanceof DiscordAPIError && typeof err.code === 'number' && REFUSALS.includes(err.code);
}

/** What the port throws for a refused DM when the caller gave no fallback. */
export const dmRefusedError = (err?: DiscordAPIError) => dmRefused(err?.code ?? 'refused before');
