import { Logger } from '@nestjs/common';
import type { DatabaseConfig } from '@app/core';
import { EmbeddedPostgresHandle, startEmbeddedPostgres } from './embedded-postgres';

/**
 * Where the database is: the server named by `DATABASE_URL`, or an embedded Postgres under
 * `DATA_DIR/pg` started on demand and stopped with the application.
 */
export class DatabaseServer {
  private readonly logger = new Logger('Database');
  private embedded?: EmbeddedPostgresHandle;
  private starting?: Promise<string>;

  constructor(private readonly config: DatabaseConfig) {}

  get isEmbedded(): boolean {
    return this.config.url === undefined;
  }

  url(): Promise<string> {
    if (this.config.url) return Promise.resolve(this.config.url);
    this.starting ??= startEmbeddedPostgres(this.config.dataDir, (m) => this.logger.log(m)).then((handle) => {
      this.embedded = handle;
      const socket = handle.socketDir ? ` and the socket in ${handle.socketDir}` : '';
      this.logger.log(`Embedded Postgres running on 127.0.0.1:${handle.port}${socket}, data in ${this.config.dataDir}/pg`);
      return handle.url;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    if (!this.embedded) return;
    const handle = this.embedded;
    this.embedded = undefined;
    this.starting = undefined;
    await handle.stop();
    this.logger.log('Embedded Postgres stopped');
  }
}
