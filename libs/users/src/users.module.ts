import { DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AuditModule } from '@app/audit';
import { StorageModule } from '@app/storage';
import { AccountUseCases } from './application/account.use-cases';
import { Contacts } from './application/contacts';
import { UserAdminUseCases } from './application/user-admin.use-cases';
import { UserDirectory, UserRepository } from './domain/user.repository';
import { TypeormUserDirectory } from './infrastructure/typeorm-user.directory';
import { TypeormUserRepository } from './infrastructure/typeorm-user.repository';
import { MeController } from './presentation/me.controller';
import { UsersController } from './presentation/users.controller';

/** The accounts behind the UserRepository port, and their contacts: what the other libs import to read and change accounts. */
@Module({
  providers: [{ provide: UserRepository, useClass: TypeormUserRepository }, Contacts],
  exports: [UserRepository, Contacts],
})
export class UserAccountsModule {}

/**
 * User accounts: self-service and administration. Its use cases need ports declared in domain/ and
 * implemented by libs above this one — `PasswordVerifier` and `AccountProvisioning` (credentials),
 * `SessionTerminator` (auth), `EmailVerificationSender` (verification), `AccountReach` (access) —
 * so the composition root names the modules that provide them:
 * `UsersModule.register({ imports: [...] })` (see apps/api/src/app.module.ts).
 */
@Module({})
export class UsersModule {
  static register(options: { imports: NonNullable<ModuleMetadata['imports']> }): DynamicModule {
    return {
      module: UsersModule,
      imports: [UserAccountsModule, AuditModule, StorageModule, ...options.imports],
      controllers: [MeController, UsersController],
      providers: [{ provide: UserDirectory, useClass: TypeormUserDirectory }, AccountUseCases, UserAdminUseCases],
    };
  }
}
