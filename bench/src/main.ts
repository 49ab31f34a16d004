import { randomBytes } from 'node:crypto';
/**
 * `npm run bench`: the application built and started in production mode on an embedded Postgres,
 * seeded, and driven by autocannon from this process, next to a minimal Fastify baseline doing the
 * same essential work — see docs/benchmarks.md. Options: `--only=health,users-me` runs some
 * scenarios; `--duration=10` sets the seconds each scenario measures (split into rounds);
 * `--profile=DIR` writes V8 CPU profiles of the app and the baseline to DIR (`node --cpu-prof`);
 * `--report=bench/results/latest.json` only rewrites the markdown summary and the table in docs/benchmarks.md
 * from a results file; `--aa` measures the noise floor of the host: a second copy of the app takes
 * the baseline's place in the request/response scenarios (nothing is written, the ratios are printed);
 * `--soak-seconds=120` shortens the soak (mixed traffic, ten minutes by default);
 * `--against=<git-ref>` compares this build with another one: the ref is checked out in a temporary
 * worktree and built there, and its app takes the baseline's place (as in `--aa`) in alternating
 * rounds of the paired scenarios (`login-paired` included); the ratios (this ÷ ref) are printed next
 * to what `--aa` measures as the noise, nothing is written.
 */
import { execSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { generateSigningKey } from '@app/auth';
import { freePort, startEmbeddedPostgres } from '@app/persistence/embedded-postgres';
import { Bench, ScenarioResult } from './context';
import { DIST, METRICS_TOKEN, ROOT, Server, startServer } from './processes';
import { describeMachine, markdown, Results, writeResults } from './results';
import { cleanup } from './scenarios/cleanup';
import { health, refresh, tasksCreate, tasksList, usersMe } from './scenarios/http';
import { login, loginClosedLoop, loginPaired, rawArgon2Rate } from './scenarios/login';
import { mfaLogin } from './scenarios/mfa';
import { realtime } from './scenarios/realtime';
import { soak } from './scenarios/soak';
import { startup } from './scenarios/startup';
import { seedUsers, TokenMinter } from './seed';

const USERS = 1000;
/** The scenarios that compare two servers request for request: the only ones an A/A run can make. */
const PAIRED = ['health', 'users-me', 'tasks-list', 'tasks-create', 'refresh', 'login-paired'];
const ISSUER = 'http://bench.localhost';

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const log = (message: string) => process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

async function main(): Promise<void> {
  const report = option('report');
  if (report) {
    writeResults(JSON.parse(readFileSync(report, 'utf8')) as Results);
    return;
  }
  // A/A: the app against a second copy of itself. Ratios away from 1 are the host's noise, which is
  // what a ratio against the baseline can be trusted to within on this machine.
  const aa = process.argv.includes('--aa');
  const against = option('against');
  const paired = aa || against !== undefined;
  const only = option('only')?.split(',') ?? (paired ? PAIRED : undefined);
  if (paired && only?.some((name) => !PAIRED.includes(name))) throw new Error(`--aa and --against run only ${PAIRED.join(', ')}`);
  const durationS = Number(option('duration') ?? 10);
  const soakSeconds = Number(option('soak-seconds') ?? 600);
  const profile = option('profile');
  const profileDir = profile ? resolve(profile) : undefined;
  const nodeArgs = (name: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : []);
  const startedAt = new Date().toISOString();
  const workDir = mkdtempSync(join(tmpdir(), 'bench-'));
  // Traversable: run as root, the embedded cluster belongs to the `postgres` user.
  chmodSync(workDir, 0o755);
  log(`working in ${workDir}`);
  // --against: the other build, from its own checkout (sharing this one's node_modules).
  let againstDir: string | undefined;
  if (against) {
    againstDir = join(workDir, 'against');
    const commit = execSync(`git rev-parse --short ${JSON.stringify(against)}`, { cwd: ROOT }).toString().trim();
    log(`building ${against} (${commit}) in ${againstDir}`);
    execSync(`git worktree add --detach ${JSON.stringify(againstDir)} ${commit}`, { cwd: ROOT, stdio: 'ignore' });
    symlinkSync(join(ROOT, 'node_modules'), join(againstDir, 'node_modules'));
    execSync('npm run build --silent', { cwd: againstDir, stdio: 'inherit' });
  }
  const pg = await startEmbeddedPostgres(join(workDir, 'db'), log);
  const key = generateSigningKey();
  const poolSize = process.env.DATABASE_POOL_SIZE ?? '10';
  const common = {
    DATABASE_URL: pg.url,
    DATABASE_POOL_SIZE: poolSize,
    JWT_SIGNING_KEYS: JSON.stringify([key]),
    JWT_ISSUER: ISSUER,
    // Production requires the server secret (one-time codes, sealed queue payloads).
    APP_SECRET: randomBytes(48).toString('base64url'),
  };
  const appEnv = {
    ...common,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATA_DIR: join(workDir, 'app'),
    PUBLIC_BASE_URL: ISSUER,
    LOG_LEVEL: 'warn',
    // Per-IP throttling would otherwise throttle the load generator, which is one IP.
    AUTH_RATE_LIMIT: '1000000',
    // The cleanup scenario schedules its own run.
    CLEANUP_INTERVAL: '3600',
    // Production requires /metrics to be protected; the bench scrapes it with this token.
    METRICS_TOKEN,
  };
  const appScript = join(DIST, 'apps/api/src/main.js');
  let app: Server | undefined;
  let baseline: Server | undefined;
  const db = new Pool({ connectionString: pg.url, max: 4 });
  try {
    log('starting the app (applies the migrations)');
    app = await startServer('app', appScript, appEnv, await freePort(), '/health/ready', nodeArgs('app'));
    const firstStartMs = Math.round(app.readyMs);
    baseline = againstDir
      ? await startServer('baseline', join(againstDir, 'dist/apps/api/src/main.js'), { ...appEnv, DATA_DIR: join(workDir, 'app-against') }, await freePort(), '/health/ready', nodeArgs('baseline'))
      : aa
      ? await startServer('baseline', appScript, { ...appEnv, DATA_DIR: join(workDir, 'app-copy') }, await freePort(), '/health/ready', nodeArgs('baseline'))
      : await startServer('baseline', join(DIST, 'bench/src/baseline-server.js'), common, await freePort(), '/health/ready', nodeArgs('baseline'));
    const users = await seedUsers(db, new TokenMinter(key, ISSUER), USERS);
    log(`seeded ${users.length} users with sessions and access tokens`);
    const postgres = (await db.query<{ v: string }>(`SELECT 'PostgreSQL ' || current_setting('server_version') AS v`)).rows[0].v;

    const bench: Bench = {
      app,
      baseline,
      postgresPid: Number(readFileSync(join(workDir, 'db', 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]),
      db,
      users,
      extra: { firstStartWithMigrationsMs: firstStartMs, users: USERS, databasePoolSize: Number(poolSize) },
      durationS,
      connections: 16,
      log,
      restartApp: async (env = {}) => {
        await bench.app.stop();
        bench.app = await startServer('app', appScript, { ...appEnv, ...env }, await freePort(), '/health/ready', nodeArgs('app'));
        app = bench.app;
      },
    };
    const scenarios: [string, () => Promise<ScenarioResult>][] = [
      ['health', () => health(bench)],
      ['users-me', () => usersMe(bench)],
      ['tasks-list', () => tasksList(bench)],
      ['tasks-create', () => tasksCreate(bench)],
      ['login', () => login(bench)],
      ['login-paired', () => loginPaired(bench)],
      ['login-closed-loop', () => loginClosedLoop(bench)],
      ['mfa-login', () => mfaLogin(bench, common.APP_SECRET)],
      ['refresh', () => refresh(bench)],
      ['realtime', () => realtime(bench)],
      ['soak', () => soak(bench, soakSeconds)],
      ['cleanup', () => cleanup(bench)],
      ['startup', () => startup(bench, workDir)],
    ];
    const machine = describeMachine(postgres);
    const results: ScenarioResult[] = [];
    // How fast the host is around each scenario: one second of raw argon2id before and after. On a
    // shared machine a scenario that ran while the host was slower shows up here.
    const hostSpeed: Record<string, { before: number; after: number }> = {};
    bench.extra.hostSpeed = { unit: `raw argon2id hashes/s, ${availableParallelism()} at a time, 1 s`, scenarios: hostSpeed };
    for (const [name, run] of scenarios) {
      if (only && !only.includes(name)) continue;
      log(`--- ${name}`);
      const before = await rawArgon2Rate(availableParallelism(), 1);
      try {
        results.push(await run());
      } catch (error) {
        log(`${name} failed: ${(error as Error).stack ?? String(error)}`);
        results.push({ name, rps: null, p50Ms: null, p99Ms: null, errors: null, baselineRps: null, ratio: null, note: `failed: ${(error as Error).message.split('\n')[0]}` });
      }
      hostSpeed[name] = { before, after: await rawArgon2Rate(availableParallelism(), 1) };
    }
    if (aa) {
      log('A/A run, the baseline was a second copy of the app (nothing written):');
      for (const r of results) log(`  ${r.name}: first copy ${r.rps} req/s, second copy ${r.baselineRps} req/s, ratio ${r.ratio}`);
      return;
    }
    if (against) {
      log(`this build against ${against} (nothing written): ratio = this ÷ ${against}, best of alternating rounds`);
      for (const r of results) {
        const rounds = (bench.extra[r.name] as { rounds?: { app: number[]; baseline: number[] } } | undefined)?.rounds;
        log(`  ${r.name}: this ${r.rps} req/s, ${against} ${r.baselineRps} req/s, ratio ${r.ratio}${rounds ? ` (rounds ${JSON.stringify(rounds.app)} vs ${JSON.stringify(rounds.baseline)})` : ''}`);
      }
      return;
    }
    const output: Results = {
      machine,
      startedAt,
      finishedAt: new Date().toISOString(),
      commit: execSync('git rev-parse --short HEAD', { cwd: ROOT }).toString().trim(),
      scenarios: results,
      extra: bench.extra,
    };
    const written = writeResults(output);
    log(`results: ${written.json}, ${written.md}`);
    process.stdout.write(`\n${markdown(output)}`);
  } finally {
    await db.end().catch(() => undefined);
    await app?.stop();
    await baseline?.stop();
    await pg.stop();
    if (againstDir) execSync(`git worktree remove --force ${JSON.stringify(againstDir)}`, { cwd: ROOT, stdio: 'ignore' });
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
