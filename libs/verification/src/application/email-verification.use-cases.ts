import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { API_BASE_PATH, BackgroundWork, Clock, ConflictError, httpConfig, HttpSettings, ValidationFailedError } from '@app/core';
import { Notifier } from '@app/notifications';
import { OneTimeTokens, VerificationTokenInvalidError } from '@app/otp';
import { UnitOfWork } from '@app/persistence';
import { CONTACT_CHANGE_WINDOW_SECONDS, CONTACT_CHANGES_PER_DAY, ContactChangeLimitError, Contacts, derivedStatus, EmailVerificationSender, IdentifierTakenError, User, UserNotFoundError, UserRepository } from '@app/users';

export const EMAIL_VERIFICATION_PURPOSE = 'email_verification';
export const EMAIL_VERIFICATION_HOURS = 24;

export class EmailAlreadyVerifiedError extends ConflictError {
  constructor() {
    super('EMAIL_ALREADY_VERIFIED', 'The email address is already verified');
  }
}

/**
 * Email verification: a single-use link (256-bit token, stored hashed, valid 24 h) sent on
 * registration and on every email change — a newer link, or another change of address, voids the
 * older ones. The link is built from PUBLIC_BASE_URL, never from the request.
 */
@Injectable()
export class EmailVerificationUseCases extends EmailVerificationSender {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly tokens: OneTimeTokens,
    private readonly notifier: Notifier,
    private readonly contacts: Contacts,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
    private readonly clock: Clock,
    private readonly background: BackgroundWork,
  ) {
    super();
  }

  /** `redirectTo` (already checked against the allow-list) rides along in the link for the page's "Continue to …" link. */
  async sendVerification(user: User, redirectTo?: string): Promise<void> {
    const email = user.email;
    if (!email) return;
    await this.uow.run(async () => {
      const token = await this.tokens.issue({ purpose: EMAIL_VERIFICATION_PURPOSE, subject: user.id, target: email, ttlSeconds: EMAIL_VERIFICATION_HOURS * 3600 });
      const link = this.verificationLink(token, redirectTo);
      await this.notifier.send({ channel: 'email', to: email, template: 'email_verification', data: { link, hours: EMAIL_VERIFICATION_HOURS } });
    });
  }

  async sendChangeVerification(userId: string, address: string, redirectTo?: string): Promise<void> {
    await this.uow.run(async () => {
      const user = await this.users.findById(userId);
      // Superseded by a newer change, or someone else's address: nothing is sent.
      if (!user || user.pendingEmail !== address) return;
      if ((await this.users.taken({ email: address }, user.id)).length > 0) return;
      const token = await this.tokens.issue({ purpose: EMAIL_VERIFICATION_PURPOSE, subject: user.id, target: address, ttlSeconds: EMAIL_VERIFICATION_HOURS * 3600 });
      const link = this.verificationLink(token, redirectTo);
      await this.notifier.send({ channel: 'email', to: address, template: 'email_verification', data: { link, hours: EMAIL_VERIFICATION_HOURS } });
    });
  }

  /**
   * Uses a link's token: the address it was sent to must still be the account's — or the new
   * address the account asked for, which then becomes its (verified) email.
   */
  verify(token: string): Promise<User> {
    return this.uow.run(async () => {
      const record = await this.tokens.consume(EMAIL_VERIFICATION_PURPOSE, token);
      const user = await this.users.findById(record.subject);
      if (!user || record.target === null) throw new VerificationTokenInvalidError();
      if (user.email === record.target) return this.contacts.markVerified(user, 'email');
      if (user.pendingEmail !== record.target) throw new VerificationTokenInvalidError();
      // Taken since the link was sent: 409 EMAIL_TAKEN (told only to whoever holds the address).
      if ((await this.users.taken({ email: record.target }, user.id)).length > 0) throw new IdentifierTakenError(['email']);
      const changed = { email: record.target, emailVerifiedAt: this.clock.now(), pendingEmail: null };
      const status = derivedStatus({ ...user, ...changed });
      return this.users.update(user.id, status === user.status ? changed : { ...changed, status });
    });
  }

  private verificationLink(token: string, redirectTo?: string): string {
    return (
      `${this.http.publicBaseUrl}${API_BASE_PATH}/auth/email/verify?token=${encodeURIComponent(token)}` +
      (redirectTo ? `&redirectTo=${encodeURIComponent(redirectTo)}` : '')
    );
  }

  async resend(actor: Actor, redirectTo?: string): Promise<void> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new UserNotFoundError();
    if (user.pendingEmail) {
      // A new link for the address asked for: it mails that address, so it counts as a change.
      const wait = await this.users.spendContactChange(user.id, CONTACT_CHANGES_PER_DAY, CONTACT_CHANGE_WINDOW_SECONDS);
      if (wait > 0) throw new ContactChangeLimitError(wait);
      const address = user.pendingEmail;
      this.background.run('email change verification', () => this.sendChangeVerification(user.id, address, redirectTo), `email-change:${user.id}`);
      return;
    }
    if (!user.email) throw new ValidationFailedError('The account has no email address', [], 'EMAIL_MISSING');
    if (user.emailVerifiedAt) throw new EmailAlreadyVerifiedError();
    await this.sendVerification(user, redirectTo);
  }
}
