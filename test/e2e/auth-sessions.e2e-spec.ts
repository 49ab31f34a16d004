import { expectOk, loginAdmin, newUser, WITH_ADMIN } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

describe('sessions, logout, password change, introspection and /users/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '100000' } });
  });
  afterAll(() => t.close());

  const login = async (username: string, password: string, userAgent = 'test-agent/1.0') =>
    expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: username, password }, headers: { 'user-agent': userAgent } }));
  const status = async (token: string) => (await t.as(token).GET('/api/v1/users/me')).response.status;

  describe('GET /auth/sessions and DELETE /auth/sessions/:id', () => {
    it('lists the user’s live sessions with where they came from and which one is current', async () => {
      const u = await newUser(t);
      const phone = await login(u.user.username, u.password, 'PhoneApp/2.1');
      const list = expectOk(await t.as(phone.accessToken).GET('/api/v1/auth/sessions'));
      expect(list.items).toHaveLength(2);
      const current = list.items.find((s) => s.current)!;
      expect(current).toMatchObject({ userAgent: 'PhoneApp/2.1', ip: '127.0.0.1', clientId: 'default' });
      expect(new Date(current.createdAt).getTime()).toBeLessThanOrEqual(Date.now());
      expect(list.items.filter((s) => s.current)).toHaveLength(1);
    });

    it('ends one of one’s own sessions at once; other users’ sessions are not found', async () => {
      const u = await newUser(t);
      const other = await login(u.user.username, u.password);
      const list = expectOk(await u.api.GET('/api/v1/auth/sessions'));
      const target = list.items.find((s) => !s.current)!;
      const del = await u.api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id: target.id } } });
      expect(del.response.status).toBe(204);
      expect(await status(other.accessToken)).toBe(401);
      expect(await status(u.tokens.accessToken)).toBe(200);
      expect((await u.api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id: target.id } } })).response.status).toBe(404);

      const stranger = await newUser(t);
      const theirs = expectOk(await stranger.api.GET('/api/v1/auth/sessions')).items[0];
      const foreign = await u.api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id: theirs.id } } });
      expect(foreign.response.status).toBe(404);
      expect(foreign.error).toMatchObject({ code: 'SESSION_NOT_FOUND' });
      expect(await status(stranger.tokens.accessToken)).toBe(200);
      expect((await u.api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id: 'not-a-uuid' } } })).response.status).toBe(400);
    });
  });

  describe('logout', () => {
    it('POST /auth/logout ends the current session only, immediately', async () => {
      const u = await newUser(t);
      const second = await login(u.user.username, u.password);
      expect((await u.api.POST('/api/v1/auth/logout')).response.status).toBe(204);
      const after = await u.api.GET('/api/v1/users/me');
      expect(after.response.status).toBe(401);
      expect(after.error).toMatchObject({ code: 'TOKEN_REVOKED' });
      expect(await status(second.accessToken)).toBe(200);
    });

    it('POST /auth/logout-all ends every session', async () => {
      const u = await newUser(t);
      const second = await login(u.user.username, u.password);
      expect((await u.api.POST('/api/v1/auth/logout-all')).response.status).toBe(204);
      expect(await status(u.tokens.accessToken)).toBe(401);
      expect(await status(second.accessToken)).toBe(401);
      expect((await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: second.refreshToken } })).response.status).toBe(401);
      // A new login afterwards works.
      expect(await status((await login(u.user.username, u.password)).accessToken)).toBe(200);
    });
  });

  describe('POST /auth/password/change', () => {
    it('needs the current password, applies the policy, and ends the other sessions', async () => {
      const u = await newUser(t);
      const other = await login(u.user.username, u.password);
      const wrong = await u.api.POST('/api/v1/auth/password/change', { body: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' } });
      expect(wrong.response.status).toBe(400);
      expect(wrong.error).toMatchObject({ code: 'INVALID_CURRENT_PASSWORD' });
      const weak = await u.api.POST('/api/v1/auth/password/change', { body: { currentPassword: u.password, newPassword: 'password1' } });
      expect(weak.error).toMatchObject({ code: 'PASSWORD_TOO_WEAK' });

      const ok = await u.api.POST('/api/v1/auth/password/change', { body: { currentPassword: u.password, newPassword: 'a brand new passphrase' } });
      expect(ok.response.status).toBe(204);
      expect(await status(u.tokens.accessToken)).toBe(200);
      expect(await status(other.accessToken)).toBe(401);
      expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } })).response.status).toBe(401);
      expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: 'a brand new passphrase' } })).response.status).toBe(200);
    });
  });

  describe('POST /auth/introspect', () => {
    it('describes one’s own access and refresh tokens (RFC 7662)', async () => {
      const u = await newUser(t);
      const access = expectOk(await u.api.POST('/api/v1/auth/introspect', { body: { token: u.tokens.accessToken } }));
      expect(access).toMatchObject({ active: true, sub: u.user.id, aud: 'default', roles: ['user'], typ: 'access', sid: expect.any(String) });
      expect(access.exp! - access.iat!).toBe(900);
      const refresh = expectOk(await u.api.POST('/api/v1/auth/introspect', { body: { token: u.tokens.refreshToken } }));
      expect(refresh).toMatchObject({ active: true, sub: u.user.id, sid: access.sid, typ: 'refresh' });
      expect(expectOk(await u.api.POST('/api/v1/auth/introspect', { body: { token: 'garbage' } }))).toEqual({ active: false });
    });

    it('refuses other users’ tokens without tokens:introspect, and shows them to holders', async () => {
      const u = await newUser(t);
      const v = await newUser(t);
      const denied = await u.api.POST('/api/v1/auth/introspect', { body: { token: v.tokens.accessToken } });
      expect(denied.response.status).toBe(403);
      const admin = await loginAdmin(t);
      const seen = expectOk(await admin.api.POST('/api/v1/auth/introspect', { body: { token: v.tokens.accessToken } }));
      expect(seen).toMatchObject({ active: true, sub: v.user.id });
      await v.api.POST('/api/v1/auth/logout');
      expect(expectOk(await admin.api.POST('/api/v1/auth/introspect', { body: { token: v.tokens.accessToken } }))).toEqual({ active: false });
      expect(expectOk(await admin.api.POST('/api/v1/auth/introspect', { body: { token: v.tokens.refreshToken } }))).toEqual({ active: false });
    });

    it('needs authentication', async () => {
      const res = await t.api.POST('/api/v1/auth/introspect', { body: { token: 'x' } });
      expect(res.response.status).toBe(401);
    });
  });

  describe('/users/me', () => {
    it('changes names and identifiers; a new phone loses its verified mark; unknown fields are refused', async () => {
      const u = await newUser(t);
      const patched = expectOk(await u.api.PATCH('/api/v1/users/me', { body: { firstName: 'Grace', lastName: 'Hopper', phone: '+33 6 12 34 56 78' } }));
      expect(patched).toMatchObject({ firstName: 'Grace', lastName: 'Hopper', phone: '+33612345678', phoneVerified: false, status: 'pending' });
      // A new email address waits for its link (see contact-changes.e2e-spec.ts).
      const email = expectOk(await u.api.PATCH('/api/v1/users/me', { body: { email: 'NEW.Address@Example.test' } }));
      expect(email).toMatchObject({ email: u.user.email, pendingEmail: 'new.address@example.test', emailVerified: false });
      for (const body of [{ status: 'active' }, { emailVerified: true }, { roles: ['admin'] }, { id: 'x' }]) {
        const res = await fetch(`${t.baseUrl}/api/v1/users/me`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${u.tokens.accessToken}` },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(400);
      }
      const v = await newUser(t);
      const clash = await u.api.PATCH('/api/v1/users/me', { body: { username: v.user.username.toUpperCase() } });
      expect(clash.response.status).toBe(409);
    });

    it('deletes the account with the current password and ends every session', async () => {
      const u = await newUser(t);
      const other = await login(u.user.username, u.password);
      const wrong = await u.api.DELETE('/api/v1/users/me', { body: { password: 'not my password' } });
      expect(wrong.response.status).toBe(400);
      expect(await status(u.tokens.accessToken)).toBe(200);
      expect((await u.api.DELETE('/api/v1/users/me', { body: { password: u.password } })).response.status).toBe(204);
      expect(await status(u.tokens.accessToken)).toBe(401);
      expect(await status(other.accessToken)).toBe(401);
      expect((await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } })).response.status).toBe(401);
      // The name is free again.
      const again = await t.api.POST('/api/v1/auth/register', { body: { username: u.user.username, password: 'a fine long passphrase' } });
      expect(again.response.status).toBe(201);
    });
  });
});
