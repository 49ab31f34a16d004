import { Global, Injectable, Module } from '@nestjs/common';
import { AuthorizationCodeGrant } from '@app/credentials';
import { CleanupService } from '@app/persistence';
import { UsersModule } from '@app/users';
import { AccountResolution } from './application/account-resolution';
import { CodeExchange } from './application/code-exchange';
import { IdentitiesUseCases } from './application/identities.use-cases';
import { ProviderSignIn } from './application/provider-sign-in';
import { CodeStore, FlowStore, IdentityProviders, IdentityRepository } from './domain/ports';
import { ConfiguredProviders } from './infrastructure/configured-providers';
import { PgCodeStore, PgFlowStore, PgIdentityRepository } from './infrastructure/pg-stores';
import { IdentitiesController } from './presentation/identities.controller';
import { ProvidersController } from './presentation/providers.controller';

/** Expired provider flows and one-time codes (used ones too, once expired) go with the scheduled cleanup. */
@Injectable()
export class FederationHousekeeping {
  constructor(cleanup: CleanupService) {
    cleanup.register({ name: 'provider_flows', table: 'provider_flows', where: `expires_at < now()` });
    cleanup.register({ name: 'provider_codes', table: 'provider_codes', where: `expires_at < now()` });
  }
}

/**
 * Sign-in with external identity providers (OpenID Connect, GitHub): the flow, the linked identities,
 * and the auth lib's `authorization_code` grant (global, so that `/auth/token` reaches it).
 */
@Global()
@Module({
  imports: [UsersModule],
  controllers: [ProvidersController, IdentitiesController],
  providers: [
    { provide: IdentityProviders, useClass: ConfiguredProviders },
    { provide: IdentityRepository, useClass: PgIdentityRepository },
    { provide: FlowStore, useClass: PgFlowStore },
    { provide: CodeStore, useClass: PgCodeStore },
    AccountResolution,
    ProviderSignIn,
    IdentitiesUseCases,
    CodeExchange,
    { provide: AuthorizationCodeGrant, useExisting: CodeExchange },
    FederationHousekeeping,
  ],
  exports: [AuthorizationCodeGrant],
})
export class FederationModule {}
