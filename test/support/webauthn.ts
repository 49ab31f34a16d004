import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * A software WebAuthn authenticator for the tests, written from the WebAuthn and CTAP2 specifications
 * and independent of the service's code and its library: an ES256 (P-256) key made with node:crypto,
 * `none` attestation, CBOR encoded by hand, real authenticator data (RP ID hash, flags, signature
 * counter, attested credential data with a COSE key) and client data JSON with type, challenge and
 * origin — what a browser and a platform authenticator hand to the relying party.
 */

// --- CBOR (RFC 8949), the subset WebAuthn needs: integers, byte and text strings, arrays, maps ----

type Cbor = number | string | Buffer | Cbor[] | Map<Cbor, Cbor>;

function head(major: number, value: number): Buffer {
  if (value < 24) return Buffer.from([(major << 5) | value]);
  if (value < 0x100) return Buffer.from([(major << 5) | 24, value]);
  if (value < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(value, 1);
    return b;
  }
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(value, 1);
  return b;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const utf8 = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, utf8.length), utf8]);
  }
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

// --- the authenticator -------------------------------------------------------------------------

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();
const b64url = (b: Buffer) => b.toString('base64url');

export interface CeremonyOptions {
  /** The origin the "browser" reports (default: the authenticator's). */
  origin?: string;
  /** The RP ID whose hash goes into the authenticator data (default: the options' RP ID). */
  rpId?: string;
  /** User verified (PIN, biometrics): the UV flag. Default true. */
  uv?: boolean;
  /** The client data type (default webauthn.create / webauthn.get). */
  type?: string;
  /** Use this challenge instead of the options' one. */
  challenge?: string;
  /** Sign with this counter (default: the next one; 0 for authenticators without a counter). */
  counter?: number;
}

export interface RegistrationJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; attestationObject: string; transports: string[] };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment: 'platform';
}

export interface AuthenticationJson {
  id: string;
  rawId: string;
  type: 'public-key';
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string };
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment: 'platform';
}

export class SoftAuthenticator {
  readonly credentialId = randomBytes(32);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** Signature counter; `counting: false` models authenticators that keep none (always 0). */
  counter = 0;
  /** The user handle the relying party gave at registration (sent back on discoverable sign-in). */
  userHandle: string | undefined;

  constructor(
    readonly origin: string,
    private readonly counting = true,
  ) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The COSE_Key (RFC 9053) of the public key: kty EC2, alg ES256, crv P-256, x, y. */
  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }), 'utf8');
  }

  private nextCounter(opts: CeremonyOptions): number {
    if (opts.counter !== undefined) return opts.counter;
    if (!this.counting) return 0;
    this.counter += 1;
    return this.counter;
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  /** navigator.credentials.create(): answers PublicKeyCredentialCreationOptionsJSON. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, opts: CeremonyOptions = {}): RegistrationJson {
    const rpId = opts.rpId ?? options.rp.id!;
    this.userHandle = options.user.id;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16) /* AAGUID */, idLength, this.credentialId, this.coseKey()]);
    const flags = FLAG_UP | FLAG_AT | (opts.uv === false ? 0 : FLAG_UV);
    const authData = this.authData(rpId, flags, this.counting ? this.counter : 0, attested);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = this.clientData(opts.type ?? 'webauthn.create', opts.challenge ?? options.challenge, opts.origin ?? this.origin);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: ['internal'] },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** navigator.credentials.get(): answers PublicKeyCredentialRequestOptionsJSON with an ES256 signature. */
  get(options: { challenge: string; rpId?: string }, opts: CeremonyOptions & { userHandle?: string | null } = {}): AuthenticationJson {
    const rpId = opts.rpId ?? options.rpId!;
    const flags = FLAG_UP | (opts.uv === false ? 0 : FLAG_UV);
    const authData = this.authData(rpId, flags, this.nextCounter(opts));
    const clientDataJSON = this.clientData(opts.type ?? 'webauthn.get', opts.challenge ?? options.challenge, opts.origin ?? this.origin);
    // ECDSA over authenticatorData ‖ SHA-256(clientDataJSON), DER-encoded (node's default for EC keys).
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    const userHandle = opts.userHandle === null ? undefined : (opts.userHandle ?? this.userHandle);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature), ...(userHandle ? { userHandle } : {}) },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }
}
