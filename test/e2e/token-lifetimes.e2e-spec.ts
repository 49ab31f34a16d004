import { decodeParts } from '../support/tokens';
import { expectOk, expectPair, newUser } from '../support/factories';
import { sql } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * `expiresIn` is exactly ACCESS_TOKEN_TTL and `refreshExpiresIn` exactly REFRESH_TOKEN_TTL, or the whole
 * seconds left of the session's absolute lifetime (SESSION_MAX_AGE) when that ends sooner — all from
 * one clock reading, so never one second short.
 */
describe('token lifetimes', () => {
  const form = (t: TestApp, fields: Record<string, string>) =>
    fetch(`${t.baseUrl}/api/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });

  describe('with the refresh token ending before the session', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000', ACCESS_TOKEN_TTL: '600', REFRESH_TOKEN_TTL: '7200', SESSION_MAX_AGE: '86400' } });
    });
    afterAll(() => t.close());

    it('answers exactly the configured lifetimes on every login, refresh and OAuth token response', async () => {
      const u = await newUser(t);
      const seen = [u.tokens];
      for (let i = 0; i < 10; i++) {
        seen.push(expectPair(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } })));
      }
      let refreshToken = seen[seen.length - 1].refreshToken;
      for (let i = 0; i < 10; i++) {
        const next = expectPair(await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken } }));
        seen.push(next);
        refreshToken = next.refreshToken;
      }
      expect(seen.map((p) => [p.expiresIn, p.refreshExpiresIn])).toEqual(seen.map(() => [600, 7200]));
      for (const pair of seen) {
        const { payload } = decodeParts(pair.accessToken);
        expect((payload.exp as number) - (payload.iat as number)).toBe(600);
      }

      const oauth = [
        await form(t, { grant_type: 'password', username: u.user.username, password: u.password }),
        await form(t, { grant_type: 'refresh_token', refresh_token: refreshToken }),
      ];
      for (const res of oauth) {
        expect(res.status).toBe(200);
        expect(((await res.json()) as { expires_in: number }).expires_in).toBe(600);
      }
    });
  });

  describe('with the session ending before the refresh token', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000', ACCESS_TOKEN_TTL: '300', REFRESH_TOKEN_TTL: '7200', SESSION_MAX_AGE: '3600' } });
    });
    afterAll(() => t.close());

    it('answers the session’s whole seconds left: all of them at login, what remains at a refresh', async () => {
      const u = await newUser(t);
      expect(u.tokens).toMatchObject({ expiresIn: 300, refreshExpiresIn: 3600 });
      const sid = decodeParts(u.tokens.accessToken).payload.sid as string;
      const [{ expires_at }] = await sql<{ expires_at: Date }>(t.db.url, 'SELECT expires_at FROM sessions WHERE id = $1', [sid]);

      const before = Date.now();
      const next = expectOk(await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: u.tokens.refreshToken } }));
      const after = Date.now();
      expect(next.expiresIn).toBe(300);
      // Whole seconds from the server's reading (between `before` and `after`) to the session's end.
      expect(next.refreshExpiresIn).toBeLessThanOrEqual(Math.floor((expires_at.getTime() - before) / 1000));
      expect(next.refreshExpiresIn).toBeGreaterThanOrEqual(Math.floor((expires_at.getTime() - after) / 1000));
      expect(next.refreshExpiresIn).toBeLessThan(3600);
    });
  });
});
