import { Injectable } from '@nestjs/common';
import { In, QueryFailedError } from 'typeorm';
import { UnitOfWork } from '@app/persistence';
import { isPermission } from '@app/kernel';
import {
  Application,
  ApplicationListFilter,
  ApplicationRepository,
  ClientIdTakenError,
  Keyed,
  NewRole,
  Role,
  RoleListFilter,
  RoleNameShadowsGlobalError,
  RoleNameTakenError,
  RoleRepository,
} from '../domain/roles';
import { ApplicationEntity } from './application.entity';
import { RoleEntity } from './role.entity';
import { UserRoleEntity } from './user-role.entity';

const toRole = (e: RoleEntity): Role => ({
  id: e.id,
  name: e.name,
  description: e.description,
  permissions: e.permissions.filter(isPermission),
  active: e.active,
  system: e.system,
  applicationId: e.applicationId,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const toApplication = (e: ApplicationEntity): Application => ({
  id: e.id,
  clientId: e.clientId,
  name: e.name,
  active: e.active,
  isDefault: e.isDefault,
  redirectUris: e.redirectUris ?? [],
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

/**
 * Constraints (see the RoleNameScopes migration) that keep one role name to one scope: a trigger
 * raises a unique violation naming one of these.
 */
const SHADOWS_GLOBAL = 'roles_name_shadows_global';
const SHADOWED_BY_APPLICATION = 'roles_name_shadowed_by_application';

/** `created_at` as ISO text at full (microsecond) precision: the keyset cursor names a row exactly. */
const KEYSET_AT = (alias: string) => `to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** A unique index decides races: the loser gets the matching 409. */
async function unique<T>(write: () => Promise<T>, conflict: () => Error, name?: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const driverError = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    if (driverError?.code === '23505') {
      if (name !== undefined && driverError.constraint === SHADOWS_GLOBAL) throw new RoleNameShadowsGlobalError(name, true);
      if (name !== undefined && driverError.constraint === SHADOWED_BY_APPLICATION) throw new RoleNameShadowsGlobalError(name, false);
      throw conflict();
    }
    throw error;
  }
}

@Injectable()
export class TypeormRoleRepository extends RoleRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  private get repo() {
    return this.uow.repository(RoleEntity);
  }

  async list(filter: RoleListFilter): Promise<Keyed<Role>[]> {
    const qb = this.repo.createQueryBuilder('r').addSelect(KEYSET_AT('r'), 'keyset_at').orderBy('r.created_at', 'ASC').addOrderBy('r.id', 'ASC').limit(filter.limit);
    if (filter.active !== undefined) qb.andWhere('r.active = :active', { active: filter.active });
    if (filter.applicationIds) qb.andWhere('r.application_id = ANY(:apps)', { apps: [...filter.applicationIds] });
    if (filter.after) qb.andWhere('(r.created_at, r.id) > (:afterAt::timestamptz, :afterId::uuid)', { afterAt: filter.after.createdAt, afterId: filter.after.id });
    const { entities, raw } = await qb.getRawAndEntities<{ keyset_at: string }>();
    return entities.map((e, i) => ({ ...toRole(e), cursorAt: raw[i].keyset_at }));
  }

  async findById(id: string): Promise<Role | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toRole(e) : null;
  }

  async findByIdsForUpdate(ids: readonly string[]): Promise<Role[]> {
    if (ids.length === 0) return [];
    const rows = await this.repo.createQueryBuilder('r').where('r.id IN (:...ids)', { ids }).setLock('pessimistic_write').getMany();
    return rows.map(toRole);
  }

  async findByNames(names: readonly string[], applicationId: string | null): Promise<Role[]> {
    if (names.length === 0) return [];
    const qb = this.repo.createQueryBuilder('r').where('lower(r.name) IN (:...names)', { names: names.map((n) => n.toLowerCase()) });
    if (applicationId === null) qb.andWhere('r.application_id IS NULL');
    else qb.andWhere('r.application_id = :app', { app: applicationId });
    return (await qb.getMany()).map(toRole);
  }

  async create(role: NewRole): Promise<Role> {
    const saved = await unique(() => this.repo.save(this.repo.create({ ...role, active: true, system: false })), () => new RoleNameTakenError(role.name), role.name);
    return toRole(saved);
  }

  async update(id: string, changes: Partial<Pick<Role, 'name' | 'description' | 'permissions' | 'active'>>): Promise<Role> {
    if (Object.keys(changes).length > 0) {
      await unique(() => this.repo.update({ id }, changes), () => new RoleNameTakenError(changes.name ?? ''), changes.name ?? '');
    }
    return toRole(await this.repo.findOneByOrFail({ id }));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  async replaceUserRoles(userId: string, applicationId: string | null, roleIds: readonly string[]): Promise<void> {
    await this.uow.manager.query(
      `DELETE FROM user_roles ur USING roles r
        WHERE ur.role_id = r.id AND ur.user_id = $1 AND r.application_id IS NOT DISTINCT FROM $2::uuid`,
      [userId, applicationId],
    );
    if (roleIds.length > 0) {
      await this.uow.repository(UserRoleEntity).insert(roleIds.map((roleId) => ({ userId, roleId })));
    }
  }

  async userRoles(userId: string, applicationId?: string | null): Promise<Role[]> {
    const qb = this.repo
      .createQueryBuilder('r')
      .innerJoin(UserRoleEntity, 'ur', 'ur.role_id = r.id AND ur.user_id = :userId', { userId })
      .orderBy('lower(r.name)', 'ASC');
    if (applicationId === null) qb.andWhere('r.application_id IS NULL');
    else if (applicationId !== undefined) qb.andWhere('r.application_id = :app', { app: applicationId });
    return (await qb.getMany()).map(toRole);
  }
}

@Injectable()
export class TypeormApplicationRepository extends ApplicationRepository {
  constructor(private readonly uow: UnitOfWork) {
    super();
  }

  private get repo() {
    return this.uow.repository(ApplicationEntity);
  }

  async list(filter: ApplicationListFilter): Promise<Keyed<Application>[]> {
    const qb = this.repo.createQueryBuilder('a').addSelect(KEYSET_AT('a'), 'keyset_at').orderBy('a.created_at', 'ASC').addOrderBy('a.id', 'ASC').limit(filter.limit);
    if (filter.ids) qb.andWhere('a.id = ANY(:ids)', { ids: [...filter.ids] });
    if (filter.after) qb.andWhere('(a.created_at, a.id) > (:afterAt::timestamptz, :afterId::uuid)', { afterAt: filter.after.createdAt, afterId: filter.after.id });
    const { entities, raw } = await qb.getRawAndEntities<{ keyset_at: string }>();
    return entities.map((e, i) => ({ ...toApplication(e), cursorAt: raw[i].keyset_at }));
  }

  async findById(id: string): Promise<Application | null> {
    const e = await this.repo.findOneBy({ id });
    return e ? toApplication(e) : null;
  }

  async create(app: Pick<Application, 'clientId' | 'name' | 'active' | 'redirectUris'>): Promise<Application> {
    return toApplication(await unique(() => this.repo.save(this.repo.create({ ...app, isDefault: false })), () => new ClientIdTakenError()));
  }

  async update(id: string, changes: Partial<Pick<Application, 'name' | 'active' | 'redirectUris'>>): Promise<Application> {
    if (Object.keys(changes).length > 0) await this.repo.update({ id }, changes);
    return toApplication(await this.repo.findOneByOrFail({ id }));
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id: In([id]) });
  }
}
