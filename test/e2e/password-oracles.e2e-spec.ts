import { expectOk, newUser } from '../support/factories';
import { sql } from '../support/db';
import { startTestApp, TestApp } from '../support/test-app';

// Issue 14, item 6: every endpoint that checks a password counts failures like login does.
describe('password checks of signed-in users count toward the account lockout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000', LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_SECONDS: '300' } });
  });
  afterAll(() => t.close());

  const login = (login: string, password: string) => t.api.POST('/api/v1/auth/login', { body: { login, password } });

  it('DELETE /users/me with wrong passwords locks the account; then even the right password gets 429 LOGIN_LOCKED', async () => {
    const u = await newUser(t);
    for (let i = 0; i < 3; i++) {
      const wrong = await u.api.DELETE('/api/v1/users/me', { body: { password: `not my password ${i}` } });
      expect(wrong.response.status).toBe(400);
      expect(wrong.error).toMatchObject({ code: 'INVALID_CURRENT_PASSWORD' });
    }
    const locked = await u.api.DELETE('/api/v1/users/me', { body: { password: u.password } });
    expect(locked.response.status).toBe(429);
    expect(locked.error).toMatchObject({ code: 'LOGIN_LOCKED' });
    expect(Number(locked.response.headers.get('retry-after'))).toBeGreaterThan(0);
    // The same lock as a login's: the account survives, and password sign-in is locked too.
    expect((await u.api.GET('/api/v1/users/me')).response.status).toBe(200);
    const signIn = await login(u.user.username, u.password);
    expect(signIn.response.status).toBe(429);
    expect(signIn.error).toMatchObject({ code: 'LOGIN_LOCKED' });
    const events = await sql<{ type: string; via: string | null }>(
      t.db.url,
      `SELECT type, data->>'via' AS via FROM audit_events WHERE subject_id = $1 AND type IN ('login.failed', 'login.locked') ORDER BY at`,
      [u.user.id],
    );
    expect(events.filter((e) => e.type === 'login.failed').map((e) => e.via)).toEqual(['account_deletion', 'account_deletion', 'account_deletion']);
    expect(events.some((e) => e.type === 'login.locked')).toBe(true);
  });

  it('failures add up across endpoints: password change, account deletion and login share one count', async () => {
    const u = await newUser(t);
    const change = await u.api.POST('/api/v1/auth/password/change', { body: { currentPassword: 'wrong password one', newPassword: 'a-brand-new-password-1' } });
    expect(change.error).toMatchObject({ code: 'INVALID_CURRENT_PASSWORD' });
    expect((await u.api.DELETE('/api/v1/users/me', { body: { password: 'wrong password two' } })).response.status).toBe(400);
    expect((await login(u.user.email!, 'wrong password three')).response.status).toBe(401);
    const lockedChange = await u.api.POST('/api/v1/auth/password/change', { body: { currentPassword: u.password, newPassword: 'a-brand-new-password-1' } });
    expect(lockedChange.response.status).toBe(429);
    expect(lockedChange.error).toMatchObject({ code: 'LOGIN_LOCKED' });
    expect((await u.api.DELETE('/api/v1/users/me', { body: { password: u.password } })).response.status).toBe(429);
  });

  it('the right password resets the count, as a successful login does', async () => {
    const u = await newUser(t);
    expect((await u.api.DELETE('/api/v1/users/me', { body: { password: 'wrong password one' } })).response.status).toBe(400);
    expect((await login(u.user.username, 'wrong password two')).response.status).toBe(401);
    const changed = await u.api.POST('/api/v1/auth/password/change', { body: { currentPassword: u.password, newPassword: 'a-brand-new-password-1' } });
    expect(changed.response.status).toBe(204);
    expect((await u.api.DELETE('/api/v1/users/me', { body: { password: 'wrong password three' } })).response.status).toBe(400);
    expect((await u.api.DELETE('/api/v1/users/me', { body: { password: 'wrong password four' } })).response.status).toBe(400);
    expect(expectOk(await login(u.user.username, 'a-brand-new-password-1'))).toMatchObject({ tokenType: 'Bearer' });
  });
});
