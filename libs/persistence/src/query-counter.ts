import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Counter } from 'prom-client';
import { DatabaseConfig, databaseConfig, MetricsService } from '@app/core';

/**
 * TypeORM's logger for this app: counts every statement sent to Postgres (`db_queries_total` on
 * /metrics — the benchmark uses it to show that checking a token costs no query) and logs failures.
 */
@Injectable()
export class QueryCounter {
  private readonly counter: Counter;
  private readonly logger = new Logger('SQL');

  constructor(
    metrics: MetricsService,
    @Optional() @Inject(databaseConfig.KEY) private readonly cfg?: Pick<DatabaseConfig, 'logQueries'>,
  ) {
    this.counter = metrics.counter('db_queries_total', 'SQL statements sent to Postgres by this instance');
  }

  /** One statement sent, by TypeORM or by `UnitOfWork.rows`: counted, and logged with DATABASE_LOG_QUERIES. */
  sent(query: string): void {
    this.counter.inc();
    if (this.cfg?.logQueries) this.logger.debug(query);
  }

  failed(error: unknown, query: string): void {
    this.logger.warn(`${error instanceof Error ? error.message : String(error)} — ${query.slice(0, 200)}`);
  }

  /** TypeORM's logger: its statements go through `sent` and `failed` like the others. */
  typeormLogger(): TypeOrmLogger {
    const nest = this.logger;
    return {
      logQuery: (query: string) => this.sent(query),
      logQueryError: (error: string | Error, query: string) => this.failed(error, query),
      logQuerySlow(time: number, query: string) {
        nest.warn(`slow query (${time} ms): ${query.slice(0, 200)}`);
      },
      logSchemaBuild() {},
      logMigration(message: string) {
        nest.log(message);
      },
      log(level: 'log' | 'info' | 'warn', message: unknown) {
        if (level === 'warn') nest.warn(String(message));
      },
    };
  }
}
