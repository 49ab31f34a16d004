import { Logger } from '@nestjs/common';
import type { DatabaseConfig } from '@app/core';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

/** Waits between attempts to restart an embedded Postgres that died: 0.25 s, doubling, at most 5 s. */
const RESTART_DELAYS_MS = [250, 500, 1_000, 2_000, 5_000];

/**
 * Where the database is: the server named by `DATABASE_URL`, or an embedded Postgres under
 * `DATA_DIR/pg` started on demand, supervised (restarted when it dies) and stopped with the
 * application.
 */
export class DatabaseServer {
  private readonly logger = new Logger('Database');
  private embedded?: EmbeddedPostgresHandle;
  private starting?: Promise<string>;
  private stopped = false;
  private restarting?: Promise<void>;

  constructor(private readonly config: DatabaseConfig) {}

  get isEmbedded(): boolean {
    return this.config.url === undefined;
  }

  url(): Promise<string> {
    if (this.config.url) return Promise.resolve(this.config.url);
    this.starting ??= startEmbeddedPostgres(this.config.dataDir, (m) => this.logger.log(m)).then((handle) => {
      this.embedded = handle;
      handle.onUnexpectedExit((reason) => this.supervise(handle, reason));
      const socket = handle.socketDir ? ` and the socket in ${handle.socketDir}` : '';
      this.logger.log(`Embedded Postgres running on 127.0.0.1:${handle.port}${socket}, data in ${handle.clusterDir}`);
      return handle.url;
    });
    return this.starting;
  }

  /** Resolves once a restart that is under way has finished (or at once when none is). */
  async settled(): Promise<void> {
    await this.restarting;
  }

  private supervise(handle: EmbeddedPostgresHandle, reason: string): void {
    if (this.stopped || this.restarting) return;
    this.logger.warn(`Embedded Postgres exited unexpectedly (${reason}); restarting it`);
    this.restarting = (async () => {
      for (let attempt = 0; !this.stopped; attempt += 1) {
        try {
          await handle.restart();
          this.logger.log(`Embedded Postgres restarted (attempt ${attempt + 1})`);
          return;
        } catch (error) {
          if (this.stopped) return;
          // Typically the old server's processes still hold its shared memory for a moment.
          const delay = RESTART_DELAYS_MS[Math.min(attempt, RESTART_DELAYS_MS.length - 1)];
          this.logger.warn(`Restarting the embedded Postgres failed (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); retrying in ${delay} ms`);
          await new Promise((r) => setTimeout(r, delay));
        }
      }
    })().finally(() => {
      this.restarting = undefined;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.restarting;
    if (!this.embedded) return;
    const handle = this.embedded;
    this.embedded = undefined;
    this.starting = undefined;
    await handle.stop();
    this.logger.log('Embedded Postgres stopped');
  }
}
