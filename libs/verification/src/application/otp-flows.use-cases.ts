import { AuditLog } from '@app/audit';
import { Injectable } from '@nestjs/common';
import { BackgroundWork, DomainError } from '@app/core';
import { Notifier } from '@app/notifications';
import { OneTimeCodes, OneTimeTokens, OtpChannel, OtpInvalidError, OtpPurpose, OtpTarget, REGISTER_TOKEN_PURPOSE, registerSubject } from '@app/otp';
import { UnitOfWork } from '@app/persistence';
import type { User } from '@app/users';
import { AccountDisabledError, InvalidCredentialsError, LoginUseCase, MfaRequiredError, PASSWORD_RESET_PURPOSE, RESET_LINK_MINUTES, SecondFactorGate } from '@app/credentials';
import { Contacts, hasVerified, recoveryContact } from '@app/users';
import { RequestMeta } from '@app/kernel';
import { SessionIssuer, TokenPair } from '@app/auth';

/** Lifetime of the verificationToken a verified `register` or `verify` code returns. */
export const VERIFICATION_TOKEN_MINUTES = 15;
export const VERIFY_TOKEN_PURPOSE = 'otp_verify';

export interface OtpRequestInput {
  channel: OtpChannel;
  destination: string;
  purpose: OtpPurpose;
}

export interface OtpVerifyInput extends OtpRequestInput {
  code: string;
  clientId?: string;
}

export type OtpVerifyResult = { pair: TokenPair } | { verificationToken: string };

type Outcome = { ok: true; result: OtpVerifyResult } | { ok: false; error: DomainError };

/**
 * Whether a code for this purpose may reach the account through this contact. A `login` code only
 * through a contact the account has verified: an unverified one may have been put there by someone
 * else (pre-hijacking: register with the victim's number and a password you know, wait for the
 * victim's first code sign-in). A `reset` code only through the account's recovery contact (see
 * `recoveryContact`). `verify` reaches the account that holds the contact — that is its point.
 */
export function reaches(owner: User, target: OtpTarget): boolean {
  if (target.purpose === 'login') return hasVerified(owner, target.channel, target.destination);
  if (target.purpose === 'reset') return recoveryContact(owner)?.destination === target.destination;
  return true;
}

/**
 * The flows on top of one-time codes: request (answers the same, and as fast, whether or not an
 * account exists — a code is stored either way, but only sent when it can be used) and verify, per purpose: `register`
 * and `verify` return a short-lived single-use verificationToken (`verify` also marks the account's
 * email or phone verified), `login` starts a session, `reset` returns a password-reset token — `login`
 * and `reset` only through the contacts `reaches` allows.
 */
@Injectable()
export class OtpFlows {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly codes: OneTimeCodes,
    private readonly tokens: OneTimeTokens,
    private readonly contacts: Contacts,
    private readonly notifier: Notifier,
    private readonly logins: LoginUseCase,
    private readonly issuer: SessionIssuer,
    private readonly audit: AuditLog,
    private readonly background: BackgroundWork,
    private readonly gate: SecondFactorGate,
  ) {}

  /**
   * Answers before any account-specific work: storing the code is the same for every destination
   * (and reports the cooldown and the daily limit), while looking up the account and queueing the
   * message run after the response, in order per destination (BackgroundWork, as forgot-password) —
   * so neither the answer nor its timing tells whether an account exists.
   */
  async request(meta: RequestMeta, input: OtpRequestInput): Promise<{ expiresIn: number; resendAfter: number }> {
    const target: OtpTarget = { channel: input.channel, destination: this.contacts.normalize(input.channel, input.destination), purpose: input.purpose };
    const issued = await this.codes.issue(target, { requester: meta.ip });
    if (!issued.testDestination) {
      this.background.run('one-time code delivery', () => this.deliver(target, issued.code, issued.expiresIn), `otp:${target.channel}:${target.destination}`);
    }
    return { expiresIn: issued.expiresIn, resendAfter: issued.resendAfter };
  }

  /** Sends the code where it can be used: always for `register`, else to an account it `reaches`. */
  private async deliver(target: OtpTarget, code: string, expiresIn: number): Promise<void> {
    if (target.purpose !== 'register') {
      const owner = await this.contacts.findOwner(target.channel, target.destination);
      if (!owner || owner.status === 'disabled' || !reaches(owner, target)) return;
    }
    await this.uow.run(() =>
      this.notifier.send({
        channel: target.channel,
        to: target.destination,
        template: 'otp',
        data: { code, purpose: target.purpose, minutes: Math.max(1, Math.ceil(expiresIn / 60)) },
      }),
    );
  }

  async verify(meta: RequestMeta, input: OtpVerifyInput): Promise<OtpVerifyResult> {
    const target: OtpTarget = { channel: input.channel, destination: this.contacts.normalize(input.channel, input.destination), purpose: input.purpose };
    const app = target.purpose === 'login' ? this.logins.resolveApplication(input.clientId) : undefined;
    const outcome = await this.uow.run(async (): Promise<Outcome> => {
      const check = await this.codes.check(target, input.code);
      if (!check.ok) return check;
      const subject = registerSubject(target.channel, target.destination);
      const ttlSeconds = VERIFICATION_TOKEN_MINUTES * 60;
      switch (target.purpose) {
        case 'register':
          return { ok: true, result: { verificationToken: await this.tokens.issue({ purpose: REGISTER_TOKEN_PURPOSE, subject, target: target.destination, ttlSeconds }) } };
        case 'verify': {
          const owner = await this.contacts.findOwner(target.channel, target.destination);
          if (owner) await this.contacts.markVerified(owner, target.channel);
          return { ok: true, result: { verificationToken: await this.tokens.issue({ purpose: VERIFY_TOKEN_PURPOSE, subject, target: target.destination, ttlSeconds }) } };
        }
        case 'login': {
          const owner = await this.contacts.findOwner(target.channel, target.destination);
          // Only through a contact the account has verified (see `reaches`): else as if there were no account.
          if (!owner || !reaches(owner, target)) return { ok: false, error: new InvalidCredentialsError() };
          if (owner.status === 'disabled') return { ok: false, error: new AccountDisabledError() };
          const user = owner;
          // Two-factor on: the code is spent, the session waits for the second factor.
          const challenge = user.mfaEnabled ? await this.gate.challenge(user, app!, ['otp']) : null;
          if (challenge) return { ok: false, error: new MfaRequiredError(challenge.mfaToken, challenge.methods) };
          const { session, pair } = await this.issuer.start(user, app!, meta, undefined, ['otp']);
          await this.audit.record({ type: 'login.succeeded', actorId: user.id, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent, data: { sessionId: session.id, clientId: app!.clientId, method: 'otp' } });
          return { ok: true, result: { pair } };
        }
        case 'reset': {
          const owner = await this.contacts.findOwner(target.channel, target.destination);
          if (!owner || owner.status === 'disabled' || !reaches(owner, target)) return { ok: false, error: new OtpInvalidError() };
          const token = await this.tokens.issue({ purpose: PASSWORD_RESET_PURPOSE, subject: owner.id, target: target.destination, ttlSeconds: RESET_LINK_MINUTES * 60 });
          return { ok: true, result: { verificationToken: token } };
        }
      }
    });
    if (!outcome.ok) throw outcome.error;
    return outcome.result;
  }
}
