import { ValidationFailedError } from '@app/core';

export const MAX_REDIRECT_URIS = 20;

/**
 * Why a redirect URI cannot be registered, or null when it can: an absolute URI without a fragment
 * or credentials; `https:`, `http:` (for local development), or a private-use scheme with a dot
 * (`com.example.app:/callback`, RFC 8252 §7.1) for native apps. Never `javascript:`, `data:` and
 * the like.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > 2000) return 'is longer than 2000 characters';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (url.hash || uri.includes('#')) return 'must not contain a fragment';
  if (url.username || url.password) return 'must not contain credentials';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https' || scheme === 'http') return url.host ? null : 'needs a host';
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme)) return null;
  return 'must use https, http or a reverse-domain private-use scheme (com.example.app:/callback)';
}

/** Checks every URI (400 REDIRECT_URI_INVALID naming them) and drops duplicates, keeping the order. */
export function normalizeRedirectUris(uris: readonly string[]): string[] {
  const errors = uris.flatMap((uri, i) => {
    const problem = redirectUriProblem(uri);
    return problem ? [{ field: `redirectUris[${i}]`, message: `${JSON.stringify(uri.slice(0, 200))} ${problem}` }] : [];
  });
  if (uris.length > MAX_REDIRECT_URIS) errors.push({ field: 'redirectUris', message: `at most ${MAX_REDIRECT_URIS} redirect URIs` });
  if (errors.length > 0) throw new ValidationFailedError('Invalid redirect URIs', errors, 'REDIRECT_URI_INVALID');
  return [...new Set(uris)];
}
