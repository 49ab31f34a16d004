import { SessionEntity, RefreshTokenEntity, RevocationEntity } from './infrastructure/entities';

/** The tables this lib owns, for the data source (apps/api/src/schema.ts). The entity classes stay in infrastructure/. */
export const AUTH_ENTITIES = [SessionEntity, RefreshTokenEntity, RevocationEntity];
