import { expectOk, loginAdmin, newUser, uniqueName, WITH_ADMIN } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';
import type { ApiClient } from '@identity-task/client';

describe('user administration', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '10000' } });
    admin = (await loginAdmin(t)).api;
  });
  afterAll(() => t.close());

  it('creates a user who can log in, and refuses duplicates and unknown fields', async () => {
    const names = uniqueName('made');
    const created = await admin.POST('/api/v1/users', {
      body: { username: names.username, email: names.email, password: 'a-fine-long-password', firstName: 'Grace', emailVerified: true },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ username: names.username, email: names.email, status: 'active', emailVerified: true, firstName: 'Grace' });
    expect(created.data).not.toHaveProperty('passwordHash');
    expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: names.username, password: 'a-fine-long-password' } }));
    const listed = expectOk(await admin.GET('/api/v1/users', { params: { query: { q: names.username, role: 'user' } } }));
    expect(listed.items.map((u) => u.id)).toEqual([created.data!.id]);

    expect((await admin.POST('/api/v1/users', { body: { username: names.username, password: 'a-fine-long-password' } })).response.status).toBe(409);
    const weak = await admin.POST('/api/v1/users', { body: { username: uniqueName().username, password: 'password' } });
    expect(weak.response.status).toBe(400);
    const extra = await admin.POST('/api/v1/users', { body: { username: uniqueName().username, password: 'a-fine-long-password', roles: ['admin'] } as never });
    expect(extra.response.status).toBe(400);
  });

  it('gets users by id (users:read, or oneself) and by phone', async () => {
    const u = await newUser(t, { phone: '+47 912 34 567' });
    expect(expectOk(await admin.GET('/api/v1/users/{id}', { params: { path: { id: u.user.id } } })).username).toBe(u.user.username);
    expect(expectOk(await u.api.GET('/api/v1/users/{id}', { params: { path: { id: u.user.id } } })).id).toBe(u.user.id);
    const other = await newUser(t);
    expect((await other.api.GET('/api/v1/users/{id}', { params: { path: { id: u.user.id } } })).response.status).toBe(403);
    expect(expectOk(await admin.GET('/api/v1/users/by-phone/{phone}', { params: { path: { phone: '+4791234567' } } })).id).toBe(u.user.id);
    expect((await admin.GET('/api/v1/users/by-phone/{phone}', { params: { path: { phone: '+4791234999' } } })).response.status).toBe(404);
    expect((await admin.GET('/api/v1/users/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } })).response.status).toBe(404);
  });

  it('lists with filters and keyset cursor paging', async () => {
    const tag = `pg${Date.now().toString(36)}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i += 1) made.push((await newUser(t, { username: `${tag}_${i}`, email: `${tag}.${i}@example.test` })).user.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = expectOk(await admin.GET('/api/v1/users', { params: { query: { q: tag, limit: 2, cursor } } }));
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());

    const disabled = made[2];
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: disabled } }, body: { status: 'disabled' } }));
    const onlyDisabled = expectOk(await admin.GET('/api/v1/users', { params: { query: { q: tag, status: 'disabled' } } }));
    expect(onlyDisabled.items.map((u) => u.id)).toEqual([disabled]);
    expect(expectOk(await admin.GET('/api/v1/users', { params: { query: { q: tag, role: 'admin' } } })).items).toEqual([]);

    const app = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `${tag}-app`, name: 'Paging app', active: true } }));
    expectOk(await admin.POST('/api/v1/roles', { body: { name: 'member', permissions: [], applicationId: app.id } }));
    expectOk(await admin.PUT('/api/v1/users/{id}/roles', { params: { path: { id: made[4] } }, body: { roles: ['member'], applicationId: app.id } }));
    const inApp = expectOk(await admin.GET('/api/v1/users', { params: { query: { applicationId: app.id } } }));
    expect(inApp.items.map((u) => u.id)).toEqual([made[4]]);
    const byRole = expectOk(await admin.GET('/api/v1/users', { params: { query: { role: 'member', applicationId: app.id } } }));
    expect(byRole.items.map((u) => u.id)).toEqual([made[4]]);

    expect((await admin.GET('/api/v1/users', { params: { query: { cursor: 'garbage' } } })).response.status).toBe(400);
    expect((await admin.GET('/api/v1/users', { params: { query: { limit: 101 } } })).response.status).toBe(400);
    expect((await admin.GET('/api/v1/users', { params: { query: { status: 'weird' as never } } })).response.status).toBe(400);
  });

  it('disabling a user kills their live tokens at once, and they cannot log in', async () => {
    const u = await newUser(t);
    expect((await u.api.GET('/api/v1/users/me')).response.status).toBe(200);
    const patched = expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: u.user.id } }, body: { status: 'disabled' } }));
    expect(patched.status).toBe('disabled');
    expect((await u.api.GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: u.tokens.refreshToken } })).response.status).toBe(401);
    const login = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } });
    expect(login.response.status).toBe(403);

    expect(expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: u.user.id } }, body: { status: 'active' } })).status).toBe('pending');
    // Revocation refuses tokens issued up to the end of its second (`iat` has one-second resolution).
    t.clock.advance(1100);
    const again = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } }));
    expect((await t.as(again.accessToken).GET('/api/v1/users/me')).response.status).toBe(200);
  });

  it('updates profile fields and verification marks', async () => {
    const u = await newUser(t);
    const updated = expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: u.user.id } }, body: { firstName: 'Ada', emailVerified: true } }));
    expect(updated).toMatchObject({ firstName: 'Ada', emailVerified: true, status: 'active' });
    const other = await newUser(t);
    expect((await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: u.user.id } }, body: { username: other.user.username } })).response.status).toBe(409);
  });

  it('deletes by id and by phone; their tokens stop working at once', async () => {
    const a = await newUser(t);
    expect((await admin.DELETE('/api/v1/users/{id}', { params: { path: { id: a.user.id } } })).response.status).toBe(204);
    expect((await a.api.GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await admin.GET('/api/v1/users/{id}', { params: { path: { id: a.user.id } } })).response.status).toBe(404);
    expect((await admin.DELETE('/api/v1/users/{id}', { params: { path: { id: a.user.id } } })).response.status).toBe(404);

    const b = await newUser(t, { phone: '+4791234568' });
    expect((await admin.DELETE('/api/v1/users', { params: { query: { phone: '+47 912 34 568' } } })).response.status).toBe(204);
    expect((await b.api.GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await admin.DELETE('/api/v1/users', { params: { query: { phone: '+4791234568' } } })).response.status).toBe(404);
  });

  it('lets an admin list and end a user’s sessions', async () => {
    const u = await newUser(t);
    const second = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } }));
    const sessions = expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: u.user.id } } }));
    expect(sessions.items).toHaveLength(2);
    expect(sessions.items.every((s) => s.current === false)).toBe(true);
    const claims = JSON.parse(Buffer.from(second.accessToken.split('.')[1], 'base64url').toString());
    expect((await admin.DELETE('/api/v1/users/{id}/sessions/{sid}', { params: { path: { id: u.user.id, sid: claims.sid } } })).response.status).toBe(204);
    expect((await t.as(second.accessToken).GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await u.api.GET('/api/v1/users/me')).response.status).toBe(200);
    expect(expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: u.user.id } } })).items).toHaveLength(1);
    const other = await newUser(t);
    expect((await admin.DELETE('/api/v1/users/{id}/sessions/{sid}', { params: { path: { id: other.user.id, sid: claims.sid } } })).response.status).toBe(404);
  });
});
