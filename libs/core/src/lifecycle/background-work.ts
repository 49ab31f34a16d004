import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';

/** How long shutdown waits for background work still running. */
const SHUTDOWN_WAIT_MS = 10_000;

/**
 * Work a request hands off to finish after its response — so that, for instance, the response time
 * of "forgot password" does not tell whether the account exists. Every piece is tracked: a failure
 * is logged (never an unhandled rejection), pieces with the same key run one after another in the
 * order they were handed in, and shutdown waits for what is still running before the queues and the
 * database close (`onModuleDestroy` runs before any `beforeApplicationShutdown`).
 */
@Injectable()
export class BackgroundWork implements OnModuleDestroy {
  private readonly logger = new Logger('BackgroundWork');
  private readonly pending = new Set<Promise<void>>();
  private readonly lastByKey = new Map<string, Promise<void>>();

  /** Starts `work` after the current call stack; with `key`, after the previous piece with that key. */
  run(name: string, work: () => Promise<unknown>, key?: string): void {
    const previous = key === undefined ? undefined : this.lastByKey.get(key);
    const piece: Promise<void> = (previous ?? Promise.resolve())
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => {
          this.logger.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`, error instanceof Error ? error.stack : undefined);
        },
      )
      .finally(() => {
        this.pending.delete(piece);
        if (key !== undefined && this.lastByKey.get(key) === piece) this.lastByKey.delete(key);
      });
    this.pending.add(piece);
    if (key !== undefined) this.lastByKey.set(key, piece);
  }

  /** Pieces started and not yet settled. */
  get running(): number {
    return this.pending.size;
  }

  /** Resolves once every piece started so far has settled, or after `timeoutMs`; true when all settled. */
  async settled(timeoutMs = SHUTDOWN_WAIT_MS): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      for (;;) {
        if (this.pending.size === 0) return true;
        const all = Promise.all([...this.pending]).then(() => true as const);
        if (!(await Promise.race([all, timeout]))) return false;
      }
    } finally {
      clearTimeout(timer);
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.pending.size === 0) return;
    if (!(await this.settled())) this.logger.warn(`Shutting down with ${this.pending.size} background task(s) unfinished`);
  }
}
