import type { ProviderProfile } from './model';

const PHONE_SHAPED = /^\+?[0-9 ().-]{6,}$/;

/**
 * A username from what the provider tells (its login name, the email's local part, the name), fit for
 * ours (`[A-Za-z0-9][A-Za-z0-9._-]{2,31}`, never read as a phone number). Not yet unique: the caller
 * appends a suffix while it is taken.
 */
export function usernameBase(profile: Pick<ProviderProfile, 'username' | 'email' | 'name'>): string {
  const candidates = [profile.username, profile.email?.split('@')[0], profile.name];
  for (const raw of candidates) {
    if (!raw) continue;
    const cleaned = raw
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/\s+/g, '.')
      .replace(/[^A-Za-z0-9._-]/g, '')
      .replace(/^[._-]+/, '')
      .replace(/[._-]+$/, '')
      .slice(0, 24);
    if (cleaned.length >= 3 && !PHONE_SHAPED.test(cleaned)) return cleaned;
    if (cleaned.length >= 1) return `user_${cleaned}`.slice(0, 24);
  }
  return 'user';
}

/** The n-th candidate: the base, then the base with a short random suffix. */
export function usernameCandidate(base: string, attempt: number, random: () => string): string {
  if (attempt === 0 && base.length >= 3) return base;
  return `${base.slice(0, 24)}_${random()}`;
}
