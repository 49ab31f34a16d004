import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AddressRateLimits, databaseConfig, DatabaseSettings, RateLimiter } from '@app/core';
import { AdvisoryLocks } from './advisory-locks';
import { buildDataSourceOptions, SchemaParts } from './data-source-options';
import { DatabaseServer } from './database-server';
import { runMigrationsLocked } from './migrations';
import { CleanupService } from './cleanup';
import { PgListener } from './pg-listener';
import { PgRateLimiter } from './pg-rate-limiter';
import { QueryCounter } from './query-counter';
import { UnitOfWork } from './unit-of-work';

/** Where the database is (embedded or `DATABASE_URL`) and how its statements are counted. */
@Global()
@Module({
  providers: [
    { provide: DatabaseServer, inject: [databaseConfig.KEY], useFactory: (cfg: DatabaseSettings) => new DatabaseServer(cfg) },
    QueryCounter,
  ],
  exports: [DatabaseServer, QueryCounter],
})
export class DatabaseServerModule {}

/**
 * TypeORM over `pg`, with migrations applied at start-up under an advisory lock (`MIGRATIONS_RUN`),
 * the unit of work, advisory locks and the shared rate limiter (`RateLimiter`, `AddressRateLimits`).
 * Closes the pool, then the embedded Postgres, on shutdown —
 * after the HTTP server has let in-flight requests finish.
 */
@Global()
@Module({})
export class PersistenceModule implements OnApplicationShutdown {
  private static readonly logger = new Logger('Migrations');

  constructor(
    private readonly server: DatabaseServer,
    @Inject(getDataSourceToken()) private readonly dataSource: DataSource,
    private readonly listener: PgListener,
  ) {}

  static forRoot(parts: SchemaParts): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        DatabaseServerModule,
        TypeOrmModule.forRootAsync({
          imports: [DatabaseServerModule],
          inject: [databaseConfig.KEY, DatabaseServer, QueryCounter],
          useFactory: async (cfg: DatabaseSettings, server: DatabaseServer, counter: QueryCounter) => ({
            ...buildDataSourceOptions(cfg, await server.url(), parts, counter.typeormLogger()),
            // Applied by the factory below under a lock, not by TypeORM.
            migrationsRun: cfg.migrationsRun,
            retryAttempts: 2,
            retryDelay: 500,
          }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('no data source options');
            const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
            if (options.migrationsRun) {
              const applied = await runMigrationsLocked(dataSource);
              for (const m of applied) PersistenceModule.logger.log(`Applied ${m.name}`);
            }
            return dataSource;
          },
        }),
      ],
      providers: [UnitOfWork, AdvisoryLocks, PgListener, CleanupService, { provide: RateLimiter, useClass: PgRateLimiter }, AddressRateLimits],
      exports: [UnitOfWork, AdvisoryLocks, PgListener, CleanupService, RateLimiter, AddressRateLimits, DatabaseServerModule],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener.onApplicationShutdown();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.server.stop();
  }
}
