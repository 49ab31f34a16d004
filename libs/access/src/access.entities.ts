import { ApplicationEntity } from './infrastructure/application.entity';
import { RoleEntity } from './infrastructure/role.entity';
import { UserRoleEntity } from './infrastructure/user-role.entity';

/** The tables this lib owns, for the data source (apps/api/src/schema.ts). The entity classes stay in infrastructure/. */
export const ACCESS_ENTITIES = [ApplicationEntity, RoleEntity, UserRoleEntity];
