import { Injectable } from '@nestjs/common';
import { AccessCatalog, ApplicationView } from '@app/access';
import { AuditLog } from '@app/audit';
import { UnitOfWork } from '@app/persistence';
import { parseLoginIdentifier, UserRepository } from '@app/users';
import { AccountDisabledError, InvalidCredentialsError, LoginBusyError, LoginLockedError, MfaRequiredError, UnknownClientError } from '../domain/errors';
import { LoginThrottle, PasswordHasher, SecondFactorGate } from '../domain/ports';
import { RequestMeta } from '@app/kernel';
import { SessionIssuer, TokenPair } from '@app/auth';
import { SecurityNotices } from './security-notices';

export interface LoginInput {
  login: string;
  password: string;
  clientId?: string;
}

/**
 * Password login (for `/auth/login` and the OAuth2 password grant). Unknown logins cost the same as
 * wrong passwords (a dummy argon2 verification) and answer the same; failures are counted per
 * account whatever identifier was used, and per login name when there is no account. The failure
 * that locks an account emails its holder a notice.
 */
@Injectable()
export class LoginUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly catalog: AccessCatalog,
    private readonly issuer: SessionIssuer,
    private readonly notices: SecurityNotices,
    private readonly audit: AuditLog,
    private readonly gate: SecondFactorGate,
  ) {}

  resolveApplication(clientId: string | undefined): ApplicationView {
    const app = clientId === undefined ? this.catalog.defaultApplication() : this.catalog.application(clientId);
    if (!app || !app.active) throw new UnknownClientError();
    return app;
  }

  async execute(meta: RequestMeta, input: LoginInput): Promise<TokenPair> {
    // Beyond what the hasher can serve soon, answer at once — before any database work.
    if (this.hasher.saturated()) throw new LoginBusyError();
    const app = this.resolveApplication(input.clientId);
    const identifier = parseLoginIdentifier(input.login);
    const { user, key, ...throttle } = await this.throttle.lookup(identifier);
    if (throttle.lockedFor > 0) throw new LoginLockedError(throttle.lockedFor);

    const ok = await this.hasher.verify(user?.passwordHash ?? null, input.password, meta.signal);
    if (!ok || !user) {
      // The failure, its audit event and any lock it causes commit on their own: the request fails.
      await this.uow.run(async () => {
        const lock = await this.throttle.recordFailure(key);
        const event = { actorId: null, subjectId: user?.id ?? null, ip: meta.ip, userAgent: meta.userAgent };
        await this.audit.record({ ...event, type: 'login.failed', data: { reason: user ? 'wrong_password' : 'unknown_login', clientId: app.clientId } });
        if (lock) await this.audit.record({ ...event, type: 'login.locked', data: { lockedForSeconds: lock.lockedForSeconds } });
        if (lock && user) await this.notices.accountLocked(user, lock.lockedForSeconds);
      });
      throw new InvalidCredentialsError();
    }
    if (user.status === 'disabled') {
      await this.audit.recordNow({ type: 'login.failed', actorId: null, subjectId: user.id, ip: meta.ip, userAgent: meta.userAgent, data: { reason: 'disabled', clientId: app.clientId } });
      throw new AccountDisabledError();
    }

    // Two-factor on: no session yet, an mfaToken for the second step (the password was right). The
    // failure count stays until the second factor is right: wrong codes count towards the lockout,
    // and a known password must not wipe them with every new mfaToken.
    const challenge = user.mfaEnabled ? await this.gate.challenge(user, app, ['pwd']) : null;
    if (!challenge && throttle.failures > 0) await this.throttle.reset(key);
    // The session, its first refresh token and the login.succeeded audit event: one unit of work.
    const issue = async () => (await this.issuer.start(user, app, meta, { type: 'login.succeeded', data: { clientId: app.clientId } })).pair;
    const needsRehash = user.passwordHash !== null && this.hasher.needsRehash(user.passwordHash);
    if (challenge) {
      if (needsRehash) await this.users.update(user.id, { passwordHash: await this.hasher.hash(input.password) });
      throw new MfaRequiredError(challenge.mfaToken, challenge.methods);
    }
    if (!needsRehash) return issue();
    // Hashed with older parameters: the new hash and the session commit together.
    const rehashed = await this.hasher.hash(input.password);
    return this.uow.run(async () => {
      await this.users.update(user.id, { passwordHash: rehashed });
      return issue();
    });
  }
}
