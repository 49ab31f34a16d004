import { Inject, Injectable, Logger } from '@nestjs/common';
import { createPrivateKey, createPublicKey, generateKeyPairSync, JsonWebKey, KeyObject, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authConfig, AuthSettings } from '@app/core';

export const SIGNING_ALGORITHM = 'ES256';

export interface SigningKeyEntry {
  kid: string;
  /** PKCS#8 PEM; absent for a retired key that only verifies. */
  privateKey?: string;
  /** SPKI PEM; derived from the private key when absent. */
  publicKey?: string;
  createdAt?: string;
}

interface LoadedKey {
  kid: string;
  privateKey?: KeyObject;
  publicKey: KeyObject;
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

/**
 * The key ring: the first key with a private part signs; every key verifies (so tokens signed before
 * a rotation stay valid until they expire). Keys become `KeyObject`s once, at start-up — parsing a
 * PEM on every verification would cost ~50× more.
 */
@Injectable()
export class SigningKeys {
  private readonly logger = new Logger('SigningKeys');
  private readonly byKid = new Map<string, LoadedKey>();
  private readonly signer: LoadedKey & { privateKey: KeyObject };

  constructor(@Inject(authConfig.KEY) config: AuthSettings) {
    const entries = config.signingKeys ? parseSigningKeys(config.signingKeys) : readDevKeys(config.keysDir, true);
    if (!config.signingKeys) this.logger.log(`Using development signing keys from ${config.keysDir}`);
    let signer: (LoadedKey & { privateKey: KeyObject }) | undefined;
    for (const entry of entries) {
      const privateKey = entry.privateKey ? createPrivateKey(entry.privateKey) : undefined;
      const publicKey = entry.publicKey ? createPublicKey(entry.publicKey) : createPublicKey(privateKey!);
      if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new Error(`signing key ${entry.kid} must be an EC P-256 key (ES256)`);
      }
      const loaded = { kid: entry.kid, privateKey, publicKey };
      this.byKid.set(entry.kid, loaded);
      if (!signer && privateKey) signer = { ...loaded, privateKey };
    }
    if (!signer) throw new Error('no signing key has a private key');
    this.signer = signer;
  }

  get current(): { kid: string; privateKey: KeyObject } {
    return this.signer;
  }

  publicKey(kid: string): KeyObject | undefined {
    return this.byKid.get(kid)?.publicKey;
  }

  /** RFC 7517 key set of every verification key. */
  jwks(): { keys: (JsonWebKey & { kid: string; use: string; alg: string })[] } {
    return {
      keys: [...this.byKid.values()].map((k) => ({
        ...k.publicKey.export({ format: 'jwk' }),
        kid: k.kid,
        use: 'sig',
        alg: SIGNING_ALGORITHM,
      })),
    };
  }
}
