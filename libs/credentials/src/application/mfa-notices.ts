import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@app/core';
import { Notifier } from '@app/notifications';
import type { User } from '@app/users';

/** Security notices about second factors, emailed to the account holder in the caller's unit of work. */
@Injectable()
export class MfaNotices {
  private readonly logger = new Logger('MfaNotices');

  constructor(
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  private at(): string {
    return this.clock.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  }

  async factorAdded(user: Pick<User, 'email'>, name: string): Promise<void> {
    if (user.email) await this.notifier.send({ channel: 'email', to: user.email, template: 'mfa_factor_added', data: { name, at: this.at() } });
  }

  async factorRemoved(user: Pick<User, 'email'>, name: string): Promise<void> {
    if (user.email) await this.notifier.send({ channel: 'email', to: user.email, template: 'mfa_factor_removed', data: { name, at: this.at() } });
  }

  async recoveryCodeUsed(user: Pick<User, 'id' | 'email'>, left: number): Promise<void> {
    if (!user.email) return;
    await this.notifier.send({ channel: 'email', to: user.email, template: 'mfa_recovery_code_used', data: { left, at: this.at() } });
  }
}
