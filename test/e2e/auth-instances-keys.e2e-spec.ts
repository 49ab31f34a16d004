import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, readDevKeys, writeDevKeys } from '@app/auth';
import { CleanupService } from '@app/persistence';
import { rotateKeys } from '../../apps/cli/src/commands/auth';
import { ADMIN, expectOk, loginAdmin, newUser, WITH_ADMIN } from '../support/factories';
import { eventually } from '../support/eventually';
import { sql } from '../support/test-database';
import { startTestApp } from '../support/test-app';
import { decodeParts } from '../support/tokens';


describe('two instances on one database', () => {
  it('a logout on one instance is refused on the other as soon as it is announced, without a query per request', async () => {
    const a = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000' } });
    const b = await startTestApp({ db: a.db, dataDir: a.dataDir, env: { AUTH_RATE_LIMIT: '100000' } });
    try {
      const u = await newUser(a);
      expect((await b.as(u.tokens.accessToken).GET('/api/v1/users/me')).response.status).toBe(200);
      // Checking the token costs no query: five calls of /users/me cost exactly five primary-key reads.
      const queries = async () => Number(/^db_queries_total (\d+)/m.exec(await (await fetch(`${b.baseUrl}/metrics`)).text())![1]);
      const before = await queries();
      for (let i = 0; i < 5; i++) await b.as(u.tokens.accessToken).GET('/api/v1/users/me');
      expect((await queries()) - before).toBe(5);
      expect((await u.api.POST('/api/v1/auth/logout')).response.status).toBe(204);
      await eventually('instance b to refuse the logged-out token', async () => (await b.as(u.tokens.accessToken).GET('/api/v1/users/me')).response.status === 401);

      // A user disabled through the database elsewhere, announced like the service does it, is refused at once too.
      const v = await newUser(b);
      await sql(a.db.url, `UPDATE users SET status = 'disabled' WHERE id = $1`, [v.user.id]);
      const revoker = a.app.get((await import('@app/auth')).SessionRevoker);
      await revoker.revokeUser(v.user.id, 'disabled in test');
      await eventually('instance b to refuse the disabled user', async () => (await b.as(v.tokens.accessToken).GET('/api/v1/users/me')).response.status === 401);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('an instance started later knows the revocations made before it started', async () => {
    const a = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000' } });
    try {
      const u = await newUser(a);
      await u.api.POST('/api/v1/auth/logout');
      const b = await startTestApp({ db: a.db, dataDir: a.dataDir });
      try {
        expect((await b.as(u.tokens.accessToken).GET('/api/v1/users/me')).response.status).toBe(401);
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
    }
  });
});

describe('signing keys', () => {
  it('rotation: the new key signs, tokens signed with the old key keep working, both are published', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'its-keys-'));
    const a = await startTestApp({ dataDir, env: { AUTH_RATE_LIMIT: '100000' } });
    const u = await newUser(a);
    const oldKid = decodeParts(u.tokens.accessToken).header.kid;
    await a.app.close();

    writeDevKeys(join(dataDir, 'keys'), rotateKeys(readDevKeys(join(dataDir, 'keys'), false)));
    const b = await startTestApp({ db: a.db, dataDir });
    try {
      expect((await b.as(u.tokens.accessToken).GET('/api/v1/users/me')).response.status).toBe(200);
      const fresh = expectOk(await b.api.POST('/api/v1/auth/login', { body: { login: u.user.username, password: u.password } }));
      const newKid = decodeParts(fresh.accessToken).header.kid;
      expect(newKid).not.toBe(oldKid);
      const jwks = expectOk(await b.api.GET('/.well-known/jwks.json'));
      expect(jwks.keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    } finally {
      await b.close();
      await a.db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reads keys from JWT_SIGNING_KEYS, and never writes development keys then', async () => {
    const key = generateSigningKey();
    const t = await startTestApp({ env: { JWT_SIGNING_KEYS: JSON.stringify([key]), AUTH_RATE_LIMIT: '100000' } });
    try {
      const jwks = expectOk(await t.api.GET('/.well-known/jwks.json'));
      expect(jwks.keys.map((k) => k.kid)).toEqual([key.kid]);
      const u = await newUser(t);
      expect(decodeParts(u.tokens.accessToken).header.kid).toBe(key.kid);
      expect(readDevKeys(join(t.dataDir, 'keys'), false)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe('bootstrap administrator and cleanup', () => {
  it('creates the admin once, with the admin role, and not again on the next start', async () => {
    const a = await startTestApp({ env: WITH_ADMIN });
    const admin = await loginAdmin(a);
    expect(decodeParts(admin.tokens.accessToken).payload.roles).toEqual(['admin', 'user']);
    await a.app.close();
    const b = await startTestApp({ db: a.db, env: { ...WITH_ADMIN, ADMIN_EMAIL: 'second@example.test' } });
    try {
      const rows = await sql(a.db.url, `SELECT count(*)::int AS n FROM users`);
      expect(rows[0].n).toBe(1);
      expect((await b.api.POST('/api/v1/auth/login', { body: { login: ADMIN.email, password: ADMIN.password } })).response.status).toBe(200);
    } finally {
      await b.close();
      await a.db.drop();
    }
  });

  it('deletes expired and long-revoked sessions, tokens and revocations in batches, keeping recent ones', async () => {
    const t = await startTestApp({ env: { AUTH_RATE_LIMIT: '100000' } });
    try {
      const live = await newUser(t);
      const revokedRecently = await newUser(t);
      await revokedRecently.api.POST('/api/v1/auth/logout');
      const old = await newUser(t);
      await sql(t.db.url, `UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1`, [old.user.id]);
      // 12 000 expired revocations: more than two batches.
      await sql(
        t.db.url,
        `INSERT INTO revocations (kind, subject_id, not_before, expires_at)
         SELECT 'session', gen_random_uuid(), now() - interval '2 hours', now() - interval '1 hour' FROM generate_series(1, 12000)`,
      );
      const counts = await t.app.get(CleanupService).runOnce();
      expect(counts).toMatchObject({ sessions: 1, refresh_tokens: 0, revocations: 12000 });
      const rows = await sql(t.db.url, `SELECT user_id FROM sessions ORDER BY user_id`);
      expect(rows.map((r) => r.user_id).sort()).toEqual([live.user.id, revokedRecently.user.id].sort());
      // The recent revocation survives, so the logged-out token stays refused.
      expect((await revokedRecently.api.GET('/api/v1/users/me')).response.status).toBe(401);
      const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/cleanup_deleted_rows_total\{task="revocations"\} 12000/);
    } finally {
      await t.close();
    }
  });
});

describe('several apps in one process', () => {
  it('each verifies tokens with its own keys (passport strategies are registered per app)', async () => {
    const a = await startTestApp();
    const b = await startTestApp();
    try {
      const [ua, ub] = [await newUser(a), await newUser(b)];
      const me = (t: typeof a, token: string) => t.as(token).GET('/api/v1/users/me');
      expect((await me(a, ua.tokens.accessToken)).response.status).toBe(200);
      expect((await me(b, ub.tokens.accessToken)).response.status).toBe(200);
      const foreign = await me(a, ub.tokens.accessToken);
      expect(foreign.response.status).toBe(401);
      expect(foreign.error).toMatchObject({ code: 'TOKEN_INVALID' });
    } finally {
      await b.close();
      await a.close();
    }
  });
});
