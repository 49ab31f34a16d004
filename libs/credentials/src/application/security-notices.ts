import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/core';
import { Notifier } from '@app/notifications';
import type { User } from '@app/users';

/** Messages that tell an account holder about something that happened to their account. */
@Injectable()
export class SecurityNotices {
  private readonly logger = new Logger('SecurityNotices');

  constructor(
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  /** "Your password was changed": by email, or by SMS to an account without one. In the caller's unit of work. */
  async passwordChanged(user: Pick<User, 'email' | 'phone'>): Promise<void> {
    const at = this.clock.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
    if (user.email) await this.notifier.send({ channel: 'email', to: user.email, template: 'password_changed', data: { at } });
    else if (user.phone) await this.notifier.send({ channel: 'sms', to: user.phone, template: 'password_changed', data: { at } });
  }

  /** Sign-in was locked after repeated failures. Best effort: a failure here never changes the login's answer. */
  async accountLocked(user: Pick<User, 'id' | 'email'>, lockedForSeconds: number): Promise<void> {
    if (!user.email) return;
    try {
      await this.notifier.send({ channel: 'email', to: user.email, template: 'account_locked', data: { minutes: Math.max(1, Math.ceil(lockedForSeconds / 60)) } });
    } catch (error) {
      this.logger.warn(`Could not queue the lockout notice for user ${user.id}: ${String(error)}`);
    }
  }
}
