import { ConflictError, DomainError, NotFoundError, ValidationFailedError } from '@app/core';
import { Permission } from '@app/kernel';

export interface Role {
  id: string;
  name: string;
  description: string | null;
  permissions: Permission[];
  active: boolean;
  system: boolean;
  /** null: a global role, valid in every application. */
  applicationId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Application {
  id: string;
  clientId: string;
  name: string;
  active: boolean;
  isDefault: boolean;
  /** Where a provider sign-in may send the browser back to (exact match). */
  redirectUris: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type NewRole = Pick<Role, 'name' | 'description' | 'permissions' | 'applicationId'>;

/**
 * Where an actor may use a permission: everywhere (it comes from a global role), or only in some
 * applications (it comes from roles scoped to them — an application admin).
 */
export type AccessScope = { global: true } | { global: false; applicationIds: ReadonlySet<string> };

export function inScope(scope: AccessScope, applicationId: string | null): boolean {
  if (scope.global) return true;
  return applicationId !== null && scope.applicationIds.has(applicationId);
}

export class RoleNotFoundError extends NotFoundError {
  constructor() {
    super('ROLE_NOT_FOUND', 'No such role');
  }
}

export class RoleNameTakenError extends ConflictError {
  constructor(name: string) {
    super('ROLE_NAME_TAKEN', `A role named "${name}" already exists in this scope`);
  }
}

/**
 * A role of an application may not carry the name of a global role (nor a global role the name of an
 * application's role): one name, one meaning, whatever the scope it is read in.
 */
export class RoleNameShadowsGlobalError extends ConflictError {
  constructor(name: string, scoped: boolean) {
    super(
      'ROLE_NAME_SHADOWS_GLOBAL',
      scoped
        ? `"${name}" is the name of a global role; an application's role cannot take it`
        : `"${name}" is the name of an application's role; a global role cannot take it`,
    );
  }
}

/** `app:` starts the token name of an application's role (`app:<clientId>:<name>`). */
export class RoleNameReservedError extends ValidationFailedError {
  constructor(name: string) {
    super(`Role names cannot start with "app:" (${name})`, [{ field: 'name', message: 'role names cannot start with "app:"' }], 'ROLE_NAME_RESERVED');
  }
}

export class SystemRoleProtectedError extends ConflictError {
  constructor(what: string) {
    super('SYSTEM_ROLE_PROTECTED', `System roles (admin, user) cannot be ${what}`);
  }
}

export class UnknownRoleError extends ValidationFailedError {
  constructor(names: string[]) {
    super(`Unknown role: ${names.join(', ')}`, names.map((n) => ({ field: 'roles', message: `unknown role "${n}" in this scope` })), 'UNKNOWN_ROLE');
  }
}

export class UnknownPermissionError extends ValidationFailedError {
  constructor(permissions: string[]) {
    super(`Unknown permission: ${permissions.join(', ')}`, permissions.map((p) => ({ field: 'permissions', message: `unknown permission "${p}"` })), 'UNKNOWN_PERMISSION');
  }
}

export class ApplicationNotFoundError extends NotFoundError {
  constructor() {
    super('APPLICATION_NOT_FOUND', 'No such application');
  }
}

export class ClientIdTakenError extends ConflictError {
  constructor() {
    super('CLIENT_ID_TAKEN', 'An application with this clientId already exists');
  }
}

export class DefaultApplicationProtectedError extends ConflictError {
  constructor() {
    super('DEFAULT_APPLICATION_PROTECTED', 'The default application cannot be deleted or deactivated');
  }
}


/** Nobody hands out a permission they do not hold themselves. */
export class PermissionNotHeldError extends DomainError {
  constructor(permissions: string[]) {
    super('forbidden', 'PERMISSION_NOT_HELD', `You cannot grant permissions you do not hold: ${permissions.join(', ')}`);
  }
}

/** An application admin handing out a permission that reaches beyond any application. */
export class PermissionBeyondApplicationError extends DomainError {
  constructor(permissions: string[]) {
    super('forbidden', 'PERMISSION_BEYOND_APPLICATION', `Only a global administrator can hand out permissions that reach beyond an application: ${permissions.join(', ')}`);
  }
}

/** A listed row with its keyset position: `createdAt` as ISO text at full (microsecond) precision. */
export type Keyed<T> = T & { cursorAt: string };

/** One page of roles, oldest first (`created_at`, `id`): `limit` rows after `after`. */
export interface RoleListFilter {
  active?: boolean;
  applicationIds?: readonly string[];
  limit: number;
  after?: { createdAt: string; id: string };
}

/** One page of applications, oldest first (`created_at`, `id`); `ids`: only these. */
export interface ApplicationListFilter {
  ids?: readonly string[];
  limit: number;
  after?: { createdAt: string; id: string };
}

/** Ports: roles and applications. Implementations join the ambient unit of work. */
export abstract class RoleRepository {
  abstract list(filter: RoleListFilter): Promise<Keyed<Role>[]>;
  abstract findById(id: string): Promise<Role | null>;
  /** Locks the rows for the rest of the transaction. */
  abstract findByIdsForUpdate(ids: readonly string[]): Promise<Role[]>;
  /** Roles with these names (case-insensitive) in exactly this scope (null = global). */
  abstract findByNames(names: readonly string[], applicationId: string | null): Promise<Role[]>;
  abstract create(role: NewRole): Promise<Role>;
  abstract update(id: string, changes: Partial<Pick<Role, 'name' | 'description' | 'permissions' | 'active'>>): Promise<Role>;
  abstract delete(id: string): Promise<void>;
  /** Replaces the user's roles of one scope (null = global roles) with these. */
  abstract replaceUserRoles(userId: string, applicationId: string | null, roleIds: readonly string[]): Promise<void>;
  abstract userRoles(userId: string, applicationId?: string | null): Promise<Role[]>;
}

export abstract class ApplicationRepository {
  abstract list(filter: ApplicationListFilter): Promise<Keyed<Application>[]>;
  abstract findById(id: string): Promise<Application | null>;
  abstract create(app: Pick<Application, 'clientId' | 'name' | 'active' | 'redirectUris'>): Promise<Application>;
  abstract update(id: string, changes: Partial<Pick<Application, 'name' | 'active' | 'redirectUris'>>): Promise<Application>;
  abstract delete(id: string): Promise<void>;
}
