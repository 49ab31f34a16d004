import { DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AuthModule } from '@app/auth';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { NotificationsModule } from '@app/notifications';
import { OtpModule } from '@app/otp';
import { AccountProvisioning, PasswordVerifier, UserAccountsModule } from '@app/users';
import { AuthAccountProvisioning } from './application/account-provisioning';
import { AdminBootstrap } from './application/admin-bootstrap';
import { ChangePasswordUseCase } from './application/change-password.use-case';
import { CredentialsHousekeeping } from './application/credentials-housekeeping';
import { FactorsUseCases } from './application/factors.use-cases';
import { LoginUseCase } from './application/login.use-case';
import { MfaNotices } from './application/mfa-notices';
import { PasskeyPresence } from './application/passkey-presence';
import { ProviderCodeSignIn } from './application/provider-code-sign-in';
import { MfaGate, MfaVerifyUseCase } from './application/mfa-sign-in';
import { PasswordConfirmation } from './application/password-confirmation';
import { PasswordRecoveryUseCases } from './application/password-recovery.use-cases';
import { RegisterUseCase } from './application/register.use-case';
import { SecurityNotices } from './application/security-notices';
import { PasskeyRegistration, PasskeySignIn } from './application/passkeys.use-cases';
import { FactorRepository, MfaChallengeRepository, RecoveryCodeRepository, SecretBox, TotpAlgorithm } from './domain/factors';
import { PasskeyRepository, WebAuthn, WebauthnChallengeRepository } from './domain/passkeys';
import { LoginThrottle, PasswordHasher, SecondFactorGate } from './domain/ports';
import { Argon2PasswordHasher } from './infrastructure/argon2-password-hasher';
import { AesGcmSecretBox, OtpauthTotp, RecoveryCodeHasher } from './infrastructure/crypto';
import { PgLoginThrottle } from './infrastructure/pg-login-throttle';
import { PgFactorRepository, PgMfaChallengeRepository, PgPasskeyRepository, PgRecoveryCodeRepository, PgWebauthnChallengeRepository } from './infrastructure/pg-repositories';
import { SimpleWebAuthn } from './infrastructure/simple-webauthn';
import { CredentialsController } from './presentation/credentials.controller';
import { LoginGate } from './presentation/login-gate';
import { MfaController, UserMfaController } from './presentation/mfa.controller';
import { PasskeysController } from './presentation/passkeys.controller';

/**
 * Passwords (policy, argon2id hashing, lockout), sign-in with a password, registration, password
 * change and recovery, the first admin, second factors (TOTP, passkeys, recovery codes, the second
 * step of sign-in) and passkey sign-in. Provides the users lib's PasswordVerifier and AccountProvisioning. Registration needs the
 * users lib's EmailVerificationSender, which the verification lib implements: the composition root
 * passes its module in — `CredentialsModule.register({ imports: [EmailVerificationModule] })`.
 */
@Module({})
export class CredentialsModule {
  static register(options: { imports: NonNullable<ModuleMetadata['imports']> }): DynamicModule {
    return {
      module: CredentialsModule,
      imports: [UserAccountsModule, AuthModule, AccessModule, AuditModule, NotificationsModule, OtpModule, ...options.imports],
      controllers: [CredentialsController, MfaController, UserMfaController, PasskeysController],
      providers: [
        { provide: PasswordHasher, useClass: Argon2PasswordHasher },
        { provide: LoginThrottle, useClass: PgLoginThrottle },
        PasswordConfirmation,
        { provide: PasswordVerifier, useExisting: PasswordConfirmation },
        { provide: AccountProvisioning, useClass: AuthAccountProvisioning },
        SecurityNotices,
        RegisterUseCase,
        LoginUseCase,
        ChangePasswordUseCase,
        PasswordRecoveryUseCases,
        AdminBootstrap,
        LoginGate,
        { provide: FactorRepository, useClass: PgFactorRepository },
        { provide: RecoveryCodeRepository, useClass: PgRecoveryCodeRepository },
        { provide: MfaChallengeRepository, useClass: PgMfaChallengeRepository },
        { provide: TotpAlgorithm, useClass: OtpauthTotp },
        { provide: SecretBox, useClass: AesGcmSecretBox },
        RecoveryCodeHasher,
        MfaNotices,
        MfaGate,
        { provide: SecondFactorGate, useExisting: MfaGate },
        MfaVerifyUseCase,
        FactorsUseCases,
        CredentialsHousekeeping,
        { provide: PasskeyRepository, useClass: PgPasskeyRepository },
        { provide: WebauthnChallengeRepository, useClass: PgWebauthnChallengeRepository },
        { provide: WebAuthn, useClass: SimpleWebAuthn },
        PasskeyRegistration,
        PasskeySignIn,
        PasskeyPresence,
        ProviderCodeSignIn,
      ],
      exports: [PasswordVerifier, AccountProvisioning, LoginUseCase, PasswordRecoveryUseCases, SecondFactorGate, AdminBootstrap, LoginGate, PasskeyPresence],
    };
  }
}
