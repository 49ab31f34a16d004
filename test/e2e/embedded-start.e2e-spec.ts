import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningService, spawnService } from '../support/service-process';

/**
 * What `npm start` does on a machine with no database: the built service on an embedded Postgres under
 * DATA_DIR, serving /docs and /health/ready, and on SIGTERM closing its connections and the embedded
 * cluster cleanly — then starting again on the same data.
 */
describe('the service on its embedded Postgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'its-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function start(): Promise<RunningService> {
    return spawnService(join(__dirname, '../../dist/apps/api/src/main.js'), { env: { PATH: process.env.PATH, DATA_DIR: dataDir } }).ready;
  }

  it('serves /docs and /health/ready, logs no secrets, shuts down cleanly, and reuses its data on the next start', async () => {
    const first = await start();
    const base = `http://127.0.0.1:${first.port}`;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    const registered = await fetch(`${base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'kept_across_restarts', password: 'a fine long passphrase' }),
    });
    expect(registered.status).toBe(201);

    // Secrets never reach the logs: passwords, tokens (headers, bodies, query strings) and codes.
    const firstLogin = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'kept_across_restarts', password: 'a fine long passphrase' }),
    });
    const pair = (await firstLogin.json()) as { accessToken: string; refreshToken: string };
    await fetch(`${base}/api/v1/users/me`, { headers: { authorization: `Bearer ${pair.accessToken}` } });
    await fetch(`${base}/api/v1/auth/refresh`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken: pair.refreshToken }) });
    await fetch(`${base}/api/v1/auth/email/verify?token=secret-link-token-123`);
    await fetch(`${base}/api/v1/auth/otp/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'email', destination: 'nobody@example.test', purpose: 'login', code: '917364' }),
    });
    expect(await first.stop()).toBe(0);
    const logs = first.output();
    expect(logs).toContain('/api/v1/users/me');
    for (const secret of ['a fine long passphrase', pair.accessToken, pair.accessToken.split('.')[2], pair.refreshToken, 'secret-link-token-123', '917364']) {
      expect(logs).not.toContain(secret);
    }
    // No connection was cut from under the service: nothing logged at warn or error level.
    expect(first.output()).not.toMatch(/"level":(40|50)/);
    expect(first.output()).toContain('Embedded Postgres stopped');

    const second = await start();
    const login = await fetch(`http://127.0.0.1:${second.port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'kept_across_restarts', password: 'a fine long passphrase' }),
    });
    expect(login.status).toBe(200);
    expect(await second.stop()).toBe(0);
  });
});
