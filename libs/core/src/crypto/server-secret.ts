import { Inject, Injectable, Logger } from '@nestjs/common';
import { hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authConfig, AuthSettings } from '../config';

const DEV_FILE = 'app-secret';

/**
 * The server-side secret (`APP_SECRET`), from which purpose-bound keys are derived (HKDF): one keys
 * the hashes of one-time codes, another seals message contents in the delivery queue. In development
 * it is generated once under DATA_DIR/keys (readable only by this user) so that restarts keep working.
 */
@Injectable()
export class ServerSecret {
  private readonly logger = new Logger('ServerSecret');
  private readonly secret: Buffer;
  private readonly derived = new Map<string, Buffer>();

  constructor(@Inject(authConfig.KEY) config: AuthSettings) {
    if (config.appSecret) {
      this.secret = Buffer.from(config.appSecret, 'utf8');
      return;
    }
    const file = join(config.keysDir, DEV_FILE);
    if (!existsSync(file)) {
      mkdirSync(config.keysDir, { recursive: true, mode: 0o700 });
      chmodSync(config.keysDir, 0o700);
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
      this.logger.log(`Generated a development APP_SECRET in ${config.keysDir}`);
    }
    this.secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  }

  /** A 256-bit key for one purpose; different purposes never share a key. */
  key(purpose: string): Buffer {
    let key = this.derived.get(purpose);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.secret, Buffer.alloc(0), `its:${purpose}`, 32));
      this.derived.set(purpose, key);
    }
    return key;
  }
}
