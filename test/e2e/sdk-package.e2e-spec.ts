import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOk, uniqueName } from '../support/factories';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Issue 18 "Done when": a project outside the repository installs the SDK by path (offline), compiles
 * a small program with the repository's TypeScript under NodeNext, bundler and CommonJS settings, and
 * runs it against the service: it signs in, lets its access token expire, keeps working through
 * automatic refresh (before expiry, and after a 401 when its clock is behind), and receives a live
 * task event. The SDK is used exactly as another team would: through its package entry points.
 */
const REPO = join(__dirname, '..', '..');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');

const PROGRAM = `
import { createIdentityClient, unwrap, isApiProblem, type AuthChangeEvent, type Session } from '@identity-task/client';
import { connectTaskEvents, type TaskEventPayload } from '@identity-task/client/realtime';

// The scratch project has no @types/node: only the DOM library (as a browser project would).
declare const process: { env: Record<string, string | undefined>; exit(code: number): never };

const baseUrl = process.env.BASE_URL!;
const login = process.env.LOGIN!;
const password = process.env.PASSWORD!;

/** Polls a condition with a deadline (no fixed sleeps). */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<void> {
  const events: AuthChangeEvent[] = [];
  const client = createIdentityClient({ baseUrl });
  client.auth.onAuthStateChange((event) => events.push(event));

  // A wrong password: a typed problem with the login operation's codes.
  let wrongCode: string | undefined;
  try {
    await client.auth.signInWithPassword({ login, password: password + '-wrong' });
  } catch (error) {
    if (isApiProblem<'/api/v1/auth/login', 'post'>(error)) wrongCode = String(error.code);
  }

  const { session, mfa } = await client.auth.signInWithPassword({ login, password });
  if (!session || mfa) throw new Error('expected a session');
  const first: Session = session;
  const me = await unwrap(client.api.GET('/api/v1/users/me'));

  // A second client whose clock is a minute behind: it believes its token valid after it expired,
  // so its call is refused (401) and it refreshes and retries.
  const lagging = createIdentityClient({ baseUrl, now: () => Date.now() - 60_000 });
  const laggingSession = (await lagging.auth.signInWithPassword({ login, password })).session!;

  const received: TaskEventPayload[] = [];
  const feed = connectTaskEvents({ baseUrl, getAccessToken: () => client.auth.getAccessToken() });
  feed.on('task.created', (payload) => received.push(payload));
  await until('the task feed to connect', () => feed.socket.connected);

  // Let the access tokens expire: poll until the service refuses the first one.
  await until('the access token to expire', async () => {
    const r = await fetch(baseUrl + '/api/v1/users/me', { headers: { authorization: 'Bearer ' + first.accessToken } });
    return r.status === 401;
  });

  // Five calls at once after expiry: one refresh for all of them, every call succeeds.
  const results = await Promise.all(Array.from({ length: 5 }, () => unwrap(client.api.GET('/api/v1/users/me'))));
  const refreshesForFive = events.filter((e) => e === 'TOKEN_REFRESHED').length;
  const refreshed = (await client.auth.getSession())!;
  const laggingMe = await unwrap(lagging.api.GET('/api/v1/users/me'));
  const laggingAfter = (await lagging.auth.getSession())!;

  const task = await unwrap(client.api.POST('/api/v1/tasks', { body: { title: 'from the scratch project' } }));
  await until('the live task event', () => received.some((e) => e.task.id === task.id), 20_000);
  feed.close();
  await client.auth.signOut();
  const afterSignOut = await client.api.GET('/api/v1/users/me');

  console.log(JSON.stringify({
    wrongCode,
    userId: me.id,
    allSucceeded: results.every((r) => r.id === me.id),
    refreshedToken: refreshed.accessToken !== first.accessToken,
    refreshToken: typeof first.refreshToken === 'string' && refreshed.refreshToken !== first.refreshToken,
    laggingRetried: laggingMe.id === me.id && laggingAfter.accessToken !== laggingSession.accessToken,
    events,
    refreshesForFive,
    taskEvent: received.find((e) => e.task.id === task.id),
    afterSignOut: afterSignOut.response.status,
  }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
`;

const BASE_OPTIONS = { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false, esModuleInterop: true };

function writeProject(dir: string, type: 'module' | 'commonjs', compilerOptions: Record<string, unknown>): void {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `scratch-${type}`, private: true, type }, null, 2));
  writeFileSync(join(dir, 'main.ts'), PROGRAM);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...BASE_OPTIONS, ...compilerOptions }, files: ['main.ts'] }, null, 2));
}

type Ran = { status: number | null; stdout: string; stderr: string };

/** Runs a child process without blocking this one (the service under test runs in this process). */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}, timeout = 120_000): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

function expectSuccess(r: Ran): string {
  if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('the SDK in a project of its own (issue 18, Done when)', () => {
  let t: TestApp;
  let scratch: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { ACCESS_TOKEN_TTL: '30' } });
    scratch = mkdtempSync(join(tmpdir(), 'its-sdk-scratch-'));
  });
  afterAll(async () => {
    await t.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installs by path offline, compiles under NodeNext, bundler and CommonJS, and works through token expiry with live events', async () => {
    const projects = {
      nodenext: { type: 'module' as const, options: { module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'out' } },
      bundler: { type: 'module' as const, options: { module: 'ESNext', moduleResolution: 'bundler', noEmit: true } },
      commonjs: { type: 'commonjs' as const, options: { module: 'CommonJS', moduleResolution: 'node10', ignoreDeprecations: '6.0', outDir: 'out' } },
    };
    await Promise.all(
      Object.entries(projects).map(async ([name, { type, options }]) => {
        const dir = join(scratch, name);
        mkdirSync(dir);
        writeProject(dir, type, options);
        // A path install, offline: nothing is downloaded (the SDK's own dependencies are the workspace's).
        expectSuccess(await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(REPO, 'sdk')], dir));
        expectSuccess(await run(process.execPath, [TSC, '-p', 'tsconfig.json'], dir));
      }),
    );

    const names = uniqueName('scratch');
    const password = 'scratch-project-password-1';
    expectOk(await t.api.POST('/api/v1/auth/register', { body: { ...names, password } }));
    const env = { BASE_URL: t.baseUrl, LOGIN: names.username, PASSWORD: password };

    // The NodeNext build runs as ES modules, the CommonJS build through require(); both at once.
    const outputs = await Promise.all(['nodenext', 'commonjs'].map(async (name) => expectSuccess(await run(process.execPath, [join(scratch, name, 'out', 'main.js')], join(scratch, name), env, 150_000))));
    for (const out of outputs) {
      const result = JSON.parse(out.trim().split('\n').pop()!);
      expect(result).toMatchObject({
        wrongCode: 'INVALID_CREDENTIALS',
        allSucceeded: true,
        refreshedToken: true,
        refreshToken: true,
        laggingRetried: true,
        afterSignOut: 401,
        taskEvent: { eventId: expect.any(Number), task: { title: 'from the scratch project' }, at: expect.any(String) },
      });
      // One refresh for the five concurrent calls; signed in first, signed out last.
      expect(result.refreshesForFive).toBe(1);
      expect(result.events[0]).toBe('SIGNED_IN');
      expect(result.events.at(-1)).toBe('SIGNED_OUT');
    }
  }, 300_000);

  it("runs the README's frontend quick start as written (against this test service)", async () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Frontend quick start'));
    const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toContain("'http://localhost:3000'");
    const dir = join(scratch, 'quickstart');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'my-app', private: true }));
    expectSuccess(await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(REPO, 'sdk')], dir));
    writeFileSync(join(dir, 'quickstart.mjs'), code!.replace("'http://localhost:3000'", `'${t.baseUrl}'`));
    const out = expectSuccess(await run(process.execPath, ['quickstart.mjs'], dir, {}, 60_000));
    expect(out.split('\n').filter(Boolean)).toEqual([
      'auth: SIGNED_IN',
      expect.stringMatching(/^signed in as ada_\d+$/),
      'auth: TOKEN_REFRESHED',
      'live: task.created Try the SDK',
      'auth: SIGNED_OUT',
    ]);
  }, 120_000);
});
