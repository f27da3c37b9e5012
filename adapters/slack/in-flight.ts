/**
 * Work still running after its request was acknowledged. `stop()` waits for it (a deploy does not cut a reply in
 * half) and the test drivers wait for it before reading what the bot sent.
 */
export class InFlight {
  private readonly running = new Set<Promise<unknown>>();

  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves when nothing is running, including work started while waiting. */
  async settled(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }
}
