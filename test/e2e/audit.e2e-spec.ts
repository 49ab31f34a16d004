import { expectOk, loginAdmin, newUser, WITH_ADMIN } from '../support/factories';
import { decodeParts } from '../support/tokens';
import { startTestApp, TestApp } from '../support/test-app';
import type { ApiClient, Schemas } from '@identity-task/client';

type Event = Schemas['AuditEventDto'];

describe('audit log', () => {
  let t: TestApp;
  let admin: ApiClient;
  let adminId: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '10000', LOGIN_MAX_FAILURES: '3', REFRESH_REUSE_GRACE_SECONDS: '0' } });
    admin = (await loginAdmin(t)).api;
    adminId = expectOk(await admin.GET('/api/v1/users/me')).id;
  });
  afterAll(() => t.close());

  async function eventsOf(userId: string, type?: Event['type']): Promise<Event[]> {
    return expectOk(await admin.GET('/api/v1/audit-events', { params: { query: { userId, type, limit: 100 } } })).items;
  }

  const agent = { headers: { 'user-agent': 'audit-test/1.0' } };

  it('records each event type with the right actor, subject, IP and user agent', async () => {
    const u = await newUser(t);
    const uid = u.user.id;

    // login.succeeded (newUser logged in) and login.failed / login.locked
    for (let i = 0; i < 3; i += 1) {
      const r = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: 'wrong-password!' }, ...agent });
      expect(r.response.status).toBe(401);
    }
    // password.changed (after the lock is lifted by… waiting is slow: use a fresh user for the rest)
    let events = await eventsOf(uid);
    const succeeded = events.find((e) => e.type === 'login.succeeded')!;
    expect(succeeded).toMatchObject({ actorId: uid, subjectId: uid, ip: '127.0.0.1' });
    // Written with the session it records: the session of the tokens that login returned.
    expect(succeeded.data).toEqual({ sessionId: decodeParts(u.tokens.accessToken).payload.sid, clientId: 'default' });
    const failed = events.filter((e) => e.type === 'login.failed');
    expect(failed).toHaveLength(3);
    expect(failed[0]).toMatchObject({ actorId: null, subjectId: uid, userAgent: 'audit-test/1.0', data: expect.objectContaining({ reason: 'wrong_password' }) });
    expect(events.filter((e) => e.type === 'login.locked')).toHaveLength(1);

    const v = await newUser(t);
    const vid = v.user.id;
    // token.reused: rotate once, then present the old token again after the (zero) grace window
    const rotated = expectOk(await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: v.tokens.refreshToken } }));
    t.clock.advance(1000);
    expect((await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: v.tokens.refreshToken }, ...agent })).response.status).toBe(401);
    void rotated;

    // password.changed, session.logout, session.logout_all, session.revoked
    const s1 = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: v.user.username, password: v.password } }));
    const v1 = t.as(s1.accessToken);
    expect((await v1.POST('/api/v1/auth/password/change', { body: { currentPassword: v.password, newPassword: 'a-brand-new-password-1' } })).response.status).toBe(204);
    const s2 = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: v.user.username, password: 'a-brand-new-password-1' } }));
    const sid2 = JSON.parse(Buffer.from(s2.accessToken.split('.')[1], 'base64url').toString()).sid as string;
    expect((await v1.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id: sid2 } } })).response.status).toBe(204);
    expect((await v1.POST('/api/v1/auth/logout')).response.status).toBe(204);
    const s3 = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: v.user.username, password: 'a-brand-new-password-1' } }));
    expect((await t.as(s3.accessToken).POST('/api/v1/auth/logout-all')).response.status).toBe(204);

    events = await eventsOf(vid);
    const one = (type: Event['type']) => {
      const found = events.filter((e) => e.type === type);
      expect(found.length).toBeGreaterThanOrEqual(1);
      return found[0];
    };
    expect(one('token.reused')).toMatchObject({ actorId: null, subjectId: vid, userAgent: 'audit-test/1.0' });
    expect(one('password.changed')).toMatchObject({ actorId: vid, subjectId: vid });
    expect(one('session.revoked')).toMatchObject({ actorId: vid, subjectId: vid, data: { sessionId: sid2 } });
    expect(one('session.logout')).toMatchObject({ actorId: vid, subjectId: vid });
    expect(one('session.logout_all')).toMatchObject({ actorId: vid, subjectId: vid });

    // Administrative events: roles, permissions, assignments, user disabled / enabled / deleted
    const role = expectOk(await admin.POST('/api/v1/roles', { body: { name: `audited-${Date.now()}`, permissions: ['users:read'] } })) as { id: string; name: string };
    expectOk(await admin.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body: { description: 'described' } }));
    expectOk(await admin.PUT('/api/v1/roles/permissions', { body: { items: [{ roleId: role.id, permissions: ['audit:read'] }] } }));
    expectOk(await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: false } }));
    expectOk(await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: true } }));
    expectOk(await admin.PUT('/api/v1/users/{id}/roles', { params: { path: { id: vid } }, body: { roles: ['user', role.name] } }));
    expect((await admin.DELETE('/api/v1/roles/{id}', { params: { path: { id: role.id } } })).response.status).toBe(204);
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: vid } }, body: { status: 'disabled' } }));
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: vid } }, body: { status: 'active' } }));
    expect((await admin.DELETE('/api/v1/users/{id}', { params: { path: { id: vid } } })).response.status).toBe(204);

    const roleEvents = await eventsOf(role.id);
    const roleTypes = roleEvents.map((e) => e.type);
    expect(roleTypes).toEqual(expect.arrayContaining(['role.created', 'role.updated', 'role.permissions_changed', 'role.deactivated', 'role.activated', 'role.deleted']));
    expect(roleEvents.every((e) => e.actorId === adminId && e.subjectId === role.id)).toBe(true);
    const perms = roleEvents.find((e) => e.type === 'role.permissions_changed')!;
    expect(perms.data).toMatchObject({ before: ['users:read'], after: ['audit:read'] });

    events = await eventsOf(vid);
    for (const type of ['user.roles_assigned', 'user.disabled', 'user.enabled', 'user.deleted'] as const) {
      expect(one(type)).toMatchObject({ actorId: adminId, subjectId: vid, ip: '127.0.0.1' });
    }
  });

  it('filters by type and time and pages with a cursor', async () => {
    const all = expectOk(await admin.GET('/api/v1/audit-events', { params: { query: { type: 'login.succeeded', limit: 100 } } })).items;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((e) => e.type === 'login.succeeded')).toBe(true);
    const times = all.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = expectOk(await admin.GET('/api/v1/audit-events', { params: { query: { type: 'login.succeeded', limit: 2, cursor } } }));
      paged.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(all.map((e) => e.id));

    const future = new Date(Date.now() + 60_000).toISOString();
    expect(expectOk(await admin.GET('/api/v1/audit-events', { params: { query: { from: future } } })).items).toEqual([]);
    expect(expectOk(await admin.GET('/api/v1/audit-events', { params: { query: { to: future, type: 'login.succeeded', limit: 100 } } })).items).toHaveLength(all.length);
    expect((await admin.GET('/api/v1/audit-events', { params: { query: { type: 'nope' as never } } })).response.status).toBe(400);
    expect((await admin.GET('/api/v1/audit-events', { params: { query: { from: 'yesterday' } } })).response.status).toBe(400);
  });
});
