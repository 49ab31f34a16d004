import { ApplicationEntity, RoleEntity, UserRoleEntity } from '@app/access';
import { AuditEventEntity } from '@app/audit';
import { AUTH_ENTITIES } from '@app/auth';
import { CREDENTIALS_ENTITIES } from '@app/credentials';
import { NotificationEntity } from '@app/notifications';
import { OTP_ENTITIES } from '@app/otp';
import type { SchemaParts } from '@app/persistence';
import { TaskEntity, TaskEventEntity } from '@app/tasks';
import { UserEntity } from '@app/users';
import { MIGRATIONS } from '../../../migrations';

/**
 * Every entity and migration of the service, listed once: the app, `ormconfig.ts`, the operators' CLI
 * and the tests build their data source from this.
 */
export const SCHEMA: SchemaParts = {
  entities: [
    UserEntity,
    ApplicationEntity,
    RoleEntity,
    UserRoleEntity,
    ...AUTH_ENTITIES,
    ...CREDENTIALS_ENTITIES,
    AuditEventEntity,
    ...OTP_ENTITIES,
    NotificationEntity,
    TaskEntity,
    TaskEventEntity,
  ],
  migrations: MIGRATIONS,
};
