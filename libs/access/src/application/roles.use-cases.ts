import { Injectable } from '@nestjs/common';
import { AuditLog } from '@app/audit';
import { ALL_PERMISSIONS, CursorCodec, cursorField, isPermission, Page, Permission, PERMISSIONS, SYSTEM_ROLES, toPage } from '@app/kernel';
import { UnitOfWork } from '@app/persistence';
import type { Actor } from '@app/kernel';
import { AccessCatalog } from '../domain/catalog';
import {
  ApplicationNotFoundError,
  NewRole,
  Role,
  RoleNameReservedError,
  RoleNotFoundError,
  RoleRepository,
  SystemRoleProtectedError,
  UnknownPermissionError,
} from '../domain/roles';
import { isReservedRoleName } from '../domain/role-reference';
import { AccessChanges } from './access-changes';
import { CREATED_CURSOR } from './list-cursor';

export interface RoleInput {
  name: string;
  description?: string | null;
  permissions: string[];
  applicationId?: string | null;
}

export interface RoleChanges {
  name?: string;
  description?: string | null;
  permissions?: string[];
}

export interface AuditContext {
  ip: string | null;
  userAgent: string | null;
}

const PERMISSION_CURSOR = new CursorCodec(cursorField.oneOf(...ALL_PERMISSIONS));

function permissionsOf(values: readonly string[]): Permission[] {
  const unknown = values.filter((p) => !isPermission(p));
  if (unknown.length > 0) throw new UnknownPermissionError(unknown);
  return [...new Set(values as Permission[])].sort();
}

/**
 * Roles and the permission catalogue. Every write runs in one unit of work with its audit event and
 * the `access_changed` notification; a batch either applies entirely or not at all.
 */
@Injectable()
export class RolesUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly roles: RoleRepository,
    private readonly catalog: AccessCatalog,
    private readonly changes: AccessChanges,
    private readonly audit: AuditLog,
  ) {}

  /** The permission catalogue in its fixed order, paged like every list (the cursor is the last name). */
  permissions(page: { limit: number; cursor?: string }): Page<{ name: Permission; description: string }> {
    const [last] = PERMISSION_CURSOR.decodeOptional(page.cursor) ?? [];
    const rest = last === undefined ? ALL_PERMISSIONS : ALL_PERMISSIONS.slice(ALL_PERMISSIONS.indexOf(last) + 1);
    const rows = rest.slice(0, page.limit + 1).map((name) => ({ name, description: PERMISSIONS[name] }));
    return toPage(rows, page.limit, PERMISSION_CURSOR, (row) => [row.name] as const);
  }

  /** Roles oldest first, one page at a time; an application admin sees its application's roles only. */
  async list(actor: Actor, filter: { active?: boolean; limit: number; cursor?: string }): Promise<Page<Role>> {
    const scope = this.changes.scope(actor, 'roles:read');
    const position = CREATED_CURSOR.decodeOptional(filter.cursor);
    const rows = await this.roles.list({
      active: filter.active,
      applicationIds: scope.global ? undefined : [...scope.applicationIds],
      limit: filter.limit + 1,
      after: position && { createdAt: position[0], id: position[1] },
    });
    const page = toPage(rows, filter.limit, CREATED_CURSOR, (last) => [last.cursorAt, last.id] as const);
    return { items: page.items.map(({ cursorAt: _, ...role }) => role), nextCursor: page.nextCursor };
  }

  async create(actor: Actor, ctx: AuditContext, inputs: RoleInput[]): Promise<Role[]> {
    const prepared: NewRole[] = inputs.map((input) => {
      const applicationId = input.applicationId ?? null;
      this.changes.assertInScope(actor, 'roles:write', applicationId);
      if (isReservedRoleName(input.name)) throw new RoleNameReservedError(input.name);
      if (applicationId !== null && !this.catalog.applicationById(applicationId)) throw new ApplicationNotFoundError();
      const permissions = permissionsOf(input.permissions);
      this.changes.assertCanGrant(actor, 'roles:write', permissions);
      return { name: input.name, description: input.description ?? null, permissions, applicationId };
    });
    return this.uow.run(async () => {
      const created: Role[] = [];
      for (const role of prepared) {
        const saved = await this.roles.create(role);
        await this.audit.record({ type: 'role.created', actorId: actor.userId, subjectId: saved.id, ...ctx, data: { name: saved.name, applicationId: saved.applicationId, permissions: saved.permissions } });
        created.push(saved);
      }
      await this.changes.announce();
      return created;
    });
  }

  async update(actor: Actor, ctx: AuditContext, id: string, changes: RoleChanges): Promise<Role> {
    return this.uow.run(async () => {
      const role = await this.editable(actor, id);
      const next: Partial<Pick<Role, 'name' | 'description' | 'permissions'>> = {};
      if (changes.name !== undefined && changes.name !== role.name) {
        if (role.system) throw new SystemRoleProtectedError('renamed');
        if (isReservedRoleName(changes.name)) throw new RoleNameReservedError(changes.name);
        next.name = changes.name;
      }
      if (changes.description !== undefined) next.description = changes.description;
      if (changes.permissions !== undefined) next.permissions = this.checkedPermissions(actor, role, changes.permissions);
      const saved = await this.roles.update(role.id, next);
      await this.audit.record({
        type: next.permissions ? 'role.permissions_changed' : 'role.updated',
        actorId: actor.userId,
        subjectId: role.id,
        ...ctx,
        data: { name: saved.name, before: { name: role.name, permissions: role.permissions }, after: { name: saved.name, permissions: saved.permissions } },
      });
      await this.changes.announce();
      return saved;
    });
  }

  /** An inactive role grants nothing, on every instance, from the moment this commits. */
  async setActive(actor: Actor, ctx: AuditContext, id: string, active: boolean): Promise<Role> {
    return this.uow.run(async () => {
      const role = await this.editable(actor, id);
      if (role.system && !active) throw new SystemRoleProtectedError('deactivated');
      if (role.active === active) return role;
      const saved = await this.roles.update(role.id, { active });
      await this.audit.record({ type: active ? 'role.activated' : 'role.deactivated', actorId: actor.userId, subjectId: role.id, ...ctx, data: { name: role.name } });
      await this.changes.announce();
      return saved;
    });
  }

  /** Replaces the permissions of several roles in one transaction: one bad item, nothing changes. */
  async setPermissions(actor: Actor, ctx: AuditContext, items: { roleId: string; permissions: string[] }[]): Promise<Role[]> {
    return this.uow.run(async () => {
      const ids = [...new Set(items.map((i) => i.roleId))];
      const locked = new Map((await this.roles.findByIdsForUpdate(ids)).map((r) => [r.id, r]));
      const updated: Role[] = [];
      for (const item of items) {
        const role = locked.get(item.roleId);
        if (!role) throw new RoleNotFoundError();
        this.changes.assertRoleInReach(actor, 'roles:write', role);
        const permissions = this.checkedPermissions(actor, role, item.permissions);
        const saved = await this.roles.update(role.id, { permissions });
        await this.audit.record({ type: 'role.permissions_changed', actorId: actor.userId, subjectId: role.id, ...ctx, data: { name: role.name, before: role.permissions, after: permissions } });
        updated.push(saved);
      }
      await this.changes.announce();
      return updated;
    });
  }

  /** System roles cannot be deleted (409); holders of a deleted role simply lose it. */
  async delete(actor: Actor, ctx: AuditContext, id: string): Promise<void> {
    await this.uow.run(async () => {
      const role = await this.editable(actor, id);
      if (role.system) throw new SystemRoleProtectedError('deleted');
      await this.roles.delete(role.id);
      await this.audit.record({ type: 'role.deleted', actorId: actor.userId, subjectId: role.id, ...ctx, data: { name: role.name, applicationId: role.applicationId } });
      await this.changes.announce();
    });
  }

  /**
   * A role the actor may change, (de)activate or delete: in its reach, and granting nothing it does
   * not hold itself (an application admin cannot revive or strip a role a global admin made).
   */
  private async editable(actor: Actor, id: string): Promise<Role> {
    const [role] = await this.roles.findByIdsForUpdate([id]);
    if (!role) throw new RoleNotFoundError();
    this.changes.assertRoleInReach(actor, 'roles:write', role);
    return role;
  }

  private checkedPermissions(actor: Actor, role: Role, values: string[]): Permission[] {
    // `admin` holds every permission by definition; its list is not editable.
    if (role.system && role.name === SYSTEM_ROLES.admin) throw new SystemRoleProtectedError('given other permissions than all of them (admin)');
    const permissions = permissionsOf(values);
    this.changes.assertCanGrant(actor, 'roles:write', permissions.filter((p) => !role.permissions.includes(p)));
    return permissions;
  }
}
