import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** An opaque refresh token: 256 random bits, base64url (43 characters). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored: SHA-256 of the token (high-entropy input, so a fast hash is the right tool). */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function boxKey(parent: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(parent, 'utf8'), Buffer.alloc(0), 'refresh-successor-v1', 32));
}

/**
 * Seals the successor under a key derived from the parent token. Only someone presenting the parent
 * can open it, and the database alone reveals nothing — so within the grace window a concurrent
 * refresh of the parent gets the very same successor back although no token is stored in clear.
 */
export function sealSuccessor(parent: string, successor: string): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', boxKey(parent), iv);
  const body = Buffer.concat([cipher.update(successor, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openSuccessor(parent: string, box: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', boxKey(parent), box.subarray(0, 12));
    decipher.setAuthTag(box.subarray(12, 28));
    return Buffer.concat([decipher.update(box.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Refresh tokens are 43 base64url characters; anything else is refused before touching the DB. */
export function looksLikeRefreshToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
