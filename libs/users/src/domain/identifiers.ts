import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ValidationFailedError } from '@app/core';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/;

/** What a login name must look like to be tried as a phone number (then it is never a username). */
const PHONE_SHAPED = /^\+?[0-9 ().-]{6,}$/;

/**
 * A username the login would read as a phone number — digits, dots and dashes only, six or more
 * (`4712345678`, `555-123-4567`) — could never sign in, and its failed logins would count against
 * the account with that phone. Refused whether or not today's numbering plans make it a valid number.
 */
export function usernameOrFail(username: string): string {
  if (PHONE_SHAPED.test(username.trim())) {
    throw new ValidationFailedError(
      'A username made only of digits, dots and dashes would be read as a phone number at login',
      [{ field: 'username', message: 'must contain a letter or "_" (digits, dots and dashes alone read as a phone number)' }],
      'USERNAME_LOOKS_LIKE_PHONE',
    );
  }
  return username;
}

/** Emails are stored lower-cased and trimmed: one address, one account, whatever the letter case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** E.164 (`+4712345678`), or undefined when the input is not a valid international number. */
export function normalizePhone(phone: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phone.trim());
  return parsed && parsed.isValid() ? parsed.number : undefined;
}

export type LoginIdentifier = { kind: 'email'; value: string } | { kind: 'phone'; value: string } | { kind: 'username'; value: string };

/**
 * Reads a login name the way a person types it: an email, a phone number (international form), or a
 * username (compared case-insensitively).
 */
export function parseLoginIdentifier(login: string): LoginIdentifier {
  const trimmed = login.trim();
  if (trimmed.includes('@')) return { kind: 'email', value: normalizeEmail(trimmed) };
  if (PHONE_SHAPED.test(trimmed)) {
    const phone = normalizePhone(trimmed.startsWith('+') ? trimmed : `+${trimmed}`);
    if (phone) return { kind: 'phone', value: phone };
  }
  return { kind: 'username', value: trimmed.toLowerCase() };
}

/** A stable key for counting failures against a login name that has no account. */
export function loginKey(id: LoginIdentifier): string {
  return `${id.kind}:${id.value}`;
}
