import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';
import { Clock } from '@app/core';
import { UnitOfWork } from '@app/persistence';
import { VerificationTokenExpiredError, VerificationTokenInvalidError } from '../domain/otp';
import { OneTimeTokens, TokenRecord } from '../domain/ports';
import { OneTimeTokenEntity } from './entities';

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest();
const toRecord = (e: OneTimeTokenEntity): TokenRecord => ({ id: e.id, purpose: e.purpose, subject: e.subject, target: e.target, expiresAt: e.expiresAt });

/** One-time tokens in Postgres: 256 random bits (base64url), only their SHA-256 stored. */
@Injectable()
export class PgOneTimeTokens extends OneTimeTokens {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
  ) {
    super();
  }

  private get repo() {
    return this.uow.repository(OneTimeTokenEntity);
  }

  issue(input: { purpose: string; subject: string; target: string | null; ttlSeconds: number }): Promise<string> {
    return this.uow.run(async () => {
      await this.revokeAll(input.purpose, input.subject);
      const token = randomBytes(32).toString('base64url');
      await this.repo
        .createQueryBuilder()
        .insert()
        .values({
          purpose: input.purpose,
          subject: input.subject,
          target: input.target,
          tokenHash: hash(token),
          expiresAt: new Date(this.clock.nowMs() + Math.floor(input.ttlSeconds) * 1000),
        })
        .execute();
      return token;
    });
  }

  async peek(purpose: string, token: string): Promise<TokenRecord> {
    const e = await this.repo.findOneBy({ tokenHash: hash(token), purpose, usedAt: IsNull() });
    if (!e) throw new VerificationTokenInvalidError();
    if (e.expiresAt.getTime() <= this.clock.nowMs()) throw new VerificationTokenExpiredError();
    return toRecord(e);
  }

  async consume(purpose: string, token: string): Promise<TokenRecord> {
    const now = this.clock.now();
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ usedAt: now })
      .where('token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now', { hash: hash(token), purpose, now })
      .returning(['id', 'purpose', 'subject', 'target', 'expires_at'])
      .execute();
    const row = (result.raw as { id: string; purpose: string; subject: string; target: string | null; expires_at: Date }[])[0];
    if (row) return { id: row.id, purpose: row.purpose, subject: row.subject, target: row.target, expiresAt: row.expires_at };
    await this.peek(purpose, token);
    throw new VerificationTokenInvalidError();
  }

  async revokeAll(purpose: string, subject: string): Promise<void> {
    await this.repo.update({ purpose, subject, usedAt: IsNull() }, { usedAt: this.clock.now() });
  }
}
