import { io, Socket } from 'socket.io-client';
import { Bench, notAvailable, ScenarioResult } from '../context';
import { percentile } from '../load';
import { rssBytes } from '../processes';
import { seedTaskPerOwner } from '../seed';
import { tasksAvailable } from './http';

export const SOCKETS = 1000;
/** Rounds of patches after the warm-up; the least disturbed one is reported. */
const REALTIME_ROUNDS = 3;
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
 * a `PATCH` to the event's arrival at the owner's socket (the best of three rounds of 600), and the
 * server's RSS per 1 000 idle sockets.
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
  // the PATCH path up (no earlier scenario exercises it) and are not counted; then rounds of patches,
  // of which the least disturbed (lowest p99) is reported, as the other scenarios keep their best
  // round. Missing events and failed patches of every round count as errors.
  const warmUp = 100;
  const patches = 600;
  const intervalMs = 20;
  const statuses = ['in_progress', 'done', 'todo'];
  let n = 0;
  const patchRound = async (count: number): Promise<{ latencies: number[]; missing: number; failed: number; elapsedS: number }> => {
    const latencies: number[] = [];
    let missing = 0;
    let failed = 0;
    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let k = 0; k < count; k++, n++) {
      // Every task is patched once per pass over the users, each pass to another status.
      const i = n % users.length;
      const status = statuses[Math.floor(n / users.length) % statuses.length];
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
            body: JSON.stringify({ status }),
          });
          await res.arrayBuffer();
          const at = await arrived;
          waiting.delete(taskId);
          if (!res.ok) failed += 1;
          if (at === undefined) missing += 1;
          else latencies.push(at - sent);
        })(),
      );
      await new Promise((r) => setTimeout(r, intervalMs));
    }
    await Promise.all(inFlight);
    return { latencies: latencies.sort((x, y) => x - y), missing, failed, elapsedS: (performance.now() - started) / 1000 };
  };
  await patchRound(warmUp);
  const rounds: Awaited<ReturnType<typeof patchRound>>[] = [];
  for (let r = 0; r < REALTIME_ROUNDS; r++) rounds.push(await patchRound(patches));
  sockets.forEach((s) => s.close());

  const round = (x: number) => Math.round(x * 100) / 100;
  const p99 = (r: (typeof rounds)[number]) => percentile(r.latencies, 99);
  const best = rounds.reduce((a, b) => (p99(b) < p99(a) ? b : a));
  const missing = rounds.reduce((sum, r) => sum + r.missing, 0);
  const failed = rounds.reduce((sum, r) => sum + r.failed, 0);
  const result: ScenarioResult = {
    name: 'realtime',
    rps: round(best.latencies.length / best.elapsedS),
    p50Ms: round(percentile(best.latencies, 50)),
    p99Ms: round(p99(best)),
    errors: missing + failed,
    baselineRps: null,
    ratio: null,
  };
  bench.extra.realtime = {
    sockets: sockets.length,
    warmUpPatches: warmUp,
    patches,
    rounds: rounds.map((r) => ({ p50Ms: round(percentile(r.latencies, 50)), p99Ms: round(p99(r)), patchesPerSecond: round(patches / r.elapsedS) })),
    patchesPerSecond: round(patches / best.elapsedS),
    missingEvents: missing,
    failedPatches: failed,
    rssBeforeMb: round(rssBefore / 2 ** 20),
    rssIdleMb: round(rssIdle / 2 ** 20),
    rssPer1000IdleSocketsMb: round(rssPer1000 / 2 ** 20),
  };
  bench.log(`realtime: ${JSON.stringify({ ...result, ...(bench.extra.realtime as object) })}`);
  return result;
}
