import { DynamicModule, Injectable, Module, type ModuleMetadata } from '@nestjs/common';
import { AccessModule } from '@app/access';
import { AuditModule } from '@app/audit';
import { AuthorizationCodeRedeemer } from '@app/credentials';
import { NotificationsModule } from '@app/notifications';
import { CleanupService } from '@app/persistence';
import { UserAccountsModule } from '@app/users';
import { AccountResolution } from './application/account-resolution';
import { FederatedCodeRedeemer } from './application/code-redeemer';
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
    cleanup.register({ name: 'provider_flows', table: 'provider_flows', where: `expires_at < $1` });
    cleanup.register({ name: 'provider_codes', table: 'provider_codes', where: `expires_at < $1` });
  }
}

/**
 * The one-time codes of provider sign-ins and their redemption, for the credentials lib's
 * `authorization_code` grant: `CredentialsModule.register({ imports: [FederationCodesModule, …] })`.
 */
@Module({
  providers: [{ provide: CodeStore, useClass: PgCodeStore }, FederatedCodeRedeemer, { provide: AuthorizationCodeRedeemer, useExisting: FederatedCodeRedeemer }],
  exports: [CodeStore, AuthorizationCodeRedeemer],
})
export class FederationCodesModule {}

/**
 * Sign-in with external identity providers (OpenID Connect, GitHub): the flow and the linked
 * identities. Needs the credentials lib (PasskeyPresence, AccountProvisioning) and the users lib's
 * EmailVerificationSender (verification): the composition root passes their modules in —
 * `FederationModule.register({ imports: [credentials, EmailVerificationModule] })`.
 */
@Module({})
export class FederationModule {
  static register(options: { imports: NonNullable<ModuleMetadata['imports']> }): DynamicModule {
    return {
      module: FederationModule,
      imports: [UserAccountsModule, AccessModule, AuditModule, NotificationsModule, FederationCodesModule, ...options.imports],
      controllers: [ProvidersController, IdentitiesController],
      providers: [
        { provide: IdentityProviders, useClass: ConfiguredProviders },
        { provide: IdentityRepository, useClass: PgIdentityRepository },
        { provide: FlowStore, useClass: PgFlowStore },
        AccountResolution,
        ProviderSignIn,
        IdentitiesUseCases,
        FederationHousekeeping,
      ],
    };
  }
}
