import { dictionary } from '@zxcvbn-ts/language-common';
import { PasswordTooWeakError } from './errors';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** The most common passwords (from zxcvbn's list, ~50 000 entries), compared case-insensitively. */
const COMMON = new Set<string>((dictionary['passwords-common'] as string[]).filter((p) => p.length >= PASSWORD_MIN));

/** Length in characters (code points), so that any Unicode counts as the person typed it. */
export function passwordLength(password: string): number {
  return [...password].length;
}

/**
 * ASVS 5.0 §6.2: 8–128 characters of any kind, never truncated, not a common password, not the
 * account's own identifiers. Throws PASSWORD_TOO_WEAK.
 */
export function assertPasswordAcceptable(password: string, identifiers: (string | null | undefined)[] = []): void {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN) throw new PasswordTooWeakError(`The password must have at least ${PASSWORD_MIN} characters`);
  if (length > PASSWORD_MAX) throw new PasswordTooWeakError(`The password must have at most ${PASSWORD_MAX} characters`);
  const lower = password.normalize('NFKC').toLowerCase();
  if (COMMON.has(lower)) throw new PasswordTooWeakError('This password is too common');
  for (const id of identifiers) {
    if (id && lower === id.toLowerCase()) throw new PasswordTooWeakError('The password must not be your username, email or phone');
  }
}
