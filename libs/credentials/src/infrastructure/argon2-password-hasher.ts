import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { randomBytes } from 'node:crypto';
import type { Counter } from 'prom-client';
import { authConfig, AuthSettings, MetricsService } from '@app/core';
import { LoginBusyError } from '../domain/errors';
import { PasswordHasher } from '../domain/ports';

/** OWASP Password Storage Cheat Sheet, argon2id: m = 19 MiB, t = 2, p = 1 (no less). */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * A small admission queue in front of argon2: at most `concurrency` hashes run at once (argon2 runs
 * on libuv's pool and would otherwise starve every other request of CPU), at most `queueLimit` wait,
 * and beyond that callers are refused at once (503 LOGIN_BUSY with Retry-After) instead of queuing
 * until they time out. A waiting caller whose client disconnected is dropped before any work starts.
 */
export class HashAdmission {
  private running = 0;
  private readonly waiting: { start: () => void; fail: (e: unknown) => void; signal?: AbortSignal }[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly queueLimit: number,
  ) {}

  get inFlight(): number {
    return this.running;
  }

  get saturated(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.queueLimit;
  }

  async run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) throw new LoginBusyError();
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queueLimit) throw new LoginBusyError();
      await new Promise<void>((start, fail) => {
        const entry = { start, fail, signal };
        this.waiting.push(entry);
        signal?.addEventListener(
          'abort',
          () => {
            const i = this.waiting.indexOf(entry);
            if (i !== -1) {
              this.waiting.splice(i, 1);
              fail(new LoginBusyError());
            }
          },
          { once: true },
        );
      });
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next.start();
      else this.running -= 1;
    }
  }
}

@Injectable()
export class Argon2PasswordHasher extends PasswordHasher {
  private readonly admission: HashAdmission;
  private readonly verifications: Counter<'account'>;
  private readonly shed: Counter;
  private dummyHash?: Promise<string>;

  constructor(@Inject(authConfig.KEY) config: AuthSettings, metrics: MetricsService) {
    super();
    this.admission = new HashAdmission(config.hashConcurrency, config.hashQueueLimit);
    this.verifications = metrics.counter('auth_password_verifications_total', 'argon2 verifications, by whether an account existed', ['account']);
    this.shed = metrics.counter('auth_password_hashes_shed_total', 'Password hashes refused because the hasher was saturated');
  }

  hash(password: string, signal?: AbortSignal): Promise<string> {
    return this.admitted(() => argon2.hash(password, ARGON2_OPTIONS), signal);
  }

  private async admitted<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    try {
      return await this.admission.run(work, signal);
    } catch (error) {
      if (error instanceof LoginBusyError) this.shed.inc();
      throw error;
    }
  }

  async verify(hash: string | null, password: string, signal?: AbortSignal): Promise<boolean> {
    // No account (or no password): verify against a real hash of the same cost, then answer false.
    this.dummyHash ??= argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS);
    const target = hash ?? (await this.dummyHash);
    const ok = await this.admitted(async () => {
      this.verifications.inc({ account: hash === null ? 'none' : 'existing' });
      try {
        return await argon2.verify(target, password);
      } catch {
        return false;
      }
    }, signal);
    return hash !== null && ok;
  }

  saturated(): boolean {
    return this.admission.saturated;
  }

  needsRehash(hash: string): boolean {
    try {
      return argon2.needsRehash(hash, ARGON2_OPTIONS);
    } catch {
      return true;
    }
  }
}
