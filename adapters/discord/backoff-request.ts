import { DefaultRestOptions, type RESTOptions } from 'discord.js';

type MakeRequest = RESTOptions['makeRequest'];

export interface BackoffOptions {
  /** Retries after the first attempt (so at most retries + 1 requests). */
  retries: number;
  baseMs: number;
  maxMs: number;
  /** One attempt's limit; the REST client's own `timeout` stays the limit for all attempts together. */
  attemptTimeoutMs: number;
  /** A failed attempt: retried (final false) or given up on (final true). */
  onFailure?: (kind: 'server' | 'timeout', final: boolean) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const defaultBackoff: BackoffOptions = { retries: 3, baseMs: 250, maxMs: 4_000, attemptTimeoutMs: 5_000 };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    const wake = () => {
      clearTimeout(t);
      resolve();
    };
    signal?.addEventListener('abort', wake, { once: true });
  });

/**
 * discord.js retries a 5xx or a timed-out request at once, `retries` times in a row: against a struggling Discord
 * that is a burst exactly when it hurts. This wraps the REST client's `makeRequest` so 5xx answers and attempts
 * that time out are retried a bounded number of times with exponential backoff and jitter; the REST client is then
 * given `retries: 0` so the two never multiply. 429s are not touched: the REST client's queues honour Retry-After.
 */
export function withBackoff(
  opts: BackoffOptions = defaultBackoff,
  inner: MakeRequest = DefaultRestOptions.makeRequest,
) {
  const wait = opts.sleep ?? sleep;
  const makeRequest: MakeRequest = async (url, init) => {
    const outer = init.signal ?? undefined;
    for (let attempt = 0; ; attempt++) {
      const attemptSignal = AbortSignal.timeout(opts.attemptTimeoutMs);
      const signal = outer ? AbortSignal.any([outer, attemptSignal]) : attemptSignal;
      const final = attempt >= opts.retries;
      try {
        const res = await inner(url, { ...init, signal });
        if (res.status < 500) return res;
        opts.onFailure?.('server', final);
        if (final) return res;
        await res.arrayBuffer().catch(() => undefined);
      } catch (err) {
        if (outer?.aborted || !attemptSignal.aborted) throw err;
        opts.onFailure?.('timeout', final);
        if (final) throw err;
      }
      const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** attempt);
      await wait(ceiling / 2 + Math.random() * (ceiling / 2), outer);
      if (outer?.aborted) throw new DOMException('The request was aborted', 'AbortError');
    }
  };
  return makeRequest;
}
