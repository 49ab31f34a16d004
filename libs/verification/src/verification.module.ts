import { DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { AuthModule } from '@app/auth';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { EmailVerificationSender, UserAccountsModule } from '@app/users';
import { EmailVerificationUseCases } from './application/email-verification.use-cases';
import { OtpFlows } from './application/otp-flows.use-cases';
import { VerificationController } from './presentation/verification.controller';

/**
 * Email verification links: sending them (the users lib's EmailVerificationSender, which registration
 * and email changes use) and confirming them. Needs nothing from credentials, so that credentials can
 * import it.
 */
@Module({
  imports: [UserAccountsModule, OtpModule, NotificationsModule],
  providers: [EmailVerificationUseCases, { provide: EmailVerificationSender, useExisting: EmailVerificationUseCases }],
  exports: [EmailVerificationUseCases, EmailVerificationSender],
})
export class EmailVerificationModule {}

/**
 * Proving a contact: the flows on one-time codes (request and verify, per purpose), email
 * verification, and the hosted link pages (email verified, the password-reset form). Uses the
 * credentials lib (sign-in by code, recovery), whose configured module the composition root passes
 * in: `VerificationModule.register({ imports: [credentials] })`.
 */
@Module({})
export class VerificationModule {
  static register(options: { imports: NonNullable<ModuleMetadata['imports']> }): DynamicModule {
    return {
      module: VerificationModule,
      imports: [UserAccountsModule, AuthModule, AuditModule, NotificationsModule, OtpModule, EmailVerificationModule, ...options.imports],
      controllers: [VerificationController],
      providers: [OtpFlows],
    };
  }
}
