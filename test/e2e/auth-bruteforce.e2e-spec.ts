import { expectOk, newUser } from '../support/factories';
import { json } from '../support/http';
import { startTestApp, TestApp } from '../support/test-app';

describe('brute-force protection', () => {
  describe('per-account lockout', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000', LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_SECONDS: '60' } });
    });
    afterAll(() => t.close());

    const login = (login: string, password: string) => t.api.POST('/api/v1/auth/login', { body: { login, password } });
    const tokenGrant = (username: string, password: string) =>
      fetch(`${t.baseUrl}/api/v1/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
      });

    it('counts failures per account across identifiers and endpoints, then refuses even the right password', async () => {
      const u = await newUser(t, { phone: '+4792345678' });
      expect((await login(u.user.username.toUpperCase(), 'wrong one 1')).response.status).toBe(401);
      expect((await tokenGrant(u.user.email!.toUpperCase(), 'wrong one 2')).status).toBe(400);
      expect((await login('+47 923 45 678', 'wrong one 3')).response.status).toBe(401);

      const locked = await login(u.user.username, u.password);
      expect(locked.response.status).toBe(429);
      expect(locked.error).toMatchObject({ code: 'LOGIN_LOCKED' });
      expect(Number(locked.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const viaToken = await tokenGrant(u.user.email!, u.password);
      expect(viaToken.status).toBe(429);
      expect(viaToken.headers.get('retry-after')).not.toBeNull();

      t.clock.advance(61_000);
      const ok = await login(u.user.username, u.password);
      expect(ok.response.status).toBe(200);
      // Success resets the counter: two more failures do not lock.
      await login(u.user.username, 'wrong again 1');
      await login(u.user.username, 'wrong again 2');
      expect((await login(u.user.username, u.password)).response.status).toBe(200);
    });

    it('makes the wait grow with further failures', async () => {
      const u = await newUser(t);
      for (let i = 0; i < 3; i++) await login(u.user.username, `wrong ${i} xx`);
      const first = Number((await login(u.user.username, u.password)).response.headers.get('retry-after'));
      t.clock.advance(first * 1000 + 200);
      expect((await login(u.user.username, 'wrong once more')).response.status).toBe(401);
      const second = await login(u.user.username, u.password);
      expect(second.response.status).toBe(429);
      expect(Number(second.response.headers.get('retry-after'))).toBeGreaterThan(first);
    });

    it('behaves the same for a login name with no account', async () => {
      const ghost = `ghost-${Date.now()}`;
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await login(ghost, 'some password')).response.status);
      expect(answers).toEqual([401, 401, 401, 429]);
    });
  });

  describe('per-IP limits', () => {
    it('answer 429 with Retry-After past AUTH_RATE_LIMIT per minute on sensitive endpoints', async () => {
      const t = await startTestApp({ env: { AUTH_RATE_LIMIT: '3' } });
      try {
        const statuses = [];
        let last: Response | undefined;
        for (let i = 0; i < 4; i++) {
          last = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ login: `someone${i}`, password: 'whatever it is' }),
          });
          statuses.push(last.status);
        }
        expect(statuses).toEqual([401, 401, 401, 429]);
        expect(last!.headers.get('retry-after')).not.toBeNull();
        expect((await json(last!)).code).toBe('RATE_LIMITED');
        // Other endpoints have their own budget; non-sensitive ones none.
        const reg = await t.api.POST('/api/v1/auth/register', { body: { username: `iplimit${Date.now()}`, password: 'a fine long passphrase' } });
        expect(reg.response.status).toBe(201);
        for (let i = 0; i < 5; i++) expect((await fetch(`${t.baseUrl}/health/live`)).status).toBe(200);
        // X-Forwarded-For is not trusted by default: a forged address does not buy a new budget.
        const forged = await fetch(`${t.baseUrl}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
          body: JSON.stringify({ login: 'x', password: 'whatever it is' }),
        });
        expect(forged.status).toBe(429);
      } finally {
        await t.close();
      }
    });

    it('trust X-Forwarded-For only with TRUST_PROXY', async () => {
      const t = await startTestApp({ env: { AUTH_RATE_LIMIT: '2', TRUST_PROXY: '1' } });
      try {
        const from = (ip: string) =>
          fetch(`${t.baseUrl}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
            body: JSON.stringify({ login: 'x', password: 'whatever it is' }),
          }).then((r) => r.status);
        expect([await from('198.51.100.1'), await from('198.51.100.1'), await from('198.51.100.1')]).toEqual([401, 401, 429]);
        expect(await from('198.51.100.2')).toBe(401);
        // The session records the client's address from the trusted header.
        const u = await t.api.POST('/api/v1/auth/register', { body: { username: `proxied${Date.now()}`, password: 'a fine long passphrase' }, headers: { 'x-forwarded-for': '198.51.100.7' } });
        const tokens = expectOk(
          await t.api.POST('/api/v1/auth/login', { body: { login: u.data!.user.username, password: 'a fine long passphrase' }, headers: { 'x-forwarded-for': '198.51.100.8' } }),
        );
        const sessions = expectOk(await t.as(tokens.accessToken).GET('/api/v1/auth/sessions'));
        expect(sessions.items[0].ip).toBe('198.51.100.8');
      } finally {
        await t.close();
      }
    });
  });
});
