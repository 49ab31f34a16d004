import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccountProvisioning, EmailVerificationSender, PasswordVerifier, SessionTerminator, UsersModule } from '@app/users';
import { AuthAccountProvisioning } from './application/account-provisioning';
import { AdminBootstrap } from './application/admin-bootstrap';
import { AuthHousekeeping } from './application/auth-housekeeping';
import { ChangePasswordUseCase } from './application/change-password.use-case';
import { Contacts } from './application/contacts';
import { EmailVerificationUseCases } from './application/email-verification.use-cases';
import { IntrospectUseCase } from './application/introspect.use-case';
import { LoginUseCase } from './application/login.use-case';
import { OtpFlows } from './application/otp-flows.use-cases';
import { PasswordRecoveryUseCases } from './application/password-recovery.use-cases';
import { RefreshTokensUseCase } from './application/refresh-tokens.use-case';
import { RegisterUseCase } from './application/register.use-case';
import { SecurityNotices } from './application/security-notices';
import { SessionIssuer } from './application/session-issuer';
import { PasswordConfirmation } from './application/password-confirmation';
import { SessionRevoker } from './application/session-revoker';
import { SessionsUseCases } from './application/sessions.use-cases';
import { AccessTokens, LoginThrottle, PasswordHasher, SessionRepository } from './domain/ports';
import { Argon2PasswordHasher } from './infrastructure/argon2-password-hasher';
import { AccessGuard } from './infrastructure/auth.guard';
import { JwtAccessTokens } from './infrastructure/jwt-access-tokens';
import { PgLoginThrottle } from './infrastructure/pg-login-throttle';
import { RevocationList } from './infrastructure/revocation-list';
import { SigningKeys } from './infrastructure/signing-keys';
import { TypeormSessionRepository } from './infrastructure/typeorm-session.repository';
import { AuthController } from './presentation/auth.controller';
import { JwksController } from './presentation/jwks.controller';
import { VerificationController } from './presentation/verification.controller';
import { LoginGate } from './presentation/login-gate';
import { UserSessionsController } from './presentation/user-sessions.controller';

/**
 * Credentials, sessions and tokens, and the global access guard; the flows on top of one-time codes,
 * email verification and password recovery. Provides the users lib's PasswordVerifier,
 * SessionTerminator and EmailVerificationSender ports.
 */
@Global()
@Module({
  imports: [UsersModule],
  controllers: [AuthController, VerificationController, JwksController, UserSessionsController],
  providers: [
    SigningKeys,
    RevocationList,
    JwtAccessTokens,
    { provide: AccessTokens, useExisting: JwtAccessTokens },
    { provide: PasswordHasher, useClass: Argon2PasswordHasher },
    { provide: SessionRepository, useClass: TypeormSessionRepository },
    { provide: LoginThrottle, useClass: PgLoginThrottle },
    SessionRevoker,
    { provide: SessionTerminator, useExisting: SessionRevoker },
    PasswordConfirmation,
    { provide: PasswordVerifier, useExisting: PasswordConfirmation },
    { provide: AccountProvisioning, useClass: AuthAccountProvisioning },
    { provide: APP_GUARD, useClass: AccessGuard },
    SessionIssuer,
    RegisterUseCase,
    LoginUseCase,
    RefreshTokensUseCase,
    SessionsUseCases,
    ChangePasswordUseCase,
    IntrospectUseCase,
    AuthHousekeeping,
    AdminBootstrap,
    Contacts,
    SecurityNotices,
    EmailVerificationUseCases,
    { provide: EmailVerificationSender, useExisting: EmailVerificationUseCases },
    OtpFlows,
    PasswordRecoveryUseCases,
    LoginGate,
  ],
  exports: [
    LoginGate,
    SessionIssuer,
    LoginThrottle,
    SecurityNotices,
    AccessTokens,
    PasswordHasher,
    SessionRevoker,
    SessionTerminator,
    PasswordVerifier,
    EmailVerificationSender,
    AccountProvisioning,
    SessionsUseCases,
    AdminBootstrap,
    SigningKeys,
    RevocationList,
  ],
})
export class AuthModule {}
