import { Inject, Injectable } from '@nestjs/common';
import { API_BASE_PATH, BackgroundWork, DomainError, httpConfig, HttpSettings, RateLimitedError, ValidationFailedError } from '@app/core';
import { AuditLog } from '@app/audit';
import { Notifier } from '@app/notifications';
import { OneTimeCodes, OneTimeTokens, OtpInvalidError, OtpTarget, VerificationTokenInvalidError } from '@app/otp';
import { UnitOfWork } from '@app/persistence';
import { Contacts, contactTargets, loginKey, parseLoginIdentifier, recoveryContact, User, UserRepository } from '@app/users';
import { AccountDisabledError } from '../domain/errors';
import { assertPasswordAcceptable } from '../domain/password-policy';
import { LoginThrottle, PasswordHasher } from '../domain/ports';
import { RequestMeta } from '@app/kernel';
import { SecurityNotices } from './security-notices';
import { SessionRevoker } from '@app/auth';

export const PASSWORD_RESET_PURPOSE = 'password_reset';
export const RESET_LINK_MINUTES = 60;

export type ResetInput = { token: string; newPassword: string } | { login: string; code: string; newPassword: string };

/**
 * Password recovery. `forgot` always answers the same and at once (no enumeration, by content or by
 * time): the lookup and the sending happen after the response, as background work (in order per
 * login). For an account it emails a single-use reset link (built from PUBLIC_BASE_URL) and a
 * six-digit code — or texts the code — to its recovery contact (a verified one; see
 * `recoveryContact`), and for an unknown login it does comparable work and sends nothing.
 * A newer request supersedes older links and codes. `reset` takes the link's token (or a
 * verificationToken from a `reset` code) or the login and code; it sets the password, ends every
 * session, unlocks the account and sends a "password changed" notice, all in one unit of work.
 */
@Injectable()
export class PasswordRecoveryUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly codes: OneTimeCodes,
    private readonly tokens: OneTimeTokens,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly revoker: SessionRevoker,
    private readonly notifier: Notifier,
    private readonly notices: SecurityNotices,
    private readonly contacts: Contacts,
    private readonly audit: AuditLog,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
    private readonly background: BackgroundWork,
  ) {}

  /**
   * Answers at once whatever the login: an account's link, code, notification and queued delivery
   * are several writes more than an unknown login's placeholder code, which the response time would
   * otherwise tell. A failure is logged; the caller could not act on it without learning the answer.
   */
  async forgot(meta: RequestMeta, login: string, redirectTo?: string): Promise<void> {
    const identifier = parseLoginIdentifier(login);
    this.background.run('password recovery', () => this.sendRecovery(identifier, meta.ip, redirectTo), `password-recovery:${loginKey(identifier)}`);
  }

  /**
   * `requester` (the client's address): each requester has its own daily budget of recovery codes.
   * `redirectTo` (already checked against the allow-list) rides along in the link for the page's
   * "Continue to …" link; the page checks it again.
   */
  private async sendRecovery(identifier: ReturnType<typeof parseLoginIdentifier>, requester: string | null, redirectTo?: string): Promise<void> {
    const user = await this.users.findByLogin(identifier);
    const found = user && user.status !== 'disabled' ? recoveryContact(user) : null;
    const contact = found && { channel: found.channel, destination: found.destination };
    // Without an account the same kind of work happens against a placeholder that is never sent.
    const target: OtpTarget = contact ? { ...contact, purpose: 'reset' } : { channel: 'email', destination: `unknown:${loginKey(identifier)}`, purpose: 'reset' };
    try {
      await this.uow.run(async () => {
        const issued = await this.codes.issue(target, { requester });
        if (!user || !contact || issued.testDestination) return;
        const minutes = Math.max(1, Math.ceil(issued.expiresIn / 60));
        if (contact.channel === 'email') {
          const token = await this.tokens.issue({ purpose: PASSWORD_RESET_PURPOSE, subject: user.id, target: contact.destination, ttlSeconds: RESET_LINK_MINUTES * 60 });
          const link =
            `${this.http.publicBaseUrl}${API_BASE_PATH}/auth/password/reset?token=${encodeURIComponent(token)}` +
            (redirectTo ? `&redirectTo=${encodeURIComponent(redirectTo)}` : '');
          await this.notifier.send({ channel: 'email', to: contact.destination, template: 'password_reset', data: { link, code: issued.code, minutes, linkMinutes: RESET_LINK_MINUTES } });
        } else {
          await this.tokens.revokeAll(PASSWORD_RESET_PURPOSE, user.id);
          await this.notifier.send({ channel: 'sms', to: contact.destination, template: 'otp', data: { code: issued.code, purpose: 'reset', minutes } });
        }
      });
    } catch (error) {
      // A code was sent moments ago (or too many today): that one stays valid; the answer is the same.
      if (error instanceof RateLimitedError) return;
      throw error;
    }
  }

  /** Whether a reset link's token can still be used (for the HTML form); throws when not. Answers the address it was sent to. */
  async checkToken(token: string): Promise<string> {
    return (await this.tokens.peek(PASSWORD_RESET_PURPOSE, token)).target ?? '';
  }

  async reset(meta: RequestMeta, input: ResetInput): Promise<void> {
    if ('token' in input) return this.resetWithToken(meta, input.token, input.newPassword);
    return this.resetWithCode(meta, input.login, input.code, input.newPassword);
  }

  private async resetWithToken(meta: RequestMeta, token: string, newPassword: string): Promise<void> {
    const record = await this.tokens.peek(PASSWORD_RESET_PURPOSE, token);
    const user = await this.users.findById(record.subject);
    if (!user) throw new VerificationTokenInvalidError();
    if (user.status === 'disabled') throw new AccountDisabledError();
    const passwordHash = await this.newHash(user, newPassword, meta);
    await this.uow.run(async () => {
      await this.tokens.consume(PASSWORD_RESET_PURPOSE, token);
      await this.apply(user, passwordHash, record.target, meta);
    });
  }

  private async resetWithCode(meta: RequestMeta, login: string, code: string, newPassword: string): Promise<void> {
    const user = await this.users.findByLogin(parseLoginIdentifier(login));
    const found = user ? recoveryContact(user) : null;
    const contact = found && { channel: found.channel, destination: found.destination };
    // Unknown login, or nowhere a code could have gone: the same answer as a code that is not live.
    if (!user || !contact) throw new OtpInvalidError();
    if (user.status === 'disabled') throw new AccountDisabledError();
    const passwordHash = await this.newHash(user, newPassword, meta);
    const outcome = await this.uow.run(async (): Promise<DomainError | undefined> => {
      const check = await this.codes.check({ ...contact, purpose: 'reset' }, code);
      if (!check.ok) return check.error;
      await this.apply(user, passwordHash, contact.destination, meta);
      return undefined;
    });
    if (outcome) throw outcome;
  }

  private async newHash(user: User, newPassword: string, meta: RequestMeta): Promise<string> {
    assertPasswordAcceptable(newPassword, [user.username, user.email, user.phone]);
    return this.hasher.hash(newPassword, meta.signal);
  }

  /** Everything a reset does, in the caller's unit of work. */
  private async apply(user: User, passwordHash: string, provenDestination: string | null, meta: RequestMeta): Promise<void> {
    const changes: Partial<User> = { passwordHash };
    // Proven through a contact the account had not verified (it has verified none, see
    // recoveryContact): whoever registered it may not be who proved it, so the other unverified
    // contact goes too — with the password and every session, nothing of theirs is left.
    const proven = provenDestination !== null && provenDestination === user.email ? 'email' : provenDestination !== null && provenDestination === user.phone ? 'sms' : null;
    if (proven === 'email' && !user.emailVerifiedAt && user.phone && !user.phoneVerifiedAt) Object.assign(changes, { phone: null, phoneVerifiedAt: null });
    if (proven === 'sms' && !user.phoneVerifiedAt && user.email && !user.emailVerifiedAt) Object.assign(changes, { email: null, emailVerifiedAt: null });
    let updated = await this.users.update(user.id, changes);
    // The link or code reached the address: that proves it.
    if (proven) updated = await this.contacts.markVerified(updated, proven);
    await this.tokens.revokeAll(PASSWORD_RESET_PURPOSE, user.id);
    await this.codes.invalidate(contactTargets(user, 'reset'));
    await this.throttle.reset(`user:${user.id}`);
    await this.revoker.endAllSessions(user.id, 'password reset');
    await this.notices.passwordChanged(updated);
    await this.audit.record({ type: 'password.reset', actorId: null, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent });
  }
}

/** Reads `{ token, newPassword }` or `{ login, code, newPassword }` — exactly one of the two. */
export function resetInput(body: { token?: string; login?: string; code?: string; newPassword: string }): ResetInput {
  const byToken = body.token !== undefined;
  const byCode = body.login !== undefined || body.code !== undefined;
  if (byToken && !byCode) return { token: body.token as string, newPassword: body.newPassword };
  if (!byToken && body.login !== undefined && body.code !== undefined) return { login: body.login, code: body.code, newPassword: body.newPassword };
  throw new ValidationFailedError('Send either token, or login and code, with newPassword', [
    { field: byToken ? 'token' : 'code', message: 'give either token, or login and code' },
  ]);
}
