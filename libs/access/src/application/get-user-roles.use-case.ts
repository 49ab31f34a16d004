import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { UserNotFoundError, UserRepository } from '@app/users';
import { AccessCatalog } from '../domain/catalog';
import { ApplicationNotFoundError, Role, RoleRepository } from '../domain/roles';
import { AccessReach } from './access-reach';

/**
 * `GET /users/:id/roles`: the user's roles of one scope — the global roles, or those of one
 * application — as `PUT /users/:id/roles` sets them. Needs `users:read` reaching the user (an
 * application admin: its members).
 */
@Injectable()
export class GetUserRolesUseCase {
  constructor(
    private readonly roles: RoleRepository,
    private readonly users: UserRepository,
    private readonly catalog: AccessCatalog,
    private readonly reach: AccessReach,
  ) {}

  async execute(actor: Actor, userId: string, applicationId: string | null): Promise<Role[]> {
    if (applicationId !== null && !this.catalog.applicationById(applicationId)) throw new ApplicationNotFoundError();
    if (!(await this.users.findById(userId))) throw new UserNotFoundError();
    await this.reach.assertCanRead(actor, 'users:read', userId);
    return this.roles.userRoles(userId, applicationId);
  }
}
