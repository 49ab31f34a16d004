import { Inject, Injectable } from '@nestjs/common';
import { AccessReach } from '@app/access';
import { Actor, auditActorId, CursorCodec, cursorField, Page, pageLimit, RequestMeta, toPage } from '@app/kernel';
import { AuditLog } from '@app/audit';
import { PasswordHasher } from '../domain/ports';
import { SessionsUseCases } from '@app/auth';
import { Clock, httpConfig, HttpSettings, InvalidCurrentPasswordError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { User, UserNotFoundError, UserRepository } from '@app/users';
import {
  Factor,
  FactorNotFoundError,
  FactorRepository,
  MfaCodeInvalidError,
  MfaNotEnabledError,
  ReauthenticationRequiredError,
  RecoveryCodeRepository,
  SecretBox,
  TotpAlgorithm,
} from '../domain/factors';
import { newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from '../domain/recovery-codes';
import { RecoveryCodeHasher } from '../infrastructure/crypto';
import { MfaNotices } from './mfa-notices';

/** A user without a password re-authenticates by having signed in this recently. */
export const RECENT_SIGN_IN_SECONDS = 300;
/** Factors newest first: `created_at` and `id`. */
const FACTOR_CURSOR = new CursorCodec<[string, string]>(cursorField.timestamp(), cursorField.uuid());

export interface TotpEnrolment {
  factorId: string;
  secret: string;
  otpauthUrl: string;
  qrCode: string;
}

/**
 * Second factors of the signed-in user: enrol a TOTP authenticator (re-authenticated), confirm it
 * with a code (the first confirmed factor turns two-factor on and yields 10 recovery codes, shown
 * once), list, remove (the last one turns two-factor off), regenerate recovery codes; and the
 * administrator's reset for a lost device.
 */
@Injectable()
export class FactorsUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly factors: FactorRepository,
    private readonly recovery: RecoveryCodeRepository,
    private readonly recoveryHasher: RecoveryCodeHasher,
    private readonly totp: TotpAlgorithm,
    private readonly box: SecretBox,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsUseCases,
    private readonly reach: AccessReach,
    private readonly audit: AuditLog,
    private readonly notices: MfaNotices,
    private readonly clock: Clock,
    @Inject(httpConfig.KEY) private readonly http: HttpSettings,
  ) {}

  private async me(actor: Actor): Promise<User> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new UserNotFoundError();
    return user;
  }

  /** The password when the account has one; otherwise a sign-in (this session) within five minutes. */
  private async reauthenticate(actor: Actor, user: User, password: string | undefined): Promise<void> {
    if (user.passwordHash) {
      if (password === undefined || !(await this.hasher.verify(user.passwordHash, password))) throw new InvalidCurrentPasswordError();
      return;
    }
    const signedInAt = await this.sessions.signedInAt(actor);
    if (!signedInAt || this.clock.nowMs() - signedInAt.getTime() > RECENT_SIGN_IN_SECONDS * 1000) throw new ReauthenticationRequiredError();
  }

  async enrolTotp(actor: Actor, input: { password?: string; name?: string }): Promise<TotpEnrolment> {
    const user = await this.me(actor);
    await this.reauthenticate(actor, user, input.password);
    const secret = this.totp.newSecret();
    const factor = await this.factors.createPending(user.id, 'totp', input.name?.trim() || 'Authenticator app', this.box.seal(secret));
    const issuer = new URL(this.http.publicBaseUrl).hostname;
    const otpauthUrl = this.totp.otpauthUrl(secret, issuer, user.email ?? user.username);
    return { factorId: factor.id, secret, otpauthUrl, qrCode: await this.totp.qrCode(otpauthUrl) };
  }

  async confirmTotp(actor: Actor, meta: RequestMeta, factorId: string, code: string): Promise<{ factor: Factor; recoveryCodes: string[] }> {
    const user = await this.me(actor);
    const pending = await this.factors.findTotp(user.id, factorId);
    if (!pending || pending.confirmedAt) throw new FactorNotFoundError();
    const now = this.clock.now();
    const step = this.totp.matchingStep(this.box.open(pending.secretBox), code.replace(/\s/g, ''), now.getTime());
    if (step === null) throw new MfaCodeInvalidError();
    return this.uow.run(async () => {
      const first = (await this.factors.countConfirmed(user.id)) === 0;
      const factor = await this.factors.confirm(pending.id, step, now);
      if (!factor) throw new FactorNotFoundError();
      return { factor, recoveryCodes: await this.factorAdded(user, meta, factor, first) };
    });
  }

  /**
   * What follows a newly confirmed factor, in the caller's unit of work: its audit event and the
   * emailed notice; when it is the first one (`first`, counted before it was added), two-factor
   * turns on and 10 recovery codes are made, returned to be shown once.
   */
  async factorAdded(user: User, meta: RequestMeta, factor: Factor, first: boolean): Promise<string[]> {
    const event = { actorId: user.id, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent };
    await this.audit.record({ ...event, type: 'mfa.factor_added', data: { factorId: factor.id, type: factor.type, name: factor.name } });
    let recoveryCodes: string[] = [];
    if (first) {
      recoveryCodes = await this.newRecoveryCodes(user.id);
      await this.users.update(user.id, { mfaEnabled: true });
      await this.audit.record({ ...event, type: 'mfa.enabled', data: { factorId: factor.id } });
    }
    await this.notices.factorAdded(user, factor.name);
    return recoveryCodes;
  }

  /** A new name for one of the user's confirmed factors. */
  async rename(actor: Actor, factorId: string, name: string): Promise<Factor> {
    const factor = await this.factors.rename(actor.userId, factorId, name.trim());
    if (!factor) throw new FactorNotFoundError();
    return factor;
  }

  async list(actor: Actor, query: { limit?: number; cursor?: string }): Promise<Page<Factor> & { recoveryCodesLeft: number }> {
    const limit = pageLimit(query);
    const after = FACTOR_CURSOR.decodeOptional(query.cursor) ?? null;
    const rows = await this.factors.listConfirmed(actor.userId, limit + 1, after);
    const page = toPage(rows, limit, FACTOR_CURSOR, (f) => [f.createdAt.toISOString(), f.id] as [string, string]);
    return { ...page, recoveryCodesLeft: await this.recovery.countLeft(actor.userId) };
  }

  async remove(actor: Actor, meta: RequestMeta, factorId: string, password: string | undefined): Promise<void> {
    const user = await this.me(actor);
    await this.reauthenticate(actor, user, password);
    await this.uow.run(async () => {
      const factor = await this.factors.remove(user.id, factorId);
      if (!factor) throw new FactorNotFoundError();
      if (!factor.confirmedAt) return;
      const event = { actorId: user.id, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent };
      await this.audit.record({ ...event, type: 'mfa.factor_removed', data: { factorId: factor.id, type: factor.type, name: factor.name } });
      if (factor.type === 'webauthn') await this.audit.record({ ...event, type: 'passkey.removed', data: { factorId: factor.id, name: factor.name } });
      if ((await this.factors.countConfirmed(user.id)) === 0) {
        await this.recovery.removeAll(user.id);
        await this.users.update(user.id, { mfaEnabled: false });
        await this.audit.record({ ...event, type: 'mfa.disabled', data: {} });
      }
      await this.notices.factorRemoved(user, factor.name);
    });
  }

  async regenerateRecoveryCodes(actor: Actor, meta: RequestMeta, password: string | undefined): Promise<string[]> {
    const user = await this.me(actor);
    await this.reauthenticate(actor, user, password);
    return this.uow.run(async () => {
      if ((await this.factors.countConfirmed(user.id)) === 0) throw new MfaNotEnabledError();
      const codes = await this.newRecoveryCodes(user.id);
      await this.audit.record({ actorId: user.id, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent, type: 'mfa.recovery_codes_regenerated', data: {} });
      return codes;
    });
  }

  /** Lost device: every factor and recovery code of the user goes; two-factor is off. */
  async resetByAdmin(actor: Actor, meta: RequestMeta, userId: string): Promise<void> {
    await this.reach.assertCanManage(actor, 'users:write', userId);
    const user = await this.users.findById(userId);
    if (!user) throw new UserNotFoundError();
    await this.uow.run(async () => {
      const removed = await this.factors.removeAll(user.id);
      await this.recovery.removeAll(user.id);
      await this.users.update(user.id, { mfaEnabled: false });
      const event = { actorId: auditActorId(actor), subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent };
      await this.audit.record({ ...event, type: 'mfa.reset_by_admin', data: { factorsRemoved: removed } });
      if (removed > 0) {
        await this.audit.record({ ...event, type: 'mfa.disabled', data: { byAdmin: true } });
        await this.notices.factorRemoved(user, 'every second factor (reset by an administrator)');
      }
    });
  }

  private async newRecoveryCodes(userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.recovery.replace(userId, codes.map((c) => this.recoveryHasher.hash(userId, normalizeRecoveryCode(c))));
    return codes;
  }
}
