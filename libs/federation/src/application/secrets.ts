import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url: states, nonces, PKCE verifiers and one-time codes. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** Only hashes of states and codes are stored. */
export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();

/** RFC 7636 S256: base64url(SHA-256(verifier)). */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** RFC 7636: 43–128 characters of the unreserved set. */
export const PKCE_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;
