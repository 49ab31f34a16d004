import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '@app/persistence';
import type { Actor } from '@app/kernel';
import { AccessCatalog } from '../domain/catalog';
import { ALL_PERMISSIONS, OutsideApplicationError, Permission, SYSTEM_ROLES } from '@app/kernel';
import { permissionsBeyondApplication, permissionsNotHeld } from '../domain/access-rules';
import { AccessScope, inScope, PermissionBeyondApplicationError, PermissionNotHeldError, Role } from '../domain/roles';
import { RoleAssignments } from '../domain/role-assignments';

/** What a role grants (the system role `admin` grants every permission, whatever its stored list says). */
export function grantsOf(role: Pick<Role, 'permissions' | 'system' | 'name' | 'applicationId'>): readonly Permission[] {
  return role.system && role.applicationId === null && role.name === SYSTEM_ROLES.admin ? ALL_PERMISSIONS : role.permissions;
}

/**
 * What every use case that changes roles, permissions or applications shares: the actor's reach
 * (an application admin is confined to its application), the no-escalation rule, and telling every
 * instance about the change.
 */
@Injectable()
export class AccessChanges {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly catalog: AccessCatalog,
    private readonly assignments: RoleAssignments,
  ) {}

  scope(actor: Actor, permission: Permission): AccessScope {
    if (actor.system) return { global: true };
    return this.catalog.scopeOf(actor.roles, actor.clientId, permission);
  }

  /** Refuses (403 OUTSIDE_APPLICATION) when `applicationId` (null = global) is beyond the actor's reach. */
  assertInScope(actor: Actor, permission: Permission, applicationId: string | null): void {
    if (!inScope(this.scope(actor, permission), applicationId)) throw new OutsideApplicationError();
  }

  /**
   * Nobody grants a permission they do not hold themselves (403 PERMISSION_NOT_HELD), and an actor
   * confined to some applications grants none that reaches beyond them (403
   * PERMISSION_BEYOND_APPLICATION).
   */
  assertCanGrant(actor: Actor, permission: Permission, permissions: readonly Permission[]): void {
    const missing = permissionsNotHeld(actor.permissions, permissions);
    if (missing.length > 0) throw new PermissionNotHeldError(missing);
    const beyond = permissionsBeyondApplication(this.scope(actor, permission), permissions);
    if (beyond.length > 0) throw new PermissionBeyondApplicationError(beyond);
  }

  /**
   * Changing, (de)activating, deleting, assigning or unassigning a role needs the role in the actor's
   * reach for `permission` (403 OUTSIDE_APPLICATION) and every permission it grants grantable by the
   * actor (`assertCanGrant`).
   */
  assertRoleInReach(actor: Actor, permission: Permission, role: Pick<Role, 'applicationId' | 'permissions' | 'system' | 'name'>): void {
    this.assertInScope(actor, permission, role.applicationId);
    this.assertCanGrant(actor, permission, grantsOf(role));
  }

  /**
   * Inside the caller's unit of work: NOTIFY `access_changed` (every instance reloads its catalogue on
   * commit), and reload this instance's right after the commit so its next request already sees it.
   */
  async announce(): Promise<void> {
    await this.assignments.announceChange();
    await this.uow.afterCommit(() => this.catalog.refresh());
  }

  /** Inside the caller's unit of work: every instance hears on commit that this user's roles changed. */
  async announceUserRoles(userId: string): Promise<void> {
    await this.assignments.announceUserChange(userId);
  }
}
