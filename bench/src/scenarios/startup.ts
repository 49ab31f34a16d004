import { join } from 'node:path';
import { Bench, ScenarioResult } from '../context';
import { DIST, startServer } from '../processes';
import { freePort } from '@app/persistence/embedded-postgres';

const RUNS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (n: number) => Math.round(n);

/**
 * 9. Start-up: from process start to `/health/ready` answering 200, on an existing data dir — the
 * service starting its own embedded Postgres from `DATA_DIR` (initialised by a first, untimed start)
 * — and, for comparison, in production mode against the already running database.
 */
export async function startup(bench: Bench, workDir: string): Promise<ScenarioResult> {
  const production: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await bench.restartApp();
    production.push(round(bench.app.readyMs));
  }

  const dataDir = join(workDir, 'startup-data');
  const env = { NODE_ENV: 'development', DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  const script = join(DIST, 'apps/api/src/main.js');
  const first = await startServer('app (embedded, first start)', script, env, await freePort(), '/health/ready');
  const initialiseMs = round(first.readyMs);
  await first.stop();
  const embedded: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const server = await startServer('app (embedded)', script, env, await freePort(), '/health/ready');
    embedded.push(round(server.readyMs));
    await server.stop();
  }
  bench.extra.startup = {
    existingDataDirMs: embedded,
    firstStartInitialisingDataDirMs: initialiseMs,
    productionOnRunningPostgresMs: production,
  };
  bench.log(`startup: ${JSON.stringify(bench.extra.startup)}`);
  return { name: 'startup', rps: null, p50Ms: median(embedded), p99Ms: Math.max(...embedded), errors: 0, baselineRps: null, ratio: null };
}
