import { Permission } from '@app/kernel';
import type { AccessScope } from './roles';

export interface RoleView {
  id: string;
  name: string;
  permissions: readonly Permission[];
  active: boolean;
  applicationId: string | null;
  system: boolean;
}

export interface ApplicationView {
  id: string;
  clientId: string;
  name: string;
  active: boolean;
  isDefault: boolean;
  /** Where a provider sign-in may send the browser back to (exact match). */
  redirectUris: readonly string[];
}

/**
 * A change that may alter what existing tokens grant: roles or applications (the catalogue was
 * reloaded), or the roles one user holds (`PUT /users/:id/roles`).
 */
export type AccessChange = { kind: 'catalog' } | { kind: 'user-roles'; userId: string };

/**
 * Roles and applications as every instance sees them, held in memory so that checking a token's
 * audience and permissions costs no query. Kept current across instances by notifications.
 */
export abstract class AccessCatalog {
  /**
   * Permissions granted by a token's roles (`roles` claim: plain names for global roles,
   * `app:<clientId>:<name>` for the token's application's roles) in this application. Inactive roles,
   * unknown names and other applications' roles grant nothing.
   */
  abstract permissionsOf(roleNames: readonly string[], clientId: string): ReadonlySet<Permission>;
  /**
   * Where these roles (in this application) grant `permission`: everywhere when a global role grants
   * it, otherwise only in the applications of the scoped roles that do.
   */
  abstract scopeOf(roleNames: readonly string[], clientId: string, permission: Permission): AccessScope;
  abstract application(clientId: string): ApplicationView | undefined;
  abstract defaultApplication(): ApplicationView;
  abstract applicationById(id: string): ApplicationView | undefined;
  /** Reloads from the database (after a change, or when notified by another instance). */
  abstract refresh(): Promise<void>;
  /**
   * Calls `listener` on every instance for each access change: after each reload, once the new
   * catalogue is in effect, and when a user's roles were changed (committed). For holders of
   * long-lived state built from a token (open sockets). Returns an unsubscribe.
   */
  abstract onChange(listener: (change: AccessChange) => void): () => void;
  /** Resolves once every reload requested so far has completed (and its listeners have run). */
  abstract settled(): Promise<void>;
}
