import { expectOk, loginAdmin, newUser, WITH_ADMIN } from '../support/factories';
import { connectTasks, disconnected } from '../support/sockets';
import { sql } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

/** Rules that span features: what administration does to tasks, sockets and the audit log. */
describe('administration across features', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { ...WITH_ADMIN, AUTH_RATE_LIMIT: '100000', OTP_TEST_DESTINATIONS: 'reset.audit@example.test=424242' } });
  });
  afterAll(() => t.close());

  it('deleting a user (by id) deletes the tasks they own and unassigns those assigned to them', async () => {
    const admin = (await loginAdmin(t)).api;
    const doomed = await newUser(t);
    const other = await newUser(t);
    const owned = expectOk(await doomed.api.POST('/api/v1/tasks', { body: { title: 'mine', assigneeId: other.user.id } }));
    const assigned = expectOk(await other.api.POST('/api/v1/tasks', { body: { title: 'theirs', assigneeId: doomed.user.id } }));

    expect((await admin.DELETE('/api/v1/users/{id}', { params: { path: { id: doomed.user.id } } })).response.status).toBe(204);

    expect((await other.api.GET('/api/v1/tasks/{id}', { params: { path: { id: owned.id } } })).response.status).toBe(404);
    const kept = expectOk(await other.api.GET('/api/v1/tasks/{id}', { params: { path: { id: assigned.id } } }));
    expect(kept.assigneeId).toBeNull();
    expect(await sql(t.db.url, `SELECT count(*)::int AS n FROM tasks WHERE owner_id = $1`, [doomed.user.id])).toEqual([{ n: 0 }]);
    // Their tokens died with the account.
    expect((await doomed.api.GET('/api/v1/users/me')).response.status).toBe(401);
  });

  it('disabling a user refuses their tokens and disconnects their live sockets at once', async () => {
    const admin = (await loginAdmin(t)).api;
    const u = await newUser(t);
    const socket = await connectTasks(t, { token: u.tokens.accessToken });
    const gone = disconnected(socket.socket);
    expectOk(await admin.PATCH('/api/v1/users/{id}', { params: { path: { id: u.user.id } }, body: { status: 'disabled' } }));
    await expect(gone).resolves.toBeDefined();
    expect((await u.api.GET('/api/v1/users/me')).response.status).toBe(401);
    expect((await t.api.POST('/api/v1/auth/refresh', { body: { refreshToken: u.tokens.refreshToken } })).response.status).toBe(401);
    socket.close();
  });

  it('a password reset is in the audit log, with no actor and the account as subject', async () => {
    const email = 'reset.audit@example.test';
    const u = await newUser(t, { email });
    expect((await t.api.POST('/api/v1/auth/otp/request', { body: { channel: 'email', destination: email, purpose: 'reset' } })).response.status).toBe(202);
    const { verificationToken } = expectOk(
      await t.api.POST('/api/v1/auth/otp/verify', { body: { channel: 'email', destination: email, purpose: 'reset', code: '424242' } }),
    ) as { verificationToken: string };
    expect((await t.api.POST('/api/v1/auth/password/reset', { body: { token: verificationToken, newPassword: 'a completely new passphrase' } })).response.status).toBe(204);
    const admin = (await loginAdmin(t)).api;
    const events = expectOk(await admin.GET('/api/v1/audit-events', { params: { query: { userId: u.user.id, type: 'password.reset' } } }));
    expect(events.items).toEqual([expect.objectContaining({ type: 'password.reset', actorId: null, subjectId: u.user.id, ip: '127.0.0.1' })]);
  });
});
