import { Injectable } from '@nestjs/common';
import { RoleAssignments } from '@app/access';
import { ValidationFailedError } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { derivedStatus, IdentifierTakenError, normalizeEmail, normalizePhone, User, UserRepository } from '@app/users';
import { assertPasswordAcceptable } from '../domain/password-policy';
import { PasswordHasher } from '../domain/ports';
import { RequestMeta } from '../domain/session';

export interface RegisterInput {
  username: string;
  password: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
}

/**
 * Creates an account: identifiers normalised and unique, the password checked against the policy and
 * hashed with argon2id, the `user` role granted — all in one unit of work. An account with an email or
 * phone stays `pending` until one is verified.
 */
@Injectable()
export class RegisterUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly roles: RoleAssignments,
  ) {}

  async execute(meta: RequestMeta, input: RegisterInput): Promise<User> {
    const email = input.email === undefined ? null : normalizeEmail(input.email);
    let phone: string | null = null;
    if (input.phone !== undefined) {
      phone = normalizePhone(input.phone) ?? null;
      if (!phone) throw new ValidationFailedError('The phone number is not valid', [{ field: 'phone', message: 'must be a valid phone number in international format' }]);
    }
    assertPasswordAcceptable(input.password, [input.username, email, phone]);
    const taken = await this.users.taken({ username: input.username, email, phone });
    if (taken.length > 0) throw new IdentifierTakenError(taken);
    const passwordHash = await this.hasher.hash(input.password, meta.signal);
    return this.uow.run(async () => {
      const user = await this.users.create({
        username: input.username,
        email,
        phone,
        firstName: input.firstName ?? null,
        lastName: input.lastName ?? null,
        passwordHash,
        status: derivedStatus({ status: 'active', email, phone, emailVerifiedAt: null, phoneVerifiedAt: null }),
      });
      await this.roles.grantSystemRole(user.id, 'user');
      return user;
    });
  }
}
