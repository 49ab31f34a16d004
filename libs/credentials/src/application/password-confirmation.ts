import { Injectable } from '@nestjs/common';
import { AuditLog } from '@app/audit';
import { UnitOfWork } from '@app/persistence';
import { PasswordVerifier, User } from '@app/users';
import { LoginLockedError } from '../domain/errors';
import { LoginThrottle, PasswordHasher, throttleKeys } from '../domain/ports';
import { RequestMeta } from '@app/kernel';
import { SecurityNotices } from './security-notices';

/**
 * The password check of a signed-in user (password change, account deletion — anything that asks for
 * the current password again), counted exactly like a login: it shares the account's lockout key, so
 * a stolen access token is no unlimited password oracle. A locked account gets 429 `LOGIN_LOCKED`
 * (even for the right password); a wrong password is a `login.failed` event, and the failure that
 * locks is a `login.locked` event and emails the holder; the right one resets the count.
 */
@Injectable()
export class PasswordConfirmation extends PasswordVerifier {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly notices: SecurityNotices,
    private readonly audit: AuditLog,
  ) {
    super();
  }

  async confirm(user: User, password: string, meta: Partial<RequestMeta> & { purpose: string }): Promise<boolean> {
    const key = throttleKeys.account(user.id);
    const locked = await this.throttle.lockedFor(key);
    if (locked > 0) throw new LoginLockedError(locked);
    if (await this.hasher.verify(user.passwordHash, password, meta.signal)) {
      await this.throttle.reset(key);
      return true;
    }
    // The failure, its audit event and any lock it causes commit on their own: the request fails.
    await this.uow.run(async () => {
      const lock = await this.throttle.recordFailure(key);
      const event = { actorId: user.id, subjectId: user.id, ip: meta.ip ?? null, userAgent: meta.userAgent ?? null };
      await this.audit.record({ ...event, type: 'login.failed', data: { reason: 'wrong_password', via: meta.purpose } });
      if (lock) {
        await this.audit.record({ ...event, type: 'login.locked', data: { lockedForSeconds: lock.lockedForSeconds } });
        await this.notices.accountLocked(user, lock.lockedForSeconds);
      }
    });
    return false;
  }
}
