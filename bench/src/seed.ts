import * as argon2 from 'argon2';
import * as jwt from 'jsonwebtoken';
import { createPrivateKey, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { hashToken, newRefreshToken } from '@app/auth/domain/refresh-token-crypto';
import { ARGON2_OPTIONS } from '@app/credentials/infrastructure/argon2-password-hasher';
import type { SigningKeyEntry } from '@app/auth';
import * as SQL from './sql';

export const BENCH_PASSWORD = 'bench-password-not-in-any-list-7';

export interface BenchUser {
  id: string;
  username: string;
  sessionId: string;
  /** An access token for `sessionId`, as the app would issue it. */
  accessToken: string;
}

/**
 * Mints access tokens exactly as `JwtAccessTokens.issue` does (ES256, `kid`, `typ: at+jwt`, the same
 * claims), so that the benchmark needs no thousand argon2 logins to get them.
 */
export class TokenMinter {
  private readonly privateKey;

  constructor(
    private readonly key: SigningKeyEntry,
    private readonly issuer: string,
  ) {
    this.privateKey = createPrivateKey(key.privateKey!);
  }

  mint(userId: string, sessionId: string, roles: string[] = ['user']): string {
    return jwt.sign({ sid: sessionId, roles, typ: 'access' }, this.privateKey, {
      algorithm: 'ES256',
      keyid: this.key.kid,
      subject: userId,
      audience: 'default',
      issuer: this.issuer,
      expiresIn: 3600,
      jwtid: randomUUID(),
      header: { alg: 'ES256', typ: 'at+jwt', kid: this.key.kid },
    });
  }
}

/** `count` active users sharing one argon2id password, each with a live session and an access token. */
export async function seedUsers(db: Pool, minter: TokenMinter, count: number): Promise<BenchUser[]> {
  const hash = await argon2.hash(BENCH_PASSWORD, ARGON2_OPTIONS);
  await db.query(SQL.SEED_USERS, [count, hash]);
  const users = (await db.query<{ id: string; username: string }>(SQL.BENCH_USERS)).rows;
  const sessions = await seedSessions(db, users.map((u) => u.id));
  return users.map((u, i) => ({ ...u, sessionId: sessions[i], accessToken: minter.mint(u.id, sessions[i]) }));
}

export async function seedSessions(db: Pool, userIds: string[]): Promise<string[]> {
  return (await db.query<{ id: string }>(SQL.SEED_SESSIONS, [userIds])).rows.map((r) => r.id);
}

/** One live refresh token per given user, each in a session of its own; returns the plain tokens. */
export async function seedRefreshTokens(db: Pool, userIds: string[]): Promise<string[]> {
  const sessions = await seedSessions(db, userIds);
  const tokens = sessions.map(() => newRefreshToken());
  await db.query(SQL.SEED_REFRESH_TOKENS, [sessions, tokens.map(hashToken)]);
  return tokens;
}

/** `count` expired refresh tokens over the given sessions, inserted in chunks; returns seconds taken. */
export async function seedExpiredRefreshTokens(db: Pool, sessionIds: string[], count: number): Promise<number> {
  const started = performance.now();
  await db.query(SQL.CREATE_RANDOM_BYTES_FN);
  const chunk = 250_000;
  for (let done = 0; done < count; done += chunk) {
    await db.query(SQL.SEED_EXPIRED_REFRESH_TOKENS, [Math.min(chunk, count - done), sessionIds]);
  }
  await db.query(SQL.DROP_RANDOM_BYTES_FN);
  await db.query('VACUUM ANALYZE refresh_tokens');
  return (performance.now() - started) / 1000;
}

export async function seedTasks(db: Pool, ownerIds: string[], count: number): Promise<void> {
  await db.query(SQL.SEED_TASKS, [count, ownerIds]);
  await db.query('VACUUM ANALYZE tasks');
}

export async function seedTaskPerOwner(db: Pool, ownerIds: string[]): Promise<string[]> {
  return (await db.query<{ id: string }>(SQL.SEED_TASK_PER_OWNER, [ownerIds])).rows.map((r) => r.id);
}
