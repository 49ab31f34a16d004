import { expectOk, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { refreshUser, setRoles } from '../support/admin';
import { startTestApp, TestApp } from '../support/test-app';
import type { ApiClient } from '@identity-task/client';

const ZERO = '00000000-0000-4000-8000-000000000000';

describe('roles, permissions and applications', () => {
  let t: TestApp;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '10000' } });
    admin = (await loginAdmin(t)).api;
  });
  afterAll(() => t.close());

  it('refuses a plain user (403) on every admin route', async () => {
    const u = await newUser(t);
    const id = u.user.id;
    const calls: Promise<{ response: Response }>[] = [
      u.api.GET('/api/v1/permissions'),
      u.api.GET('/api/v1/roles'),
      u.api.POST('/api/v1/roles', { body: { name: 'x', permissions: [] } }),
      u.api.PATCH('/api/v1/roles/{id}', { params: { path: { id: ZERO } }, body: { description: 'x' } }),
      u.api.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: ZERO } }, body: { active: false } }),
      u.api.PUT('/api/v1/roles/permissions', { body: { items: [] } }),
      u.api.DELETE('/api/v1/roles/{id}', { params: { path: { id: ZERO } } }),
      u.api.GET('/api/v1/applications'),
      u.api.GET('/api/v1/applications/{id}', { params: { path: { id: ZERO } } }),
      u.api.POST('/api/v1/applications', { body: { clientId: 'nope', name: 'Nope' } }),
      u.api.PATCH('/api/v1/applications/{id}', { params: { path: { id: ZERO } }, body: { name: 'x' } }),
      u.api.DELETE('/api/v1/applications/{id}', { params: { path: { id: ZERO } } }),
      u.api.GET('/api/v1/users'),
      u.api.POST('/api/v1/users', { body: { username: 'nobody_x', password: 'a-long-enough-password' } }),
      u.api.GET('/api/v1/users/{id}', { params: { path: { id: ZERO } } }),
      u.api.GET('/api/v1/users/by-phone/{phone}', { params: { path: { phone: '+4712345678' } } }),
      u.api.PATCH('/api/v1/users/{id}', { params: { path: { id: ZERO } }, body: { firstName: 'x' } }),
      u.api.DELETE('/api/v1/users/{id}', { params: { path: { id: ZERO } } }),
      u.api.DELETE('/api/v1/users', { params: { query: { phone: '+4712345678' } } }),
      u.api.PUT('/api/v1/users/{id}/roles', { params: { path: { id } }, body: { roles: ['admin'] } }),
      u.api.GET('/api/v1/users/{id}/sessions', { params: { path: { id } } }),
      u.api.DELETE('/api/v1/users/{id}/sessions/{sid}', { params: { path: { id, sid: ZERO } } }),
      u.api.GET('/api/v1/audit-events'),
    ];
    const statuses = (await Promise.all(calls)).map((r) => r.response.status);
    expect(statuses).toEqual(calls.map(() => 403));
    // …and it changed nothing: the user still holds only `user`.
    const roles = expectOk(await admin.GET('/api/v1/users', { params: { query: { role: 'admin' } } }));
    expect(roles.items.map((x) => x.id)).not.toContain(id);
  });

  it('lists the permission catalogue and the system roles', async () => {
    const perms = expectOk(await admin.GET('/api/v1/permissions'));
    expect(perms.items.map((p) => p.name)).toEqual(expect.arrayContaining(['tasks:read:own', 'roles:write', 'audit:read']));
    const roles = expectOk(await admin.GET('/api/v1/roles'));
    const system = roles.items.filter((r) => r.system).map((r) => r.name).sort();
    expect(system).toEqual(['admin', 'user']);
  });

  it('a new role granted to a user works after refresh and stops the moment it is deactivated', async () => {
    const u = await newUser(t);
    expect((await u.api.GET('/api/v1/audit-events')).response.status).toBe(403);
    const role = expectOk(await admin.POST('/api/v1/roles', { body: { name: `auditor-${Date.now()}`, permissions: ['audit:read'] } })) as { id: string; name: string };
    const assigned = await setRoles(admin, u.user.id, ['user', role.name]);
    expect(assigned.roles.map((r) => r.name).sort()).toEqual([role.name, 'user'].sort());

    // The current token still carries the old roles; the next refresh picks up the new one.
    expect((await u.api.GET('/api/v1/audit-events')).response.status).toBe(403);
    await refreshUser(t, u);
    expect((await u.api.GET('/api/v1/audit-events')).response.status).toBe(200);

    const off = expectOk(await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: false } }));
    expect(off.active).toBe(false);
    // Same access token, no refresh: the deactivated role grants nothing any more.
    expect((await u.api.GET('/api/v1/audit-events')).response.status).toBe(403);
    expect(expectOk(await admin.GET('/api/v1/roles', { params: { query: { active: false } } })).items.map((r) => r.id)).toContain(role.id);

    expectOk(await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: true } }));
    expect((await u.api.GET('/api/v1/audit-events')).response.status).toBe(200);
    // Removing the permission from the role also takes effect at once.
    expectOk(await admin.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body: { permissions: ['notifications:read'] } }));
    expect((await u.api.GET('/api/v1/audit-events')).response.status).toBe(403);
  });

  it('creates many roles in one request, all or nothing', async () => {
    const a = `bulk-a-${Date.now()}`;
    const b = `bulk-b-${Date.now()}`;
    const bad = await admin.POST('/api/v1/roles', { body: { items: [{ name: a, permissions: ['tasks:read:any'] }, { name: b, permissions: ['no:such:permission'] }] } });
    expect(bad.response.status).toBe(400);
    expect((bad.error as { code: string }).code).toBe('UNKNOWN_PERMISSION');
    const dup = await admin.POST('/api/v1/roles', { body: { items: [{ name: a, permissions: [] }, { name: a.toUpperCase(), permissions: [] }] } });
    expect(dup.response.status).toBe(409);
    let names = expectOk(await admin.GET('/api/v1/roles')).items.map((r) => r.name);
    expect(names).not.toContain(a);

    const ok = expectOk(await admin.POST('/api/v1/roles', { body: { items: [{ name: a, permissions: ['tasks:read:any'] }, { name: b, permissions: [] }] } })) as { items: { name: string }[] };
    expect(ok.items.map((r) => r.name)).toEqual([a, b]);
    names = expectOk(await admin.GET('/api/v1/roles')).items.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining([a, b]));
  });

  it('a bulk permission update with one unknown role changes nothing', async () => {
    const r1 = expectOk(await admin.POST('/api/v1/roles', { body: { name: `p1-${Date.now()}`, permissions: ['tasks:read:any'] } })) as { id: string };
    const r2 = expectOk(await admin.POST('/api/v1/roles', { body: { name: `p2-${Date.now()}`, permissions: ['users:read'] } })) as { id: string };
    const bad = await admin.PUT('/api/v1/roles/permissions', {
      body: { items: [{ roleId: r1.id, permissions: ['audit:read'] }, { roleId: ZERO, permissions: ['audit:read'] }, { roleId: r2.id, permissions: ['audit:read'] }] },
    });
    expect(bad.response.status).toBe(404);
    expect((bad.error as { code: string }).code).toBe('ROLE_NOT_FOUND');
    const unknownPermission = await admin.PUT('/api/v1/roles/permissions', {
      body: { items: [{ roleId: r1.id, permissions: ['audit:read'] }, { roleId: r2.id, permissions: ['bogus'] }] },
    });
    expect(unknownPermission.response.status).toBe(400);
    const byId = new Map(expectOk(await admin.GET('/api/v1/roles')).items.map((r) => [r.id, r.permissions]));
    expect(byId.get(r1.id)).toEqual(['tasks:read:any']);
    expect(byId.get(r2.id)).toEqual(['users:read']);

    const ok = expectOk(await admin.PUT('/api/v1/roles/permissions', { body: { items: [{ roleId: r1.id, permissions: ['audit:read'] }, { roleId: r2.id, permissions: [] }] } }));
    expect(ok.items.map((r) => r.permissions)).toEqual([['audit:read'], []]);
  });

  it('system roles cannot be deleted, renamed or deactivated', async () => {
    const roles = expectOk(await admin.GET('/api/v1/roles')).items;
    for (const name of ['admin', 'user']) {
      const role = roles.find((r) => r.name === name && r.system)!;
      const del = await admin.DELETE('/api/v1/roles/{id}', { params: { path: { id: role.id } } });
      expect(del.response.status).toBe(409);
      expect((del.error as { code: string }).code).toBe('SYSTEM_ROLE_PROTECTED');
      expect((await admin.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body: { name: `${name}2` } })).response.status).toBe(409);
      expect((await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: role.id } }, body: { active: false } })).response.status).toBe(409);
    }
    expect(expectOk(await admin.GET('/api/v1/roles')).items.filter((r) => r.system && r.active)).toHaveLength(2);

    const custom = expectOk(await admin.POST('/api/v1/roles', { body: { name: `temp-${Date.now()}`, permissions: [] } })) as { id: string };
    expect((await admin.DELETE('/api/v1/roles/{id}', { params: { path: { id: custom.id } } })).response.status).toBe(204);
    expect((await admin.DELETE('/api/v1/roles/{id}', { params: { path: { id: custom.id } } })).response.status).toBe(404);
  });

  it('manages applications; the default one is protected; clientId selects audience and roles', async () => {
    const apps = expectOk(await admin.GET('/api/v1/applications')).items;
    const def = apps.find((a) => a.isDefault)!;
    expect(def.clientId).toBe('default');
    expect((await admin.DELETE('/api/v1/applications/{id}', { params: { path: { id: def.id } } })).response.status).toBe(409);

    const clientId = `app-${Date.now()}`;
    const app = expectOk(await admin.POST('/api/v1/applications', { body: { clientId, name: 'Shop' } }));
    expect(app).toMatchObject({ clientId, name: 'Shop', active: true, isDefault: false });
    expect((await admin.POST('/api/v1/applications', { body: { clientId, name: 'Again' } })).response.status).toBe(409);
    expect(expectOk(await admin.PATCH('/api/v1/applications/{id}', { params: { path: { id: app.id } }, body: { name: 'Shop 2' } })).name).toBe('Shop 2');

    const role = expectOk(await admin.POST('/api/v1/roles', { body: { name: 'clerk', permissions: ['users:read'], applicationId: app.id } })) as { id: string };
    const u = await newUser(t);
    await setRoles(admin, u.user.id, ['clerk'], app.id);
    const inApp = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password, clientId } }));
    const claims = JSON.parse(Buffer.from(inApp.accessToken.split('.')[1], 'base64url').toString());
    expect(claims.aud).toBe(clientId);
    expect([...claims.roles].sort()).toEqual([`app:${clientId}:clerk`, 'user']);
    expect((await t.as(inApp.accessToken).GET('/api/v1/users')).response.status).toBe(200);
    // The same user in the default application: the app-scoped role does not count.
    await refreshUser(t, u);
    expect((await u.api.GET('/api/v1/users')).response.status).toBe(403);

    expectOk(await admin.PATCH('/api/v1/applications/{id}', { params: { path: { id: app.id } }, body: { active: false } }));
    const refused = await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password, clientId } });
    expect(refused.response.status).toBe(400);
    expect((await admin.DELETE('/api/v1/applications/{id}', { params: { path: { id: app.id } } })).response.status).toBe(204);
    expect(expectOk(await admin.GET('/api/v1/roles')).items.map((r) => r.id)).not.toContain(role.id);
  });

  describe('an application admin', () => {
    let appX: { id: string; clientId: string };
    let appY: { id: string; clientId: string };
    let xAdmin: TestUser;
    let xApi: ApiClient;
    let yRole: { id: string };
    let globalRole: { id: string; name: string };

    beforeAll(async () => {
      appX = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `x-${Date.now()}`, name: 'X' } }));
      appY = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `y-${Date.now()}`, name: 'Y' } }));
      expectOk(await admin.POST('/api/v1/roles', { body: { name: 'x-admin', permissions: ['roles:read', 'roles:write', 'roles:assign', 'users:read'], applicationId: appX.id } }));
      yRole = expectOk(await admin.POST('/api/v1/roles', { body: { name: 'y-member', permissions: [], applicationId: appY.id } })) as { id: string };
      globalRole = expectOk(await admin.POST('/api/v1/roles', { body: { name: `global-${Date.now()}`, permissions: [] } })) as { id: string; name: string };
      xAdmin = await newUser(t);
      await setRoles(admin, xAdmin.user.id, ['x-admin'], appX.id);
      const tokens = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: xAdmin.user.username, password: xAdmin.password, clientId: appX.clientId } }));
      xApi = t.as(tokens.accessToken);
    });

    it('manages its application’s roles and members', async () => {
      const role = expectOk(await xApi.POST('/api/v1/roles', { body: { name: 'x-editor', permissions: ['roles:read'], applicationId: appX.id } })) as { id: string };
      expectOk(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: role.id } }, body: { description: 'edits X' } }));
      const member = await newUser(t);
      const set = await setRoles(xApi, member.user.id, ['x-editor'], appX.id);
      expect(set.roles.map((r) => r.name)).toEqual(['x-editor']);
      const listed = expectOk(await xApi.GET('/api/v1/roles')).items;
      expect(listed.every((r) => r.applicationId === appX.id)).toBe(true);
      expect((await xApi.DELETE('/api/v1/roles/{id}', { params: { path: { id: role.id } } })).response.status).toBe(204);
    });

    it('cannot touch another application’s or the global roles, nor their members', async () => {
      const expectOutside = (r: { response: Response; error?: unknown }) => {
        expect(r.response.status).toBe(403);
        expect((r.error as { code: string }).code).toBe('OUTSIDE_APPLICATION');
      };
      expectOutside(await xApi.POST('/api/v1/roles', { body: { name: 'sneaky', permissions: [], applicationId: appY.id } }));
      expectOutside(await xApi.POST('/api/v1/roles', { body: { name: 'sneaky', permissions: [] } }));
      expectOutside(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: yRole.id } }, body: { description: 'mine now' } }));
      expectOutside(await xApi.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: globalRole.id } }, body: { active: false } }));
      expectOutside(await xApi.DELETE('/api/v1/roles/{id}', { params: { path: { id: yRole.id } } }));
      expectOutside(await xApi.PUT('/api/v1/roles/permissions', { body: { items: [{ roleId: yRole.id, permissions: [] }] } }));
      const victim = await newUser(t);
      expectOutside(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: ['y-member'], applicationId: appY.id } }));
      expectOutside(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: ['admin'] } }));
      // Nor escalate inside its own application: it cannot grant what it does not hold.
      const escalate = await xApi.POST('/api/v1/roles', { body: { name: 'x-super', permissions: ['applications:write'], applicationId: appX.id } });
      expect(escalate.response.status).toBe(403);
      expect((escalate.error as { code: string }).code).toBe('PERMISSION_NOT_HELD');
      // Nothing changed.
      const roles = expectOk(await admin.GET('/api/v1/roles')).items;
      expect(roles.find((r) => r.id === yRole.id)?.description).toBeNull();
      expect(roles.find((r) => r.id === globalRole.id)?.active).toBe(true);
      expect(roles.map((r) => r.name)).not.toContain('sneaky');
    });

    it('has no admin rights in the default application', async () => {
      const tokens = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: xAdmin.user.username, password: xAdmin.password } }));
      expect((await t.as(tokens.accessToken).GET('/api/v1/roles')).response.status).toBe(403);
    });
  });

  it('refuses unknown roles on assignment and leaves the previous ones', async () => {
    const u = await newUser(t);
    const bad = await admin.PUT('/api/v1/users/{id}/roles', { params: { path: { id: u.user.id } }, body: { roles: ['user', 'no-such-role'] } });
    expect(bad.response.status).toBe(400);
    expect((bad.error as { code: string }).code).toBe('UNKNOWN_ROLE');
    const listed = expectOk(await admin.GET('/api/v1/users', { params: { query: { role: 'user', q: u.user.username } } }));
    expect(listed.items.map((x) => x.id)).toEqual([u.user.id]);
    expect((await admin.PUT('/api/v1/users/{id}/roles', { params: { path: { id: ZERO } }, body: { roles: [] } })).response.status).toBe(404);
  });
});
