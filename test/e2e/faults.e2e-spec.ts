import { ChildProcess, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, createApiClient } from '@identity-task/client';

/**
 * Faults, on the built service as operators run it (`node dist/apps/api/src/main.js` on its embedded
 * Postgres): the database killed under load, and SIGTERM under load. What must hold is API.md's
 * "Faults" paragraph: 503 problem+json `SERVICE_UNAVAILABLE` with `Retry-After` within seconds while
 * the database is down (never a 500, never a hang), readiness following, recovery without help, and no
 * acknowledged write lost. Everything waits on conditions with deadlines, never on fixed sleeps.
 */

const MAIN = join(__dirname, '../../dist/apps/api/src/main.js');
/** No request may take longer than this, outage or not. */
const REQUEST_LIMIT_MS = 8_000;

interface Service {
  child: ChildProcess;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

function startService(dataDir: string): Promise<Service> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', AUTH_RATE_LIMIT: '10000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /Listening on http:\/\/localhost:(\d+)/.exec(output);
      if (match) {
        clearInterval(timer);
        resolve({ child, base: `http://127.0.0.1:${match[1]}`, output: () => output, exited });
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`the service exited with ${code} before listening:\n${output}`));
    });
  });
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
}

async function signUp(base: string, username: string): Promise<ApiClient> {
  const api = createApiClient(base);
  const password = 'a long and fine passphrase';
  const registered = await api.POST('/api/v1/auth/register', { body: { username, password } });
  expect(registered.response.status).toBe(201);
  const login = await api.POST('/api/v1/auth/login', { body: { login: username, password } });
  expect(login.response.status).toBe(200);
  const token = login.data!.accessToken;
  return createApiClient(base, { token: () => token });
}

interface Outcome {
  sentAt: number;
  status: number | 'network';
  ms: number;
  id?: string;
  retryAfter?: string | null;
  contentType?: string | null;
  code?: string;
  error?: string;
}

/** Writers creating tasks back to back, each remembering every answer, until stopped. */
function writeLoad(api: ApiClient, writers: number, label: string) {
  const outcomes: Outcome[] = [];
  let stopped = false;
  const loops = Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; !stopped; i += 1) {
      const sentAt = Date.now();
      try {
        const { data, error, response } = await api.POST('/api/v1/tasks', {
          body: { title: `${label} ${w}-${i}` },
          signal: AbortSignal.timeout(REQUEST_LIMIT_MS),
        });
        const problem = error as { code?: string } | undefined;
        outcomes.push({
          sentAt,
          status: response.status,
          ms: Date.now() - sentAt,
          id: data?.id,
          retryAfter: response.headers.get('retry-after'),
          contentType: response.headers.get('content-type'),
          code: problem?.code,
        });
      } catch (error) {
        outcomes.push({ sentAt, status: 'network', ms: Date.now() - sentAt, error: String((error as Error).cause ?? error) });
        // The server is gone (SIGTERM test): do not spin.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    outcomes,
    acknowledged: () => outcomes.filter((o) => o.status === 201).map((o) => o.id!),
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

function postmasterPid(dataDir: string): number {
  return Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

async function readiness(base: string): Promise<number | 'network'> {
  try {
    return (await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(REQUEST_LIMIT_MS) })).status;
  } catch {
    return 'network';
  }
}

/** Every acknowledged task is there, read back through the API (a few at a time). */
async function missingTasks(api: ApiClient, ids: string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < ids.length; i += 8) {
    await Promise.all(
      ids.slice(i, i + 8).map(async (id) => {
        const { response } = await api.GET('/api/v1/tasks/{id}', { params: { path: { id } } });
        if (response.status !== 200) missing.push(`${id}: ${response.status}`);
      }),
    );
  }
  return missing;
}

describe('faults under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'its-faults-'));
  let service: Service;

  beforeAll(async () => {
    service = await startService(dataDir);
  }, 120_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('answers 503 + Retry-After while its Postgres is killed, restarts it, recovers, and keeps every acknowledged write', async () => {
    const api = await signUp(service.base, 'fault_killed_db');
    const load = writeLoad(api, 4, 'kill');
    const ready: Array<{ at: number; status: number | 'network' }> = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        ready.push({ at: Date.now(), status: await readiness(service.base) });
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    try {
      await until('20 writes are acknowledged', () => load.acknowledged().length >= 20, 20_000);
      const oldPid = postmasterPid(dataDir);
      const killedAt = Date.now();
      process.kill(oldPid, 'SIGKILL');

      await until('a write gets 503', () => load.outcomes.some((o) => o.sentAt >= killedAt && o.status === 503), 10_000);
      await until('readiness answers 503', () => ready.some((r) => r.at >= killedAt && r.status === 503), 10_000);
      // It comes back by itself: a new postmaster, readiness 200, writes acknowledged again.
      await until('readiness is 200 again', () => ready.some((r) => r.at > killedAt && r.status === 200 && ready.some((e) => e.at >= killedAt && e.at < r.at && e.status === 503)), 30_000);
      const recoveredAt = Date.now();
      await until('writes are acknowledged again', () => load.outcomes.filter((o) => o.sentAt >= recoveredAt && o.status === 201).length >= 20, 20_000);
      expect(postmasterPid(dataDir)).not.toBe(oldPid);
    } finally {
      await load.stop();
      polling = false;
      await poller;
    }

    const unexpected = load.outcomes.filter((o) => o.status !== 201 && o.status !== 503);
    expect(unexpected).toEqual([]);
    const refusals = load.outcomes.filter((o) => o.status === 503);
    expect(refusals.length).toBeGreaterThan(0);
    for (const refusal of refusals) {
      expect(refusal).toMatchObject({ code: 'SERVICE_UNAVAILABLE', contentType: expect.stringContaining('application/problem+json'), retryAfter: expect.stringMatching(/^\d+$/) });
    }
    expect(Math.max(...load.outcomes.map((o) => o.ms))).toBeLessThan(REQUEST_LIMIT_MS);
    expect(ready.filter((r) => r.status !== 200 && r.status !== 503)).toEqual([]);

    const acknowledged = load.acknowledged();
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    expect(await missingTasks(api, acknowledged)).toEqual([]);
    expect(service.output()).toContain('Embedded Postgres exited unexpectedly (killed by SIGKILL); restarting it');
    expect(service.output()).not.toMatch(/"statusCode":500|"status":500/);
  }, 90_000);

  it('on SIGTERM under load finishes the requests in flight and leaves nothing half-written', async () => {
    const api = await signUp(service.base, 'fault_sigterm');
    const load = writeLoad(api, 4, 'term');
    let inFlight: Array<Promise<{ status: number; body: string }>>;
    try {
      await until('20 writes are acknowledged', () => load.acknowledged().length >= 20, 20_000);
      // Requests the server has begun when SIGTERM arrives: each sends its headers with
      // `Expect: 100-continue`; Node answers 100 Continue and starts the request (its hooks run) in one
      // go, so once the client sees the 100 the server is serving it. The body follows after SIGTERM.
      const token = (await api.POST('/api/v1/auth/login', { body: { login: 'fault_sigterm', password: 'a long and fine passphrase' } })).data!.accessToken;
      const url = new URL(`${service.base}/api/v1/tasks`);
      const bodies: Array<() => void> = [];
      const begun: Array<Promise<void>> = [];
      inFlight = [0, 1, 2].map(
        (n) =>
          new Promise((resolve, reject) => {
            const body = JSON.stringify({ title: `in flight ${n}` });
            const req = httpRequest(
              {
                host: url.hostname,
                port: url.port,
                path: url.pathname,
                method: 'POST',
                agent: false,
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
              },
              (res) => {
                let text = '';
                res.on('data', (d) => (text += d));
                res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
              },
            );
            req.on('error', reject);
            begun.push(new Promise((continued) => req.once('continue', () => continued())));
            req.flushHeaders();
            bodies.push(() => req.end(body));
          }),
      );
      await Promise.all(begun);
      service.child.kill('SIGTERM');
      await until('the service stops accepting connections', async () => (await readiness(service.base)) !== 200, 10_000);
      for (const send of bodies) send();
      const finished = await Promise.all(inFlight);
      for (const { status, body } of finished) {
        expect(status).toBe(201);
        expect(JSON.parse(body)).toMatchObject({ id: expect.any(String) });
      }
      let timer: NodeJS.Timeout | undefined;
      const exitCode = await Promise.race([service.exited, new Promise((r) => (timer = setTimeout(() => r('still running after 30 s'), 30_000)))]);
      clearTimeout(timer);
      expect(exitCode).toBe(0);
    } finally {
      await load.stop();
    }
    expect(service.output()).toContain('Shut down cleanly');
    const unexpected = load.outcomes.filter((o) => o.status !== 201 && o.status !== 503 && o.status !== 'network');
    expect(unexpected).toEqual([]);
    for (const refusal of load.outcomes.filter((o) => o.status === 503)) {
      expect(refusal).toMatchObject({ code: 'SERVICE_UNAVAILABLE', contentType: expect.stringContaining('application/problem+json'), retryAfter: expect.stringMatching(/^\d+$/) });
    }

    // Started again on the same data: every acknowledged write is there, and every task that exists
    // was written whole (its creation is in its history).
    service = await startService(dataDir);
    const again = await (async () => {
      const client = createApiClient(service.base);
      const login = await client.POST('/api/v1/auth/login', { body: { login: 'fault_sigterm', password: 'a long and fine passphrase' } });
      const token = login.data!.accessToken;
      return createApiClient(service.base, { token: () => token });
    })();
    const acknowledged = load.acknowledged();
    expect(await missingTasks(again, acknowledged)).toEqual([]);
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await again.GET('/api/v1/tasks', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } });
      expect(page.response.status).toBe(200);
      all.push(...page.data!.items.map((t) => t.id));
      cursor = page.data!.nextCursor ?? undefined;
    } while (cursor);
    // Nothing beyond what was acknowledged, except writes whose answer was lost with the connection.
    const unanswered = load.outcomes.filter((o) => o.status === 'network').length;
    expect(all.length).toBeGreaterThanOrEqual(acknowledged.length + 3);
    expect(all.length).toBeLessThanOrEqual(acknowledged.length + 3 + unanswered);
    for (const id of all) {
      const history = await again.GET('/api/v1/tasks/{id}/history', { params: { path: { id } } });
      expect(history.response.status).toBe(200);
      expect(history.data!.items.length).toBeGreaterThanOrEqual(1);
    }
  }, 120_000);
});
