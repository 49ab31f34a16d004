import { OWN_PERMISSIONS, Permission, UNCONFINED_PERMISSIONS } from '@app/kernel';
import { AccessScope, inScope } from './roles';

/**
 * The no-escalation rules, as pure functions. An actor's reach for a permission is its `AccessScope`
 * (everywhere when a global role grants it, else the applications whose roles grant it).
 */

/** The permissions in `wanted` that the actor does not hold (nobody hands out what they lack). */
export function permissionsNotHeld(held: ReadonlySet<Permission>, wanted: readonly Permission[]): Permission[] {
  return [...new Set(wanted.filter((p) => !held.has(p)))].sort();
}

/**
 * The permissions in `wanted` that an actor confined to some applications may not hand out: those
 * that reach beyond any application (`UNCONFINED_PERMISSIONS`). None for a global actor.
 */
export function permissionsBeyondApplication(scope: AccessScope, wanted: readonly Permission[]): Permission[] {
  if (scope.global) return [];
  return [...new Set(wanted.filter((p) => UNCONFINED_PERMISSIONS.includes(p)))].sort();
}

/**
 * Whether an actor may change, (de)activate, delete, assign or unassign a role: it lies in the
 * actor's reach, grants nothing the actor does not hold itself, and — for an actor confined to some
 * applications — nothing that reaches beyond them.
 */
export function roleWithinReach(
  scope: AccessScope,
  held: ReadonlySet<Permission>,
  role: { applicationId: string | null; permissions: readonly Permission[] },
): boolean {
  return (
    inScope(scope, role.applicationId) &&
    permissionsNotHeld(held, role.permissions).length === 0 &&
    permissionsBeyondApplication(scope, role.permissions).length === 0
  );
}

const BASELINE = new Set<Permission>(OWN_PERMISSIONS);

/**
 * Whether an actor confined to some applications may manage a user account (change it, disable or
 * delete it, end its sessions, reset its second factor, read it): the user belongs to one of the
 * actor's applications (holds a role there) and holds nothing beyond them — no role of another
 * application, no global role granting more than the `:own` permissions every user has. An actor
 * whose permission is global reaches everyone.
 */
export function userWithinReach(
  scope: AccessScope,
  userRoles: readonly { applicationId: string | null; permissions: readonly Permission[] }[],
): boolean {
  if (scope.global) return true;
  const member = userRoles.some((r) => r.applicationId !== null && scope.applicationIds.has(r.applicationId));
  const beyond = userRoles.some((r) =>
    r.applicationId === null ? r.permissions.some((p) => !BASELINE.has(p)) : !scope.applicationIds.has(r.applicationId),
  );
  return member && !beyond;
}

/** Whether a user holds a role of one of the applications in `scope` (or `scope` is global). */
export function userIsMember(scope: AccessScope, userRoles: readonly { applicationId: string | null }[]): boolean {
  return scope.global || userRoles.some((r) => r.applicationId !== null && scope.applicationIds.has(r.applicationId));
}
