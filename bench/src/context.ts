import type autocannon = require('autocannon');
import type { Pool } from 'pg';
import type { Server } from './processes';
import type { BenchUser } from './seed';

/** What a scenario reports (the shape of `scenarios[]` in the results file). */
export interface ScenarioResult {
  name: string;
  rps: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  errors: number | null;
  baselineRps: number | null;
  ratio: number | null;
  /** Set when the scenario could not run on this build: "not available: <reason>". */
  note?: string;
}

export interface Bench {
  /** The application under test (replaced when a scenario restarts it). */
  app: Server;
  baseline: Server;
  /** The embedded Postgres' postmaster (its CPU, with its backends', is measured). */
  postgresPid: number;
  /** The benchmark's own connection to the database (seeding, checks). */
  db: Pool;
  users: BenchUser[];
  /** Restarts the application with extra environment (the cleanup and start-up scenarios). */
  restartApp(env?: Record<string, string>): Promise<void>;
  /** Figures beyond the table, per scenario. */
  extra: Record<string, unknown>;
  /** Seconds per measured run (after a short warm-up). */
  durationS: number;
  /** Connections of the throughput runs. */
  connections: number;
  log(message: string): void;
}

export const ratio = (app: number, baseline: number | null): number | null =>
  baseline && baseline > 0 ? Math.round((app / baseline) * 100) / 100 : null;

export function notAvailable(name: string, reason: string): ScenarioResult {
  return { name, rps: null, p50Ms: null, p99Ms: null, errors: null, baselineRps: null, ratio: null, note: `not available: ${reason}` };
}

/** Rotates through users so that every request reads another row, as real traffic does. */
export function rotatingAuth(users: BenchUser[], request: autocannon.Request = {}): autocannon.Request {
  let i = 0;
  return {
    ...request,
    setupRequest: (params) => {
      const user = users[i++ % users.length];
      return { ...params, headers: { ...params.headers, authorization: `Bearer ${user.accessToken}` } };
    },
  };
}

/** Whether an endpoint exists on this build (any answer but 404). */
export async function endpointExists(url: string, init: RequestInit = {}): Promise<{ exists: boolean; status: number }> {
  const res = await fetch(url, init);
  await res.arrayBuffer();
  return { exists: res.status !== 404, status: res.status };
}
