import { randomBytes } from 'node:crypto';
import type { ApiClient, Schemas } from '@identity-task/client';
import { sql } from './db';
import type { TestApp } from './test-app';

export const ADMIN = { email: 'root@example.test', password: 'Admin-Password-For-Tests-1', username: 'root' } as const;

/** Env for startTestApp that bootstraps an administrator at start-up. */
export const WITH_ADMIN = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, ADMIN_USERNAME: ADMIN.username };

export interface TestUser {
  user: Schemas['UserResponse'];
  password: string;
  tokens: BodyTokenPair;
  /** The generated client, authenticated as this user. */
  api: ApiClient;
}

let counter = 0;

/** A unique username/email pair for this process. */
export function uniqueName(prefix = 'user'): { username: string; email: string } {
  counter += 1;
  const suffix = `${counter}${randomBytes(3).toString('hex')}`;
  return { username: `${prefix}_${suffix}`, email: `${prefix}.${suffix}@example.test` };
}

export function expectOk<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined || !result.response.ok) {
    throw new Error(`expected success, got ${result.response.status}: ${JSON.stringify(result.error)}`);
  }
  return result.data;
}

/** A token pair answered in the JSON body (not cookie mode): its refresh token is there. */
export type BodyTokenPair = Schemas['TokenPairDto'] & { refreshToken: string };

/** expectOk for sign-ins and refreshes in body mode: also checks that the refresh token came in the body. */
export function expectPair(result: { data?: Schemas['TokenPairDto']; error?: unknown; response: Response }): BodyTokenPair {
  const pair = expectOk(result);
  if (typeof pair.refreshToken !== 'string') throw new Error('expected the refresh token in the body');
  return pair as BodyTokenPair;
}

/** Registers a user through the API and logs in (ctx.newUser() in ARCHITECTURE.md). */
export async function newUser(
  t: TestApp,
  overrides: Partial<Schemas['RegisterDto']> & { clientId?: string } = {},
): Promise<TestUser> {
  const { clientId, ...fields } = overrides;
  const names = uniqueName();
  const password = fields.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const body = { username: names.username, email: names.email, ...fields, password };
  const registered = expectOk(await t.api.POST('/api/v1/auth/register', { body }));
  const tokens = expectPair(await t.api.POST('/api/v1/auth/login', { body: { login: body.username, password, clientId } }));
  return { user: registered.user, password, tokens, api: t.as(tokens.accessToken) };
}

/** Logs in as the bootstrap administrator (start the app with WITH_ADMIN). */
export async function loginAdmin(t: TestApp, clientId?: string): Promise<{ tokens: BodyTokenPair; api: ApiClient }> {
  const tokens = expectPair(await t.api.POST('/api/v1/auth/login', { body: { login: ADMIN.email, password: ADMIN.password, clientId } }));
  return { tokens, api: t.as(tokens.accessToken) };
}

/**
 * Marks the account's email and phone verified, as a verified code or link would: setup for tests
 * about what comes after (one-time-code sign-in reaches an account only through verified contacts).
 */
export async function markContactsVerified(t: TestApp, userId: string): Promise<void> {
  await sql(
    t.db.url,
    `UPDATE users SET email_verified_at = CASE WHEN email IS NULL THEN NULL ELSE now() END,
                      phone_verified_at = CASE WHEN phone IS NULL THEN NULL ELSE now() END,
                      status = CASE WHEN status = 'disabled' THEN status ELSE 'active' END
      WHERE id = $1`,
    [userId],
  );
}

/** newUser whose email and phone are already verified. */
export async function newVerifiedUser(t: TestApp, overrides: Parameters<typeof newUser>[1] = {}): Promise<TestUser> {
  const u = await newUser(t, overrides);
  await markContactsVerified(t, u.user.id);
  return u;
}
