import type { SchemaParts } from '@app/persistence';
import { MIGRATIONS } from '../../../migrations';

/**
 * Every entity and migration of the service, listed once: the app, `ormconfig.ts`, the operators' CLI
 * and the tests build their data source from this.
 */
export const SCHEMA: SchemaParts = {
  entities: [],
  migrations: MIGRATIONS,
};
