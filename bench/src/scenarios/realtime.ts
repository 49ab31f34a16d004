import { io, Socket } from 'socket.io-client';
import { Bench, notAvailable, ScenarioResult } from '../context';
import { percentile } from '../load';
import { rssBytes } from '../processes';
import { seedTaskPerOwner } from '../seed';
import { tasksAvailable } from './http';

export const SOCKETS = 1000;
const EVENTS = ['task.created', 'task.updated', 'task.status_changed', 'task.deleted'] as const;

interface TaskEvent {
  eventId: string;
  task: { id: string };
}

function connect(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/tasks`, { path: '/ws', auth: { token }, transports: ['websocket'], reconnection: false, timeout: 20_000 });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/**
 * 7. Real-time: 1 000 connected clients (one per user, each owning one task); the time from sending
 * a `PATCH` to the event's arrival at the owner's socket, and the server's RSS per 1 000 idle sockets.
 */
export async function realtime(bench: Bench): Promise<ScenarioResult> {
  const available = await tasksAvailable(bench);
  if (!available.ok) return notAvailable('realtime', available.reason);
  const users = bench.users.slice(0, SOCKETS);
  const taskIds = await seedTaskPerOwner(bench.db, users.map((u) => u.id));

  await new Promise((r) => setTimeout(r, 2000));
  const rssBefore = rssBytes(bench.app.child.pid!);
  const sockets: Socket[] = [];
  const waiting = new Map<string, (at: number) => void>();
  try {
    for (let i = 0; i < users.length; i += 50) {
      const batch = await Promise.all(users.slice(i, i + 50).map((u) => connect(bench.app.url, u.accessToken)));
      sockets.push(...batch);
    }
  } catch (error) {
    sockets.forEach((s) => s.close());
    return notAvailable('realtime', `Socket.IO at /ws, namespace /tasks refused the connection: ${(error as Error).message}`);
  }
  for (const socket of sockets) {
    for (const event of EVENTS) {
      socket.on(event, (payload: TaskEvent) => {
        const done = waiting.get(payload?.task?.id);
        if (done) done(performance.now());
      });
    }
  }
  // Idle for a moment, so that the measurement sees settled sockets rather than handshakes.
  await new Promise((r) => setTimeout(r, 3000));
  const rssIdle = rssBytes(bench.app.child.pid!);
  const rssPer1000 = ((rssIdle - rssBefore) / sockets.length) * 1000;

  // Patches at a steady rate; each one's event is awaited at its owner's socket. The first ones warm
  // the PATCH path up (no earlier scenario exercises it) and are not counted.
  const warmUp = 100;
  const patches = 600;
  const intervalMs = 20;
  const latencies: number[] = [];
  let missing = 0;
  let failed = 0;
  const statuses = ['in_progress', 'done', 'todo'];
  let started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let n = 0; n < warmUp + patches; n++) {
    if (n === warmUp) {
      await Promise.all(inFlight.splice(0));
      started = performance.now();
    }
    const measured = n >= warmUp;
    const i = n % users.length;
    const taskId = taskIds[i];
    inFlight.push(
      (async () => {
        const arrived = new Promise<number | undefined>((resolve) => {
          const timer = setTimeout(() => resolve(undefined), 5000);
          waiting.set(taskId, (at) => {
            clearTimeout(timer);
            resolve(at);
          });
        });
        const sent = performance.now();
        const res = await fetch(`${bench.app.url}/api/v1/tasks/${taskId}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${users[i].accessToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ status: statuses[Math.floor(n / users.length) % statuses.length] }),
        });
        await res.arrayBuffer();
        const at = await arrived;
        waiting.delete(taskId);
        if (!measured) return;
        if (!res.ok) failed += 1;
        if (at === undefined) missing += 1;
        else latencies.push(at - sent);
      })(),
    );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - started) / 1000;
  sockets.forEach((s) => s.close());

  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  const result: ScenarioResult = {
    name: 'realtime',
    rps: round(latencies.length / elapsedS),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    errors: missing + failed,
    baselineRps: null,
    ratio: null,
  };
  bench.extra.realtime = {
    sockets: sockets.length,
    warmUpPatches: warmUp,
    patches,
    patchesPerSecond: round(patches / elapsedS),
    missingEvents: missing,
    failedPatches: failed,
    rssBeforeMb: round(rssBefore / 2 ** 20),
    rssIdleMb: round(rssIdle / 2 ** 20),
    rssPer1000IdleSocketsMb: round(rssPer1000 / 2 ** 20),
  };
  bench.log(`realtime: ${JSON.stringify({ ...result, ...(bench.extra.realtime as object) })}`);
  return result;
}
