/**
 * How a MessagePort tells the outbox why a send failed, so the outbox can act instead of guessing:
 * - `retryAfterMs`: the platform said 429 / Retry-After. `scope: 'global'` pauses the whole platform (Discord's
 *   global limit, Slack's workspace limit); `'route'` pauses only this channel or DM.
 * - `blocked`: the member blocks the bot or DMs are closed (Discord 50007, Slack `cannot_dm_bot`): one logged
 *   failure, then the outbox stops DMing them.
 * Anything else a port throws counts as a transient failure, retried with back-off.
 */
export class DeliveryError extends Error {
  readonly retryAfterMs?: number;
  readonly scope: 'global' | 'route';
  readonly blocked: boolean;
  constructor(message: string, opts: { retryAfterMs?: number; scope?: 'global' | 'route'; blocked?: boolean } = {}) {
    super(message);
    this.name = 'DeliveryError';
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
    this.scope = opts.scope ?? 'route';
    this.blocked = opts.blocked ?? false;
  }
}

/**
 * The longest Retry-After a port waits out itself before throwing a DeliveryError with `retryAfterMs` instead.
 * Long enough for a platform's ordinary bucket resets (Discord's message bucket is 5 per 5 s), so a burst of direct
 * deliveries still goes out; short enough that a long pause never holds the outbox's sequential sender, which
 * requeues the row and carries on with other routes.
 */
export const INLINE_RETRY_AFTER_MS = 10_000;

/** The member refuses DMs (or can no longer get them): what a port throws when it was given no fallback. */
export const dmRefused = (platformCode: string | number): DeliveryError =>
  new DeliveryError(`member does not accept DMs (${platformCode})`, { blocked: true });

/** A Retry-After the port chose not to wait out. */
export const rateLimited = (retryAfterMs: number, scope: 'global' | 'route'): DeliveryError =>
  new DeliveryError(`rate limited for ${Math.ceil(retryAfterMs)} ms (${scope})`, {
    retryAfterMs: Math.ceil(retryAfterMs),
    scope,
  });
