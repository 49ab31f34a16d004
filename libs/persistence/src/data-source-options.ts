import type { DataSourceOptions, Logger as TypeOrmLogger, MixedList, EntitySchema } from 'typeorm';
import type { DatabaseConfig } from '@app/core';
import { guardedPgDriver } from './guarded-pg';

export interface SchemaParts {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
}

/**
 * The one definition of how we talk to Postgres, shared by the app, `ormconfig.ts` (TypeORM CLI),
 * the operators' CLI and the tests.
 */
export function buildDataSourceOptions(
  db: DatabaseConfig,
  url: string,
  parts: SchemaParts,
  logger?: TypeOrmLogger,
): DataSourceOptions {
  return {
    type: 'postgres',
    // pg with failures that mean "the database is unavailable" typed as such (503, see guarded-pg.ts).
    driver: guardedPgDriver,
    url,
    entities: parts.entities,
    migrations: parts.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // gen_random_uuid() is built into Postgres 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    migrationsRun: false,
    logging: logger ? (db.logQueries ? 'all' : ['error', 'warn', 'migration']) : false,
    logger,
    poolSize: db.poolSize,
    applicationName: 'identity-task-service',
    extra: {
      max: db.poolSize,
      statement_timeout: db.statementTimeoutMs || undefined,
      idleTimeoutMillis: 30_000,
      // Bounded, so that no request waits long for a database that is down or saturated.
      connectionTimeoutMillis: db.connectTimeoutMs,
    },
  };
}
