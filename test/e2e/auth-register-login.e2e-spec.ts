import { expectOk, newUser, uniqueName } from '../support/factories';
import { sql } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

const PROBLEM = /^application\/problem\+json/;

async function metric(t: TestApp, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${t.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('registration and login', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000' } });
  });
  afterAll(() => t.close());

  describe('POST /auth/register', () => {
    it('creates a pending account with normalised identifiers and no secret in the response', async () => {
      const { username } = uniqueName('reg');
      const res = await t.api.POST('/api/v1/auth/register', {
        body: { username, password: 'a fine long passphrase', email: `  ${username.toUpperCase()}@Example.TEST `.trim(), phone: '+47 412 34 567', firstName: 'Ada' },
      });
      expect(res.response.status).toBe(201);
      const user = res.data!.user;
      expect(user).toMatchObject({ username, email: `${username}@example.test`, phone: '+4741234567', firstName: 'Ada', status: 'pending', emailVerified: false, phoneVerified: false });
      expect(JSON.stringify(res.data)).not.toMatch(/password|hash|argon/i);
    });

    it('an account without email or phone is active at once', async () => {
      const res = await t.api.POST('/api/v1/auth/register', { body: { username: uniqueName('plain').username, password: 'a fine long passphrase' } });
      expect(res.data?.user.status).toBe('active');
    });

    it('refuses duplicates case-insensitively with 409, naming the field', async () => {
      const { username, email } = uniqueName('dup');
      expectOk(await t.api.POST('/api/v1/auth/register', { body: { username, email, phone: '+4741234599', password: 'a fine long passphrase' } }));
      const sameName = await t.api.POST('/api/v1/auth/register', { body: { username: username.toUpperCase(), password: 'a fine long passphrase' } });
      expect(sameName.response.status).toBe(409);
      expect(sameName.error).toMatchObject({ code: 'USERNAME_TAKEN' });
      const sameEmail = await t.api.POST('/api/v1/auth/register', { body: { username: `${username}x`, email: email.toUpperCase(), password: 'a fine long passphrase' } });
      expect(sameEmail.response.status).toBe(409);
      expect(sameEmail.error).toMatchObject({ code: 'EMAIL_TAKEN' });
      const samePhone = await t.api.POST('/api/v1/auth/register', { body: { username: `${username}y`, phone: '+47 41 23 45 99', password: 'a fine long passphrase' } });
      expect(samePhone.response.status).toBe(409);
    });

    it('refuses fields the contract does not offer (role, status, emailVerified…)', async () => {
      for (const extra of [{ role: 'admin' }, { roles: ['admin'] }, { status: 'active' }, { emailVerified: true }]) {
        const res = await fetch(`${t.baseUrl}/api/v1/auth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: uniqueName().username, password: 'a fine long passphrase', ...extra }),
        });
        expect(res.status).toBe(400);
        expect(res.headers.get('content-type')).toMatch(PROBLEM);
      }
    });

    it('applies the password policy: 8–128 characters of any kind, no common passwords, never truncated', async () => {
      const attempt = (password: string) => t.api.POST('/api/v1/auth/register', { body: { username: uniqueName('pw').username, password } });
      expect((await attempt('short7!')).response.status).toBe(400);
      expect((await attempt('x'.repeat(129))).error).toMatchObject({ code: 'VALIDATION_FAILED' });
      const common = await attempt('password123');
      expect(common.response.status).toBe(400);
      expect(common.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK' });
      expect((await attempt('Iloveyou1')).error).toMatchObject({ code: 'PASSWORD_TOO_WEAK' });

      // Eight characters outside the BMP are eight characters, not sixteen code units.
      const emoji = '🔑🌍🎲🚲🧩🪁🛶🦉';
      const unicode = await attempt(emoji);
      expect(unicode.response.status).toBe(201);
      const login = await t.api.POST('/api/v1/auth/login', { body: { login: unicode.data!.user.username, password: emoji } });
      expect(login.response.status).toBe(200);

      // 128 characters are kept whole: a password that differs only in the last character does not match.
      const long = 'ж'.repeat(127) + 'A';
      const created = expectOk(await attempt(long));
      const wrong = await t.api.POST('/api/v1/auth/login', { body: { login: created.user.username, password: 'ж'.repeat(127) + 'B' } });
      expect(wrong.response.status).toBe(401);
      const right = await t.api.POST('/api/v1/auth/login', { body: { login: created.user.username, password: long } });
      expect(right.response.status).toBe(200);
    });

    it('refuses a password equal to the username', async () => {
      const { username } = uniqueName('same');
      const res = await t.api.POST('/api/v1/auth/register', { body: { username, password: username } });
      expect(res.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK' });
    });

    it('refuses an invalid phone number', async () => {
      const res = await t.api.POST('/api/v1/auth/register', { body: { username: uniqueName().username, password: 'a fine long passphrase', phone: '12' } });
      expect(res.response.status).toBe(400);
    });
  });

  describe('POST /auth/login', () => {
    it('accepts username, email or phone in any letter case and returns a token pair', async () => {
      const u = await newUser(t, { phone: '+14155552671' });
      for (const login of [u.user.username.toUpperCase(), u.user.email!.toUpperCase(), '+1 (415) 555-2671']) {
        const res = await t.api.POST('/api/v1/auth/login', { body: { login, password: u.password } });
        expect(res.response.status).toBe(200);
        expect(res.response.headers.get('cache-control')).toBe('no-store');
        expect(res.data).toEqual({
          accessToken: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
          refreshToken: expect.stringMatching(/^[\w-]{43}$/),
          tokenType: 'Bearer',
          expiresIn: 900,
          refreshExpiresIn: expect.any(Number),
        });
        expect(res.data!.refreshExpiresIn).toBeGreaterThan(2_591_000);
      }
    });

    it('answers a wrong password and an unknown login identically, after the same argon2 work', async () => {
      const u = await newUser(t);
      const existingBefore = await metric(t, 'auth_password_verifications_total', 'account="existing"');
      const noneBefore = await metric(t, 'auth_password_verifications_total', 'account="none"');
      const wrong = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: 'not the password' } });
      const unknown = await t.api.POST('/api/v1/auth/login', { body: { login: 'nobody-by-this-name', password: 'not the password' } });
      expect(wrong.response.status).toBe(401);
      expect(unknown.response.status).toBe(401);
      const strip = (e: unknown) => ({ ...(e as object), instance: undefined });
      expect(strip(wrong.error)).toEqual(strip(unknown.error));
      expect(wrong.error).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
      expect(wrong.response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      // Both paths ran exactly one argon2 verification (the unknown login against a dummy hash).
      expect(await metric(t, 'auth_password_verifications_total', 'account="existing"')).toBe(existingBefore + 1);
      expect(await metric(t, 'auth_password_verifications_total', 'account="none"')).toBe(noneBefore + 1);
    });

    it('refuses an over-long password before hashing it', async () => {
      const before = await metric(t, 'auth_password_verifications_total', 'account="none"');
      const res = await t.api.POST('/api/v1/auth/login', { body: { login: 'someone', password: 'y'.repeat(129) } });
      expect(res.response.status).toBe(400);
      expect(await metric(t, 'auth_password_verifications_total', 'account="none"')).toBe(before);
    });

    it('refuses a disabled account even with the right password', async () => {
      const u = await newUser(t);
      await sql(t.db.url, `UPDATE users SET status = 'disabled' WHERE id = $1`, [u.user.id]);
      const res = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } });
      expect(res.response.status).toBe(403);
      expect(res.error).toMatchObject({ code: 'ACCOUNT_DISABLED' });
    });

    it('refuses an unknown clientId', async () => {
      const u = await newUser(t);
      const res = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password, clientId: 'no-such-app' } });
      expect(res.response.status).toBe(400);
      expect(res.error).toMatchObject({ code: 'UNKNOWN_CLIENT' });
    });

    it('refuses unknown fields', async () => {
      const res = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'x', password: 'y', role: 'admin' }),
      });
      expect(res.status).toBe(400);
    });
  });

  describe('POST /auth/token (OAuth2, RFC 6749)', () => {
    const form = (fields: Record<string, string>) =>
      fetch(`${t.baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });

    it('issues tokens for the password grant, as Swagger UI sends it', async () => {
      const u = await newUser(t);
      const res = await form({ grant_type: 'password', username: u.user.email!, password: u.password, scope: '', client_id: 'default' });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, refresh_token: expect.any(String) });
      const me = await t.as(body.access_token as string).GET('/api/v1/users/me');
      expect(me.data?.id).toBe(u.user.id);

      const refreshed = await form({ grant_type: 'refresh_token', refresh_token: body.refresh_token as string });
      expect(refreshed.status).toBe(200);
      expect(((await refreshed.json()) as Record<string, unknown>).refresh_token).not.toBe(body.refresh_token);
    });

    it('answers errors in RFC 6749 form', async () => {
      const u = await newUser(t);
      const wrong = await form({ grant_type: 'password', username: u.user.username, password: 'nope nope' });
      expect(wrong.status).toBe(400);
      expect(await wrong.json()).toEqual({ error: 'invalid_grant', error_description: expect.any(String) });
      expect(await (await form({ grant_type: 'client_credentials' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
      expect(await (await form({ grant_type: 'password', username: 'x' })).json()).toMatchObject({ error: 'invalid_request' });
      expect(await (await form({})).json()).toMatchObject({ error: 'invalid_request' });
      expect(await (await form({ grant_type: 'refresh_token', refresh_token: 'garbage' })).json()).toMatchObject({ error: 'invalid_grant' });
      const client = await form({ grant_type: 'password', username: u.user.username, password: u.password, client_id: 'nope' });
      expect(await client.json()).toMatchObject({ error: 'invalid_client' });
    });
  });
});
