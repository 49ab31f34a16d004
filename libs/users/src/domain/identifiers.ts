import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/;

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
  if (/^\+?[0-9 ().-]{6,}$/.test(trimmed)) {
    const phone = normalizePhone(trimmed.startsWith('+') ? trimmed : `+${trimmed}`);
    if (phone) return { kind: 'phone', value: phone };
  }
  return { kind: 'username', value: trimmed.toLowerCase() };
}

/** A stable key for counting failures against a login name that has no account. */
export function loginKey(id: LoginIdentifier): string {
  return `${id.kind}:${id.value}`;
}
