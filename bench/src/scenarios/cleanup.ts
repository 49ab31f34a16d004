import { Bench, rotatingAuth, ScenarioResult } from '../context';
import { load, percentile, Sample } from '../load';
import { metric } from '../processes';
import { seedExpiredRefreshTokens } from '../seed';
import * as SQL from '../sql';
import { tasksAvailable } from './http';

export const EXPIRED_ROWS = 1_000_000;
/** The job's first run comes this long after start-up: time to measure reads without it first. */
const FIRST_RUN_AFTER_S = 15;
const READ_RATE = 200;

const p = (samples: Sample[], q: number) => Math.round(percentile(samples.map((s) => s.ms).sort((a, b) => a - b), q) * 100) / 100;

/**
 * 8. Cleanup at scale: 1 000 000 expired refresh tokens deleted by the scheduled job (in the app, as
 * in production); its duration, and the p99 of steady reads before and while it runs.
 */
export async function cleanup(bench: Bench): Promise<ScenarioResult> {
  const sessions = bench.users.map((u) => u.sessionId);
  const seedS = await seedExpiredRefreshTokens(bench.db, sessions, EXPIRED_ROWS);
  const live = (await bench.db.query<{ n: number }>(SQL.COUNT_LIVE_REFRESH_TOKENS)).rows[0].n;
  const expired = (await bench.db.query<{ n: number }>(SQL.COUNT_EXPIRED_REFRESH_TOKENS)).rows[0].n;
  bench.log(`cleanup: seeded ${expired} expired refresh tokens in ${seedS.toFixed(1)} s (${live} live ones stay)`);

  await bench.restartApp({ CLEANUP_INTERVAL: String(FIRST_RUN_AFTER_S) });
  const tasks = await tasksAvailable(bench);
  const readPath = tasks.ok ? '/api/v1/tasks?limit=20' : '/api/v1/users/me';
  const readsStarted = Date.now();
  const reads = load({
    url: `${bench.app.url}${readPath}`,
    connections: 8,
    overallRate: READ_RATE,
    durationS: FIRST_RUN_AFTER_S + 150,
    keepSamples: true,
    requests: [rotatingAuth(bench.users)],
  });
  const deadline = Date.now() + (FIRST_RUN_AFTER_S + 140) * 1000;
  let finishedAt: number | undefined;
  while (Date.now() < deadline) {
    if ((await metric(bench.app.url, 'cleanup_runs_total', { outcome: 'completed' })) > 0) {
      finishedAt = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 1000));
  reads.stop();
  const { samples } = await reads;

  const durationS = await metric(bench.app.url, 'cleanup_run_seconds_total');
  const deleted = await metric(bench.app.url, 'cleanup_deleted_rows_total', { task: 'refresh_tokens' });
  const leftExpired = (await bench.db.query<{ n: number }>(SQL.COUNT_EXPIRED_REFRESH_TOKENS)).rows[0].n;
  const leftLive = (await bench.db.query<{ n: number }>(SQL.COUNT_LIVE_REFRESH_TOKENS)).rows[0].n;
  if (finishedAt === undefined) {
    bench.extra.cleanup = { finished: false, seededExpired: expired, leftExpired };
    return { name: 'cleanup', rps: null, p50Ms: null, p99Ms: null, errors: null, baselineRps: null, ratio: null, note: 'the cleanup job did not finish within 150 s' };
  }
  const windowStart = finishedAt - durationS * 1000 - 100;
  const without = samples.filter((s) => s.at >= readsStarted + 2000 && s.at < windowStart);
  const during = samples.filter((s) => s.at >= windowStart && s.at <= finishedAt);
  const failedReads = samples.filter((s) => s.status < 200 || s.status >= 300).length;
  const rowsPerSecond = Math.round(deleted / durationS);
  const p99Without = p(without, 99);
  const p99During = p(during, 99);
  bench.extra.cleanup = {
    rowsSeeded: expired,
    seedSeconds: Math.round(seedS * 10) / 10,
    rowsDeleted: deleted,
    expiredLeft: leftExpired,
    liveTokensBefore: live,
    liveTokensAfter: leftLive,
    durationS: Math.round(durationS * 100) / 100,
    rowsPerSecond,
    reads: { path: readPath, ratePerSecond: READ_RATE, failed: failedReads },
    withoutCleanup: { requests: without.length, p50Ms: p(without, 50), p99Ms: p99Without },
    duringCleanup: { requests: during.length, p50Ms: p(during, 50), p99Ms: p99During },
    p99DuringOverWithout: p99Without > 0 ? Math.round((p99During / p99Without) * 100) / 100 : null,
  };
  bench.log(`cleanup: ${JSON.stringify(bench.extra.cleanup)}`);
  return {
    name: 'cleanup',
    rps: rowsPerSecond,
    p50Ms: p(during, 50),
    p99Ms: p99During,
    errors: failedReads + leftExpired + (live - leftLive),
    baselineRps: null,
    ratio: null,
  };
}
