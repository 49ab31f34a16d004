import { AuditModule } from '@app/audit';
import { AccountReach, UserAccountsModule } from '@app/users';
import { Module } from '@nestjs/common';
import { AccessChanges } from './application/access-changes';
import { ApplicationsUseCases } from './application/applications.use-cases';
import { AssignRolesUseCase } from './application/assign-roles.use-case';
import { GetUserRolesUseCase } from './application/get-user-roles.use-case';
import { RolesUseCases } from './application/roles.use-cases';
import { AccessReach } from './application/access-reach';
import { AccessCatalog } from './domain/catalog';
import { ApplicationRepository, RoleRepository } from './domain/roles';
import { RoleAssignments } from './domain/role-assignments';
import { PgRoleAssignments } from './infrastructure/role-assignments';
import { TypeormAccessCatalog } from './infrastructure/typeorm-access-catalog';
import { TypeormApplicationRepository, TypeormRoleRepository } from './infrastructure/typeorm-role.repository';
import { ApplicationsController } from './presentation/applications.controller';
import { RolesController } from './presentation/roles.controller';
import { UserRolesController } from './presentation/user-roles.controller';

@Module({
  imports: [UserAccountsModule, AuditModule],
  controllers: [RolesController, ApplicationsController, UserRolesController],
  providers: [
    { provide: AccessCatalog, useClass: TypeormAccessCatalog },
    { provide: RoleAssignments, useClass: PgRoleAssignments },
    { provide: RoleRepository, useClass: TypeormRoleRepository },
    { provide: ApplicationRepository, useClass: TypeormApplicationRepository },
    AccessChanges,
    RolesUseCases,
    ApplicationsUseCases,
    AssignRolesUseCase,
    GetUserRolesUseCase,
    AccessReach,
    { provide: AccountReach, useExisting: AccessReach },
  ],
  exports: [AccessCatalog, RoleAssignments, RoleRepository, AccessReach, AccountReach, AssignRolesUseCase, ApplicationsUseCases],
})
export class AccessModule {}
