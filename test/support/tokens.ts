import { createPrivateKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as jwt from 'jsonwebtoken';

/** The development signing key of a test app (DATA_DIR/keys), to forge tokens the server must refuse. */
export function devSigningKey(dataDir: string): { kid: string; key: KeyObject } {
  const [first] = JSON.parse(readFileSync(join(dataDir, 'keys', 'signing-keys.json'), 'utf8')) as { kid: string; privateKey: string }[];
  return { kid: first.kid, key: createPrivateKey(first.privateKey) };
}

export function decodeParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

/** Re-signs a token's claims with the real key, changing what the test needs to change. */
export function forge(
  dataDir: string,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const { kid, key } = devSigningKey(dataDir);
  return jwt.sign(claims, key, { algorithm: 'ES256', header: { alg: 'ES256', typ: 'at+jwt', kid, ...header } as jwt.JwtHeader });
}

export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
