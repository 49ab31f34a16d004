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
