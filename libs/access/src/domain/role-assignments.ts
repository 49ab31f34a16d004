import type { SYSTEM_ROLES } from '@app/kernel';

/** Which roles a user holds, as token claims need them, and the system roles every account starts with. */
export abstract class RoleAssignments {
  /** The token names of the user's roles for one application: global roles plus the application's own. */
  abstract roleNamesFor(userId: string, applicationId: string): Promise<string[]>;
  /** Grants a global system role (`user` to every new account, `admin` to the bootstrap admin). */
  abstract grantSystemRole(userId: string, role: keyof typeof SYSTEM_ROLES): Promise<void>;
  abstract anyoneHolds(role: keyof typeof SYSTEM_ROLES): Promise<boolean>;
  /** Tells every instance that roles or applications changed (delivered on commit). */
  abstract announceChange(): Promise<void>;
  /** Tells every instance that this user's role assignments changed (delivered on commit). */
  abstract announceUserChange(userId: string): Promise<void>;
}
