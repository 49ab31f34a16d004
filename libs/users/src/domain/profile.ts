import { ValidationFailedError } from '@app/core';
import { normalizeEmail, normalizePhone, usernameOrFail } from './identifiers';
import type { User } from './user';

/** New email addresses and phone numbers a user may ask for per window (a new address is mailed a link). */
export const CONTACT_CHANGES_PER_DAY = 5;
export const CONTACT_CHANGE_WINDOW_SECONDS = 86_400;

export interface ProfileChanges {
  username?: string;
  email?: string | null;
  phone?: string | null;
  firstName?: string | null;
  lastName?: string | null;
}

/** A phone number in E.164, or a 400 naming the field. */
export function phoneOrFail(phone: string): string {
  const normalized = normalizePhone(phone);
  if (!normalized) throw new ValidationFailedError('The phone number is not valid', [{ field: 'phone', message: 'must be a valid phone number in international format' }]);
  return normalized;
}

/**
 * What changes when a profile is edited (by its owner or an administrator): identifiers normalised,
 * and a new email or phone loses its verified mark. Only fields that really change are returned.
 */
export function profileChanges(user: User, changes: ProfileChanges): Partial<User> {
  const next: Partial<User> = {};
  if (changes.firstName !== undefined) next.firstName = changes.firstName;
  if (changes.lastName !== undefined) next.lastName = changes.lastName;
  if (changes.username !== undefined && changes.username !== user.username) next.username = usernameOrFail(changes.username);
  if (changes.email !== undefined) {
    const email = changes.email === null ? null : normalizeEmail(changes.email);
    if (email !== user.email) {
      next.email = email;
      next.emailVerifiedAt = null;
    }
  }
  if (changes.phone !== undefined) {
    const phone = changes.phone === null ? null : phoneOrFail(changes.phone);
    if (phone !== user.phone) {
      next.phone = phone;
      next.phoneVerifiedAt = null;
    }
  }
  return next;
}
