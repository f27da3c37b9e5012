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
