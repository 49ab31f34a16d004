/** The claims of an access token (read, not verified: the service verifies; the client only looks). */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  aud: string;
  roles: string[];
  amr?: string[];
  iat: number;
  exp: number;
  jti?: string;
  typ?: string;
}

function base64UrlDecode(input: string): string {
  const base64 = input.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(input.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The payload of a JWT, or null when it is not one. */
export function decodeAccessToken(token: string): AccessTokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims = JSON.parse(base64UrlDecode(parts[1])) as AccessTokenClaims;
    return typeof claims === 'object' && claims !== null ? claims : null;
  } catch {
    return null;
  }
}
