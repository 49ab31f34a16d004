import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { AccessCatalog, ApplicationView } from '@app/access';
import { AuditLog } from '@app/audit';
import { LoginLockedError } from '../domain/errors';
import { LoginThrottle, SecondFactorChallenge, SecondFactorGate, throttleKeys } from '../domain/ports';
import { RequestMeta } from '@app/kernel';
import { SecurityNotices } from './security-notices';
import { SessionIssuer, TokenPair } from '@app/auth';
import { authConfig, AuthSettings, Clock, DomainError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { User, UserRepository } from '@app/users';
import { FactorRepository, MfaChallengeRepository, MfaCodeInvalidError, MfaTokenInvalidError, MethodNotAvailableError, RecoveryCodeRepository, SecondFactorMethod, SecretBox, TotpAlgorithm } from '../domain/factors';
import { normalizeRecoveryCode } from '../domain/recovery-codes';
import { RecoveryCodeHasher } from '../infrastructure/crypto';
import { MfaNotices } from './mfa-notices';

export const hashMfaToken = (token: string) => createHash('sha256').update(token).digest();

/** Methods a user with these factor types can use for the second step. */
export function methodsFor(types: string[]): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (types.includes('totp')) methods.push('totp');
  if (types.includes('webauthn')) methods.push('webauthn');
  if (types.length > 0) methods.push('recovery_code');
  return methods;
}

/** Hands out mfaTokens: only the SHA-256 of the token is stored, with the user, the first factor and the application. */
@Injectable()
export class MfaGate extends SecondFactorGate {
  constructor(
    private readonly factors: FactorRepository,
    private readonly challenges: MfaChallengeRepository,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {
    super();
  }

  async challenge(user: User, app: ApplicationView, amr: string[]): Promise<SecondFactorChallenge | null> {
    return this.challengeAfter(user, app, amr, null);
  }

  /**
   * As `challenge`, when the first step was one of the user's own factors (a passkey without user
   * verification): that factor is not offered, nor accepted, as the second. Null when the user has
   * no factor at all; a user whose only factor was the first step still has the recovery codes.
   */
  async challengeAfter(user: User, app: ApplicationView, amr: string[], firstFactorId: string | null): Promise<SecondFactorChallenge | null> {
    const types = await this.factors.confirmedTypes(user.id);
    const others = firstFactorId ? await this.factors.confirmedTypes(user.id, firstFactorId) : null;
    if (types.length === 0) return null;
    const mfaToken = `mfa_${randomBytes(32).toString('base64url')}`;
    const expiresAt = new Date(this.clock.nowMs() + this.config.mfaTokenTtl * 1000);
    await this.challenges.create({ tokenHash: hashMfaToken(mfaToken), userId: user.id, clientId: app.clientId, amr, expiresAt, firstFactorId });
    const methods = methodsFor(others ?? types);
    return { mfaToken, methods: methods.length > 0 ? methods : ['recovery_code'] };
  }
}

export interface MfaVerifyInput {
  mfaToken: string;
  method: 'totp' | 'recovery_code';
  code: string;
  /** When given, must be the application the sign-in started in. */
  clientId?: string;
}

type Check = { ok: true; recoveryLeft?: number } | { ok: false };

/**
 * The second step of sign-in: a live mfaToken and a right code start the session (amr: the first
 * factor + `mfa` + `otp`). A wrong code costs the mfaToken one of its MFA_MAX_ATTEMPTS and counts as
 * a failed login for the account lockout. TOTP codes are accepted once per factor (the last accepted
 * step, advanced atomically); recovery codes once (marked used atomically). No argon2 work.
 */
@Injectable()
export class MfaVerifyUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly challenges: MfaChallengeRepository,
    private readonly factors: FactorRepository,
    private readonly recovery: RecoveryCodeRepository,
    private readonly recoveryHasher: RecoveryCodeHasher,
    private readonly totp: TotpAlgorithm,
    private readonly box: SecretBox,
    private readonly throttle: LoginThrottle,
    private readonly users: UserRepository,
    private readonly catalog: AccessCatalog,
    private readonly issuer: SessionIssuer,
    private readonly audit: AuditLog,
    private readonly notices: SecurityNotices,
    private readonly mfaNotices: MfaNotices,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {}

  async execute(meta: RequestMeta, input: MfaVerifyInput): Promise<TokenPair> {
    const now = this.clock.now();
    const challenge = await this.challenges.findLive(hashMfaToken(input.mfaToken), now);
    if (!challenge || (input.clientId !== undefined && input.clientId !== challenge.clientId)) throw new MfaTokenInvalidError();
    const key = throttleKeys.account(challenge.userId);
    const lockedFor = await this.throttle.lockedFor(key);
    if (lockedFor > 0) throw new LoginLockedError(lockedFor);
    const user = await this.users.findById(challenge.userId);
    const app = this.catalog.application(challenge.clientId);
    if (!user || user.status === 'disabled' || !app || !app.active) throw new MfaTokenInvalidError();

    const event = { actorId: user.id, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent };
    const outcome = await this.uow.run(async (): Promise<{ pair: TokenPair; recoveryLeft?: number } | { error: DomainError }> => {
      const check = await this.check(user.id, input, now);
      if (!check.ok) return { error: await this.fail(user, challenge.id, input.method, meta, now) };
      // Used up meanwhile by a parallel request: roll back, so that this request's code stays unused.
      if (!(await this.challenges.consume(challenge.id, now))) throw new MfaTokenInvalidError();
      const amr = [...new Set([...challenge.amr, 'mfa', 'otp'])];
      const { pair } = await this.issuer.start(user, app, meta, { type: 'login.succeeded', data: { clientId: app.clientId, amr } }, amr);
      await this.audit.record({ ...event, type: 'mfa.succeeded', data: { method: input.method, clientId: app.clientId } });
      if (check.recoveryLeft !== undefined) {
        await this.audit.record({ ...event, type: 'mfa.recovery_code_used', data: { left: check.recoveryLeft } });
        await this.mfaNotices.recoveryCodeUsed(user, check.recoveryLeft);
      }
      return { pair, recoveryLeft: check.recoveryLeft };
    });
    if ('error' in outcome) throw outcome.error;
    await this.throttle.reset(key);
    return outcome.pair;
  }

  private async check(userId: string, input: MfaVerifyInput, now: Date): Promise<Check> {
    if (input.method === 'totp') {
      const factors = await this.factors.confirmedTotp(userId);
      if (factors.length === 0) throw new MethodNotAvailableError();
      const code = input.code.replace(/\s/g, '');
      for (const factor of factors) {
        const step = this.totp.matchingStep(this.box.open(factor.secretBox), code, now.getTime());
        if (step !== null && (await this.factors.acceptStep(factor.id, step, now))) return { ok: true };
      }
      return { ok: false };
    }
    const used = await this.recovery.consume(userId, this.recoveryHasher.hash(userId, normalizeRecoveryCode(input.code)), now);
    return used ? { ok: true, recoveryLeft: await this.recovery.countLeft(userId) } : { ok: false };
  }

  /** A wrong code: one attempt of the mfaToken and one failed login, committed with the request's failure. */
  private async fail(user: User, challengeId: string, method: string, meta: RequestMeta, now: Date): Promise<DomainError> {
    const attempts = await this.challenges.recordFailure(challengeId, this.config.mfaMaxAttempts, now);
    const lock = await this.throttle.recordFailure(throttleKeys.account(user.id));
    const event = { actorId: null, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent };
    await this.audit.record({ ...event, type: 'mfa.failed', data: { method } });
    if (lock) {
      await this.audit.record({ ...event, type: 'login.locked', data: { lockedForSeconds: lock.lockedForSeconds } });
      await this.notices.accountLocked(user, lock.lockedForSeconds);
    }
    if (attempts === null) return new MfaTokenInvalidError();
    return new MfaCodeInvalidError(Math.max(0, this.config.mfaMaxAttempts - attempts));
  }
}
