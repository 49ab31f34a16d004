import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuthModuleOptions } from '@nestjs/passport';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { SessionTerminator, UserAccountsModule } from '@app/users';
import { AuthHousekeeping } from './application/auth-housekeeping';
import { IntrospectUseCase } from './application/introspect.use-case';
import { RefreshTokensUseCase } from './application/refresh-tokens.use-case';
import { SessionIssuer } from './application/session-issuer';
import { SessionRevoker } from './application/session-revoker';
import { SessionsUseCases } from './application/sessions.use-cases';
import { AccessTokens, PublicKeySet, Revocations, SessionRepository } from './domain/ports';
import { AccessGuard } from './infrastructure/auth.guard';
import { JwtAccessTokens } from './infrastructure/jwt-access-tokens';
import { JwtStrategy } from './infrastructure/jwt.strategy';
import { RevocationList } from './infrastructure/revocation-list';
import { SigningKeys } from './infrastructure/signing-keys';
import { TypeormSessionRepository } from './infrastructure/typeorm-session.repository';
import { AuthController } from './presentation/auth.controller';
import { JwksController } from './presentation/jwks.controller';
import { UserSessionsController } from './presentation/user-sessions.controller';

/**
 * Signing keys and JWKS, access tokens, sessions with refresh rotation, revocation, introspection and
 * the global access guard. Provides the users lib's SessionTerminator. How a session is earned
 * (password, one-time code, second factor) is the credentials and verification libs' business: they
 * call SessionIssuer.
 */
@Module({
  // Keys are per call (the current signer; the verifier by `kid`), so JwtModule carries no secret.
  imports: [UserAccountsModule, AccessModule, AuditModule, JwtModule.register({})],
  controllers: [AuthController, JwksController, UserSessionsController],
  providers: [
    SigningKeys,
    RevocationList,
    { provide: Revocations, useExisting: RevocationList },
    { provide: PublicKeySet, useExisting: SigningKeys },
    JwtAccessTokens,
    JwtStrategy,
    // What PassportModule.register would provide, with this app's own strategy name (see JwtStrategy).
    { provide: AuthModuleOptions, inject: [JwtStrategy], useFactory: (strategy: JwtStrategy) => ({ defaultStrategy: strategy.strategyName, session: false }) },
    { provide: AccessTokens, useExisting: JwtAccessTokens },
    { provide: SessionRepository, useClass: TypeormSessionRepository },
    SessionRevoker,
    { provide: SessionTerminator, useExisting: SessionRevoker },
    { provide: APP_GUARD, useClass: AccessGuard },
    SessionIssuer,
    RefreshTokensUseCase,
    SessionsUseCases,
    IntrospectUseCase,
    AuthHousekeeping,
  ],
  exports: [SessionIssuer, AccessTokens, SessionRevoker, SessionTerminator, SessionsUseCases, RefreshTokensUseCase, Revocations],
})
export class AuthModule {}
