/**
 * Counts the invocations this process is handling (dispatch, the invoker's answer, delivery to others), so a
 * shutdown can wait for them, and bounds them: past `maxInFlight` new work is refused with a reply instead of piling
 * up in memory behind a slow database or platform.
 */
export class WorkGate {
  private running = 0;
  private closing = false;
  private readonly waiters = new Set<() => void>();

  constructor(readonly maxInFlight = 256) {}

  get inFlight(): number {
    return this.running;
  }

  get draining(): boolean {
    return this.closing;
  }

  /** Why a new invocation may not start now (checked while it is already counted), or null. */
  refusal(): 'draining' | 'busy' | null {
    if (this.closing) return 'draining';
    if (this.running > this.maxInFlight) return 'busy';
    return null;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      if (this.running === 0) for (const w of this.waiters) w();
    }
  }

  /** Stops admitting new work: what arrives from now on is answered "restarting, try again". */
  drain(): void {
    this.closing = true;
  }

  /** Resolves true once nothing is running, false if `timeoutMs` passes first. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.running === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(onIdle);
        resolve(ok);
      };
      const onIdle = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(onIdle);
    });
  }
}
