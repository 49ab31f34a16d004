import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ServerSecret } from '@app/core';

/**
 * Seals message contents (codes, links with tokens) for the delivery queue with AES-256-GCM under a
 * key derived from APP_SECRET: the queue table in Postgres never holds a code in clear.
 */
@Injectable()
export class PayloadSealer {
  constructor(private readonly secret: ServerSecret) {}

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.secret.key('notification-payload'), iv);
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The sealed value, or throws when it was not sealed with this secret. */
  open<T>(sealed: string): T {
    const box = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.secret.key('notification-payload'), box.subarray(0, 12));
    decipher.setAuthTag(box.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(box.subarray(28)), decipher.final()]).toString('utf8')) as T;
  }
}
