import { Injectable } from '@nestjs/common';
import { PgListener, UnitOfWork } from '@app/persistence';
import { SYSTEM_ROLES } from '@app/kernel';
import { SCOPED_ROLE_PREFIX } from '../domain/role-reference';
import { RoleAssignments } from '../domain/role-assignments';
import { ACCESS_CHANNEL, USER_ROLES_CHANNEL } from './typeorm-access-catalog';

/**
 * The token names of the roles a user holds for one application (global roles by their name, the
 * application's own as `app:<clientId>:<name>`, see `role-reference.ts`), sorted and distinct, as one
 * SQL expression over the given parameter placeholders — for statements that need the roles of a
 * token they are about to issue (`RoleAssignments.roleNamesFor`, a login's session statement).
 */
export function roleNamesExpression(userParam: string, applicationParam: string): string {
  const name = `CASE WHEN r.application_id IS NULL THEN r.name ELSE '${SCOPED_ROLE_PREFIX}' || a.client_id || ':' || r.name END`;
  return `(SELECT coalesce(array_agg(DISTINCT ${name} ORDER BY ${name}), '{}')
     FROM user_roles ur JOIN roles r ON r.id = ur.role_id LEFT JOIN applications a ON a.id = r.application_id
     WHERE ur.user_id = ${userParam} AND (r.application_id IS NULL OR r.application_id = ${applicationParam}))`;
}

/** Which roles a user holds, as token claims need them: global roles plus those of one application. */
@Injectable()
export class PgRoleAssignments extends RoleAssignments {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  async roleNamesFor(userId: string, applicationId: string): Promise<string[]> {
    const rows = await this.uow.rows<{ names: string[] }>(`SELECT ${roleNamesExpression('$1::uuid', '$2::uuid')} AS names`, [userId, applicationId], { prepare: true });
    return rows[0]?.names ?? [];
  }

  /** Grants a global system role (`user` to every new account, `admin` to the bootstrap admin). */
  async grantSystemRole(userId: string, role: keyof typeof SYSTEM_ROLES): Promise<void> {
    await this.uow.manager.query(
      `INSERT INTO user_roles (user_id, role_id)
       SELECT $1, id FROM roles WHERE system AND application_id IS NULL AND name = $2
       ON CONFLICT DO NOTHING`,
      [userId, SYSTEM_ROLES[role]],
    );
  }

  async anyoneHolds(role: keyof typeof SYSTEM_ROLES): Promise<boolean> {
    const rows: unknown[] = await this.uow.manager.query(
      `SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.system AND r.name = $1 LIMIT 1`,
      [SYSTEM_ROLES[role]],
    );
    return rows.length > 0;
  }

  /** Tells every instance that roles or applications changed (delivered on commit). */
  async announceChange(): Promise<void> {
    await PgListener.notify(this.uow.manager, ACCESS_CHANNEL, 'changed');
  }

  /** Tells every instance that this user's role assignments changed (delivered on commit). */
  async announceUserChange(userId: string): Promise<void> {
    await PgListener.notify(this.uow.manager, USER_ROLES_CHANNEL, userId);
  }
}
