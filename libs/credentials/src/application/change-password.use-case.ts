import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { AuditLog } from '@app/audit';
import { InvalidCurrentPasswordError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { UserNotFoundError, UserRepository } from '@app/users';
import { assertPasswordAcceptable } from '../domain/password-policy';
import { PasswordHasher } from '../domain/ports';
import { PasswordConfirmation } from './password-confirmation';
import { RequestMeta } from '@app/kernel';
import { SecurityNotices } from './security-notices';
import { SessionRevoker } from '@app/auth';

/**
 * Changes the password after checking the current one (counted like a login, see
 * PasswordConfirmation: a stolen access token cannot be used to guess it), ends every other session and sends
 * a "password changed" notice.
 */
@Injectable()
export class ChangePasswordUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly confirmation: PasswordConfirmation,
    private readonly revoker: SessionRevoker,
    private readonly notices: SecurityNotices,
    private readonly audit: AuditLog,
  ) {}

  async execute(actor: Actor, meta: RequestMeta, input: { currentPassword: string; newPassword: string }): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new UserNotFoundError();
    if (!(await this.confirmation.confirm(user, input.currentPassword, { ...meta, purpose: 'password_change' }))) throw new InvalidCurrentPasswordError();
    assertPasswordAcceptable(input.newPassword, [user.username, user.email, user.phone]);
    const passwordHash = await this.hasher.hash(input.newPassword, meta.signal);
    await this.uow.run(async () => {
      await this.users.update(user.id, { passwordHash });
      await this.revoker.endAllSessions(user.id, 'password changed', actor.sessionId);
      await this.notices.passwordChanged(user);
      await this.audit.record({ type: 'password.changed', actorId: user.id, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent });
    });
  }
}
