export * from './access.module';
export * from './domain';
export * from './infrastructure/application.entity';
export * from './infrastructure/role.entity';
export * from './infrastructure/user-role.entity';
export * from './infrastructure/role-assignments';
export * from './application/access-reach';
export { AssignRolesUseCase } from './application/assign-roles.use-case';
