import { EventEmitter } from 'node:events';
import fs from 'node:fs';

/**
 * The one way tests wait: for the thing itself, re-checked when something happens (a fake records a call, a child
 * writes a log line or exits, a file appears), never for a guessed time. A check whose state tells nobody of its
 * changes (rows in a database, an HTTP probe) is polled; a wait that runs out throws naming what it waited for.
 */

/** Something that happens: given a listener, calls it on each occurrence, and returns the function that stops it. */
export type Signal = (listener: () => void) => () => void;

/** Occurrences of these events of an emitter (a child's `exit`, a stream's `data`). */
export function onEvents(emitter: NodeJS.EventEmitter, ...events: string[]): Signal {
  return (listener) => {
    for (const e of events) emitter.on(e, listener);
    return () => {
      for (const e of events) emitter.off(e, listener);
    };
  };
}

/**
 * Entries created, written, renamed or removed in a directory. `eventually` subscribes before its first check, so
 * a file created between the two is seen by the check, and one created after it by the watch.
 */
export function inDirectory(dir: string): Signal {
  return (listener) => {
    const watcher = fs.watch(dir, () => listener());
    return () => watcher.close();
  };
}

/** State that tells of its changes: its owner calls `notify()` after each one, tests wait on `signal`. */
export class Changes {
  private readonly emitter = new EventEmitter().setMaxListeners(0);
  readonly signal: Signal = onEvents(this.emitter, 'change');

  notify(): void {
    this.emitter.emit('change');
  }
}

export interface WaitOptions {
  /** What is awaited, as the timeout message names it: "the referral DM after the restart". */
  what: string;
  /** Default 5 s. */
  timeoutMs?: number;
  /**
   * The check runs once, then again on each occurrence of these (never concurrently with itself). Without any,
   * it is polled every `pollMs`: only for state nothing tells of (a database, an HTTP endpoint).
   */
  on?: Signal | readonly Signal[];
  /** Default 50 ms. */
  pollMs?: number;
  /** State shown in the timeout message. */
  describe?: () => unknown;
  /** More text for the timeout message (a child process's last lines). */
  context?: () => string;
}

type Truthy<T> = Exclude<Awaited<T>, false | 0 | '' | null | undefined>;

/** Resolves with the first truthy result of `check`; rejects if `check` throws, or after `timeoutMs`. */
export function eventually<T>(check: () => T, o: WaitOptions): Promise<Truthy<T>> {
  const timeoutMs = o.timeoutMs ?? 5_000;
  const signals: readonly Signal[] = o.on === undefined ? [] : typeof o.on === 'function' ? [o.on] : o.on;
  return new Promise<Truthy<T>>((resolve, reject) => {
    let done = false;
    let running = false;
    let again = false;
    let poll: NodeJS.Timeout | undefined;
    const offs: (() => void)[] = [];
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearTimeout(poll);
      for (const off of offs) off();
      settle();
    };
    const run = async (): Promise<void> => {
      if (done) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          const v = await check();
          if (v) return finish(() => resolve(v as Truthy<T>));
        } while (again && !done);
      } catch (err) {
        return finish(() => reject(err));
      } finally {
        running = false;
      }
      if (signals.length === 0 && !done) poll = setTimeout(run, o.pollMs ?? 50);
    };
    const timer = setTimeout(async () => {
      let state = '';
      try {
        state = o.describe ? `\nstate: ${JSON.stringify(await o.describe())}` : '';
      } catch (err) {
        state = `\nstate: (describe failed: ${(err as Error).message})`;
      }
      const context = o.context ? `\n${o.context()}` : '';
      finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${o.what}${state}${context}`)));
    }, timeoutMs);
    for (const s of signals) offs.push(s(() => void run()));
    void run();
  });
}

/** `promise`'s value, or an error naming `what` if it has not settled within `timeoutMs`. */
export async function within<T>(promise: Promise<T>, o: Omit<WaitOptions, 'on' | 'pollMs'>): Promise<T> {
  const changes = new Changes();
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  promise.then(
    (value) => {
      outcome = { ok: true, value };
      changes.notify();
    },
    (error: unknown) => {
      outcome = { ok: false, error };
      changes.notify();
    },
  );
  const settled = await eventually(() => outcome, { ...o, on: changes.signal });
  if (!settled.ok) throw settled.error;
  return settled.value;
}

/**
 * Lets real time pass. Only for waits whose evidence is time itself (a platform's Retry-After window, the phases of
 * a load test): every such use says why next to it.
 */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
