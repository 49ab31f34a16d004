import { Inject, Injectable } from '@nestjs/common';
import { RoleAssignments } from '@app/access';
import { authConfig, AuthSettings, Clock, ValidationFailedError } from '@app/core';
import { OneTimeTokens, REGISTER_TOKEN_PURPOSE, registerSubject, VerificationTokenInvalidError } from '@app/otp';
import { UnitOfWork } from '@app/persistence';
import { EmailVerificationSender, IdentifierTakenError, newAccount, normalizeEmail, normalizePhone, User, usernameOrFail, UserRepository } from '@app/users';
import { assertPasswordAcceptable } from '../domain/password-policy';
import { PasswordHasher } from '../domain/ports';
import { RequestMeta } from '@app/kernel';

export interface RegisterInput {
  username: string;
  password: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  verificationToken?: string;
}

export class PhoneVerificationRequiredError extends ValidationFailedError {
  constructor(field: 'phone' | 'verificationToken') {
    super(
      'Registration needs a phone number verified with a one-time code (purpose "register")',
      [{ field, message: field === 'phone' ? 'a phone number is required' : 'the verificationToken of a verified register code for this phone is required' }],
      'PHONE_VERIFICATION_REQUIRED',
    );
  }
}

/**
 * Creates an account: identifiers normalised and unique, the password checked against the policy and
 * hashed with argon2id, the `user` role granted — all in one unit of work. A `verificationToken` from
 * a verified `register` code marks that phone (or email) verified; with
 * `REGISTRATION_REQUIRE_PHONE_OTP` one for the phone is required. An unverified email address is sent
 * a verification link in the same unit of work (a failed registration sends nothing). An account with
 * an email or phone stays `pending` until one is verified.
 */
@Injectable()
export class RegisterUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly users: UserRepository,
    private readonly hasher: PasswordHasher,
    private readonly roles: RoleAssignments,
    private readonly tokens: OneTimeTokens,
    private readonly emailVerification: EmailVerificationSender,
    private readonly clock: Clock,
    @Inject(authConfig.KEY) private readonly config: AuthSettings,
  ) {}

  async execute(meta: RequestMeta, input: RegisterInput): Promise<User> {
    usernameOrFail(input.username);
    const email = input.email === undefined ? null : normalizeEmail(input.email);
    let phone: string | null = null;
    if (input.phone !== undefined) {
      phone = normalizePhone(input.phone) ?? null;
      if (!phone) throw new ValidationFailedError('The phone number is not valid', [{ field: 'phone', message: 'must be a valid phone number in international format' }]);
    }
    const requirePhone = this.config.registrationRequirePhoneOtp;
    if (requirePhone && !phone) throw new PhoneVerificationRequiredError('phone');
    if (requirePhone && !input.verificationToken) throw new PhoneVerificationRequiredError('verificationToken');

    let proven: 'sms' | 'email' | null = null;
    if (input.verificationToken !== undefined) {
      const record = await this.tokens.peek(REGISTER_TOKEN_PURPOSE, input.verificationToken);
      if (phone && record.subject === registerSubject('sms', phone)) proven = 'sms';
      else if (email && record.subject === registerSubject('email', email)) proven = 'email';
      else throw new VerificationTokenInvalidError();
      if (requirePhone && proven !== 'sms') throw new PhoneVerificationRequiredError('verificationToken');
    }

    assertPasswordAcceptable(input.password, [input.username, email, phone]);
    const taken = await this.users.taken({ username: input.username, email, phone });
    if (taken.length > 0) throw new IdentifierTakenError(taken);
    const passwordHash = await this.hasher.hash(input.password, meta.signal);
    return this.uow.run(async () => {
      if (input.verificationToken !== undefined) await this.tokens.consume(REGISTER_TOKEN_PURPOSE, input.verificationToken);
      const now = this.clock.now();
      const emailVerifiedAt = proven === 'email' ? now : null;
      const phoneVerifiedAt = proven === 'sms' ? now : null;
      const user = await this.users.create(
        newAccount({ username: input.username, email, phone, firstName: input.firstName, lastName: input.lastName, passwordHash, emailVerifiedAt, phoneVerifiedAt }),
      );
      await this.roles.grantSystemRole(user.id, 'user');
      if (email && !emailVerifiedAt) await this.emailVerification.sendVerification(user);
      return user;
    });
  }
}
