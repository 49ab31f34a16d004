/**
 * Where the hosted pages may send the user back to: a `redirectTo` is accepted only when it is an
 * http(s) URL, without credentials, whose origin equals an entry of `REDIRECT_ALLOWLIST` and whose
 * path starts with that entry's path (an entry without a path allows the whole origin). Anything
 * else is refused — never an open redirect.
 */
export function allowedRedirect(value: unknown, allowlist: readonly string[]): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  for (const entry of allowlist) {
    const allowed = new URL(entry);
    if (allowed.origin !== url.origin) continue;
    const prefix = allowed.pathname;
    if (prefix === '/' || url.pathname === prefix || url.pathname.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) return url.href;
  }
  return null;
}
