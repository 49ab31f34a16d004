/**
 * How a token names the roles it carries — unambiguously, so that a role of one scope can never be
 * read as a role of another:
 *
 * - a global role by its plain name: `admin`, `user`, `editor`;
 * - a role of an application by `app:<clientId>:<name>`: `app:shop:clerk`.
 *
 * No role name may start with `app:` (`isReservedRoleName`), and a `clientId` contains no `:`, so the
 * two forms never meet. A role of one application is never counted in a token of another.
 */
export const SCOPED_ROLE_PREFIX = 'app:';

export interface RoleReference {
  /** null: a global role. */
  clientId: string | null;
  name: string;
}

/** The name a token carries for a role: plain for a global role, `app:<clientId>:<name>` otherwise. */
export function tokenRoleName(name: string, clientId: string | null): string {
  return clientId === null ? name : `${SCOPED_ROLE_PREFIX}${clientId}:${name}`;
}

/** Reads a token's role name back; null when it is malformed (it then grants nothing). */
export function parseTokenRoleName(value: string): RoleReference | null {
  if (!value.toLowerCase().startsWith(SCOPED_ROLE_PREFIX)) return value.length > 0 ? { clientId: null, name: value } : null;
  const rest = value.slice(SCOPED_ROLE_PREFIX.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) return null;
  return { clientId: rest.slice(0, colon), name: rest.slice(colon + 1) };
}

/** Role names may not look like an application-qualified token name. */
export function isReservedRoleName(name: string): boolean {
  return name.toLowerCase().startsWith(SCOPED_ROLE_PREFIX);
}
