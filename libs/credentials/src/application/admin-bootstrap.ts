import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { RoleAssignments } from '@app/access';
import { authConfig, AuthSettings, Clock } from '@app/core';
import { AdvisoryLocks, UnitOfWork } from '@app/persistence';
import { IdentifierTakenError, normalizeEmail, User, UserRepository } from '@app/users';
import { assertPasswordAcceptable } from '../domain/password-policy';
import { PasswordHasher } from '../domain/ports';

export interface AdminInput {
  email: string;
  password: string;
  username: string;
}

/**
 * Creates administrators: at start-up from ADMIN_EMAIL/ADMIN_PASSWORD when no admin exists yet (on
 * one instance, under a lock), and from the CLI (`admin:create`).
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminBootstrap');

  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly roles: RoleAssignments,
    private readonly locks: AdvisoryLocks,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword, adminUsername } = this.config;
    if (!adminEmail || !adminPassword) return;
    await this.locks.withLock('bootstrap-admin', async () => {
      if (await this.roles.anyoneHolds('admin')) return;
      const user = await this.create({ email: adminEmail, password: adminPassword, username: adminUsername });
      this.logger.log(`Created the administrator ${user.username} <${user.email}>`);
    });
  }

  /** A new active, email-verified account holding the `admin` and `user` roles. */
  async create(input: AdminInput): Promise<User> {
    const email = normalizeEmail(input.email);
    assertPasswordAcceptable(input.password, [input.username, email]);
    const taken = await this.users.taken({ username: input.username, email });
    if (taken.length > 0) throw new IdentifierTakenError(taken);
    const passwordHash = await this.hasher.hash(input.password);
    return this.uow.run(async () => {
      const user = await this.users.create({
        username: input.username,
        email,
        phone: null,
        firstName: null,
        lastName: null,
        passwordHash,
        status: 'active',
        emailVerifiedAt: this.clock.now(),
      });
      await this.roles.grantSystemRole(user.id, 'admin');
      await this.roles.grantSystemRole(user.id, 'user');
      return user;
    });
  }
}
