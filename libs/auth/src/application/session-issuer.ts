import { Inject, Injectable } from '@nestjs/common';
import { ApplicationView, RoleAssignments } from '@app/access';
import { AuditLog } from '@app/audit';
import { authConfig, AuthSettings, Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import type { User } from '@app/users';
import { AccessTokens, SessionAuditEvent, SessionRepository } from '../domain/ports';
import { hashToken, newRefreshToken } from '../domain/refresh-token-crypto';
import { RequestMeta } from '@app/kernel';
import { Session, TokenPair } from '../domain/session';

/** Starts sessions and mints token pairs; callers run it inside their unit of work. */
@Injectable()
export class SessionIssuer {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly tokens: AccessTokens,
    private readonly roles: RoleAssignments,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  /**
   * A new session for a login, with its first refresh token and an access token carrying the user's
   * current roles, in one unit of work (the caller's, when there is one) with `audit`, when given
   * (its data gains the `sessionId`; recorded through the audit log's port).
   */
  async start(
    user: User,
    app: ApplicationView,
    meta: RequestMeta,
    audit?: Pick<SessionAuditEvent, 'type' | 'data'>,
    amr: string[] = ['pwd'],
  ): Promise<{ session: Session; pair: TokenPair }> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.sessionMaxAge * 1000);
    const refreshToken = newRefreshToken();
    const refreshExpiresAt = this.refreshExpiry({ expiresAt }, now);
    const userAgent = meta.userAgent?.slice(0, 512) ?? null;
    return this.uow.run(async () => {
      const session = await this.sessions.open(
        { userId: user.id, clientId: app.clientId, ip: meta.ip, userAgent, expiresAt, amr },
        { hash: hashToken(refreshToken), expiresAt: refreshExpiresAt },
      );
      const roles = await this.roles.roleNamesFor(user.id, app.id);
      if (audit) {
        await this.audit.record({ type: audit.type, actorId: user.id, subjectId: user.id, ip: meta.ip, userAgent, data: { sessionId: session.id, ...audit.data } });
      }
      return { session, pair: this.tokenPair(session, app, roles, refreshToken, refreshExpiresAt, now) };
    });
  }

  /** A refresh token's expiry: its own lifetime, never past the session's absolute end. */
  refreshExpiry(session: Pick<Session, 'expiresAt'>, now: Date): Date {
    return new Date(Math.min(now.getTime() + this.config.refreshTokenTtl * 1000, session.expiresAt.getTime()));
  }

  /**
   * Mints an access token with the user's current roles for the session's application. `now` is the
   * clock reading the refresh token's expiry was computed from (see `tokenPair`).
   */
  async pair(session: Session, app: ApplicationView, refreshToken: string, refreshExpiresAt: Date, now: Date): Promise<TokenPair> {
    return this.tokenPair(session, app, await this.roles.roleNamesFor(session.userId, app.id), refreshToken, refreshExpiresAt, now);
  }

  /**
   * Lifetimes come from the one clock reading `now` that the expiries were computed from: the access
   * token's `iat` is `now` and `expiresIn` exactly ACCESS_TOKEN_TTL; `refreshExpiresIn` is exactly
   * REFRESH_TOKEN_TTL, or the whole seconds left of the session when that ends sooner.
   */
  private tokenPair(session: Session, app: ApplicationView, roles: string[], refreshToken: string, refreshExpiresAt: Date, now: Date): TokenPair {
    const access = this.tokens.issue({ userId: session.userId, sessionId: session.id, clientId: app.clientId, roles, amr: session.amr, issuedAt: now });
    return {
      accessToken: access.token,
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: access.expiresIn,
      refreshExpiresIn: secondsBetween(now, refreshExpiresAt),
    };
  }
}

/** Whole seconds from `from` until `to` (0 once past). */
export function secondsBetween(from: Date, to: Date): number {
  return Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000));
}
