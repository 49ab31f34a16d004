import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { CredentialsModule } from '@app/credentials';
import { AppLogger, CoreModule, createRootLogger, httpConfig, HttpSettings } from '@app/core';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { PersistenceModule } from '@app/persistence';
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
    CoreModule,
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
    { provide: AppLogger, inject: [httpConfig.KEY], useFactory: (http: HttpSettings) => new AppLogger(createRootLogger(http)) },
  ],
})
export class AppModule {}
