import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cliMain = join(root, 'dist', 'apps', 'cli', 'src', 'main.js');

/**
 * The operators' CLI as real processes beside a running service: it finds the service's embedded
 * Postgres under the same DATA_DIR by itself, never exits 0 without doing what it was asked, and
 * `npm run cli` builds only when dist/ is older than the sources.
 */
describe('CLI beside a running service on its embedded Postgres', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'its-cli-'));
  // The same environment as the service, management port included (the CLI must not collide with it).
  const env: Record<string, string | undefined> = { PATH: process.env.PATH, DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  let port: number;
  let stop: () => Promise<number | null>;

  const cli = (args: string[], stdin: 'ignore' | string) => {
    const result = spawnSync(process.execPath, [cliMain, ...args], {
      cwd: root,
      env,
      encoding: 'utf8',
      ...(stdin === 'ignore' ? { stdio: ['ignore', 'pipe', 'pipe'] } : { input: stdin }),
      timeout: 120_000,
    });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };

  const login = (login: string, password: string) =>
    fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login, password }) });

  beforeAll(async () => {
    env.METRICS_PORT = String(
      await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = probe.address() as { port: number };
          probe.close(() => resolve(free));
        });
      }),
    );
    const child = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], { env: { ...env, PORT: '0', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    stop = () => {
      child.kill('SIGTERM');
      return exited;
    };
    port = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Listening on http:\/\/localhost:(\d+)/.exec(output);
        if (match) {
          clearInterval(timer);
          resolve(Number(match[1]));
        }
      }, 100);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`the service exited with ${code} before listening:\n${output}`));
      });
    });
  }, 180_000);

  afterAll(async () => {
    if (stop) expect(await stop()).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('admin:create with neither a terminal nor standard input exits non-zero and creates nothing', async () => {
    const refused = cli(['admin:create', '--email', 'nostdin@example.com', '--username', 'nostdin_admin'], 'ignore');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('no password');
    expect(refused.err).not.toContain('in use by another process');
    const noEmail = cli(['admin:create'], 'ignore');
    expect(noEmail.code).not.toBe(0);
    expect(noEmail.err).toContain('--email');
    const shown = cli(['user:roles', 'nostdin_admin'], 'ignore');
    expect(shown.code).toBe(1);
    expect(shown.err).toContain('no user');
  }, 120_000);

  it('admin:create takes the password from standard input, on the running service’s database', async () => {
    const password = 'piped correct horse battery';
    const created = cli(['admin:create', '--email', 'piped@example.com', '--username', 'piped_admin'], `${password}\n`);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^created administrator piped_admin <piped@example\.com> \(/);
    // The running service sees the new administrator at once: the same database.
    const signedIn = await login('piped_admin', password);
    expect(signedIn.status).toBe(200);
    const roles = cli(['user:roles', 'piped_admin'], 'ignore');
    expect(roles.code).toBe(0);
    expect(roles.out).toMatch(/admin\t\(global\)/);
    // A password the policy refuses, or a taken name, is an error exit with its reason.
    const weak = cli(['admin:create', '--email', 'weak@example.com', '--username', 'weak_admin'], 'password\n');
    expect(weak.code).toBe(1);
    expect(weak.err).not.toBe('');
    const taken = cli(['admin:create', '--email', 'other@example.com', '--username', 'piped_admin'], `${password}\n`);
    expect(taken.code).toBe(1);
    expect(taken.err).not.toBe('');
  }, 180_000);
});

/** `npm run cli`'s launcher, on a scratch copy of the layout: the build runs only when dist/ is stale. */
describe('CLI launcher (scripts/cli.js)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'its-cli-launcher-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const entry = join(dir, 'dist', 'apps', 'cli', 'src', 'main.js');
  const builds = () => readFileSync(join(dir, 'builds.log'), 'utf8').split('\n').filter(Boolean).length;
  const run = (...args: string[]) => spawnSync(process.execPath, [join(dir, 'scripts', 'cli.js'), ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } });

  beforeAll(() => {
    for (const sub of ['scripts', 'apps/cli/src', 'libs/core/src', 'migrations']) mkdirSync(join(dir, sub), { recursive: true });
    copyFileSync(join(root, 'scripts', 'cli.js'), join(dir, 'scripts', 'cli.js'));
    writeFileSync(join(dir, 'apps/cli/src/main.ts'), '');
    writeFileSync(join(dir, 'libs/core/src/index.ts'), '');
    writeFileSync(join(dir, 'builds.log'), '');
    // A stand-in build: records that it ran and writes an entry that echoes its arguments.
    writeFileSync(
      join(dir, 'build.js'),
      `const fs = require('fs'); fs.appendFileSync('builds.log', 'built\\n'); fs.mkdirSync('dist/apps/cli/src', { recursive: true });
       fs.writeFileSync('dist/apps/cli/src/main.js', "process.stdout.write('ran ' + process.argv.slice(2).join(' ')); process.exitCode = 3;");`,
    );
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'scratch', private: true, scripts: { build: 'node build.js' } }));
  });

  it('builds when dist/ is missing or older than a source, and otherwise runs the built files as they are', () => {
    const first = run('user:roles', 'x');
    expect(first.stdout).toBe('ran user:roles x');
    expect(first.status).toBe(3); // the command's own exit code
    expect(builds()).toBe(1);

    const builtAt = statSync(entry).mtimeMs;
    const again = run('roles:list');
    expect(again.stdout).toBe('ran roles:list');
    expect(again.stderr).toBe('');
    expect(builds()).toBe(1);
    expect(statSync(entry).mtimeMs).toBe(builtAt);

    // A build older than a source → one rebuild, then current again.
    const earlier = new Date(Date.now() - 60_000);
    utimesSync(entry, earlier, earlier);
    writeFileSync(join(dir, 'libs/core/src/index.ts'), 'export {};');
    expect(run('roles:list').stderr).toContain('Building');
    expect(builds()).toBe(2);
    run('roles:list');
    expect(builds()).toBe(2);
  });
});
