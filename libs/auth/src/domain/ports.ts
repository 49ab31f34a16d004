import type { JsonWebKey } from 'node:crypto';
import type { AuditEvent } from '@app/audit';
import type { Actor } from '@app/kernel';
import type { Session } from './session';

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
  abstract verify(token: string): Promise<Actor>;
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
  /** A new session with its first refresh token (one atomic statement). */
  abstract open(session: Omit<Session, 'id' | 'createdAt' | 'lastUsedAt' | 'revokedAt'>, firstToken: { hash: Buffer; expiresAt: Date }): Promise<Session>;
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

/** A revocation as it takes effect on this instance: a session, or a user's tokens issued before `notBefore`. */
export interface Revocation {
  kind: 'session' | 'user';
  id: string;
  /** Epoch seconds: tokens issued before this are revoked (for `user`). */
  notBefore: number;
}

export type RevocationListener = (revocation: Revocation) => void;

/**
 * Which sessions and users are revoked, as every instance knows it (checking a token costs no query).
 * `revoke` records revocations in the current unit of work; every instance applies them on commit.
 */
export abstract class Revocations {
  abstract isRevoked(sessionId: string, userId: string, issuedAt: number): boolean;
  /** Calls `listener` for each revocation as it takes effect here; returns the unsubscribe function. */
  abstract onRevoked(listener: RevocationListener): () => void;
  abstract revoke(kind: 'session' | 'user', ids: string[]): Promise<void>;
}

/** The public half of the signing keys, as a JWK Set (RFC 7517). */
export abstract class PublicKeySet {
  abstract jwks(): { keys: (JsonWebKey & { kid: string; use: string; alg: string })[] };
}
