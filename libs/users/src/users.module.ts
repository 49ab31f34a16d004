import { Module } from '@nestjs/common';
import { AccountUseCases } from './application/account.use-cases';
import { UserRepository } from './domain/user.repository';
import { TypeormUserRepository } from './infrastructure/typeorm-user.repository';
import { MeController } from './presentation/me.controller';

/**
 * User accounts. Needs `PasswordVerifier`, `SessionTerminator` and `EmailVerificationSender` (ports in domain/) from a module
 * that provides them globally — the auth module.
 */
@Module({
  controllers: [MeController],
  providers: [{ provide: UserRepository, useClass: TypeormUserRepository }, AccountUseCases],
  exports: [UserRepository, AccountUseCases],
})
export class UsersModule {}
