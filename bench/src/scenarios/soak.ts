import { io, Socket } from 'socket.io-client';
import { Bench, notAvailable, ScenarioResult } from '../context';
import { percentile } from '../load';
import { metric, rssBytes } from '../processes';
import { BENCH_PASSWORD, BenchUser, seedRefreshTokens } from '../seed';
import { tasksAvailable } from './http';

/** Seconds per reported window. */
export const SOAK_WINDOW_S = 30;
/** Users with a socket open for the whole soak: their writes must reach them as events. */
const SOCKET_USERS = 100;

type Kind = 'login' | 'refresh' | 'read' | 'write';

interface Window {
  /** Seconds since the start of the soak at the end of the window. */
  atS: number;
  requests: Record<Kind, number>;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  rssMb: number;
  heapUsedMb: number | null;
  eventsReceived: number;
}

interface TaskEvent {
  task?: { id?: string; version?: number };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The soak: `seconds` (ten minutes by default) of mixed traffic from closed loops — logins, refresh
 * rotations, reads (`/users/me`, task lists, single tasks) and writes (task creates and patches) —
 * while 100 users keep a socket open. Every 30 s it records throughput, latency, errors and the
 * server's RSS and V8 heap; at the end it checks that nothing was lost: every acknowledged write is
 * in the database as acknowledged, and every write of a socket user arrived at its socket as an event.
 */
export async function soak(bench: Bench, seconds: number): Promise<ScenarioResult> {
  const available = await tasksAvailable(bench);
  if (!available.ok) return notAvailable('soak', available.reason);
  const url = bench.app.url;
  const pid = bench.app.child.pid!;
  // Disjoint users per loop, so that each task has one writer and its last acknowledged state is known.
  const users = bench.users;
  const socketUsers = users.slice(0, SOCKET_USERS);
  const readers = users.slice(SOCKET_USERS, 600);
  const loginUsers = users.slice(600, 700);
  const refreshChains = await seedRefreshTokens(bench.db, users.slice(700, 900).map((u) => u.id));

  // Sockets, with every event recorded as task id → versions seen.
  const seen = new Map<string, Set<number>>();
  let eventsReceived = 0;
  const sockets: Socket[] = [];
  for (const u of socketUsers) {
    const socket = io(`${url}/tasks`, { path: '/ws', auth: { token: u.accessToken }, transports: ['websocket'], reconnection: true, timeout: 20_000 });
    for (const name of ['task.created', 'task.updated', 'task.status_changed']) {
      socket.on(name, (payload: TaskEvent) => {
        const id = payload?.task?.id;
        if (!id) return;
        eventsReceived += 1;
        let versions = seen.get(id);
        if (!versions) seen.set(id, (versions = new Set()));
        versions.add(Number(payload.task?.version));
      });
    }
    sockets.push(socket);
  }
  await Promise.all(sockets.map((s) => (s.connected ? undefined : new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  }))));

  const started = performance.now();
  const endAt = started + seconds * 1000;
  let latencies: number[] = [];
  let counts: Record<Kind, number> = { login: 0, refresh: 0, read: 0, write: 0 };
  let errors = 0;
  const errorStatuses: Record<string, number> = {};
  const allLatencies: number[] = [];
  /** Acknowledged writes: task id → its last acknowledged { status, version } (one writer per task). */
  const acknowledged = new Map<string, { status: string; version: number }>();
  /** Every acknowledged write as [task id, version]: each must reach the owner's socket as an event. */
  const writes: [string, number][] = [];

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function call(kind: Kind, path: string, init: RequestInit & { token?: string } = {}): Promise<{ status: number; body: any }> {
    const { token, ...rest } = init;
    const t0 = performance.now();
    let status: number;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let body: any;
    try {
      const res = await fetch(`${url}${path}`, {
        ...rest,
        headers: { ...(rest.body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: AbortSignal.timeout(30_000),
      });
      status = res.status;
      const text = await res.text();
      body = text ? JSON.parse(text) : undefined;
    } catch {
      status = 0;
    }
    const ms = performance.now() - t0;
    latencies.push(ms);
    allLatencies.push(ms);
    counts[kind] += 1;
    if (status < 200 || status >= 300) {
      errors += 1;
      errorStatuses[`${kind} ${status}`] = (errorStatuses[`${kind} ${status}`] ?? 0) + 1;
    }
    return { status, body };
  }

  const running = () => performance.now() < endAt;
  const loops: Promise<void>[] = [];
  // Logins back to back (argon2id), two at a time: the expensive path of the service.
  for (let c = 0; c < 2; c++) {
    loops.push(
      (async () => {
        for (let i = c; running(); i += 2) {
          const u = loginUsers[i % loginUsers.length];
          await call('login', '/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ login: u.username, password: BENCH_PASSWORD }) });
        }
      })(),
    );
  }
  // Refresh rotations, each loop along its own chains.
  for (let c = 0; c < 2; c++) {
    loops.push(
      (async () => {
        for (let i = c; running(); i += 2) {
          const k = i % refreshChains.length;
          const res = await call('refresh', '/api/v1/auth/refresh', { method: 'POST', body: JSON.stringify({ refreshToken: refreshChains[k] }) });
          if (res.status === 200) refreshChains[k] = res.body.refreshToken;
        }
      })(),
    );
  }
  // Reads.
  for (let c = 0; c < 6; c++) {
    loops.push(
      (async () => {
        for (let i = c; running(); i += 6) {
          const u = readers[i % readers.length];
          if (i % 3 === 0) await call('read', '/api/v1/users/me', { token: u.accessToken });
          else if (i % 3 === 1) await call('read', '/api/v1/tasks?limit=20', { token: u.accessToken });
          else {
            const w = socketUsers[i % socketUsers.length];
            const list = await call('read', '/api/v1/tasks?limit=5', { token: w.accessToken });
            const id = list.body?.items?.[0]?.id;
            if (id) await call('read', `/api/v1/tasks/${id}`, { token: w.accessToken });
          }
        }
      })(),
    );
  }
  // Writes by the socket users: creates, then patches of what they created.
  const owned: string[][] = socketUsers.map(() => []);
  for (let c = 0; c < 4; c++) {
    loops.push(
      (async () => {
        const statuses = ['in_progress', 'done', 'todo'];
        for (let i = c; running(); i += 4) {
          const ui = i % socketUsers.length;
          const u: BenchUser = socketUsers[ui];
          const mine = owned[ui];
          if (mine.length === 0 || i % 3 === 0) {
            const res = await call('write', '/api/v1/tasks', { method: 'POST', token: u.accessToken, body: JSON.stringify({ title: `soak ${i}` }) });
            if (res.status === 201) {
              mine.push(res.body.id);
              acknowledged.set(res.body.id, { status: res.body.status, version: res.body.version });
              writes.push([res.body.id, res.body.version]);
            }
          } else {
            const id = mine[i % mine.length];
            const status = statuses[i % statuses.length];
            const res = await call('write', `/api/v1/tasks/${id}`, { method: 'PATCH', token: u.accessToken, body: JSON.stringify({ status }) });
            if (res.status === 200) {
              acknowledged.set(id, { status: res.body.status, version: res.body.version });
              writes.push([id, res.body.version]);
            }
          }
        }
      })(),
    );
  }

  // Windows.
  const windows: Window[] = [];
  const sampler = (async () => {
    let next = started + SOAK_WINDOW_S * 1000;
    let eventsBefore = 0;
    while (next <= endAt + 1) {
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
      const sorted = latencies.sort((a, b) => a - b);
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const heap = await metric(url, 'nodejs_heap_size_used_bytes').catch(() => NaN);
      windows.push({
        atS: Math.round((performance.now() - started) / 1000),
        requests: counts,
        rps: round(total / SOAK_WINDOW_S, 1),
        p50Ms: round(percentile(sorted, 50)),
        p99Ms: round(percentile(sorted, 99)),
        errors,
        rssMb: round(rssBytes(pid) / 2 ** 20, 1),
        heapUsedMb: Number.isFinite(heap) && heap > 0 ? round(heap / 2 ** 20, 1) : null,
        eventsReceived: eventsReceived - eventsBefore,
      });
      bench.log(`soak ${windows.at(-1)!.atS} s: ${JSON.stringify(windows.at(-1))}`);
      eventsBefore = eventsReceived;
      latencies = [];
      counts = { login: 0, refresh: 0, read: 0, write: 0 };
      errors = 0;
      next += SOAK_WINDOW_S * 1000;
    }
  })();
  await Promise.all(loops);
  await sampler;

  // Nothing lost: the database holds every acknowledged write as acknowledged (one writer per task,
  // so the last acknowledgement is the state), and each acknowledged version reached the owner's socket.
  const ids = [...acknowledged.keys()];
  const rows = (await bench.db.query<{ id: string; status: string; version: number }>('SELECT id, status, version FROM tasks WHERE id = ANY($1::uuid[])', [ids])).rows;
  const stored = new Map(rows.map((r) => [r.id, r]));
  let lost = 0;
  for (const [id, ack] of acknowledged) {
    const row = stored.get(id);
    if (!row || row.status !== ack.status || row.version !== ack.version) lost += 1;
  }
  const missingEvents = () => writes.filter(([id, version]) => !seen.get(id)?.has(version)).length;
  // Events still in flight get a few seconds.
  const deadline = performance.now() + 10_000;
  let missing = missingEvents();
  while (missing > 0 && performance.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    missing = missingEvents();
  }
  sockets.forEach((s) => s.close());

  const totalRequests = windows.reduce((sum, w) => sum + Object.values(w.requests).reduce((a, b) => a + b, 0), 0);
  const allSorted = allLatencies.sort((a, b) => a - b);
  const totalErrors = windows.reduce((sum, w) => sum + w.errors, 0);
  // Memory growth: the last window against the first full one (the first includes the warm-up).
  const first = windows[windows.length > 2 ? 1 : 0];
  const last = windows[windows.length - 1];
  bench.extra.soak = {
    seconds,
    windowS: SOAK_WINDOW_S,
    loops: { login: 2, refresh: 2, read: 6, write: 4, sockets: SOCKET_USERS },
    windows,
    requests: totalRequests,
    errors: totalErrors,
    errorStatuses,
    writesAcknowledged: writes.length,
    tasksWritten: acknowledged.size,
    tasksNotAsAcknowledged: lost,
    eventsExpected: writes.length,
    eventsMissing: missing,
    rssGrowthMb: round(last.rssMb - first.rssMb, 1),
    heapGrowthMb: last.heapUsedMb !== null && first.heapUsedMb !== null ? round(last.heapUsedMb - first.heapUsedMb, 1) : null,
    rpsFirstOverLast: last.rps > 0 ? round(first.rps / last.rps) : null,
  };
  bench.log(`soak: ${JSON.stringify({ ...(bench.extra.soak as object), windows: undefined })}`);
  return {
    name: 'soak',
    rps: round(totalRequests / seconds, 1),
    p50Ms: round(percentile(allSorted, 50)),
    p99Ms: round(percentile(allSorted, 99)),
    errors: totalErrors + lost + missing,
    baselineRps: null,
    ratio: null,
  };
}
