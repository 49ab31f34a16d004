import { Module } from '@nestjs/common';
import { AccountUseCases } from './application/account.use-cases';
import { UserAdminUseCases } from './application/user-admin.use-cases';
import { UserDirectory, UserRepository } from './domain/user.repository';
import { TypeormUserDirectory } from './infrastructure/typeorm-user.directory';
import { TypeormUserRepository } from './infrastructure/typeorm-user.repository';
import { MeController } from './presentation/me.controller';
import { UsersController } from './presentation/users.controller';

/**
 * User accounts: self-service and administration. Needs `PasswordVerifier`, `SessionTerminator`,
 * `EmailVerificationSender` and `AccountProvisioning` (ports in domain/) from a module that provides
 * them globally — the auth module — and the global audit and storage modules.
 */
@Module({
  controllers: [MeController, UsersController],
  providers: [
    { provide: UserRepository, useClass: TypeormUserRepository },
    { provide: UserDirectory, useClass: TypeormUserDirectory },
    AccountUseCases,
    UserAdminUseCases,
  ],
  exports: [UserRepository, AccountUseCases],
})
export class UsersModule {}
