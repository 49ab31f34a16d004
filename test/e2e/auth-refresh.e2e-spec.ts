import { Client } from 'pg';
import { expectOk, expectPair, newUser } from '../support/factories';
import { untilLockWaiters } from '../support/eventually';
import { sql } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

describe('refresh tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000', REFRESH_REUSE_GRACE_SECONDS: '10', SESSION_MAX_AGE: '3600' } });
  });
  afterAll(() => t.close());

  const refresh = (refreshToken: string) => t.api.POST('/api/v1/auth/refresh', { body: { refreshToken } });

  it('rotates on every use: a new refresh token and a working access token', async () => {
    const u = await newUser(t);
    const next = expectPair(await refresh(u.tokens.refreshToken));
    expect(next.refreshToken).not.toBe(u.tokens.refreshToken);
    expect(next.accessToken).not.toBe(u.tokens.accessToken);
    expect((await t.as(next.accessToken).GET('/api/v1/users/me')).data?.id).toBe(u.user.id);
    const third = expectPair(await refresh(next.refreshToken));
    expect(third.refreshToken).not.toBe(next.refreshToken);
  });

  it('never extends the absolute session lifetime', async () => {
    const u = await newUser(t);
    expect(u.tokens.refreshExpiresIn).toBeLessThanOrEqual(3600);
    const next = expectPair(await refresh(u.tokens.refreshToken));
    expect(next.refreshExpiresIn).toBeLessThanOrEqual(3600);
  });

  it('gives 20 parallel refreshes of one token the same single successor', async () => {
    const u = await newUser(t);
    const results = await Promise.all(Array.from({ length: 20 }, () => refresh(u.tokens.refreshToken)));
    expect(results.map((r) => r.response.status)).toEqual(Array(20).fill(200));
    const successors = new Set(results.map((r) => r.data!.refreshToken!));
    expect(successors.size).toBe(1);
    const [successor] = [...successors];
    // Every access token handed out works, and the one successor rotates normally.
    for (const r of results.slice(0, 3)) expect((await t.as(r.data!.accessToken).GET('/api/v1/users/me')).response.status).toBe(200);
    expect((await refresh(successor)).response.status).toBe(200);
  });

  /** A transaction of the test's own holding `sessionId`'s row lock, as a revocation takes it first. */
  async function holdSession(sessionId: string) {
    const client = new Client({ connectionString: t.db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query('SELECT id FROM sessions WHERE id = $1 FOR UPDATE', [sessionId]);
    return client;
  }
  const sessionOf = async (userId: string) => (await sql<{ id: string }>(t.db.url, 'SELECT id FROM sessions WHERE user_id = $1', [userId]))[0].id;
  /** Until `n` of the app's statements wait for a row lock. */
  const untilWaiting = (n: number) => untilLockWaiters(t.db.url, n);

  it('gives a refresh sent before the rotation the successor however long it queued (longer than the grace window)', async () => {
    const u = await newUser(t);
    const holder = await holdSession(await sessionOf(u.user.id));
    try {
      const first = refresh(u.tokens.refreshToken);
      await untilWaiting(1);
      // The grace window (10 s) passes while both wait; the second was still sent before any rotation.
      t.clock.advance(11_000);
      const second = refresh(u.tokens.refreshToken);
      await untilWaiting(2);
      await holder.query('COMMIT');
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.response.status)).toEqual([200, 200]);
      expect(results[1].data!.refreshToken).toBe(results[0].data!.refreshToken);
    } finally {
      await holder.end();
    }
  });

  it('answers a refresh that waits while its session is revoked 401 TOKEN_REVOKED, never a deadlock (500)', async () => {
    const u = await newUser(t);
    const sessionId = await sessionOf(u.user.id);
    // The revocation's order: the session row, then its tokens (SessionRepository.revoke).
    const holder = await holdSession(sessionId);
    try {
      const pending = refresh(u.tokens.refreshToken);
      await untilWaiting(1);
      await holder.query(`UPDATE sessions SET revoked_at = now(), revoke_reason = 'test' WHERE id = $1`, [sessionId]);
      await holder.query('UPDATE refresh_tokens SET revoked_at = now() WHERE session_id = $1 AND revoked_at IS NULL', [sessionId]);
      await holder.query('COMMIT');
      const answer = await pending;
      expect(answer.response.status).toBe(401);
      expect(answer.error).toMatchObject({ code: 'TOKEN_REVOKED' });
    } finally {
      await holder.end();
    }
  });

  it('treats a rotated token presented after the grace window as reuse and ends the whole session', async () => {
    const u = await newUser(t);
    const first = expectPair(await refresh(u.tokens.refreshToken));
    const second = expectPair(await refresh(first.refreshToken));
    t.clock.advance(11_000);
    const reuse = await refresh(u.tokens.refreshToken);
    expect(reuse.response.status).toBe(401);
    expect(reuse.error).toMatchObject({ code: 'TOKEN_REUSED' });
    // The revocation was committed although the request failed: everything descended from that login is dead.
    expect((await refresh(second.refreshToken)).error).toMatchObject({ code: 'TOKEN_REVOKED' });
    for (const token of [u.tokens.accessToken, first.accessToken, second.accessToken]) {
      const me = await t.as(token).GET('/api/v1/users/me');
      expect(me.response.status).toBe(401);
      expect(me.error).toMatchObject({ code: 'TOKEN_REVOKED' });
    }
    // Another login of the same user is unaffected.
    const other = expectOk(await t.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } }));
    expect((await t.as(other.accessToken).GET('/api/v1/users/me')).response.status).toBe(200);
  });

  it('within the grace window, a retry of the parent gets the live successor (chained rotations included)', async () => {
    const u = await newUser(t);
    const first = expectPair(await refresh(u.tokens.refreshToken));
    const again = expectPair(await refresh(u.tokens.refreshToken));
    expect(again.refreshToken).toBe(first.refreshToken);
    const second = expectPair(await refresh(first.refreshToken));
    const fromRoot = expectPair(await refresh(u.tokens.refreshToken));
    expect(fromRoot.refreshToken).toBe(second.refreshToken);
  });

  it('refuses a refresh token after logout, an expired one, and garbage', async () => {
    const u = await newUser(t);
    expect((await u.api.POST('/api/v1/auth/logout')).response.status).toBe(204);
    expect((await refresh(u.tokens.refreshToken)).error).toMatchObject({ code: 'TOKEN_REVOKED' });

    const v = await newUser(t);
    await sql(t.db.url, `UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE session_id = (SELECT id FROM sessions WHERE user_id = $1)`, [v.user.id]);
    expect((await refresh(v.tokens.refreshToken)).error).toMatchObject({ code: 'TOKEN_EXPIRED' });

    expect((await refresh('x'.repeat(43))).error).toMatchObject({ code: 'TOKEN_INVALID' });
    expect((await refresh('short')).response.status).toBe(401);
  });

  it('stores refresh tokens only as hashes', async () => {
    const u = await newUser(t);
    const rows = await sql(t.db.url, `SELECT encode(token_hash, 'hex') AS h, successor_box FROM refresh_tokens`);
    const dump = JSON.stringify(rows);
    expect(dump).not.toContain(u.tokens.refreshToken);
    expect(dump).not.toContain(Buffer.from(u.tokens.refreshToken).toString('hex'));
  });

  it('stops refreshing for a user who was disabled', async () => {
    const u = await newUser(t);
    await sql(t.db.url, `UPDATE users SET status = 'disabled' WHERE id = $1`, [u.user.id]);
    expect((await refresh(u.tokens.refreshToken)).error).toMatchObject({ code: 'TOKEN_REVOKED' });
  });
});
