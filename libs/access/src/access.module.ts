import { Global, Module } from '@nestjs/common';
import { AccessCatalog } from './domain/catalog';
import { RoleAssignments } from './infrastructure/role-assignments';
import { TypeormAccessCatalog } from './infrastructure/typeorm-access-catalog';

@Global()
@Module({
  providers: [{ provide: AccessCatalog, useClass: TypeormAccessCatalog }, RoleAssignments],
  exports: [AccessCatalog, RoleAssignments],
})
export class AccessModule {}
