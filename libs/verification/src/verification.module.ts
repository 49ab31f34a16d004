import { Global, Module } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { CredentialsModule } from '@app/credentials';
import { EmailVerificationSender, UsersModule } from '@app/users';
import { EmailVerificationUseCases } from './application/email-verification.use-cases';
import { OtpFlows } from './application/otp-flows.use-cases';
import { VerificationController } from './presentation/verification.controller';

/**
 * Proving a contact: the flows on one-time codes (request and verify, per purpose), email
 * verification links, and the hosted link pages (email verified, the password-reset form). Provides
 * the users lib's EmailVerificationSender.
 */
@Global()
@Module({
  imports: [UsersModule, AuthModule, CredentialsModule],
  controllers: [VerificationController],
  providers: [EmailVerificationUseCases, { provide: EmailVerificationSender, useExisting: EmailVerificationUseCases }, OtpFlows],
  exports: [EmailVerificationSender],
})
export class VerificationModule {}
