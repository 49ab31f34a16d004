import { Global, Module } from '@nestjs/common';
import { SecondFactorGate } from '@app/auth';
import { UsersModule } from '@app/users';
import { CredentialsHousekeeping } from './application/credentials-housekeeping';
import { FactorsUseCases } from './application/factors.use-cases';
import { MfaNotices } from './application/mfa-notices';
import { MfaGate, MfaVerifyUseCase } from './application/mfa-sign-in';
import { FactorRepository, MfaChallengeRepository, RecoveryCodeRepository, SecretBox, TotpAlgorithm } from './domain/factors';
import { AesGcmSecretBox, OtpauthTotp, RecoveryCodeHasher } from './infrastructure/crypto';
import { PgFactorRepository, PgMfaChallengeRepository, PgRecoveryCodeRepository } from './infrastructure/pg-repositories';
import { MfaController, UserMfaController } from './presentation/mfa.controller';

/**
 * Second factors: TOTP authenticators, recovery codes and the second step of sign-in. Provides the
 * auth lib's SecondFactorGate (global, so that the sign-ins there reach it).
 */
@Global()
@Module({
  imports: [UsersModule],
  controllers: [MfaController, UserMfaController],
  providers: [
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
  ],
  exports: [SecondFactorGate],
})
export class CredentialsModule {}
