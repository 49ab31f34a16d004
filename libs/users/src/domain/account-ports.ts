import type { Actor, Permission } from '@app/kernel';
import type { User } from './user';

/**
 * What account self-service needs from authentication, as ports the auth lib implements — so that
 * users does not depend on auth.
 */
export abstract class PasswordVerifier {
  /**
   * True when `password` is the account's. Counted like a login: a wrong one counts toward the
   * account's lockout, and a locked account is refused (429 LOGIN_LOCKED) whatever the password.
   */
  abstract confirm(user: User, password: string, context: PasswordCheckContext): Promise<boolean>;
}

/** Where a password check came from (for the audit log) and what it was for. */
export interface PasswordCheckContext {
  purpose: string;
  ip?: string | null;
  userAgent?: string | null;
  signal?: AbortSignal;
}

export abstract class SessionTerminator {
  /** Ends every session of the user, effective at once on every instance. */
  abstract endAllSessions(userId: string, reason: string): Promise<void>;
  /** Makes every token of the user unusable at once (the account is disabled or deleted). */
  abstract revokeUser(userId: string, reason: string): Promise<void>;
}

export abstract class EmailVerificationSender {
  /**
   * Sends the account's current email address a single-use verification link, in the ambient unit
   * of work; links sent earlier stop working.
   */
  abstract sendVerification(user: User): Promise<void>;
  /**
   * Sends `address` — asked for as the user's new email (`pendingEmail`) — a single-use link that
   * makes it the account's email once opened. Sends nothing when the address belongs to another
   * account or is no longer the one asked for. Runs after the response (it must not show in timing).
   */
  abstract sendChangeVerification(userId: string, address: string): Promise<void>;
}

/**
 * How far an administrator's permission reaches over accounts (implemented by the access lib): a
 * global holder reaches every account, an application admin its application's members. Refusals are
 * 403 OUTSIDE_APPLICATION.
 */
export abstract class AccountReach {
  /** The applications the actor is confined to for `permission`, or null when it reaches everything. */
  abstract confinedTo(actor: Actor, permission: Permission): string[] | null;
  /** Refuses unless the permission is global. */
  abstract assertGlobal(actor: Actor, permission: Permission): void;
  /** Refuses unless the user is within the actor's reach for reading. */
  abstract assertCanRead(actor: Actor, permission: Permission, userId: string): Promise<void>;
}

/** What an administrator creating an account needs from authentication and access. */
export abstract class AccountProvisioning {
  /** Checks the password policy (400 PASSWORD_TOO_WEAK) and returns its argon2id hash. */
  abstract hashNewPassword(password: string, personal: (string | null | undefined)[]): Promise<string>;
  /** Grants what every new account holds (the system role `user`), in the ambient unit of work. */
  abstract grantDefaultRoles(userId: string): Promise<void>;
}
