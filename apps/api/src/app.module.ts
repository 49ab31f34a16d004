import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { CredentialsModule } from '@app/credentials';
import { AppConfig, AppLogger, Clock, CoreModule, createRootLogger, httpConfig, HttpSettings } from '@app/core';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { CleanupJob, PersistenceModule } from '@app/persistence';
import { TasksModule } from '@app/tasks';
import { StorageModule } from '@app/storage';
import { UsersModule } from '@app/users';
import { EmailVerificationModule, VerificationModule } from '@app/verification';
import { HealthController } from './health/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { MetricsServer } from './ops/metrics-server';
import { SCHEMA } from './schema';

// Modules whose ports are implemented by libs above them get those libs' modules here, explicitly.
const credentials = CredentialsModule.register({ imports: [EmailVerificationModule] });

@Module({
  imports: [
    PersistenceModule.forRoot(SCHEMA),
    ScheduleModule.forRoot(),
    TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 }),
    AuditModule,
    StorageModule,
    AccessModule,
    AuthModule,
    credentials,
    VerificationModule.register({ imports: [credentials] }),
    UsersModule.register({ imports: [AccessModule, AuthModule, credentials, EmailVerificationModule] }),
    TasksModule,
    NotificationsModule,
    OtpModule,
  ],
  controllers: [HealthController, MetricsController],
  providers: [
    MetricsServer,
    CleanupJob,
    { provide: AppLogger, inject: [httpConfig.KEY], useFactory: (http: HttpSettings) => new AppLogger(createRootLogger(http)) },
  ],
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
