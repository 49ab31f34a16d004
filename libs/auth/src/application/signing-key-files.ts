import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// The signing key files as operators handle them (JWT_SIGNING_KEYS[_FILE], the development key file
// under DATA_DIR/keys): generated, parsed, rotated by the CLI (keys:generate, keys:rotate) and read
// by SigningKeys at start-up.

export interface SigningKeyEntry {
  kid: string;
  /** PKCS#8 PEM; absent for a retired key that only verifies. */
  privateKey?: string;
  /** SPKI PEM; derived from the private key when absent. */
  publicKey?: string;
  createdAt?: string;
}

export function generateSigningKey(): SigningKeyEntry {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const createdAt = new Date().toISOString();
  return {
    kid: `${createdAt.slice(0, 10)}-${randomBytes(4).toString('hex')}`,
    privateKey: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    createdAt,
  };
}

export function parseSigningKeys(json: string): SigningKeyEntry[] {
  const parsed: unknown = JSON.parse(json);
  const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown })?.keys;
  if (!Array.isArray(list) || list.length === 0) throw new Error('signing keys: expected a non-empty JSON array of { kid, privateKey }');
  return list.map((k: SigningKeyEntry) => {
    if (!k || typeof k.kid !== 'string' || (!k.privateKey && !k.publicKey)) throw new Error('signing keys: each entry needs kid and privateKey (or publicKey)');
    return k;
  });
}

const DEV_FILE = 'signing-keys.json';

/** The development key file under DATA_DIR/keys: created on first use, readable only by this user. */
export function readDevKeys(keysDir: string, create: boolean): SigningKeyEntry[] {
  const file = join(keysDir, DEV_FILE);
  if (existsSync(file)) return parseSigningKeys(readFileSync(file, 'utf8'));
  if (!create) return [];
  const keys = [generateSigningKey()];
  writeDevKeys(keysDir, keys);
  return keys;
}

export function writeDevKeys(keysDir: string, keys: SigningKeyEntry[]): void {
  mkdirSync(keysDir, { recursive: true, mode: 0o700 });
  chmodSync(keysDir, 0o700);
  const file = join(keysDir, DEV_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

