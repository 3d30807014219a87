/**
 * Work that must not overlap, run one piece after another in the order it was asked for; a failure is the
 * caller's and does not stop the pieces after it.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Whether a piece is running or waiting. */
  get busy(): boolean {
    return this.pending > 0;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    const next = this.tail.then(fn).finally(() => this.pending--);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
