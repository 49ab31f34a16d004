import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { CoreModule, httpConfig, HttpSettings, loggerParams } from '@app/core';
import { PersistenceModule } from '@app/persistence';
import { HealthController } from './health/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { SCHEMA } from './schema';

@Module({
  imports: [
    CoreModule,
    LoggerModule.forRootAsync({ inject: [httpConfig.KEY], useFactory: (http: HttpSettings) => loggerParams(http) }),
    PersistenceModule.forRoot(SCHEMA),
    TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 }),
  ],
  controllers: [HealthController, MetricsController],
})
export class AppModule {}
