export * from './access.module';
export * from './domain';
export * from './application/access-reach';
export { AssignRolesUseCase } from './application/assign-roles.use-case';
export * from './access.entities';
export { ApplicationsUseCases } from './application/applications.use-cases';
