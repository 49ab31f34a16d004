import { Inject, Injectable, Logger } from '@nestjs/common';
import { createPrivateKey, createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { authConfig, AuthSettings } from '@app/core';
import { parseSigningKeys, readDevKeys } from '../application/signing-key-files';
import { PublicKeySet } from '../domain/ports';

export const SIGNING_ALGORITHM = 'ES256';

interface LoadedKey {
  kid: string;
  privateKey?: KeyObject;
  publicKey: KeyObject;
}

/**
 * The key ring: the first key with a private part signs; every key verifies (so tokens signed before
 * a rotation stay valid until they expire). Keys become `KeyObject`s once, at start-up — parsing a
 * PEM on every verification would cost ~50× more.
 */
@Injectable()
export class SigningKeys extends PublicKeySet {
  private readonly logger = new Logger('SigningKeys');
  private readonly byKid = new Map<string, LoadedKey>();
  private readonly signer: LoadedKey & { privateKey: KeyObject };

  constructor(@Inject(authConfig.KEY) config: AuthSettings) {
    super();
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
