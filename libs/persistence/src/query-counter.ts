import { Injectable, Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import type { Counter } from 'prom-client';
import { DatabaseConfig, MetricsService } from '@app/core';

/**
 * TypeORM's logger for this app: counts every statement sent to Postgres (`db_queries_total` on
 * /metrics — the benchmark uses it to show that checking a token costs no query) and logs failures.
 */
@Injectable()
export class QueryCounter {
  private readonly counter: Counter;
  private readonly logger = new Logger('SQL');

  constructor(metrics: MetricsService) {
    this.counter = metrics.counter('db_queries_total', 'SQL statements sent to Postgres by this instance');
  }

  /** One statement sent outside TypeORM's query runner (see `UnitOfWork.rows`). */
  count(): void {
    this.counter.inc();
  }

  failed(error: unknown, query: string): void {
    this.logger.warn(`${error instanceof Error ? error.message : String(error)} — ${query.slice(0, 200)}`);
  }

  loggerFor(cfg: DatabaseConfig): TypeOrmLogger {
    const nest = this.logger;
    const counter = this.counter;
    return {
      logQuery(query: string) {
        counter.inc();
        if (cfg.logQueries) nest.debug(query);
      },
      logQueryError(error: string | Error, query: string) {
        nest.warn(`${error instanceof Error ? error.message : error} — ${query.slice(0, 200)}`);
      },
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
