import { ACCESS_ENTITIES } from '@app/access';
import { AUDIT_ENTITIES } from '@app/audit';
import { AUTH_ENTITIES } from '@app/auth';
import { CREDENTIALS_ENTITIES } from '@app/credentials';
import { NOTIFICATIONS_ENTITIES } from '@app/notifications';
import { OTP_ENTITIES } from '@app/otp';
import type { SchemaParts } from '@app/persistence';
import { TASKS_ENTITIES } from '@app/tasks';
import { USERS_ENTITIES } from '@app/users';
import { MIGRATIONS } from '../../../migrations';

/**
 * Every entity and migration of the service, listed once: the app, `ormconfig.ts`, the operators' CLI
 * and the tests build their data source from this.
 */
export const SCHEMA: SchemaParts = {
  entities: [
    ...USERS_ENTITIES,
    ...ACCESS_ENTITIES,
    ...AUTH_ENTITIES,
    ...CREDENTIALS_ENTITIES,
    ...AUDIT_ENTITIES,
    ...OTP_ENTITIES,
    ...NOTIFICATIONS_ENTITIES,
    ...TASKS_ENTITIES,
  ],
  migrations: MIGRATIONS,
};
