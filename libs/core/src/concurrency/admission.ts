/**
 * A bounded admission queue: at most `concurrency` jobs run at once, at most `queueLimit` wait (first
 * come, first served), and beyond that `run` refuses at once with the caller's error — so a burst
 * costs a bounded amount of memory and CPU, and the wait of an admitted job is bounded by the queue
 * ahead of it. The CPU-heavy work it guards (image decoding) shares libuv's thread pool with password
 * hashing and file I/O: bounding it keeps those responsive.
 */
export class Admission {
  private running = 0;
  private highest = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queueLimit: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /** The most jobs that ever ran at once (never above `concurrency`). */
  get peak(): number {
    return this.highest;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>, busy: () => Error): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) throw busy();
      // The slot is handed over by the job that finishes (running stays counted).
      await new Promise<void>((start) => this.waiting.push(start));
    } else {
      this.running += 1;
      this.highest = Math.max(this.highest, this.running);
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
