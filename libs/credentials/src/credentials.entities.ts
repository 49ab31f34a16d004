import { MfaFactorEntity, MfaRecoveryCodeEntity, MfaChallengeEntity, WebauthnChallengeEntity, LoginFailureEntity } from './infrastructure/entities';

/** The tables this lib owns, for the data source (apps/api/src/schema.ts). The entity classes stay in infrastructure/. */
export const CREDENTIALS_ENTITIES = [MfaFactorEntity, MfaRecoveryCodeEntity, MfaChallengeEntity, WebauthnChallengeEntity, LoginFailureEntity];
