import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AccessCatalog, ApplicationView } from '@app/access';
import { AuditLog } from '@app/audit';
import { SessionIssuer, TokenPair } from '@app/auth';
import { Actor, RequestMeta } from '@app/kernel';
import { AccountDisabledError, LoginLockedError, MfaRequiredError, UnknownClientError } from '../domain/errors';
import { LoginThrottle, throttleKeys } from '../domain/ports';
import { SecurityNotices } from './security-notices';
import { authConfig, AuthSettings, Clock, DomainError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { User, UserNotFoundError, UserRepository } from '@app/users';
import { Factor, FactorRepository, MethodNotAvailableError, MfaChallenge, MfaChallengeRepository, MfaTokenInvalidError } from '../domain/factors';
import { CredentialJson, Passkey, PasskeyInvalidError, PasskeyRepository, WebAuthn, WebauthnChallengeRepository, WebauthnRejectedError } from '../domain/passkeys';
import { FactorsUseCases } from './factors.use-cases';
import { hashMfaToken, MfaGate } from './mfa-sign-in';

/** How long the options of one ceremony (its challenge) stay usable: 5 minutes. */
export const PASSKEY_CHALLENGE_SECONDS = 300;
const newChallenge = () => randomBytes(32).toString('base64url');
const hashChallengeToken = (token: string) => createHash('sha256').update(token).digest();

/**
 * Registering a passkey for the signed-in user: options with a fresh challenge remembered for this
 * user (5 minutes, single use), then the browser's answer verified against it. A verified passkey is
 * a confirmed factor at once: the first factor turns two-factor on and yields the recovery codes.
 */
@Injectable()
export class PasskeyRegistration {
  private readonly logger = new Logger('Passkeys');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly passkeys: PasskeyRepository,
    private readonly challenges: WebauthnChallengeRepository,
    private readonly webauthn: WebAuthn,
    private readonly factors: FactorRepository,
    private readonly factorUseCases: FactorsUseCases,
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  private async me(actor: Actor): Promise<User> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new UserNotFoundError();
    return user;
  }

  async options(actor: Actor): Promise<Record<string, unknown>> {
    const user = await this.me(actor);
    const challenge = newChallenge();
    const expiresAt = new Date(this.clock.nowMs() + PASSKEY_CHALLENGE_SECONDS * 1000);
    await this.challenges.create({ challenge, purpose: 'registration', userId: user.id, mfaChallengeId: null, tokenHash: null, expiresAt });
    const displayName = [user.firstName, user.lastName].filter(Boolean).join(' ') || user.username;
    return this.webauthn.registrationOptions({
      userId: user.id,
      userName: user.email ?? user.username,
      displayName,
      challenge,
      exclude: await this.passkeys.forUser(user.id),
      timeoutSeconds: PASSKEY_CHALLENGE_SECONDS,
    });
  }

  async register(actor: Actor, meta: RequestMeta, input: { credential: CredentialJson; name?: string }): Promise<{ factor: Factor; recoveryCodes: string[] }> {
    const user = await this.me(actor);
    const now = this.clock.now();
    const challenge = this.webauthn.challengeOf(input.credential);
    // The challenge is used up by this attempt whatever comes of it (committed on its own): a
    // response is never verified twice.
    if (!challenge || !(await this.challenges.consumeRegistration(user.id, challenge, now))) throw this.rejected(user, 'unknown, used or expired challenge');
    let registered;
    try {
      registered = await this.webauthn.verifyRegistration(input.credential, challenge);
    } catch (error) {
      if (error instanceof WebauthnRejectedError) throw this.rejected(user, error.reason);
      throw error;
    }
    const name = input.name?.trim() || 'Passkey';
    return this.uow.run(async () => {
      const first = (await this.factors.countConfirmed(user.id)) === 0;
      const factor = await this.passkeys.add(user.id, { name, ...registered }, now);
      if (!factor) throw this.rejected(user, 'credential already registered');
      await this.audit.record({
        type: 'passkey.registered',
        actorId: user.id,
        subjectId: user.id,
        ip: meta.ip,
        userAgent: meta.userAgent,
        data: { factorId: factor.id, name: factor.name, userVerified: registered.userVerified },
      });
      return { factor, recoveryCodes: await this.factorUseCases.factorAdded(user, meta, factor, first) };
    });
  }

  private rejected(user: User, reason: string): PasskeyInvalidError {
    this.logger.log({ msg: 'passkey registration refused', userId: user.id, reason });
    return new PasskeyInvalidError('invalid');
  }
}

export interface PasskeySignInInput {
  challengeToken: string;
  credential: CredentialJson;
  /** A passkey as the second step of a sign-in that stopped at MFA_REQUIRED. */
  mfaToken?: string;
  /** The application to sign in to (default: the default application); with an mfaToken, its own. */
  clientId?: string;
}

type Outcome = { pair: TokenPair } | { error: DomainError };

/**
 * Signing in with a passkey: on its own with a discoverable credential (no username; the credential
 * names the account), or as the second factor of a sign-in that stopped at MFA_REQUIRED. Options
 * carry a fresh challenge, found again by the challengeToken handed out with them (only its hash is
 * stored), used once, within 5 minutes, and bound to the mfaToken when there is one.
 *
 * A sign-in on its own whose authenticator verified the user (UV) is complete: amr hwk + mfa (the
 * device and a PIN or biometric). Without UV it is one factor: a user with two-factor on — anyone with
 * a passkey — gets 403 MFA_REQUIRED and finishes with another factor. As a second factor a passkey
 * adds hwk + mfa to the first factor's amr.
 *
 * Everything a verification refuses — unknown credential, bad signature, wrong origin or RP ID, a
 * used or expired challenge, a counter that did not go up — is 401 PASSKEY_INVALID, audited
 * `passkey.failed` with the reason when the credential is known; as a second factor it also costs the
 * mfaToken an attempt and counts as a failed login for the account lockout, as a wrong code does.
 */
@Injectable()
export class PasskeySignIn {
  private readonly logger = new Logger('Passkeys');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly passkeys: PasskeyRepository,
    private readonly challenges: WebauthnChallengeRepository,
    private readonly mfaChallenges: MfaChallengeRepository,
    private readonly webauthn: WebAuthn,
    private readonly gate: MfaGate,
    private readonly throttle: LoginThrottle,
    private readonly users: UserRepository,
    private readonly catalog: AccessCatalog,
    private readonly issuer: SessionIssuer,
    private readonly audit: AuditLog,
    private readonly notices: SecurityNotices,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {}

  async options(input: { mfaToken?: string }): Promise<{ challengeToken: string; options: Record<string, unknown> }> {
    const now = this.clock.now();
    let mfa: MfaChallenge | null = null;
    let allow: Passkey[] | undefined;
    if (input.mfaToken !== undefined) {
      mfa = await this.mfaChallenges.findLive(hashMfaToken(input.mfaToken), now);
      if (!mfa) throw new MfaTokenInvalidError();
      const firstFactorId = mfa.firstFactorId;
      allow = (await this.passkeys.forUser(mfa.userId)).filter((p) => p.id !== firstFactorId);
      if (allow.length === 0) throw new MethodNotAvailableError();
    }
    const challenge = newChallenge();
    const challengeToken = `pkc_${randomBytes(32).toString('base64url')}`;
    await this.challenges.create({
      challenge,
      purpose: 'authentication',
      userId: mfa?.userId ?? null,
      mfaChallengeId: mfa?.id ?? null,
      tokenHash: hashChallengeToken(challengeToken),
      expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_SECONDS * 1000),
    });
    const options = await this.webauthn.authenticationOptions({ challenge, allow, timeoutSeconds: PASSKEY_CHALLENGE_SECONDS });
    return { challengeToken, options };
  }

  async authenticate(meta: RequestMeta, input: PasskeySignInInput): Promise<TokenPair> {
    const now = this.clock.now();
    // Used up by this attempt whatever comes of it (committed on its own): never verified twice.
    const stored = await this.challenges.consumeByToken(hashChallengeToken(input.challengeToken), now);
    if (!stored) throw this.refused('unknown, used or expired challengeToken');

    let mfa: MfaChallenge | null = null;
    if (input.mfaToken !== undefined) {
      mfa = await this.mfaChallenges.findLive(hashMfaToken(input.mfaToken), now);
      if (!mfa || (input.clientId !== undefined && input.clientId !== mfa.clientId)) throw new MfaTokenInvalidError();
      if (stored.mfaChallengeId !== mfa.id) throw this.refused('challenge not issued for this mfaToken');
    } else if (stored.mfaChallengeId !== null) {
      throw this.refused('challenge issued for a second factor, presented without its mfaToken');
    }

    if (input.credential.id !== input.credential.rawId) throw this.refused('id and rawId differ');
    const passkey = await this.passkeys.findByCredentialId(Buffer.from(input.credential.rawId, 'base64url'));
    if (!passkey) {
      if (mfa) return this.failSecondFactor(mfa, meta, 'unknown_credential');
      throw this.refused('unknown credential');
    }
    if (mfa && (passkey.userId !== mfa.userId || passkey.id === mfa.firstFactorId)) return this.failSecondFactor(mfa, meta, 'foreign_credential');

    if (mfa) {
      const lockedFor = await this.throttle.lockedFor(throttleKeys.account(mfa.userId));
      if (lockedFor > 0) throw new LoginLockedError(lockedFor);
    }

    let assertion;
    try {
      assertion = await this.webauthn.verifyAuthentication(input.credential, stored.challenge, passkey);
    } catch (error) {
      if (!(error instanceof WebauthnRejectedError)) throw error;
      if (mfa) return this.failSecondFactor(mfa, meta, 'verification', error.reason);
      await this.audit.recordNow({ type: 'passkey.failed', actorId: null, subjectId: passkey.userId, ip: meta.ip, userAgent: meta.userAgent, data: { factorId: passkey.id, reason: 'verification' } });
      throw this.refused(error.reason);
    }

    const user = await this.users.findById(passkey.userId);
    if (!user) throw this.refused('credential of a deleted account');
    const app = mfa ? this.catalog.application(mfa.clientId) : this.resolveApplication(input.clientId);
    if (!app || !app.active) throw mfa ? new MfaTokenInvalidError() : new UnknownClientError();

    const outcome = await this.uow.run(async (): Promise<Outcome> => {
      const event = { actorId: null, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent };
      // The counter must go up (or the authenticator keeps none): a clone or a replay is refused.
      if (!(await this.passkeys.recordUse(passkey.id, assertion.signCount, now))) {
        await this.audit.record({ ...event, type: 'passkey.failed', data: { factorId: passkey.id, reason: 'counter_regressed', signCount: assertion.signCount, stored: passkey.signCount } });
        if (mfa) return { error: await this.recordSecondFactorFailure(mfa, user, meta, now) };
        return { error: this.refused('signature counter did not increase') };
      }
      if (user.status === 'disabled') {
        await this.audit.record({ ...event, type: 'login.failed', data: { reason: 'disabled', method: 'passkey', clientId: app.clientId } });
        return { error: new AccountDisabledError() };
      }
      const signedIn = { ...event, actorId: user.id, type: 'passkey.signed_in' as const };
      if (mfa) {
        // Used up meanwhile by a parallel request: roll back (this passkey use is not recorded).
        if (!(await this.mfaChallenges.consume(mfa.id, now))) throw new MfaTokenInvalidError();
        const amr = [...new Set([...mfa.amr, 'mfa', 'hwk'])];
        const { pair } = await this.issuer.start(user, app, meta, { type: 'login.succeeded', data: { clientId: app.clientId, amr } }, amr);
        await this.audit.record({ ...signedIn, data: { factorId: passkey.id, secondFactor: true, userVerified: assertion.userVerified, clientId: app.clientId } });
        await this.audit.record({ ...event, actorId: user.id, type: 'mfa.succeeded', data: { method: 'webauthn', clientId: app.clientId } });
        return { pair };
      }
      if (!assertion.userVerified) {
        // One factor (possession): the second step follows, with another factor.
        const challenge = await this.gate.challengeAfter(user, app, ['hwk'], passkey.id);
        if (challenge) return { error: new MfaRequiredError(challenge.mfaToken, challenge.methods) };
      }
      const amr = assertion.userVerified ? ['hwk', 'mfa'] : ['hwk'];
      const { pair } = await this.issuer.start(user, app, meta, { type: 'login.succeeded', data: { clientId: app.clientId, amr } }, amr);
      await this.audit.record({ ...signedIn, data: { factorId: passkey.id, secondFactor: false, userVerified: assertion.userVerified, clientId: app.clientId } });
      return { pair };
    });
    if ('error' in outcome) throw outcome.error;
    if (mfa) await this.throttle.reset(throttleKeys.account(user.id));
    return outcome.pair;
  }

  private resolveApplication(clientId: string | undefined): ApplicationView | null | undefined {
    return clientId === undefined ? this.catalog.defaultApplication() : this.catalog.application(clientId);
  }

  private refused(reason: string): PasskeyInvalidError {
    this.logger.log({ msg: 'passkey sign-in refused', reason });
    return new PasskeyInvalidError('unauthenticated');
  }

  /** A passkey that does not finish a second step: recorded (committed) like a wrong code, then 401 PASSKEY_INVALID. */
  private async failSecondFactor(mfa: MfaChallenge, meta: RequestMeta, reason: string, detail?: string): Promise<never> {
    const user = await this.users.findById(mfa.userId);
    this.logger.log({ msg: 'passkey second factor refused', userId: mfa.userId, reason, detail });
    const error = await this.uow.run(async () => {
      await this.audit.record({ type: 'passkey.failed', actorId: null, subjectId: mfa.userId, ip: meta.ip, userAgent: meta.userAgent, data: { reason, secondFactor: true } });
      return user ? this.recordSecondFactorFailure(mfa, user, meta, this.clock.now()) : new PasskeyInvalidError('unauthenticated');
    });
    throw error;
  }

  /** One attempt of the mfaToken and one failed login (as a wrong code), in the caller's unit of work. */
  private async recordSecondFactorFailure(mfa: MfaChallenge, user: User, meta: RequestMeta, now: Date): Promise<DomainError> {
    await this.mfaChallenges.recordFailure(mfa.id, this.config.mfaMaxAttempts, now);
    const lock = await this.throttle.recordFailure(throttleKeys.account(user.id));
    const event = { actorId: null, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent };
    await this.audit.record({ ...event, type: 'mfa.failed', data: { method: 'webauthn' } });
    if (lock) {
      await this.audit.record({ ...event, type: 'login.locked', data: { lockedForSeconds: lock.lockedForSeconds } });
      await this.notices.accountLocked(user, lock.lockedForSeconds);
    }
    return new PasskeyInvalidError('unauthenticated');
  }
}
