import { UserEntity } from './infrastructure/user.entity';

/** The tables this lib owns, for the data source (apps/api/src/schema.ts). The entity classes stay in infrastructure/. */
export const USERS_ENTITIES = [UserEntity];
