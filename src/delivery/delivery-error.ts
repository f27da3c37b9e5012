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

/**
 * The most a send waits out inline, in total, for a step after one the members can already see. Half the outbox
 * sender's 120 s lease, so a row being waited on is not taken over by another replica and sent again.
 */
export const AFTER_VISIBLE_MAX_WAIT_MS = 60_000;

/** Waits per step, so a platform answering Retry-After 0 again and again cannot spin here. */
const AFTER_VISIBLE_MAX_WAITS = 10;

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Runs one step of a send that comes after something visible already went out (Slack's upload after the posted
 * text, Discord's member adds and post after the thread was created). A port's DeliveryError with `retryAfterMs`
 * normally makes the caller retry the whole send later, which would repeat the visible part (the text twice, a second
 * thread); here the wait is taken inline and the step alone is tried again, up to `maxWaitMs` in total. A longer
 * wait, and any other error, is rethrown: the port decides whether to give it to the caller.
 */
export async function waitOutRateLimits<T>(
  step: () => Promise<T>,
  opts: { maxWaitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const maxWaitMs = opts.maxWaitMs ?? AFTER_VISIBLE_MAX_WAIT_MS;
  const sleep = opts.sleep ?? realSleep;
  let waited = 0;
  for (let waits = 0; ; waits++) {
    try {
      return await step();
    } catch (err) {
      const ms = err instanceof DeliveryError ? err.retryAfterMs : undefined;
      if (ms === undefined || waited + ms > maxWaitMs || waits >= AFTER_VISIBLE_MAX_WAITS) throw err;
      await sleep(ms);
      waited += ms;
    }
  }
}
