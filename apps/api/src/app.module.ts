import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { AppConfig, Clock, CoreModule } from '@app/core';
import { CleanupJob } from '@app/persistence';
import { FeaturesModule } from './features.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { MetricsServer } from './ops/metrics-server';

/** The API: the features, the housekeeping schedule, health and metrics. */
@Module({
  imports: [FeaturesModule, ScheduleModule.forRoot(), TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 })],
  controllers: [HealthController, MetricsController],
  providers: [MetricsServer, CleanupJob],
})
export class AppModule {}

export interface AppRootOptions {
  /** Parsed once by the entry point and passed in (nothing below reads the environment). */
  config: AppConfig;
  /** Default: the system clock; tests pass one they control. */
  clock?: Clock;
  /** The feature graph; tests may wrap AppModule to add probes. */
  module?: Type<unknown>;
}

/** The composition root: the core (configuration, clock, metrics, lifecycle) and the feature graph. */
@Module({})
export class AppRootModule {
  static forRoot(options: AppRootOptions): DynamicModule {
    return { module: AppRootModule, imports: [CoreModule.forRoot(options), options.module ?? AppModule] };
  }
}
