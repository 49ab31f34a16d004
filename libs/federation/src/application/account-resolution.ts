import { randomBytes } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditLog } from '@app/audit';
import { Clock } from '@app/core';
import { Notifier } from '@app/notifications';
import { UnitOfWork } from '@app/persistence';
import { AccountProvisioning, EmailVerificationSender, normalizeEmail, User, UserRepository } from '@app/users';
import { ProviderFlowError } from '../domain/errors';
import type { ProviderProfile } from '../domain/model';
import { IdentityRepository } from '../domain/ports';
import { usernameBase, usernameCandidate } from '../domain/username';

export interface ResolutionContext {
  provider: string;
  clientId: string;
  ip: string | null;
  userAgent: string | null;
}

/**
 * Which account a provider sign-in reaches (API.md): the account linked to the provider subject;
 * else the account whose verified email equals an email the provider asserts verified (then the
 * identity is linked, audited and the user emailed); else, when an account has that email but it is
 * unverified on either side, nothing (`account_exists`); else a new active account (email verified
 * only when the provider says so, a unique username from the profile, no password).
 */
@Injectable()
export class AccountResolution {
  private readonly logger = new Logger('AccountResolution');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly identities: IdentityRepository,
    private readonly provisioning: AccountProvisioning,
    private readonly verification: EmailVerificationSender,
    private readonly notifier: Notifier,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  async resolve(profile: ProviderProfile, ctx: ResolutionContext): Promise<{ user: User; created: boolean; linked: boolean }> {
    // A concurrent first sign-in of the same subject may win the race for the identity: then the
    // second pass finds it linked.
    for (let attempt = 0; ; attempt++) {
      const result = await this.uow.run(() => this.resolveOnce(profile, ctx));
      if (result) return result;
      if (attempt >= 2) throw new ProviderFlowError('server_error', 'The account could not be resolved; try again');
    }
  }

  private async resolveOnce(profile: ProviderProfile, ctx: ResolutionContext): Promise<{ user: User; created: boolean; linked: boolean } | null> {
    const now = this.clock.now();
    const email = profile.email ? normalizeEmail(profile.email) : null;
    const linked = await this.identities.findBySubject(ctx.provider, profile.subject);
    if (linked) {
      const user = await this.users.findById(linked.userId);
      if (!user) return null;
      await this.identities.touch(linked.id, email, profile.emailVerified, now);
      return { user, created: false, linked: false };
    }

    if (email) {
      const holder = await this.users.findByLogin({ kind: 'email', value: email });
      if (holder) {
        if (!profile.emailVerified || holder.emailVerifiedAt === null) {
          throw new ProviderFlowError('account_exists', 'An account with this email address exists; sign in to it and link the provider from there');
        }
        const identity = await this.identities.create({ userId: holder.id, provider: ctx.provider, subject: profile.subject, email, emailVerified: true });
        if (!identity) return null;
        await this.audit.record({ type: 'identity.linked', actorId: holder.id, subjectId: holder.id, ip: ctx.ip, userAgent: ctx.userAgent, data: { provider: ctx.provider, by: 'verified_email' } });
        await this.linkedNotice(holder, ctx.provider);
        return { user: holder, created: false, linked: true };
      }
    }

    const user = await this.createAccount(profile, email, now);
    const identity = await this.identities.create({ userId: user.id, provider: ctx.provider, subject: profile.subject, email, emailVerified: profile.emailVerified });
    if (!identity) throw new ProviderFlowError('server_error', 'The identity was linked concurrently; try again');
    await this.provisioning.grantDefaultRoles(user.id);
    await this.audit.record({ type: 'user.created', actorId: user.id, subjectId: user.id, ip: ctx.ip, userAgent: ctx.userAgent, data: { provider: ctx.provider, clientId: ctx.clientId } });
    if (email && !profile.emailVerified) await this.verification.sendVerification(user);
    return { user, created: true, linked: false };
  }

  private async createAccount(profile: ProviderProfile, email: string | null, now: Date): Promise<User> {
    const base = usernameBase(profile);
    for (let attempt = 0; attempt < 8; attempt++) {
      const username = usernameCandidate(base, attempt, () => randomBytes(3).toString('hex'));
      const taken = await this.users.taken({ username, email });
      if (taken.includes('email')) throw new ProviderFlowError('account_exists', 'An account with this email address exists');
      if (taken.includes('username')) continue;
      return this.users.create({
        username,
        email,
        phone: null,
        firstName: profile.givenName?.slice(0, 100) ?? null,
        lastName: profile.familyName?.slice(0, 100) ?? null,
        passwordHash: null,
        status: 'active',
        emailVerifiedAt: email && profile.emailVerified ? now : null,
        phoneVerifiedAt: null,
      });
    }
    throw new ProviderFlowError('server_error', 'No free username could be found');
  }

  /** "A provider was linked to your account", by email. Best effort within the transaction. */
  async linkedNotice(user: Pick<User, 'id' | 'email'>, provider: string): Promise<void> {
    if (!user.email) return;
    try {
      const at = this.clock.now().toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
      await this.notifier.send({ channel: 'email', to: user.email, template: 'identity_linked', data: { provider, at } });
    } catch (error) {
      this.logger.warn(`Could not queue the identity notice for user ${user.id}: ${String(error)}`);
    }
  }
}
