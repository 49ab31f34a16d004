import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/access';
import { Clock } from '@app/core';
import { SessionNotFoundError } from '../domain/errors';
import { SessionRepository } from '../domain/ports';
import { Session } from '../domain/session';
import { SessionRevoker } from './session-revoker';

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
  ) {}

  async list(actor: Actor, userId = actor.userId): Promise<SessionView[]> {
    const rows = await this.sessions.listActive(userId, this.clock.now());
    return rows.map((s) => ({ ...s, current: s.id === actor.sessionId }));
  }

  async logout(actor: Actor): Promise<void> {
    await this.revoker.revokeSessions([actor.sessionId], 'logout');
  }

  async logoutAll(actor: Actor): Promise<void> {
    await this.revoker.endAllSessions(actor.userId, 'logout everywhere');
  }

  /** Ends one of the user's sessions; someone else's (or an ended one) is "not found". */
  async revoke(actor: Actor, sessionId: string, userId = actor.userId): Promise<void> {
    const session = await this.sessions.findById(sessionId);
    if (!session || session.userId !== userId || session.revokedAt || session.expiresAt <= this.clock.now()) {
      throw new SessionNotFoundError();
    }
    await this.revoker.revokeSessions([sessionId], userId === actor.userId ? 'ended by user' : 'ended by administrator');
  }
}
