import type { ApplicationView, RoleView } from './catalog';
import type { Permission } from '@app/kernel';
import { parseTokenRoleName } from './role-reference';
import type { AccessScope } from './roles';

const key = (applicationId: string | null, name: string) => `${applicationId ?? ''}\u0000${name.toLowerCase()}`;

/**
 * Resolves the roles a token carries (see `role-reference.ts`) to roles, each in exactly one scope:
 * a plain name only ever to a global role, `app:<clientId>:<name>` only to that application's role,
 * and only when the token was issued for that application. Pure and in memory.
 */
export class RoleIndex {
  private readonly roles = new Map<string, RoleView>();
  private readonly appsByClientId = new Map<string, ApplicationView>();

  constructor(roles: readonly RoleView[], apps: readonly ApplicationView[]) {
    for (const a of apps) this.appsByClientId.set(a.clientId, a);
    for (const r of roles) this.roles.set(key(r.applicationId, r.name), r);
  }

  /** The active roles these token names designate in a token for `clientId`. */
  resolve(tokenRoles: readonly string[], clientId: string): RoleView[] {
    const found: RoleView[] = [];
    for (const value of tokenRoles) {
      const ref = parseTokenRoleName(value);
      if (!ref) continue;
      let role: RoleView | undefined;
      if (ref.clientId === null) role = this.roles.get(key(null, ref.name));
      else if (ref.clientId === clientId) {
        const app = this.appsByClientId.get(ref.clientId);
        role = app ? this.roles.get(key(app.id, ref.name)) : undefined;
      }
      if (role && role.active && !found.includes(role)) found.push(role);
    }
    return found;
  }

  permissionsOf(tokenRoles: readonly string[], clientId: string): ReadonlySet<Permission> {
    const granted = new Set<Permission>();
    for (const role of this.resolve(tokenRoles, clientId)) for (const p of role.permissions) granted.add(p);
    return granted;
  }

  scopeOf(tokenRoles: readonly string[], clientId: string, permission: Permission): AccessScope {
    const applicationIds = new Set<string>();
    for (const role of this.resolve(tokenRoles, clientId)) {
      if (!role.permissions.includes(permission)) continue;
      if (role.applicationId === null) return { global: true };
      applicationIds.add(role.applicationId);
    }
    return { global: false, applicationIds };
  }
}
