import { createContext, useContext, type ReactNode } from 'react';
import { ApiError, ok, Session, type Role, type User } from './api';

/** What the console shows is shaped by these; the API checks them again on every call. */
export const ADMIN_PERMISSIONS = ['users:read', 'users:write', 'roles:read', 'roles:write', 'roles:assign', 'applications:write', 'audit:read', 'notifications:read'] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

export interface Operator {
  user: User;
  /** The operator's permissions, from their token's roles (see `permissionsOf`). */
  permissions: ReadonlySet<string>;
}

export interface ConsoleContext {
  session: Session;
  operator: Operator;
  can(permission: AdminPermission): boolean;
  signOut(): Promise<void>;
}

const Context = createContext<ConsoleContext | undefined>(undefined);

export function ConsoleProvider({ value, children }: { value: ConsoleContext; children: ReactNode }) {
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useConsole(): ConsoleContext {
  const value = useContext(Context);
  if (!value) throw new Error('useConsole outside the signed-in console');
  return value;
}

/**
 * The operator's permissions: the union of what the roles named in the access token grant (global
 * roles, and those of the token's application), read from GET /roles — which itself needs
 * `roles:read`. The system role `admin` grants every permission. An operator who may not read roles
 * gets an empty set here: the console then offers no edit controls and lets the API answer.
 */
export async function permissionsOf(session: Session): Promise<Set<string>> {
  const claims = session.claims();
  if (!claims) return new Set();
  const names = new Set(claims.roles.map((r) => r.toLowerCase()));
  const roles: Role[] = [];
  try {
    for (let cursor: string | undefined, first = true; first || cursor; first = false) {
      const page = await ok(session.api.GET('/api/v1/roles', { params: { query: { limit: 100, cursor, active: true } } }));
      roles.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    }
  } catch (error) {
    if (error instanceof ApiError && (error.status === 403 || error.status === 401)) return new Set();
    throw error;
  }
  const grant = (role: Role, into: Set<string>) => {
    if (role.system && role.name === 'admin') ADMIN_PERMISSIONS.forEach((p) => into.add(p));
    role.permissions.forEach((p) => into.add(p));
  };
  const held = roles.filter((r) => r.active && names.has(r.name.toLowerCase()));
  const permissions = new Set<string>();
  for (const role of held) if (!role.applicationId) grant(role, permissions);
  // Roles of the token's application count too; finding which application that is needs
  // applications:write (GET /applications), so an operator without it is shaped by global roles only.
  if (permissions.has('applications:write') && held.some((r) => r.applicationId)) {
    const apps = await ok(session.api.GET('/api/v1/applications', { params: { query: { limit: 100 } } }));
    const appId = apps.items.find((a) => a.clientId === claims.aud)?.id;
    for (const role of held) if (role.applicationId && role.applicationId === appId) grant(role, permissions);
  }
  return permissions;
}

/** An operator holds at least one of the console's read permissions; anyone else is refused. */
export function isOperator(permissions: ReadonlySet<string>): boolean {
  return ['users:read', 'roles:read', 'audit:read', 'notifications:read', 'applications:write'].some((p) => permissions.has(p));
}
