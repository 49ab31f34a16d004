import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { AuditLog } from '@app/audit';
import { Clock } from '@app/core';
import { CursorCodec, cursorField, Page, RequestMeta, toPage } from '@app/kernel';
import { UnitOfWork } from '@app/persistence';
import { SessionNotFoundError } from '../domain/errors';
import { SessionRepository } from '../domain/ports';
import { hashToken, looksLikeRefreshToken } from '../domain/refresh-token-crypto';
import { Session } from '../domain/session';
import { SessionRevoker } from './session-revoker';

const NO_META: RequestMeta = { ip: null, userAgent: null };

/** Sessions newest first: `created_at` (microseconds) and `id`. */
const SESSION_CURSOR = new CursorCodec(cursorField.timestamp(), cursorField.uuid());

export interface SessionView extends Session {
  current: boolean;
}

/** Listing and ending one's own sessions: logout, logout everywhere, end one device. */
@Injectable()
export class SessionsUseCases {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly revoker: SessionRevoker,
    private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly audit: AuditLog,
  ) {}

  /**
   * A user's live sessions, newest first, one page at a time (`current`: the caller's own).
   * `clientIds`: only sessions of these applications (an application admin's view).
   */
  /** When the caller's session began (its sign-in), or null when it is gone: for "signed in recently" checks. */
  async signedInAt(actor: Actor): Promise<Date | null> {
    const session = await this.sessions.findById(actor.sessionId);
    return session && !session.revokedAt && session.userId === actor.userId ? session.createdAt : null;
  }

  async list(actor: Actor, page: { limit: number; cursor?: string }, userId = actor.userId, clientIds?: readonly string[]): Promise<Page<SessionView>> {
    const position = SESSION_CURSOR.decodeOptional(page.cursor);
    const rows = await this.sessions.listActive(userId, this.clock.now(), { clientIds, limit: page.limit + 1, after: position && { createdAt: position[0], id: position[1] } });
    const { items, nextCursor } = toPage(rows, page.limit, SESSION_CURSOR, (last) => [last.cursorAt, last.id] as const);
    return { items: items.map(({ cursorAt: _, ...s }) => ({ ...s, current: s.id === actor.sessionId })), nextCursor };
  }

  async logout(actor: Actor, meta: RequestMeta = NO_META): Promise<void> {
    await this.uow.run(async () => {
      await this.revoker.revokeSessions([actor.sessionId], 'logout');
      await this.audit.record({ type: 'session.logout', actorId: actor.userId, subjectId: actor.userId, ip: meta.ip, userAgent: meta.userAgent, data: { sessionId: actor.sessionId } });
    });
  }

  /**
   * Logout without an access token (a browser whose page was reloaded holds only the refresh cookie):
   * ends the session the refresh token belongs to — current or already rotated, as reuse would. An
   * unknown or ended one changes nothing (RFC 7009 §2.2: nothing to revoke is not an error).
   */
  async logoutWithRefreshToken(refreshToken: string, meta: RequestMeta = NO_META): Promise<void> {
    if (!looksLikeRefreshToken(refreshToken)) return;
    const found = await this.sessions.findRefreshToken(hashToken(refreshToken));
    if (!found) return;
    const session = await this.sessions.findById(found.sessionId);
    if (!session || session.revokedAt) return;
    await this.uow.run(async () => {
      await this.revoker.revokeSessions([session.id], 'logout');
      await this.audit.record({ type: 'session.logout', actorId: session.userId, subjectId: session.userId, ip: meta.ip, userAgent: meta.userAgent, data: { sessionId: session.id } });
    });
  }

  async logoutAll(actor: Actor, meta: RequestMeta = NO_META): Promise<void> {
    await this.uow.run(async () => {
      await this.revoker.endAllSessions(actor.userId, 'logout everywhere');
      await this.audit.record({ type: 'session.logout_all', actorId: actor.userId, subjectId: actor.userId, ip: meta.ip, userAgent: meta.userAgent });
    });
  }

  /**
   * Ends one of the user's sessions; someone else's (or an ended one, or with `clientIds` one of
   * another application) is "not found".
   */
  async revoke(actor: Actor, sessionId: string, userId = actor.userId, meta: RequestMeta = NO_META, clientIds?: readonly string[]): Promise<void> {
    const session = await this.sessions.findById(sessionId);
    if (!session || session.userId !== userId || session.revokedAt || session.expiresAt <= this.clock.now() || (clientIds && !clientIds.includes(session.clientId))) {
      throw new SessionNotFoundError();
    }
    await this.uow.run(async () => {
      await this.revoker.revokeSessions([sessionId], userId === actor.userId ? 'ended by user' : 'ended by administrator');
      await this.audit.record({ type: 'session.revoked', actorId: actor.userId, subjectId: userId, ip: meta.ip, userAgent: meta.userAgent, data: { sessionId } });
    });
  }
}
