import { Injectable } from '@nestjs/common';
import { AccountReach } from '@app/users';
import type { Actor } from '@app/kernel';
import { userIsMember, userWithinReach } from '../domain/access-rules';
import { AccessCatalog } from '../domain/catalog';
import { OutsideApplicationError, Permission } from '@app/kernel';
import { AccessScope, inScope, RoleRepository } from '../domain/roles';
import { grantsOf } from './access-changes';

/**
 * How far an actor's permission reaches beyond roles: applications and user accounts.
 *
 * Which user accounts an actor may administer. A permission held through a global role reaches every
 * account; held only through an application's roles (an application admin) it reaches that
 * application's members — to read them — and, to end their sessions in that application, only
 * members who hold nothing beyond it (no other application's role, no global role granting more than
 * the `:own` permissions). Accounts themselves are global (`assertGlobal`). Anything else: 403
 * OUTSIDE_APPLICATION.
 */
@Injectable()
export class AccessReach extends AccountReach {
  constructor(
    private readonly catalog: AccessCatalog,
    private readonly roles: RoleRepository,
  ) {
    super();
  }

  scope(actor: Actor, permission: Permission): AccessScope {
    if (actor.system) return { global: true };
    return this.catalog.scopeOf(actor.roles, actor.clientId, permission);
  }

  /** The applications the actor is confined to for `permission`, or null when it reaches everything. */
  confinedTo(actor: Actor, permission: Permission): string[] | null {
    const scope = this.scope(actor, permission);
    return scope.global ? null : [...scope.applicationIds];
  }

  /** The clientIds of the applications the actor is confined to for `permission`, or null when it reaches everything. */
  confinedClientIds(actor: Actor, permission: Permission): string[] | null {
    const ids = this.confinedTo(actor, permission);
    return ids === null ? null : ids.map((id) => this.catalog.applicationById(id)?.clientId).filter((c): c is string => c !== undefined);
  }

  /** Refuses (403 OUTSIDE_APPLICATION) unless `permission` reaches the application with this clientId. */
  assertApplicationInReach(actor: Actor, permission: Permission, clientId: string): void {
    const app = this.catalog.application(clientId);
    if (!inScope(this.scope(actor, permission), app?.id ?? null)) throw new OutsideApplicationError();
  }

  /** Refuses (403 OUTSIDE_APPLICATION) unless the permission is global. */
  assertGlobal(actor: Actor, permission: Permission): void {
    if (!this.scope(actor, permission).global) throw new OutsideApplicationError();
  }

  async assertCanRead(actor: Actor, permission: Permission, userId: string): Promise<void> {
    const scope = this.scope(actor, permission);
    if (scope.global) return;
    if (!userIsMember(scope, await this.roles.userRoles(userId))) throw new OutsideApplicationError();
  }

  async assertCanManage(actor: Actor, permission: Permission, userId: string): Promise<void> {
    const scope = this.scope(actor, permission);
    if (scope.global) return;
    const roles = (await this.roles.userRoles(userId)).map((r) => ({ applicationId: r.applicationId, permissions: grantsOf(r) }));
    if (!userWithinReach(scope, roles)) throw new OutsideApplicationError();
  }
}
