import type { Actor, ApplicationView } from '@app/access';
import type { AuditEvent } from '@app/audit';
import { LoginIdentifier, loginKey, type User } from '@app/users';
import type { Session } from './session';

export abstract class PasswordHasher {
  abstract hash(password: string, signal?: AbortSignal): Promise<string>;
  /** Verifies against `hash`, or against a dummy hash of equal cost when there is none. */
  abstract verify(hash: string | null, password: string, signal?: AbortSignal): Promise<boolean>;
  abstract needsRehash(hash: string): boolean;
  /** True when a hash now would be refused (every slot busy, the queue full): shed before other work. */
  abstract saturated(): boolean;
}

export interface AccessClaims {
  sub: string;
  sid: string;
  aud: string;
  roles: string[];
  amr?: string[];
  iat: number;
  exp: number;
  jti: string;
  typ: 'access';
  iss: string;
}

export interface SessionPageQuery {
  /** Only sessions of these applications (client ids). */
  clientIds?: readonly string[];
  limit: number;
  after?: { createdAt: string; id: string };
}

export abstract class AccessTokens {
  /** `issuedAt` becomes `iat`; the token expires exactly `expiresIn` (ACCESS_TOKEN_TTL) seconds later. */
  abstract issue(input: { userId: string; sessionId: string; clientId: string; roles: string[]; amr: string[]; issuedAt: Date }): { token: string; expiresIn: number };
  /** Verifies signature, algorithm, type, issuer, expiry (small leeway), audience and revocation. */
  abstract verify(token: string): Actor;
}

export interface StoredRefreshToken {
  id: string;
  sessionId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  successorBox: Buffer | null;
}

/** An audit event written with a new session (the audit log's own event, without its id). */
export type SessionAuditEvent = Omit<AuditEvent, 'id'>;

export abstract class SessionRepository {
  /**
   * A new session with its first refresh token, and — when given — the audit event that records it
   * (its `data` gains the new `sessionId`), all written by one atomic statement, which also reads the
   * user's role names for `applicationId` (for the access token about to be issued).
   */
  abstract open(
    session: Omit<Session, 'id' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>,
    firstToken: { hash: Buffer; expiresAt: Date },
    options: { applicationId: string; event?: SessionAuditEvent },
  ): Promise<{ session: Session; roles: string[] }>;
  /** Locks the session row for the rest of the transaction. */
  abstract findForUpdate(id: string): Promise<Session | null>;
  abstract findById(id: string): Promise<Session | null>;
  /** Live sessions newest first (`createdAt`, `id`), `limit` of them after `after`; `cursorAt` is `createdAt` at full precision. */
  abstract listActive(userId: string, now: Date, page: SessionPageQuery): Promise<(Session & { cursorAt: string })[]>;
  /** Marks sessions revoked (with their refresh tokens); returns the ids that were still live. */
  abstract revoke(ids: string[], at: Date, reason: string): Promise<string[]>;
  abstract activeIds(userId: string, exceptId?: string): Promise<string[]>;

  /** Locks the refresh token row (concurrent refreshes of one token queue here). */
  abstract findRefreshTokenForUpdate(hash: Buffer): Promise<StoredRefreshToken | null>;
  abstract findRefreshToken(hash: Buffer): Promise<StoredRefreshToken | null>;
  /**
   * One rotation, written together: the presented token marked rotated (with its sealed successor),
   * the successor stored, and the session's last use set to `at`.
   */
  abstract rotate(
    presented: { id: string; sessionId: string; successorBox: Buffer },
    successor: { hash: Buffer; expiresAt: Date },
    at: Date,
  ): Promise<void>;
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
