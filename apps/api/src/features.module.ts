import { Module } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { AppLogger, createRootLogger, httpConfig, HttpSettings } from '@app/core';
import { CredentialsModule } from '@app/credentials';
import { FederationCodesModule, FederationModule } from '@app/federation';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { PersistenceModule } from '@app/persistence';
import { StorageModule } from '@app/storage';
import { TasksModule } from '@app/tasks';
import { UsersModule } from '@app/users';
import { EmailVerificationModule, VerificationModule } from '@app/verification';
import { SCHEMA } from './schema';

const persistence = PersistenceModule.forRoot(SCHEMA);
// Modules whose ports are implemented by libs above them get those libs' modules here, explicitly.
const credentials = CredentialsModule.register({ imports: [EmailVerificationModule, FederationCodesModule] });

/**
 * The features on their database: what both composition roots share — the API (AppModule adds the
 * HTTP-only parts, the schedule and health) and the CLI's lean module (a one-shot command: no
 * schedule, and with `ProcessRole.command` no delivery workers and no LISTEN connections).
 */
@Module({
  imports: [
    persistence,
    AuditModule,
    StorageModule,
    AccessModule,
    AuthModule,
    credentials,
    VerificationModule.register({ imports: [credentials] }),
    FederationModule.register({ imports: [credentials, EmailVerificationModule] }),
    UsersModule.register({ imports: [AccessModule, AuthModule, credentials, EmailVerificationModule] }),
    TasksModule,
    NotificationsModule,
    OtpModule,
  ],
  providers: [{ provide: AppLogger, inject: [httpConfig.KEY], useFactory: (http: HttpSettings) => new AppLogger(createRootLogger(http)) }],
  exports: [persistence, AppLogger],
})
export class FeaturesModule {}
