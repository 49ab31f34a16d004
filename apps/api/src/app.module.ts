import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { CoreModule, httpConfig, HttpSettings, loggerParams } from '@app/core';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { PersistenceModule } from '@app/persistence';
import { TasksModule } from '@app/tasks';
import { StorageModule } from '@app/storage';
import { UsersModule } from '@app/users';
import { HealthController } from './health/health.controller';
import { MetricsController } from './ops/metrics.controller';
import { SCHEMA } from './schema';

@Module({
  imports: [
    CoreModule,
    LoggerModule.forRootAsync({ inject: [httpConfig.KEY], useFactory: (http: HttpSettings) => loggerParams(http) }),
    PersistenceModule.forRoot(SCHEMA),
    ScheduleModule.forRoot(),
    TerminusModule.forRoot({ errorLogStyle: 'json', gracefulShutdownTimeoutMs: 0 }),
    AuditModule,
    StorageModule,
    AccessModule,
    AuthModule,
    UsersModule,
    TasksModule,
    NotificationsModule,
    OtpModule,
  ],
  controllers: [HealthController, MetricsController],
})
export class AppModule {}
