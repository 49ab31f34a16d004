import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/kernel';
import { BackgroundWork, InvalidCurrentPasswordError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { AuditLog, AuditMeta } from '@app/audit';
import { ImageUploads } from '@app/storage';
import { EmailVerificationSender, PasswordVerifier, SessionTerminator } from '../domain/account-ports';
import { ContactChangeLimitError, IdentifierTakenError, UserNotFoundError } from '../domain/errors';
import { CONTACT_CHANGE_WINDOW_SECONDS, CONTACT_CHANGES_PER_DAY, ProfileChanges, profileChanges } from '../domain/profile';
import { derivedStatus, User } from '../domain/user';
import { UserRepository } from '../domain/user.repository';

/** Self-service on one's own account: read, change the profile, delete. */
@Injectable()
export class AccountUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly passwords: PasswordVerifier,
    private readonly sessions: SessionTerminator,
    private readonly emailVerification: EmailVerificationSender,
    private readonly images: ImageUploads,
    private readonly audit: AuditLog,
    private readonly background: BackgroundWork,
  ) {}

  async me(actor: Actor): Promise<User> {
    const user = await this.users.findById(actor.userId);
    if (!user) throw new UserNotFoundError();
    return user;
  }

  /**
   * Changes names and identifiers. A new phone loses its verified mark (and a `pending` account
   * stays pending until something is verified again). A new email address does not replace the
   * account's at once: it is kept as `pendingEmail` and sent a link (after the response) that makes
   * it the account's email once opened — unless it is another account's, which is neither sent
   * anything nor told to the caller (no 409 for email). `null` removes an address at once. Each new
   * email or phone asked for counts toward a per-user budget (`CONTACT_CHANGES_PER_DAY`, 429
   * `CONTACT_CHANGE_LIMIT`), spent even when the change then fails.
   */
  async update(actor: Actor, changes: ProfileChanges): Promise<User> {
    const before = profileChanges(await this.me(actor), changes);
    if (typeof before.email === 'string' || typeof before.phone === 'string') {
      const wait = await this.users.spendContactChange(actor.userId, CONTACT_CHANGES_PER_DAY, CONTACT_CHANGE_WINDOW_SECONDS);
      if (wait > 0) throw new ContactChangeLimitError(wait);
    }
    const { user, newEmail } = await this.uow.run(async () => {
      const user = await this.me(actor);
      const next = profileChanges(user, changes);
      let newEmail: string | null = null;
      if (typeof next.email === 'string') {
        newEmail = next.email;
        delete next.email;
        delete next.emailVerifiedAt;
        next.pendingEmail = newEmail;
      } else if (changes.email !== undefined && user.pendingEmail !== null) {
        // Removed, or asked for the current address again: the pending one is forgotten.
        next.pendingEmail = null;
      }
      if (Object.keys(next).length === 0) return { user, newEmail };
      const taken = await this.users.taken({ username: next.username, phone: next.phone ?? undefined }, user.id);
      if (taken.length > 0) throw new IdentifierTakenError(taken);
      const status = derivedStatus({ ...user, ...next });
      if (status !== user.status) next.status = status;
      return { user: await this.users.update(user.id, next), newEmail };
    });
    if (newEmail) {
      const address = newEmail;
      this.background.run('email change verification', () => this.emailVerification.sendChangeVerification(user.id, address), `email-change:${user.id}`);
    }
    return user;
  }

  /**
   * Deletes the account after checking the password (counted toward the lockout like a login);
   * every session ends at once.
   */
  async delete(actor: Actor, password: string, origin: AuditMeta = { ip: null, userAgent: null }): Promise<void> {
    const user = await this.me(actor);
    if (!(await this.passwords.confirm(user, password, { purpose: 'account_deletion', ...origin }))) throw new InvalidCurrentPasswordError();
    await this.uow.run(async () => {
      await this.sessions.revokeUser(user.id, 'account deleted');
      await this.users.delete(user.id);
      await this.audit.record({ type: 'user.deleted', actorId: user.id, subjectId: user.id, ip: origin.ip, userAgent: origin.userAgent, data: { username: user.username, self: true } });
    });
    if (user.avatarKey) await this.images.remove(user.avatarKey);
  }

  /**
   * Stores a new avatar (checked and re-encoded like every image upload) and points the account at
   * it; the previous image is removed once the change is committed.
   */
  async setAvatar(actor: Actor, read: () => Promise<Buffer>): Promise<User> {
    const image = await this.images.store(actor.userId, read, 'avatars');
    try {
      return await this.uow.run(async () => {
        const user = await this.me(actor);
        const updated = await this.users.update(user.id, { avatarKey: image.key });
        const previous = user.avatarKey;
        if (previous) await this.uow.afterCommit(() => this.images.remove(previous));
        return updated;
      });
    } catch (error) {
      await this.images.remove(image.key).catch(() => undefined);
      throw error;
    }
  }
}
