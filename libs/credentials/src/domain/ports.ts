import type { ApplicationView } from '@app/access';
import { LoginIdentifier, loginKey, type User } from '@app/users';

export abstract class PasswordHasher {
  abstract hash(password: string, signal?: AbortSignal): Promise<string>;
  /** Verifies against `hash`, or against a dummy hash of equal cost when there is none. */
  abstract verify(hash: string | null, password: string, signal?: AbortSignal): Promise<boolean>;
  abstract needsRehash(hash: string): boolean;
  /** True when a hash now would be refused (every slot busy, the queue full): shed before other work. */
  abstract saturated(): boolean;
}

export interface LockState {
  lockedForSeconds: number;
}

/** Failures count per account whatever identifier named it; per login name when there is no account. */
export const throttleKeys = {
  account: (userId: string) => `user:${userId}`,
  loginName: (login: LoginIdentifier) => `login:${loginKey(login)}`,
};

/** A login's first read: the account it names (if any), its throttle key, and that key's state. */
export interface LoginLookup {
  user: User | null;
  key: string;
  /** Seconds the key is still locked for, or 0. */
  lockedFor: number;
  /** Consecutive failures so far (0 when there are none to reset). */
  failures: number;
}

/** Per-account failure counters, shared by every instance (Postgres). */
export abstract class LoginThrottle {
  /**
   * The account a login identifier names (if any), its throttle key (see `throttleKeys`) and that
   * key's state, read together (a login's first statement).
   */
  abstract lookup(login: LoginIdentifier): Promise<LoginLookup>;
  /** Seconds the key is still locked for, or 0. */
  abstract lockedFor(key: string): Promise<number>;
  /** Counts a failure; returns the lock it caused, if any. */
  abstract recordFailure(key: string): Promise<LockState | null>;
  abstract reset(key: string): Promise<void>;
}

/** What a sign-in that proved one factor must still do: nothing (null), or a second factor. */
export interface SecondFactorChallenge {
  /** Opaque, single use; only its hash is stored. */
  mfaToken: string;
  methods: string[];
}

/**
 * The second step of sign-in (implemented by the credentials lib): for a user with two-factor
 * authentication on, remembers the first factor and the application and hands out an mfaToken
 * instead of a session. In the caller's unit of work.
 */
export abstract class SecondFactorGate {
  abstract challenge(user: User, app: ApplicationView, amr: string[]): Promise<SecondFactorChallenge | null>;
}

/** The `authorization_code` grant of `/auth/token`: what an application sends to redeem its one-time code. */
export interface AuthorizationCodeRequest {
  code: string;
  redirectUri: string;
  clientId: string;
  codeVerifier: string;
}

/** Whose sign-in a redeemed code finishes. */
export interface RedeemedCode {
  userId: string;
  clientId: string;
  provider: string;
}

/**
 * Redeems a one-time code from a sign-in through an external provider (implemented by the federation
 * lib, passed in by the composition root): spends the code and answers whose sign-in it finishes —
 * or null when it is unknown, used or expired, or was issued to another client or redirect URI, or
 * the PKCE verifier does not match. The session then starts here, as a password login's does.
 */
export abstract class AuthorizationCodeRedeemer {
  abstract redeem(request: AuthorizationCodeRequest): Promise<RedeemedCode | null>;
}
