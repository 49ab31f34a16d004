import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import * as QRCode from 'qrcode';
import { ServerSecret } from '@app/core';
import { SecretBox, TotpAlgorithm } from '../domain/factors';

/** AES-256-GCM under a key derived (HKDF) from APP_SECRET for this purpose only: nonce ‖ ciphertext ‖ tag. */
@Injectable()
export class AesGcmSecretBox extends SecretBox {
  private readonly key: Buffer;

  constructor(secret: ServerSecret) {
    super();
    this.key = secret.key('mfa-totp-secrets');
  }

  seal(plain: string): Buffer {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]);
  }

  open(box: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, box.subarray(0, 12));
    decipher.setAuthTag(box.subarray(box.length - 16));
    return Buffer.concat([decipher.update(box.subarray(12, box.length - 16)), decipher.final()]).toString('utf8');
  }
}

/** Recovery codes are high-entropy: a keyed fast hash (HMAC-SHA256) is enough, and costs no argon2 work. */
@Injectable()
export class RecoveryCodeHasher {
  private readonly key: Buffer;

  constructor(secret: ServerSecret) {
    this.key = secret.key('mfa-recovery-codes');
  }

  hash(userId: string, normalizedCode: string): Buffer {
    return createHmac('sha256', this.key).update(`${userId}:${normalizedCode}`).digest();
  }
}

const PERIOD = 30;

/** RFC 6238 with `otpauth`: SHA-1, 6 digits, 30-second steps, one step of drift either way. */
@Injectable()
export class OtpauthTotp extends TotpAlgorithm {
  newSecret(): string {
    return new OTPAuth.Secret({ size: 20 }).base32;
  }

  matchingStep(secret: string, code: string, nowMs: number): number | null {
    if (!/^\d{6}$/.test(code)) return null;
    const totp = new OTPAuth.TOTP({ algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
    const delta = totp.validate({ token: code, timestamp: nowMs, window: 1 });
    return delta === null ? null : Math.floor(nowMs / 1000 / PERIOD) + delta;
  }

  otpauthUrl(secret: string, issuer: string, account: string): string {
    return new OTPAuth.TOTP({ issuer, label: account, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) }).toString();
  }

  async qrCode(url: string): Promise<string> {
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
  }
}
