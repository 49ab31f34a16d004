import * as argon2 from 'argon2';
import type { ApiClient, Schemas } from '@identity-task/client';
import { CleanupService } from '@app/persistence';
import { sql } from '../support/db';
import { expectOk, expectPair, loginAdmin, markContactsVerified, newUser, TestUser, uniqueName, WITH_ADMIN } from '../support/factories';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';
import { decodeParts } from '../support/tokens';
import { currentStep, totpAt, wrongCode } from '../support/totp';

type Result = { data?: unknown; error?: unknown; response: Response };
const problem = (r: Result) => r.error as { code?: string; attemptsLeft?: number; mfaToken?: string; methods?: string[] };
function expectProblem(r: Result, status: number, code: string): void {
  expect({ status: r.response.status, code: problem(r)?.code }).toEqual({ status, code });
  expect(r.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}
const amrOf = (accessToken: string) => decodeParts(accessToken).payload.amr;

const OTP_EMAIL = 'mfa-otp@example.test';

describe('two-factor authentication (TOTP, recovery codes, the second step of sign-in)', () => {
  let t: TestApp;
  let admin: ApiClient;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, LOGIN_MAX_FAILURES: '6', MFA_MAX_ATTEMPTS: '5', OTP_TEST_DESTINATIONS: `${OTP_EMAIL}=135790`, OTP_RESEND_SECONDS: '0' } });
    admin = (await loginAdmin(t)).api;
  });
  afterAll(() => t.close());

  interface Enrolled extends TestUser {
    secret: string;
    factorId: string;
    recoveryCodes: string[];
    /** The step the factor was confirmed with: the next sign-in uses step + 1. */
    step: number;
  }

  /** A user with a confirmed authenticator app (confirmed with the current step's code). */
  async function enrolled(overrides: Partial<Schemas['RegisterDto']> = {}): Promise<Enrolled> {
    const u = await newUser(t, overrides);
    const enrolment = expectOk(await u.api.POST('/api/v1/auth/mfa/totp', { body: { password: u.password, name: 'Phone' } }));
    const step = currentStep();
    const confirmed = expectOk(
      await u.api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: enrolment.factorId } }, body: { code: totpAt(enrolment.secret, step) } }),
    );
    return { ...u, secret: enrolment.secret, factorId: enrolment.factorId, recoveryCodes: confirmed.recoveryCodes, step };
  }

  const login = (u: TestUser, clientId?: string) => t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password, clientId } });
  async function mfaToken(u: TestUser, clientId?: string): Promise<string> {
    const r = await login(u, clientId);
    expectProblem(r, 403, 'MFA_REQUIRED');
    return problem(r).mfaToken!;
  }
  const verify = (mfaToken: string, method: 'totp' | 'recovery_code', code: string, clientId?: string) =>
    t.api.POST('/api/v1/auth/mfa/verify', { body: { mfaToken, method, code, clientId } });

  it('enrols an authenticator app: secret, otpauth URL and QR code; confirming turns two-factor on with 10 recovery codes shown once', async () => {
    const u = await newUser(t);
    expectProblem(await u.api.POST('/api/v1/auth/mfa/totp', { body: { password: 'not-the-password' } }), 400, 'INVALID_CURRENT_PASSWORD');
    expectProblem(await u.api.POST('/api/v1/auth/mfa/totp', { body: {} }), 400, 'INVALID_CURRENT_PASSWORD');
    const enrolment = expectOk(await u.api.POST('/api/v1/auth/mfa/totp', { body: { password: u.password, name: 'My phone' } }));
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(enrolment.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(url.searchParams.get('secret')).toBe(enrolment.secret);
    expect(url.searchParams.get('issuer')).toBeTruthy();
    expect(enrolment.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrolment.qrCode.split(',')[1], 'base64').toString('utf8')).toMatch(/<svg/);

    // Pending: not listed, login unchanged.
    expect(expectOk(await u.api.GET('/api/v1/auth/mfa/factors'))).toEqual({ items: [], nextCursor: null, recoveryCodesLeft: 0 });
    expect(expectOk(await login(u)).accessToken).toBeTruthy();

    const step = currentStep();
    const confirm = (code: string) => u.api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: enrolment.factorId } }, body: { code } });
    expectProblem(await confirm(wrongCode(enrolment.secret, step)), 400, 'MFA_CODE_INVALID');
    const confirmed = expectOk(await confirm(totpAt(enrolment.secret, step)));
    expect(confirmed.factor).toMatchObject({ id: enrolment.factorId, type: 'totp', name: 'My phone' });
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    for (const code of confirmed.recoveryCodes) expect(code.replace(/-/g, '')).toMatch(/^[0-9A-Z]{12}$/);
    expectProblem(await confirm(totpAt(enrolment.secret, step)), 404, 'FACTOR_NOT_FOUND');

    const list = expectOk(await u.api.GET('/api/v1/auth/mfa/factors'));
    expect(list).toMatchObject({ nextCursor: null, recoveryCodesLeft: 10 });
    expect(list.items).toEqual([{ id: enrolment.factorId, type: 'totp', name: 'My phone', createdAt: expect.any(String), lastUsedAt: expect.any(String) }]);
    expect(JSON.stringify(list)).not.toContain(enrolment.secret);
    expect(expectOk(await u.api.GET('/api/v1/users/me')).mfaEnabled).toBe(true);

    // Stored sealed, never in clear; recovery codes hashed.
    const [row] = await sql<{ secret_box: Buffer }>(t.db.url, `SELECT secret_box FROM mfa_factors WHERE id = $1`, [enrolment.factorId]);
    expect(row.secret_box.toString('latin1')).not.toContain(enrolment.secret);
    const stored = await sql<{ code_hash: Buffer }>(t.db.url, `SELECT code_hash FROM mfa_recovery_codes WHERE user_id = $1`, [u.user.id]);
    expect(stored).toHaveLength(10);
    for (const s of stored) expect(confirmed.recoveryCodes.some((c) => s.code_hash.toString('latin1').includes(c.replace(/-/g, '')))).toBe(false);

    const audit = await sql<{ type: string }>(t.db.url, `SELECT type FROM audit_events WHERE subject_id = $1 ORDER BY at`, [u.user.id]);
    expect(audit.map((a) => a.type)).toEqual(expect.arrayContaining(['mfa.factor_added', 'mfa.enabled']));
    const mails = await sql<{ template: string }>(t.db.url, `SELECT template FROM notifications WHERE recipient = $1`, [u.user.email]);
    expect(mails.map((m) => m.template)).toContain('mfa_factor_added');
  });

  it('stops password sign-in at 403 MFA_REQUIRED; the right code finishes it with amr pwd+mfa+otp, kept by refresh and shown by introspection', async () => {
    const u = await enrolled();
    const sessionsBefore = await sql(t.db.url, `SELECT id FROM sessions WHERE user_id = $1`, [u.user.id]);
    const first = await login(u);
    expectProblem(first, 403, 'MFA_REQUIRED');
    expect(problem(first).methods).toEqual(['totp', 'recovery_code']);
    expect(problem(first).mfaToken).toMatch(/^mfa_[A-Za-z0-9_-]{43}$/);
    expect(await sql(t.db.url, `SELECT id FROM sessions WHERE user_id = $1`, [u.user.id])).toHaveLength(sessionsBefore.length);
    // A wrong password reveals nothing about factors.
    const wrong = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: 'wrong-password-1' } });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    expect(problem(wrong).mfaToken).toBeUndefined();

    const pair = expectOk(await verify(problem(first).mfaToken!, 'totp', totpAt(u.secret, u.step + 1)));
    expect(amrOf(pair.accessToken)).toEqual(['pwd', 'mfa', 'otp']);
    const refreshed = expectPair(await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: pair.refreshToken } }));
    expect(amrOf(refreshed.accessToken)).toEqual(['pwd', 'mfa', 'otp']);
    const me = t.as(refreshed.accessToken);
    expect(expectOk(await me.POST('/api/v1/auth/introspect', { body: { token: refreshed.accessToken } }))).toMatchObject({ active: true, amr: ['pwd', 'mfa', 'otp'] });
    expect(expectOk(await me.POST('/api/v1/auth/introspect', { body: { token: refreshed.refreshToken } }))).toMatchObject({ active: true, amr: ['pwd', 'mfa', 'otp'] });
    // The mfaToken was used up.
    expectProblem(await verify(problem(first).mfaToken!, 'totp', totpAt(u.secret, u.step + 1)), 401, 'MFA_TOKEN_INVALID');

    // A user without factors: amr pwd only.
    const plain = await newUser(t);
    expect(amrOf(plain.tokens.accessToken)).toEqual(['pwd']);

    const audit = await sql<{ type: string }>(t.db.url, `SELECT type FROM audit_events WHERE subject_id = $1`, [u.user.id]);
    expect(audit.map((a) => a.type)).toEqual(expect.arrayContaining(['mfa.succeeded', 'login.succeeded']));
  });

  it('refuses wrong, replayed and expired codes (400 MFA_CODE_INVALID with attemptsLeft)', async () => {
    const u = await enrolled();
    const token = await mfaToken(u);
    const r1 = await verify(token, 'totp', wrongCode(u.secret, u.step));
    expectProblem(r1, 400, 'MFA_CODE_INVALID');
    expect(problem(r1).attemptsLeft).toBe(4);
    // The code that confirmed the factor was accepted once: refused now (replay).
    const r2 = await verify(token, 'totp', totpAt(u.secret, u.step));
    expectProblem(r2, 400, 'MFA_CODE_INVALID');
    expect(problem(r2).attemptsLeft).toBe(3);
    // Two steps old: expired.
    expectProblem(await verify(token, 'totp', totpAt(u.secret, u.step - 2)), 400, 'MFA_CODE_INVALID');
    expectOk(await verify(token, 'totp', totpAt(u.secret, u.step + 1)));
    // Accepted once: the same code with a fresh mfaToken is refused.
    expectProblem(await verify(await mfaToken(u), 'totp', totpAt(u.secret, u.step + 1)), 400, 'MFA_CODE_INVALID');
    const failed = await sql(t.db.url, `SELECT 1 FROM audit_events WHERE subject_id = $1 AND type = 'mfa.failed'`, [u.user.id]);
    expect(failed).toHaveLength(4);
  });

  it('kills an mfaToken after MFA_MAX_ATTEMPTS wrong codes; unknown and expired mfaTokens are 401 MFA_TOKEN_INVALID', async () => {
    const u = await enrolled();
    const token = await mfaToken(u);
    const bad = wrongCode(u.secret, u.step);
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await verify(token, 'totp', bad);
      expectProblem(r, 400, 'MFA_CODE_INVALID');
      left.push(problem(r).attemptsLeft!);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expectProblem(await verify(token, 'totp', totpAt(u.secret, u.step + 1)), 401, 'MFA_TOKEN_INVALID');
    expectProblem(await verify('mfa_unknown-token', 'totp', '123456'), 401, 'MFA_TOKEN_INVALID');

    // Back to a clean slate for the account (a password reset would do it; here the counter row goes).
    await sql(t.db.url, `DELETE FROM login_failures WHERE key = $1`, [`user:${u.user.id}`]);
    const expiring = await mfaToken(u);
    await sql(t.db.url, `UPDATE mfa_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1 AND used_at IS NULL`, [u.user.id]);
    expectProblem(await verify(expiring, 'totp', totpAt(u.secret, u.step + 1)), 401, 'MFA_TOKEN_INVALID');
  });

  it('binds an mfaToken to its user and application: another user’s code or another clientId does not finish it', async () => {
    const a = await enrolled();
    const b = await enrolled();
    const app = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `mfa-app-${Date.now()}`, name: 'MFA app' } }));
    const tokenA = await mfaToken(a, app.clientId);
    // B's valid code does not open A's sign-in.
    expectProblem(await verify(tokenA, 'totp', totpAt(b.secret, b.step + 1)), 400, 'MFA_CODE_INVALID');
    // Presented for another application: refused, and not spent.
    expectProblem(await verify(tokenA, 'totp', totpAt(a.secret, a.step + 1), 'default-other'), 401, 'MFA_TOKEN_INVALID');
    const pair = expectOk(await verify(tokenA, 'totp', totpAt(a.secret, a.step + 1), app.clientId));
    expect(decodeParts(pair.accessToken).payload.aud).toBe(app.clientId);
    const [session] = await sql<{ client_id: string }>(t.db.url, `SELECT client_id FROM sessions WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [a.user.id]);
    expect(session.client_id).toBe(app.clientId);
    // B's own sign-in still works with B's code.
    expectOk(await verify(await mfaToken(b), 'totp', totpAt(b.secret, b.step + 1)));
  });

  it('counts wrong codes as failed logins: the account locks (429 LOGIN_LOCKED), also for the right code and the password', async () => {
    const u = await enrolled();
    const first = await mfaToken(u);
    for (let i = 0; i < 5; i++) expectProblem(await verify(first, 'totp', wrongCode(u.secret, u.step)), 400, 'MFA_CODE_INVALID');
    // The right password does not wipe the count; the sixth wrong code locks the account.
    const second = await mfaToken(u);
    expectProblem(await verify(second, 'totp', wrongCode(u.secret, u.step)), 400, 'MFA_CODE_INVALID');
    const locked = await verify(second, 'totp', totpAt(u.secret, u.step + 1));
    expectProblem(locked, 429, 'LOGIN_LOCKED');
    expect(Number(locked.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expectProblem(await login(u), 429, 'LOGIN_LOCKED');
    const audit = await sql<{ type: string }>(t.db.url, `SELECT type FROM audit_events WHERE subject_id = $1`, [u.user.id]);
    expect(audit.map((a) => a.type)).toContain('login.locked');
  });

  it('accepts one TOTP code once when two requests race with it', async () => {
    const u = await enrolled();
    const [t1, t2] = [await mfaToken(u), await mfaToken(u)];
    const code = totpAt(u.secret, u.step + 1);
    const results = await Promise.all([verify(t1, 'totp', code), verify(t2, 'totp', code)]);
    expect(results.map((r) => r.response.status).sort()).toEqual([200, 400]);
  });

  it('recovery codes: single use in any case and spacing, exactly one of two racing requests wins, regenerable with the password', async () => {
    const u = await enrolled();
    const [code1, code2] = u.recoveryCodes;
    const pair = expectOk(await verify(await mfaToken(u), 'recovery_code', ` ${code1.toLowerCase().replace(/-/g, ' ')} `));
    expect(amrOf(pair.accessToken)).toEqual(['pwd', 'mfa', 'otp']);
    expectProblem(await verify(await mfaToken(u), 'recovery_code', code1), 400, 'MFA_CODE_INVALID');

    const [t1, t2] = [await mfaToken(u), await mfaToken(u)];
    const raced = await Promise.all([verify(t1, 'recovery_code', code2.replace(/-/g, '')), verify(t2, 'recovery_code', code2)]);
    expect(raced.map((r) => r.response.status).sort()).toEqual([200, 400]);
    expect(expectOk(await u.api.GET('/api/v1/auth/mfa/factors')).recoveryCodesLeft).toBe(8);
    const mails = await sql<{ template: string }>(t.db.url, `SELECT template FROM notifications WHERE recipient = $1 AND template = 'mfa_recovery_code_used'`, [u.user.email]);
    expect(mails).toHaveLength(2);

    expectProblem(await u.api.POST('/api/v1/auth/mfa/recovery-codes', { body: { password: 'wrong-password-1' } }), 400, 'INVALID_CURRENT_PASSWORD');
    const fresh = expectOk(await u.api.POST('/api/v1/auth/mfa/recovery-codes', { body: { password: u.password } })).recoveryCodes;
    expect(fresh).toHaveLength(10);
    expect(expectOk(await u.api.GET('/api/v1/auth/mfa/factors')).recoveryCodesLeft).toBe(10);
    expectProblem(await verify(await mfaToken(u), 'recovery_code', u.recoveryCodes[2]), 400, 'MFA_CODE_INVALID');
    expectOk(await verify(await mfaToken(u), 'recovery_code', fresh[0]));

    const none = await newUser(t);
    expectProblem(await none.api.POST('/api/v1/auth/mfa/recovery-codes', { body: { password: none.password } }), 409, 'MFA_NOT_ENABLED');
  });

  it('the OAuth2 password grant answers 403 mfa_required with an mfa_token; one-time-code login stops too (amr otp+mfa)', async () => {
    const u = await enrolled({ email: OTP_EMAIL });
    await markContactsVerified(t, u.user.id);
    const res = await fetch(`${t.baseUrl}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', username: u.user.username, password: u.password }),
    });
    expect(res.status).toBe(403);
    const body = await json(res);
    expect(body).toEqual({ error: 'mfa_required', error_description: expect.any(String), mfa_token: expect.stringMatching(/^mfa_/) });
    expect(amrOf(expectOk(await verify(body.mfa_token, 'totp', totpAt(u.secret, u.step + 1))).accessToken)).toEqual(['pwd', 'mfa', 'otp']);

    expectOk(await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'email', destination: OTP_EMAIL, purpose: 'login' } }));
    const otp = await t.api.POST('/api/v1/auth/otp/verify', { body: { channel: 'email', destination: OTP_EMAIL, purpose: 'login', code: '135790' } });
    expectProblem(otp, 403, 'MFA_REQUIRED');
    const pair = expectOk(await verify(problem(otp).mfaToken!, 'recovery_code', u.recoveryCodes[0]));
    expect(amrOf(pair.accessToken)).toEqual(['otp', 'mfa']);
  });

  it('removing the last factor turns two-factor off and deletes the recovery codes', async () => {
    const u = await enrolled();
    const remove = (password?: string) => u.api.DELETE('/api/v1/auth/mfa/factors/{id}', { params: { path: { id: u.factorId } }, body: { password } });
    expectProblem(await remove('wrong-password-1'), 400, 'INVALID_CURRENT_PASSWORD');
    expect((await remove(u.password)).response.status).toBe(204);
    expectProblem(await remove(u.password), 404, 'FACTOR_NOT_FOUND');
    expect(expectOk(await u.api.GET('/api/v1/auth/mfa/factors'))).toEqual({ items: [], nextCursor: null, recoveryCodesLeft: 0 });
    expect(expectOk(await u.api.GET('/api/v1/users/me')).mfaEnabled).toBe(false);
    expect(amrOf(expectOk(await login(u)).accessToken)).toEqual(['pwd']);
    const audit = await sql<{ type: string }>(t.db.url, `SELECT type FROM audit_events WHERE subject_id = $1`, [u.user.id]);
    expect(audit.map((a) => a.type)).toEqual(expect.arrayContaining(['mfa.factor_removed', 'mfa.disabled']));
    const mails = await sql<{ template: string }>(t.db.url, `SELECT template FROM notifications WHERE recipient = $1`, [u.user.email]);
    expect(mails.map((m) => m.template)).toContain('mfa_factor_removed');
  });

  it('lists factors in pages with an opaque cursor', async () => {
    const u = await enrolled();
    const second = expectOk(await u.api.POST('/api/v1/auth/mfa/totp', { body: { password: u.password, name: 'Tablet' } }));
    const confirmed = expectOk(
      await u.api.POST('/api/v1/auth/mfa/totp/{factorId}/confirm', { params: { path: { factorId: second.factorId } }, body: { code: totpAt(second.secret, currentStep()) } }),
    );
    expect(confirmed.recoveryCodes).toEqual([]);
    const page1 = expectOk(await u.api.GET('/api/v1/auth/mfa/factors', { params: { query: { limit: 1 } } }));
    expect(page1.items.map((f) => f.name)).toEqual(['Tablet']);
    const page2 = expectOk(await u.api.GET('/api/v1/auth/mfa/factors', { params: { query: { limit: 1, cursor: page1.nextCursor! } } }));
    expect(page2).toMatchObject({ items: [{ name: 'Phone' }], nextCursor: null });
    expectProblem(await u.api.GET('/api/v1/auth/mfa/factors', { params: { query: { cursor: 'garbage' } } }), 400, 'INVALID_CURSOR');
    // Either factor signs in.
    expectOk(await verify(await mfaToken(u), 'totp', totpAt(second.secret, currentStep() + 1)));
  });

  it('an administrator resets a user’s two-factor (lost device); an application admin cannot reach beyond its members', async () => {
    const u = await enrolled();
    const other = await newUser(t);
    expectProblem(await other.api.DELETE('/api/v1/users/{id}/mfa', { params: { path: { id: u.user.id } } }), 403, 'FORBIDDEN');
    expect((await admin.DELETE('/api/v1/users/{id}/mfa', { params: { path: { id: u.user.id } } })).response.status).toBe(204);
    expect(amrOf(expectOk(await login(u)).accessToken)).toEqual(['pwd']);
    expect(expectOk(await admin.GET('/api/v1/users/{id}', { params: { path: { id: u.user.id } } })).mfaEnabled).toBe(false);
    const audit = await sql<{ type: string; actor_id: string }>(t.db.url, `SELECT type, actor_id FROM audit_events WHERE subject_id = $1 AND type = 'mfa.reset_by_admin'`, [u.user.id]);
    expect(audit).toHaveLength(1);
    expectProblem(await admin.DELETE('/api/v1/users/{id}/mfa', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } }), 404, 'USER_NOT_FOUND');
  });

  it('a password hashed with older parameters is upgraded when the first factor is right, and the mfaToken still works', async () => {
    const u = await enrolled();
    const old = await argon2.hash(u.password, { type: argon2.argon2id, memoryCost: 8192, timeCost: 1, parallelism: 1 });
    await sql(t.db.url, `UPDATE users SET password_hash = $2 WHERE id = $1`, [u.user.id, old]);
    const token = await mfaToken(u);
    const [row] = await sql<{ password_hash: string }>(t.db.url, `SELECT password_hash FROM users WHERE id = $1`, [u.user.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(amrOf(expectOk(await verify(token, 'totp', totpAt(u.secret, u.step + 1))).accessToken)).toEqual(['pwd', 'mfa', 'otp']);
  });

  it('the cleanup job deletes expired mfaTokens and enrolments never confirmed', async () => {
    const u = await enrolled();
    await mfaToken(u);
    const pending = expectOk(await u.api.POST('/api/v1/auth/mfa/totp', { body: { password: u.password } }));
    await sql(t.db.url, `UPDATE mfa_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [u.user.id]);
    await sql(t.db.url, `UPDATE mfa_factors SET created_at = now() - interval '2 days' WHERE id = $1`, [pending.factorId]);
    const counts = await t.app.get(CleanupService).runOnce();
    expect(counts).toMatchObject({ mfa_challenges: expect.any(Number), mfa_pending_factors: expect.any(Number) });
    expect(await sql(t.db.url, `SELECT 1 FROM mfa_challenges WHERE user_id = $1`, [u.user.id])).toHaveLength(0);
    expect(await sql(t.db.url, `SELECT id FROM mfa_factors WHERE user_id = $1`, [u.user.id])).toEqual([{ id: u.factorId }]);
  });

  it('a user without a password enrols with a recent sign-in instead, and not with an old one', async () => {
    const names = uniqueName('nopw');
    const u = await newUser(t, names);
    await sql(t.db.url, `UPDATE users SET password_hash = NULL WHERE id = $1`, [u.user.id]);
    const enrolment = expectOk(await u.api.POST('/api/v1/auth/mfa/totp', { body: {} }));
    expect(enrolment.secret).toMatch(/^[A-Z2-7]+$/);
    await sql(t.db.url, `UPDATE sessions SET created_at = now() - interval '10 minutes' WHERE user_id = $1`, [u.user.id]);
    expectProblem(await u.api.POST('/api/v1/auth/mfa/totp', { body: {} }), 403, 'REAUTHENTICATION_REQUIRED');
  });
});
