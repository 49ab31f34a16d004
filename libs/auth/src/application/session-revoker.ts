import { Injectable } from '@nestjs/common';
import { Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { SessionTerminator } from '@app/users';
import { Revocations, SessionRepository } from '../domain/ports';

/** Ends sessions: marks them (and their refresh tokens) revoked and tells every instance at once. */
@Injectable()
export class SessionRevoker extends SessionTerminator {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly sessions: SessionRepository,
    private readonly revocations: Revocations,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** Returns the sessions that were still live and are now ended. */
  revokeSessions(ids: string[], reason: string): Promise<string[]> {
    return this.uow.run(async () => {
      const live = await this.sessions.revoke(ids, this.clock.now(), reason);
      await this.revocations.revoke('session', live);
      return live;
    });
  }

  async endAllSessions(userId: string, reason: string, exceptSessionId?: string): Promise<void> {
    await this.uow.run(async () => {
      await this.revokeSessions(await this.sessions.activeIds(userId, exceptSessionId), reason);
    });
  }

  async revokeUser(userId: string, reason: string): Promise<void> {
    await this.uow.run(async () => {
      await this.endAllSessions(userId, reason);
      await this.revocations.revoke('user', [userId]);
    });
  }
}
