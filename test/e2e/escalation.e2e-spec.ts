import { expectOk, loginAdmin, newUser, TestUser, WITH_ADMIN } from '../support/factories';
import { setRoles } from '../support/admin';
import { sql } from '../support/db';
import { decodeParts } from '../support/tokens';
import { startTestApp, TestApp } from '../support/test-app';
import type { ApiClient } from '@identity-task/client';

type Result = { response: Response; error?: unknown };

function expectProblem(r: Result, status: number, code: string): void {
  expect({ status: r.response.status, code: (r.error as { code?: string } | undefined)?.code }).toEqual({ status, code });
  expect(r.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

const rolesOf = (token: string) => decodeParts(token).payload.roles as string[];

/** Polls `check` until it holds, for at most `ms`. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an application admin cannot escalate beyond its application', () => {
  let t: TestApp;
  let admin: ApiClient;
  let appX: { id: string; clientId: string };
  let appY: { id: string; clientId: string };
  let attacker: TestUser;
  let xApi: ApiClient;
  let xToken: string;
  /** An X role a global admin made with a permission the X admin lacks (deactivated). */
  let xSuper: { id: string; name: string };
  let yRole: { id: string; name: string };

  const loginTo = async (u: TestUser, clientId?: string) =>
    expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password, clientId } }));

  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '10000' } });
    admin = (await loginAdmin(t)).api;
    const stamp = Date.now();
    appX = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `esc-x-${stamp}`, name: 'X' } }));
    appY = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `esc-y-${stamp}`, name: 'Y' } }));
    expectOk(await admin.POST('/api/v1/roles', { body: { name: 'x-admin', permissions: ['roles:read', 'roles:write', 'roles:assign', 'users:read'], applicationId: appX.id } }));
    xSuper = expectOk(await admin.POST('/api/v1/roles', { body: { name: 'x-super', permissions: ['applications:write'], applicationId: appX.id } })) as { id: string; name: string };
    expectOk(await admin.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: xSuper.id } }, body: { active: false } }));
    yRole = expectOk(await admin.POST('/api/v1/roles', { body: { name: 'y-member', permissions: [], applicationId: appY.id } })) as { id: string; name: string };
    attacker = await newUser(t);
    await setRoles(admin, attacker.user.id, ['x-admin'], appX.id);
    xToken = (await loginTo(attacker, appX.clientId)).accessToken;
    xApi = t.as(xToken);
  });
  afterAll(() => t.close());

  it('tokens name application roles app:<clientId>:<name> and global roles plainly', async () => {
    expect([...rolesOf(xToken)].sort()).toEqual([`app:${appX.clientId}:x-admin`, 'user']);
    const { tokens } = await loginAdmin(t);
    expect(rolesOf(tokens.accessToken)).toEqual(['admin', 'user']);
  });

  it('the four-request attack fails at every step', async () => {
    // 1. An X role named like the global admin: refused, in any letter case.
    for (const name of ['admin', 'Admin', 'USER']) {
      expectProblem(await xApi.POST('/api/v1/roles', { body: { name, permissions: ['roles:read'], applicationId: appX.id } }), 409, 'ROLE_NAME_SHADOWS_GLOBAL');
    }
    // …nor by renaming one, nor by spelling a qualified name.
    const decoy = expectOk(await xApi.POST('/api/v1/roles', { body: { name: 'decoy', permissions: ['roles:read'], applicationId: appX.id } })) as { id: string };
    expectProblem(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: decoy.id } }, body: { name: 'admin' } }), 409, 'ROLE_NAME_SHADOWS_GLOBAL');
    expectProblem(await xApi.POST('/api/v1/roles', { body: { name: `app:${appX.clientId}:admin`, permissions: [], applicationId: appX.id } }), 400, 'ROLE_NAME_RESERVED');
    expectProblem(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: decoy.id } }, body: { name: 'App:default:admin' } }), 400, 'ROLE_NAME_RESERVED');

    // 2. Assigning `admin` in X: there is no such role in X.
    expectProblem(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: attacker.user.id } }, body: { roles: ['admin'], applicationId: appX.id } }), 400, 'UNKNOWN_ROLE');
    // 3. Signing in again: the token names the X role qualified; nothing global comes with it.
    const again = await loginTo(attacker, appX.clientId);
    expect(rolesOf(again.accessToken)).not.toContain('admin');
    expect((await t.as(again.accessToken).GET('/api/v1/audit-events')).response.status).toBe(403);
    // 4. Making it permanent: the global roles are beyond an application admin's reach.
    expectProblem(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: attacker.user.id } }, body: { roles: ['admin'] } }), 403, 'OUTSIDE_APPLICATION');

    const admins = expectOk(await admin.GET('/api/v1/users', { params: { query: { role: 'admin' } } }));
    expect(admins.items.map((u) => u.id)).not.toContain(attacker.user.id);
    expect(expectOk(await admin.GET('/api/v1/roles')).items.filter((r) => r.name.toLowerCase() === 'admin').map((r) => r.applicationId)).toEqual([null]);
  });

  it('a legacy application role named like a global one is still read as the application’s role', async () => {
    // Data from before the rule: written behind the trigger's back, as an old release could have.
    await sql(t.db.url, `ALTER TABLE roles DISABLE TRIGGER "TRG_roles_name_one_scope"`);
    const [legacy] = await sql<{ id: string }>(t.db.url, `INSERT INTO roles (name, permissions, application_id) VALUES ('admin', '{notifications:read}', $1) RETURNING id`, [appX.id]);
    await sql(t.db.url, `ALTER TABLE roles ENABLE TRIGGER "TRG_roles_name_one_scope"`);
    await sql(t.db.url, `INSERT INTO user_roles (user_id, role_id) VALUES ($1, $2)`, [attacker.user.id, legacy.id]);
    await sql(t.db.url, `SELECT pg_notify('access_changed', 'changed')`);
    const tokens = await loginTo(attacker, appX.clientId);
    expect(rolesOf(tokens.accessToken)).toContain(`app:${appX.clientId}:admin`);
    const api = t.as(tokens.accessToken);
    // The catalogue has the legacy role once its own permission works…
    await eventually(async () => (await api.GET('/api/v1/notifications')).response.status === 200);
    // …and none of the global admin's.
    expect((await api.GET('/api/v1/audit-events')).response.status).toBe(403);
    expect((await api.GET('/api/v1/applications')).response.status).toBe(403);
    expectProblem(await api.PUT('/api/v1/users/{id}/roles', { params: { path: { id: attacker.user.id } }, body: { roles: ['admin', 'user'] } }), 403, 'OUTSIDE_APPLICATION');
    await sql(t.db.url, `DELETE FROM roles WHERE id = $1`, [legacy.id]);
    await sql(t.db.url, `SELECT pg_notify('access_changed', 'changed')`);
  });

  it('one name, one scope: a global role cannot take an application role’s name either', async () => {
    expectProblem(await admin.POST('/api/v1/roles', { body: { name: 'X-Admin', permissions: [] } }), 409, 'ROLE_NAME_SHADOWS_GLOBAL');
    expectProblem(await admin.POST('/api/v1/roles', { body: { name: 'admin', permissions: [], applicationId: appY.id } }), 409, 'ROLE_NAME_SHADOWS_GLOBAL');
    // Other applications may share a name; the same application may not.
    expectOk(await admin.POST('/api/v1/roles', { body: { name: 'x-admin', permissions: [], applicationId: appY.id } }));
    expectProblem(await admin.POST('/api/v1/roles', { body: { name: 'x-admin', permissions: [], applicationId: appX.id } }), 409, 'ROLE_NAME_TAKEN');
  });

  it('a batch with one shadowing role creates nothing', async () => {
    const name = `batch-ok-${Date.now()}`;
    const r = await xApi.POST('/api/v1/roles', {
      body: { items: [{ name, permissions: [], applicationId: appX.id }, { name: 'user', permissions: [], applicationId: appX.id }] },
    });
    expectProblem(r, 409, 'ROLE_NAME_SHADOWS_GLOBAL');
    expect(expectOk(await admin.GET('/api/v1/roles')).items.map((x) => x.name)).not.toContain(name);
    // A batch reaching into the global scope or another application: refused before anything is written.
    expectProblem(await xApi.POST('/api/v1/roles', { body: { items: [{ name, permissions: [], applicationId: appX.id }, { name: `${name}-g`, permissions: [] }] } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await xApi.POST('/api/v1/roles', { body: { items: [{ name, permissions: [], applicationId: appY.id }] } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await xApi.POST('/api/v1/roles', { body: { items: [{ name, permissions: ['audit:read'], applicationId: appX.id }] } }), 403, 'PERMISSION_NOT_HELD');
    expect(expectOk(await admin.GET('/api/v1/roles')).items.map((x) => x.name)).not.toContain(name);
  });

  it('cannot edit, revive, delete or bulk-edit a role that grants what it lacks, nor roles of other scopes', async () => {
    const roles = expectOk(await admin.GET('/api/v1/roles')).items;
    const globalAdmin = roles.find((r) => r.name === 'admin' && r.system)!;
    const own = expectOk(await xApi.POST('/api/v1/roles', { body: { name: `own-${Date.now()}`, permissions: ['roles:read'], applicationId: appX.id } })) as { id: string };

    expectProblem(await xApi.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: xSuper.id } }, body: { active: true } }), 403, 'PERMISSION_NOT_HELD');
    expectProblem(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: xSuper.id } }, body: { permissions: [] } }), 403, 'PERMISSION_NOT_HELD');
    expectProblem(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: xSuper.id } }, body: { description: 'mine' } }), 403, 'PERMISSION_NOT_HELD');
    expectProblem(await xApi.DELETE('/api/v1/roles/{id}', { params: { path: { id: xSuper.id } } }), 403, 'PERMISSION_NOT_HELD');
    expectProblem(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: own.id } }, body: { permissions: ['roles:read', 'users:write'] } }), 403, 'PERMISSION_NOT_HELD');
    expectProblem(await xApi.PATCH('/api/v1/roles/{id}/status', { params: { path: { id: globalAdmin.id } }, body: { active: false } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await xApi.PATCH('/api/v1/roles/{id}', { params: { path: { id: yRole.id } }, body: { description: 'mine' } }), 403, 'OUTSIDE_APPLICATION');
    // Bulk: one item beyond reach and nothing changes.
    const bulk = async (items: { roleId: string; permissions: string[] }[]) => xApi.PUT('/api/v1/roles/permissions', { body: { items } });
    expectProblem(await bulk([{ roleId: own.id, permissions: [] }, { roleId: globalAdmin.id, permissions: [] }]), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await bulk([{ roleId: own.id, permissions: [] }, { roleId: yRole.id, permissions: [] }]), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await bulk([{ roleId: own.id, permissions: [] }, { roleId: xSuper.id, permissions: [] }]), 403, 'PERMISSION_NOT_HELD');
    expectProblem(await bulk([{ roleId: own.id, permissions: ['applications:write'] }]), 403, 'PERMISSION_NOT_HELD');

    const after = new Map(expectOk(await admin.GET('/api/v1/roles')).items.map((r) => [r.id, r]));
    expect(after.get(xSuper.id)).toMatchObject({ active: false, permissions: ['applications:write'], description: null });
    expect(after.get(own.id)?.permissions).toEqual(['roles:read']);
    expect(after.get(yRole.id)?.description).toBeNull();
    expect(after.get(globalAdmin.id)?.active).toBe(true);
  });

  it('assigns and removes only roles of its application that grant nothing beyond its own permissions', async () => {
    const victim = await newUser(t);
    expectProblem(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: ['user', 'admin'] } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: [] } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: [yRole.name], applicationId: appY.id } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: [xSuper.name], applicationId: appX.id } }), 403, 'PERMISSION_NOT_HELD');
    // A member a global admin gave x-super: the X admin can neither take it away nor keep-and-add past it.
    await setRoles(admin, victim.user.id, [xSuper.name], appX.id);
    expectProblem(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: [], applicationId: appX.id } }), 403, 'PERMISSION_NOT_HELD');
    const kept = expectOk(await xApi.PUT('/api/v1/users/{id}/roles', { params: { path: { id: victim.user.id } }, body: { roles: [xSuper.name, 'decoy'], applicationId: appX.id } }));
    expect(kept.roles.map((r) => r.name).sort()).toEqual(['decoy', xSuper.name]);
  });
});

describe('an application admin with users:write, applications:write and tokens:introspect stays in its application', () => {
  let t: TestApp;
  let admin: ApiClient;
  let rootId: string;
  let appX: { id: string; clientId: string };
  let appY: { id: string; clientId: string };
  let ops: ApiClient;
  let member: TestUser;
  let outsider: TestUser;
  let twoApps: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '10000' } });
    const root = await loginAdmin(t);
    admin = root.api;
    rootId = decodeParts(root.tokens.accessToken).payload.sub as string;
    const stamp = Date.now();
    appX = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `ops-x-${stamp}`, name: 'X' } }));
    appY = expectOk(await admin.POST('/api/v1/applications', { body: { clientId: `ops-y-${stamp}`, name: 'Y' } }));
    const perms = ['users:read', 'users:write', 'applications:write', 'tokens:introspect', 'roles:read', 'roles:write', 'roles:assign', 'audit:read', 'tasks:read:any'];
    expectOk(await admin.POST('/api/v1/roles', { body: { name: 'x-ops', permissions: perms, applicationId: appX.id } }));
    expectOk(await admin.POST('/api/v1/roles', { body: { name: 'x-member', permissions: [], applicationId: appX.id } }));
    expectOk(await admin.POST('/api/v1/roles', { body: { name: 'y-member', permissions: [], applicationId: appY.id } }));
    expectOk(await admin.POST('/api/v1/roles', { body: { name: 'x-auditor', permissions: ['audit:read'], applicationId: appX.id } }));
    const opsUser = await newUser(t);
    await setRoles(admin, opsUser.user.id, ['x-ops'], appX.id);
    ops = t.as(expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: opsUser.user.username, password: opsUser.password, clientId: appX.clientId } })).accessToken);
    member = await newUser(t);
    outsider = await newUser(t);
    twoApps = await newUser(t);
    for (const u of [member, twoApps]) await setRoles(admin, u.user.id, ['x-member'], appX.id);
    await setRoles(admin, twoApps.user.id, ['y-member'], appY.id);
    // The global admin is a member of X too: membership alone does not put it within reach.
    await setRoles(admin, rootId, ['x-member'], appX.id);
  });
  afterAll(() => t.close());

  it('reads its application’s members only', async () => {
    const listed = expectOk(await ops.GET('/api/v1/users', { params: { query: { limit: 100 } } })).items.map((u) => u.id);
    expect(listed).toEqual(expect.arrayContaining([member.user.id, twoApps.user.id, rootId]));
    expect(listed).not.toContain(outsider.user.id);
    expectProblem(await ops.GET('/api/v1/users', { params: { query: { applicationId: appY.id } } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await ops.GET('/api/v1/users/{id}', { params: { path: { id: outsider.user.id } } }), 403, 'OUTSIDE_APPLICATION');
    expectOk(await ops.GET('/api/v1/users/{id}', { params: { path: { id: member.user.id } } }));
  });

  it('changes, disables, creates and deletes no account — accounts are global, even its members’', async () => {
    const email = `taken-${Date.now()}@example.test`;
    for (const id of [rootId, outsider.user.id, twoApps.user.id, member.user.id]) {
      expectProblem(await ops.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { email } }), 403, 'OUTSIDE_APPLICATION');
      expectProblem(await ops.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { firstName: 'Owned' } }), 403, 'OUTSIDE_APPLICATION');
      expectProblem(await ops.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: { status: 'disabled' } }), 403, 'OUTSIDE_APPLICATION');
      expectProblem(await ops.DELETE('/api/v1/users/{id}', { params: { path: { id } } }), 403, 'OUTSIDE_APPLICATION');
    }
    const name = `ops_made_${Date.now()}`;
    expectProblem(await ops.POST('/api/v1/users', { body: { username: name, password: 'a-long-enough-password-1', email: `${name}@example.test`, emailVerified: true } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await ops.POST('/api/v1/users', { body: { username: name, password: 'a-long-enough-password-1' } }), 403, 'OUTSIDE_APPLICATION');
    // The drag-in-then-take-over path: making an outsider a member gives no hold on the account.
    await setRoles(ops, outsider.user.id, ['x-member'], appX.id);
    expectProblem(await ops.PATCH('/api/v1/users/{id}', { params: { path: { id: outsider.user.id } }, body: { email } }), 403, 'OUTSIDE_APPLICATION');
    // Nothing changed: the global admin still signs in with its own address.
    const root = expectOk(await admin.GET('/api/v1/users/{id}', { params: { path: { id: rootId } } }));
    expect(root).toMatchObject({ email: 'root@example.test', status: 'active' });
    await loginAdmin(t);
    const users = expectOk(await admin.GET('/api/v1/users', { params: { query: { q: name } } }));
    expect(users.items).toEqual([]);
    for (const u of [member, outsider, twoApps]) expect(expectOk(await admin.GET('/api/v1/users/{id}', { params: { path: { id: u.user.id } } })).status).not.toBe('disabled');
  });

  it('ends only its application’s sessions of its own members', async () => {
    const inX = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: member.user.username, password: member.password, clientId: appX.clientId } }));
    const sessions = expectOk(await ops.GET('/api/v1/users/{id}/sessions', { params: { path: { id: member.user.id } } })).items;
    expect(sessions.map((x) => x.clientId)).toEqual([appX.clientId]);
    const all = expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: member.user.id } } })).items;
    const elsewhere = all.find((x) => x.clientId !== appX.clientId)!;
    expectProblem(await ops.DELETE('/api/v1/users/{id}/sessions/{sid}', { params: { path: { id: member.user.id, sid: elsewhere.id } } }), 404, 'SESSION_NOT_FOUND');
    expect((await ops.DELETE('/api/v1/users/{id}/sessions/{sid}', { params: { path: { id: member.user.id, sid: sessions[0].id } } })).response.status).toBe(204);
    expect((await t.as(inX.accessToken).GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await member.api.GET('/api/v1/users/me')).response.status).toBe(200);
    // A global admin, another application's member: not even their sessions in X.
    for (const id of [rootId, twoApps.user.id]) {
      expectProblem(await ops.GET('/api/v1/users/{id}/sessions', { params: { path: { id } } }), 403, 'OUTSIDE_APPLICATION');
    }
    const [rootSession] = expectOk(await admin.GET('/api/v1/users/{id}/sessions', { params: { path: { id: rootId } } })).items;
    expectProblem(await ops.DELETE('/api/v1/users/{id}/sessions/{sid}', { params: { path: { id: rootId, sid: rootSession.id } } }), 403, 'OUTSIDE_APPLICATION');
  });

  it('sees and edits its own application only; creating and deleting applications needs a global admin', async () => {
    expect(expectOk(await ops.GET('/api/v1/applications')).items.map((a) => a.id)).toEqual([appX.id]);
    expectProblem(await ops.GET('/api/v1/applications/{id}', { params: { path: { id: appY.id } } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await ops.PATCH('/api/v1/applications/{id}', { params: { path: { id: appY.id } }, body: { active: false } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await ops.POST('/api/v1/applications', { body: { clientId: `ops-new-${Date.now()}`, name: 'New' } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await ops.DELETE('/api/v1/applications/{id}', { params: { path: { id: appY.id } } }), 403, 'OUTSIDE_APPLICATION');
    expectProblem(await ops.DELETE('/api/v1/applications/{id}', { params: { path: { id: appX.id } } }), 403, 'OUTSIDE_APPLICATION');
    expect(expectOk(await ops.PATCH('/api/v1/applications/{id}', { params: { path: { id: appX.id } }, body: { name: 'X renamed' } })).name).toBe('X renamed');
    expect(expectOk(await admin.GET('/api/v1/applications/{id}', { params: { path: { id: appY.id } } })).active).toBe(true);
  });

  it('introspects its application’s tokens only', async () => {
    const inX = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: member.user.username, password: member.password, clientId: appX.clientId } }));
    expect(expectOk(await ops.POST('/api/v1/auth/introspect', { body: { token: inX.accessToken } }))).toMatchObject({ active: true, aud: appX.clientId });
    expectProblem(await ops.POST('/api/v1/auth/introspect', { body: { token: member.tokens.accessToken } }), 403, 'OUTSIDE_APPLICATION');
  });

  it('hands out no permission that reaches beyond any application, even one it holds', async () => {
    expectProblem(await ops.POST('/api/v1/roles', { body: { name: 'x-reader', permissions: ['tasks:read:any'], applicationId: appX.id } }), 403, 'PERMISSION_BEYOND_APPLICATION');
    const plain = expectOk(await ops.POST('/api/v1/roles', { body: { name: 'x-plain', permissions: ['users:read'], applicationId: appX.id } })) as { id: string };
    expectProblem(await ops.PATCH('/api/v1/roles/{id}', { params: { path: { id: plain.id } }, body: { permissions: ['users:read', 'audit:read'] } }), 403, 'PERMISSION_BEYOND_APPLICATION');
    expectProblem(await ops.PUT('/api/v1/roles/permissions', { body: { items: [{ roleId: plain.id, permissions: ['tasks:read:any'] }] } }), 403, 'PERMISSION_BEYOND_APPLICATION');
    expectProblem(await ops.PUT('/api/v1/users/{id}/roles', { params: { path: { id: member.user.id } }, body: { roles: ['x-auditor'], applicationId: appX.id } }), 403, 'PERMISSION_BEYOND_APPLICATION');
    expect(expectOk(await admin.GET('/api/v1/roles')).items.find((r) => r.id === plain.id)?.permissions).toEqual(['users:read']);
  });
});
