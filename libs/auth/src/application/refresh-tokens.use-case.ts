import { Inject, Injectable } from '@nestjs/common';
import { AccessCatalog } from '@app/access';
import { AuditLog } from '@app/audit';
import { authConfig, AuthSettings, Clock, DomainError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { UserRepository } from '@app/users';
import { tokenExpired, tokenInvalid, tokenReused, tokenRevoked } from '../domain/errors';
import { SessionRepository, StoredRefreshToken } from '../domain/ports';
import { hashToken, looksLikeRefreshToken, newRefreshToken, openSuccessor, sealSuccessor } from '../domain/refresh-token-crypto';
import { RequestMeta } from '@app/kernel';
import { Session, TokenPair } from '../domain/session';
import { SessionIssuer } from './session-issuer';
import { SessionRevoker } from './session-revoker';

type Outcome = { pair: TokenPair } | { fail: DomainError; revoke?: string; userId?: string };

/** How many already-rotated generations a grace-window retry may walk forward. */
const MAX_GRACE_HOPS = 4;

/**
 * Refresh-token rotation (RFC 9700 §4.14.2). Each use rotates the token. Concurrent uses of one token
 * serialise on its session's row lock: the first mints the successor, the others — sent before the
 * rotation or within `REFRESH_REUSE_GRACE_SECONDS` after it — receive that same successor, so a
 * session never has two live heads. A rotated token presented after the window is reuse: the whole
 * session is revoked, and that revocation is committed before the request fails.
 *
 * Locks are taken session first, then its tokens — the order of every revocation (sessions, then
 * their tokens): in the other order a refresh and a concurrent revocation of its session deadlocked,
 * and Postgres aborted one of them (a 500).
 */
@Injectable()
export class RefreshTokensUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionRepository,
    private readonly users: UserRepository,
    private readonly catalog: AccessCatalog,
    private readonly issuer: SessionIssuer,
    private readonly revoker: SessionRevoker,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {}

  async execute(refreshToken: string, meta: RequestMeta = { ip: null, userAgent: null }): Promise<TokenPair> {
    if (!looksLikeRefreshToken(refreshToken)) throw tokenInvalid();
    const now = this.clock.now();
    // When the request arrived, not when its transaction got a connection and the session's lock:
    // refreshes sent together stay inside the grace window however long they queue.
    const sentAt = meta.receivedAt && meta.receivedAt < now ? meta.receivedAt : now;
    const outcome = await this.uow.run(() => this.rotate(refreshToken, now, sentAt));
    if ('pair' in outcome) return outcome.pair;
    const { revoke, userId } = outcome;
    if (revoke) {
      const reused = outcome.fail.code === 'TOKEN_REUSED';
      await this.uow.run(async () => {
        await this.revoker.revokeSessions([revoke], reused ? 'refresh token reuse' : 'account unavailable');
        if (reused) {
          await this.audit.record({ type: 'token.reused', actorId: null, subjectId: userId ?? null, ip: meta.ip, userAgent: meta.userAgent, data: { sessionId: revoke } });
        }
      });
    }
    throw outcome.fail;
  }

  private async rotate(presented: string, now: Date, sentAt: Date): Promise<Outcome> {
    const hash = hashToken(presented);
    const found = await this.sessions.findRefreshToken(hash);
    if (!found) return { fail: tokenInvalid() };
    const session = await this.sessions.findForUpdate(found.sessionId);
    const token = session && (await this.sessions.findRefreshTokenForUpdate(hash));
    if (!session || !token || session.revokedAt || token.revokedAt) return { fail: tokenRevoked() };
    if (session.expiresAt <= now) return { fail: tokenExpired() };

    if (token.rotatedAt) return this.replay(presented, token, session, now, sentAt);
    if (token.expiresAt <= now) return { fail: tokenExpired() };

    const user = await this.users.findById(session.userId);
    if (!user || user.status === 'disabled') return { fail: tokenRevoked(), revoke: session.id };
    const app = this.catalog.application(session.clientId);
    if (!app || !app.active) return { fail: tokenRevoked(), revoke: session.id };

    const successor = newRefreshToken();
    const expiresAt = this.issuer.refreshExpiry(session, now);
    // Rotated now, once the lock is held: a retry that was sent before this moment is concurrent with it.
    const rotatedAt = new Date(Math.max(now.getTime(), this.clock.now().getTime()));
    await this.sessions.rotate({ id: token.id, sessionId: session.id, successorBox: sealSuccessor(presented, successor) }, { hash: hashToken(successor), expiresAt }, rotatedAt);
    return { pair: await this.issuer.pair(session, app, successor, expiresAt, now) };
  }

  /**
   * A rotated token: sent before its rotation or inside the grace window after it, hand back the live
   * successor; later, reuse.
   */
  private async replay(presented: string, token: StoredRefreshToken, session: Session, now: Date, sentAt: Date): Promise<Outcome> {
    const graceMs = this.config.refreshReuseGraceSeconds * 1000;
    let plain = presented;
    let current = token;
    for (let hop = 0; hop < MAX_GRACE_HOPS; hop++) {
      if (!current.rotatedAt || sentAt.getTime() - current.rotatedAt.getTime() > graceMs || !current.successorBox) break;
      const next = openSuccessor(plain, current.successorBox);
      if (!next) break;
      const successor = await this.sessions.findRefreshTokenForUpdate(hashToken(next));
      if (!successor || successor.revokedAt) break;
      if (!successor.rotatedAt) {
        const app = this.catalog.application(session.clientId);
        if (!app || !app.active) return { fail: tokenRevoked(), revoke: session.id };
        return { pair: await this.issuer.pair(session, app, next, successor.expiresAt, now) };
      }
      plain = next;
      current = successor;
    }
    return { fail: tokenReused(), revoke: session.id, userId: session.userId };
  }
}
