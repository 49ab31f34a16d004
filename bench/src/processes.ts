import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const DIST = join(ROOT, 'dist');
/** The app runs in production mode, where `/metrics` needs a bearer token (METRICS_TOKEN). */
export const METRICS_TOKEN = randomBytes(24).toString('base64url');

/** A server process the benchmark started, on a known port. */
export interface Server {
  name: string;
  url: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first successful readiness answer. */
  readyMs: number;
  output(): string;
  stop(): Promise<void>;
}

export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Starts `node [nodeArgs] <script>` with the environment given and waits until `readyPath` answers 2xx. */
export async function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  port: number,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}${readyPath}`, 60_000, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  const readyMs = performance.now() - started;
  return {
    name,
    url,
    child,
    readyMs,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Resident set size of a process, in bytes (Linux). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}

/** Reads one sample of a Prometheus text exposition (sum over label sets matching `labels`). */
export async function metric(baseUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+([^\s]+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const set = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => set.includes(`${k}="${v}"`))) total += Number(m[3]);
  }
  return total;
}

/** CPU time (user + system) a process has used so far, in milliseconds (Linux). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux build that matters. */
const CLOCK_TICKS = 100;

function statTicks(path: string): { ticks: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(path, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ticks: Number(fields[11]) + Number(fields[12]), ppid: Number(fields[1]) };
  } catch {
    return undefined; // exited meanwhile
  }
}

/** CPU time of a process's main thread and of its other threads (libuv's pool: argon2), in ms. */
export function threadCpuMs(pid: number): { main: number; others: number } {
  let main = 0;
  let others = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const ticks = statTicks(`/proc/${pid}/task/${tid}/stat`)?.ticks ?? 0;
    if (tid === String(pid)) main += ticks;
    else others += ticks;
  }
  return { main: (main * 1000) / CLOCK_TICKS, others: (others * 1000) / CLOCK_TICKS };
}

/** CPU time of a process and each of its descendants (Postgres: postmaster and backends), in ms, by pid. */
export function treeCpuMs(rootPid: number): Map<number, number> {
  const stats = new Map<number, { ticks: number; ppid: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statTicks(`/proc/${entry}/stat`);
    if (stat) stats.set(Number(entry), stat);
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === rootPid) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  const cpu = new Map<number, number>();
  for (const [pid, stat] of stats) if (inTree(pid)) cpu.set(pid, (stat.ticks * 1000) / CLOCK_TICKS);
  return cpu;
}

/**
 * CPU the tree used since `before`: per process, so that a backend that exits meanwhile (a pool
 * closing an idle connection) does not take its earlier CPU out of the sum; a process that started
 * meanwhile counts whole.
 */
export function treeCpuSince(before: Map<number, number>, rootPid: number): number {
  let total = 0;
  for (const [pid, ms] of treeCpuMs(rootPid)) total += ms - (before.get(pid) ?? 0);
  return total;
}
