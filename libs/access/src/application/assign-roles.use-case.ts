import { Injectable } from '@nestjs/common';
import { AuditLog } from '@app/audit';
import { UnitOfWork } from '@app/persistence';
import { UserNotFoundError, UserRepository } from '@app/users';
import { Actor, auditActorId } from '@app/kernel';
import { AccessCatalog } from '../domain/catalog';
import { ApplicationNotFoundError, Role, RoleRepository, UnknownRoleError } from '../domain/roles';
import { AccessChanges } from './access-changes';
import type { AuditContext } from './roles.use-cases';

/**
 * `PUT /users/:id/roles`: sets the user's roles of one scope — the global roles, or those of one
 * application — leaving the other scopes alone. Takes effect at the user's next token refresh.
 * An application admin may only set roles of its own application. Open sockets of the user follow
 * at once: every instance hears of the change on commit.
 */
@Injectable()
export class AssignRolesUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roles: RoleRepository,
    private readonly catalog: AccessCatalog,
    private readonly changes: AccessChanges,
    private readonly audit: AuditLog,
    private readonly users: UserRepository,
  ) {}

  async execute(actor: Actor, ctx: AuditContext, userId: string, input: { roles: string[]; applicationId?: string | null }): Promise<Role[]> {
    const applicationId = input.applicationId ?? null;
    this.changes.assertInScope(actor, 'roles:assign', applicationId);
    if (applicationId !== null && !this.catalog.applicationById(applicationId)) throw new ApplicationNotFoundError();
    return this.uow.run(async () => {
      if (!(await this.users.findById(userId))) throw new UserNotFoundError();
      const user = { id: userId };
      const wanted = [...new Set(input.roles.map((r) => r.toLowerCase()))];
      const found = await this.roles.findByNames(wanted, applicationId);
      const missing = wanted.filter((n) => !found.some((r) => r.name.toLowerCase() === n));
      if (missing.length > 0) throw new UnknownRoleError(missing);
      const before = await this.roles.userRoles(user.id, applicationId);
      // Every role that changes hands — given or taken away — must be within the actor's reach.
      const added = found.filter((r) => !before.some((b) => b.id === r.id));
      const removed = before.filter((b) => !found.some((r) => r.id === b.id));
      for (const role of [...added, ...removed]) this.changes.assertRoleInReach(actor, 'roles:assign', role);
      await this.roles.replaceUserRoles(user.id, applicationId, found.map((r) => r.id));
      await this.changes.announceUserRoles(user.id);
      await this.audit.record({
        type: 'user.roles_assigned',
        actorId: auditActorId(actor),
        subjectId: user.id,
        ...ctx,
        data: { applicationId, before: before.map((r) => r.name), after: found.map((r) => r.name).sort(), ...(actor.system ? { via: 'cli' } : {}) },
      });
      return this.roles.userRoles(user.id, applicationId);
    });
  }
}
