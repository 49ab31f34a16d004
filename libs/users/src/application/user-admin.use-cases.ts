import { Injectable } from '@nestjs/common';
import { Actor, CursorCodec, cursorField, OutsideApplicationError, Page, toPage } from '@app/kernel';
import { AuditLog, AuditMeta } from '@app/audit';
import { Clock, ForbiddenError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { AccountProvisioning, AccountReach, SessionTerminator } from '../domain/account-ports';
import { IdentifierTakenError, UserNotFoundError } from '../domain/errors';
import { normalizeEmail, normalizePhone, usernameOrFail } from '../domain/identifiers';
import { phoneOrFail, profileChanges } from '../domain/profile';
import { derivedStatus, newAccount, User, UserStatus } from '../domain/user';
import { UserDirectory, UserRepository } from '../domain/user.repository';

export interface UserListFilter {
  q?: string;
  role?: string;
  status?: UserStatus;
  applicationId?: string;
  limit?: number;
  cursor?: string;
}

export interface AdminNewUser {
  username: string;
  password: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  /** Mark the given email/phone as verified (the administrator vouches for them). */
  emailVerified?: boolean;
  phoneVerified?: boolean;
  /** `disabled` creates a locked account; otherwise the status follows from verification. */
  disabled?: boolean;
}

export interface AdminUserChanges {
  username?: string;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  emailVerified?: boolean;
  phoneVerified?: boolean;
  status?: 'active' | 'disabled';
}

/** Users newest first: `created_at` (microseconds) and `id`. */
const USER_CURSOR = new CursorCodec(cursorField.timestamp(), cursorField.uuid());

/**
 * User administration (`users:read` / `users:write`); an application admin reads only its
 * application's members and changes no account (see `AccessReach`). Disabling or deleting a user ends every token
 * of theirs at once, on every instance; each such change is audited in the same unit of work.
 */
@Injectable()
export class UserAdminUseCases {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly directory: UserDirectory,
    private readonly provisioning: AccountProvisioning,
    private readonly sessions: SessionTerminator,
    private readonly audit: AuditLog,
    private readonly reach: AccountReach,
    private readonly clock: Clock,
  ) {}

  /** An application admin lists its application's members only (another `applicationId`: 403). */
  async list(actor: Actor, filter: UserListFilter): Promise<Page<User>> {
    const confined = this.reach.confinedTo(actor, 'users:read');
    let applicationId = filter.applicationId;
    if (confined !== null) {
      if (applicationId !== undefined && !confined.includes(applicationId)) throw new OutsideApplicationError();
      applicationId ??= confined[0];
    }
    const limit = filter.limit ?? 20;
    const position = USER_CURSOR.decodeOptional(filter.cursor);
    const after = position && { createdAt: position[0], id: position[1] };
    const rows = await this.directory.search({ q: filter.q, role: filter.role, status: filter.status, applicationId, limit, after });
    const page = toPage(rows, limit, USER_CURSOR, (last) => [last.cursorAt, last.id]);
    return { items: page.items.map(({ cursorAt: _, ...user }) => user), nextCursor: page.nextCursor };
  }

  /** Holders of `users:read` read anyone (an application admin: its members); everybody else only themselves. */
  async get(actor: Actor, id: string): Promise<User> {
    if (id === actor.userId) return this.found(await this.users.findById(id));
    if (!actor.permissions.has('users:read')) throw new ForbiddenError('FORBIDDEN', 'This needs the permission users:read');
    const user = this.found(await this.users.findById(id));
    await this.reach.assertCanRead(actor, 'users:read', user.id);
    return user;
  }

  async getByPhone(actor: Actor, phone: string): Promise<User> {
    const normalized = normalizePhone(phone);
    const user = this.found(normalized ? await this.users.findByPhone(normalized) : null);
    await this.reach.assertCanRead(actor, 'users:read', user.id);
    return user;
  }

  /**
   * An account is global — its sign-in names, contacts, status and existence count in every
   * application — so creating, changing, disabling and deleting one need `users:write` from a global
   * role (an application admin: 403 OUTSIDE_APPLICATION; it can still end its members' sessions in
   * its application). Otherwise an application admin could make anyone a member and then take the
   * account over through its email.
   */
  async create(actor: Actor, meta: AuditMeta, input: AdminNewUser): Promise<User> {
    this.reach.assertGlobal(actor, 'users:write');
    const email = input.email === undefined ? null : normalizeEmail(input.email);
    const phone = input.phone === undefined ? null : phoneOrFail(input.phone);
    usernameOrFail(input.username);
    const taken = await this.users.taken({ username: input.username, email, phone });
    if (taken.length > 0) throw new IdentifierTakenError(taken);
    const passwordHash = await this.provisioning.hashNewPassword(input.password, [input.username, email, phone]);
    const now = this.clock.now();
    const emailVerifiedAt = email && input.emailVerified ? now : null;
    const phoneVerifiedAt = phone && input.phoneVerified ? now : null;
    return this.uow.run(async () => {
      const user = await this.users.create(
        newAccount({
          username: input.username,
          email,
          phone,
          firstName: input.firstName,
          lastName: input.lastName,
          passwordHash,
          emailVerifiedAt,
          phoneVerifiedAt,
          disabled: input.disabled,
        }),
      );
      await this.provisioning.grantDefaultRoles(user.id);
      await this.audit.record({ type: 'user.created', actorId: actor.userId, subjectId: user.id, ...meta, data: { username: user.username, status: user.status } });
      return user;
    });
  }

  async update(actor: Actor, meta: AuditMeta, id: string, changes: AdminUserChanges): Promise<User> {
    return this.uow.run(async () => {
      const user = this.found(await this.users.findById(id));
      this.reach.assertGlobal(actor, 'users:write');
      const next = profileChanges(user, changes);
      const merged = { ...user, ...next };
      if (changes.emailVerified !== undefined) next.emailVerifiedAt = changes.emailVerified && merged.email ? (merged.emailVerifiedAt ?? this.clock.now()) : null;
      if (changes.phoneVerified !== undefined) next.phoneVerifiedAt = changes.phoneVerified && merged.phone ? (merged.phoneVerifiedAt ?? this.clock.now()) : null;
      const taken = await this.users.taken({ username: next.username, email: next.email ?? undefined, phone: next.phone ?? undefined }, user.id);
      if (taken.length > 0) throw new IdentifierTakenError(taken);

      const requested: UserStatus = changes.status === 'disabled' ? 'disabled' : changes.status === 'active' ? 'active' : user.status;
      const status = requested === 'disabled' ? 'disabled' : derivedStatus({ ...user, ...next, status: 'active' });
      if (status !== user.status) next.status = status;
      const saved = Object.keys(next).length > 0 ? await this.users.update(user.id, next) : user;

      const fields = Object.keys(next).filter((k) => k !== 'status');
      if (fields.length > 0) await this.audit.record({ type: 'user.updated', actorId: actor.userId, subjectId: user.id, ...meta, data: { fields } });
      if (status === 'disabled' && user.status !== 'disabled') {
        await this.sessions.revokeUser(user.id, 'account disabled');
        await this.audit.record({ type: 'user.disabled', actorId: actor.userId, subjectId: user.id, ...meta, data: { username: user.username } });
      } else if (status !== 'disabled' && user.status === 'disabled') {
        await this.audit.record({ type: 'user.enabled', actorId: actor.userId, subjectId: user.id, ...meta, data: { username: user.username } });
      }
      return saved;
    });
  }

  /**
   * Deletes the account and ends its tokens at once. Its role assignments, sessions and tokens go with
   * it; tasks it owns are deleted and tasks assigned to it become unassigned (foreign keys); audit
   * events about it stay.
   */
  async delete(actor: Actor, meta: AuditMeta, id: string): Promise<void> {
    await this.uow.run(async () => {
      const user = this.found(await this.users.findById(id));
      this.reach.assertGlobal(actor, 'users:write');
      await this.sessions.revokeUser(user.id, 'account deleted by administrator');
      await this.users.delete(user.id);
      await this.audit.record({ type: 'user.deleted', actorId: actor.userId, subjectId: user.id, ...meta, data: { username: user.username } });
    });
  }

  async deleteByPhone(actor: Actor, meta: AuditMeta, phone: string): Promise<void> {
    const normalized = normalizePhone(phone);
    const user = this.found(normalized ? await this.users.findByPhone(normalized) : null);
    await this.delete(actor, meta, user.id);
  }

  private found(user: User | null): User {
    if (!user) throw new UserNotFoundError();
    return user;
  }
}
