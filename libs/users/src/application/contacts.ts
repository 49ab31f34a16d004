import { Injectable } from '@nestjs/common';
import { Clock, ValidationFailedError } from '@app/core';
import type { OtpChannel, OtpPurpose, OtpTarget } from '@app/otp';
import { normalizeEmail, normalizePhone } from '../domain/identifiers';
import { derivedStatus, User } from '../domain/user';
import { UserRepository } from '../domain/user.repository';

/** A user's email (preferred) or phone: where codes and notices for the account go. */
export function primaryContact(user: Pick<User, 'email' | 'phone'>): { channel: OtpChannel; destination: string } | null {
  if (user.email) return { channel: 'email', destination: user.email };
  if (user.phone) return { channel: 'sms', destination: user.phone };
  return null;
}

/** Whether the account has verified this contact (its email or phone, as the channel says). */
export function hasVerified(user: Pick<User, 'email' | 'phone' | 'emailVerifiedAt' | 'phoneVerifiedAt'>, channel: OtpChannel, destination: string): boolean {
  return channel === 'email' ? user.email === destination && user.emailVerifiedAt !== null : user.phone === destination && user.phoneVerifiedAt !== null;
}

/**
 * Where password recovery goes: a verified email, else a verified phone. Only an account that has
 * verified neither falls back to its primary contact (`verified: false`); a reset through it then
 * drops the account's other unverified contact (see PasswordRecoveryUseCases), so that whoever
 * proved the contact is left holding the account alone — no password, session or contact of whoever
 * registered it survives.
 */
export function recoveryContact(
  user: Pick<User, 'email' | 'phone' | 'emailVerifiedAt' | 'phoneVerifiedAt'>,
): { channel: OtpChannel; destination: string; verified: boolean } | null {
  if (user.email && user.emailVerifiedAt) return { channel: 'email', destination: user.email, verified: true };
  if (user.phone && user.phoneVerifiedAt) return { channel: 'sms', destination: user.phone, verified: true };
  const primary = primaryContact(user);
  return primary && { ...primary, verified: false };
}

export function contactTargets(user: Pick<User, 'email' | 'phone'>, purpose: OtpPurpose): OtpTarget[] {
  const out: OtpTarget[] = [];
  if (user.email) out.push({ channel: 'email', destination: user.email, purpose });
  if (user.phone) out.push({ channel: 'sms', destination: user.phone, purpose });
  return out;
}

/** Email addresses and phone numbers as destinations of codes: normalised, looked up, marked verified. */
@Injectable()
export class Contacts {
  constructor(
    private readonly users: UserRepository,
    private readonly clock: Clock,
  ) {}

  /** The destination in stored form (E.164, lower-case email); 400 when it is not one. */
  normalize(channel: OtpChannel, destination: string): string {
    if (channel === 'sms') {
      const phone = normalizePhone(destination);
      if (!phone) throw new ValidationFailedError('The phone number is not valid', [{ field: 'destination', message: 'must be a valid phone number in international format' }]);
      return phone;
    }
    const email = normalizeEmail(destination);
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254) {
      throw new ValidationFailedError('The email address is not valid', [{ field: 'destination', message: 'must be an email address' }]);
    }
    return email;
  }

  findOwner(channel: OtpChannel, destination: string): Promise<User | null> {
    return this.users.findByLogin({ kind: channel === 'sms' ? 'phone' : 'email', value: destination });
  }

  /** Marks the email or phone verified (once) and lets the account's status follow. */
  async markVerified(user: User, channel: OtpChannel): Promise<User> {
    if (channel === 'email' ? user.emailVerifiedAt : user.phoneVerifiedAt) return user;
    const at = this.clock.now();
    const changes: Partial<User> = channel === 'email' ? { emailVerifiedAt: at } : { phoneVerifiedAt: at };
    const status = derivedStatus({ ...user, ...changes });
    if (status !== user.status) changes.status = status;
    return this.users.update(user.id, changes);
  }
}
